from django.contrib import admin
from django.urls import include, path

from bureau import views

urlpatterns = [
    path("", views.home, name="home"),
    path("calendar/", views.calendar_view, name="calendar"),
    path("rules/", include("bureau.rules_urls")),
    path("healthz", views.healthz, name="healthz"),
    path("i18n/setlang/", views.set_language_view, name="set_language"),
    path("favicon.ico", views.favicon, name="favicon"),
    path("accounts/profile/", views.profile, name="profile"),
    # Before Django's: GET shows a page with the logout button.
    path("accounts/logout/", views.logout_view, name="logout"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("attendance/", include("attendance.urls")),
    path("leave/", include("leave.urls")),
    path("approvals/", include("approvals.urls")),
    path("discipline/", include("discipline.urls")),
    path("deadlines/", include("deadlines.urls")),
    # Attachments only through their views (permission checked); MEDIA_URL is
    # deliberately not served.
    path("attachments/", include("attachments.urls")),
    path("meetings/", include("meetings.urls")),
    path("duty/", include("duty.urls")),
    path("window/", include("window.urls")),
    path("public/", include("window.public_urls")),
    path("petitions/", include("petitions.urls")),
    path("public/petitions/", include("petitions.public_urls")),
    path("documents/", include("documents.urls")),
    path("handovers/", include("handovers.urls")),
    path("finance/", include("finance.urls")),
    path("vehicles/", include("vehicles.urls")),
]
