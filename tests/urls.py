"""The product's URLs and the toy chapter's pages (tests only, see tests.settings)."""

from django.urls import include, path

from bureau.urls import urlpatterns as product_urlpatterns

urlpatterns = [
    *product_urlpatterns,
    path("toy-cars/", include("tests.toy_chapter.urls")),
]
