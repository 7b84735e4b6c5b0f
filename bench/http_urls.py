"""The product's URLs plus the baseline of the HTTP benches: a bare Django view
with the same middleware (session, login, CSRF) and one INSERT, the least a
sign-in could cost on this stack. Mounted only by bench/http_settings.py."""

from django.db import connection
from django.http import HttpResponseRedirect
from django.urls import path
from django.views.decorators.http import require_POST

from bureau.urls import urlpatterns as product_urlpatterns

BARE_TABLE = "bench_bare_insert"


@require_POST
def bare(request):
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (user_id, at) VALUES (%s, now())",
            [request.user.pk],
        )
    return HttpResponseRedirect("/")


urlpatterns = [path("bench/bare/", bare, name="bench_bare"), *product_urlpatterns]
