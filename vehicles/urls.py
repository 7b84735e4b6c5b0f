from django.urls import path

from vehicles import views

app_name = "vehicles"
urlpatterns = [
    path("", views.mine, name="mine"),
    path("new/", views.new, name="new"),
    path("trips/<int:pk>/", views.trip, name="trip"),
    path("trips/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("trips/<int:pk>/dispatch/", views.dispatch, name="dispatch"),
    path("trips/<int:pk>/bump/", views.bump, name="bump"),
    path("trips/<int:pk>/cancel/", views.cancel, name="cancel"),
    path("trips/<int:pk>/depart/", views.depart, name="depart"),
    path("trips/<int:pk>/return/", views.return_, name="return"),
    path("trips/<int:pk>/slip/", views.slip, name="slip"),
    path("board/", views.board, name="board"),
    path("public/", views.public, name="public"),
    path("public/export/", views.public_export, name="public_export"),
    path("misuse/", views.misuse, name="misuse"),
    path("fuel/", views.fuel, name="fuel"),
    path("repairs/", views.repairs, name="repairs"),
    path("repairs/<int:pk>/", views.repair, name="repair"),
    path("repairs/<int:pk>/act/", views.repair_act, name="repair_act"),
    path("accidents/", views.accidents, name="accidents"),
    path("fines/", views.fine, name="fine"),
    path("fuel/report/", views.fuel_report, name="fuel_report"),
    path("costs/", views.costs, name="costs"),
    path("inspections/", views.inspections, name="inspections"),
]
