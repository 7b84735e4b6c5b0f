import logging

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from bureau.params import BadParameter

logger = logging.getLogger("bureau.params")


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Simplified Chinese unless the user chose another language with the switch.

    The browser's Accept-Language is not consulted: the bureau's interface is Chinese
    on every machine, English only on request (the language cookie).
    """

    def process_request(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class ParameterGuardMiddleware:
    """Parameters that cannot be read are a 400 with a message, never a 500.

    A NUL byte anywhere in the path, the query or a form field is refused before any
    view runs (PostgreSQL refuses NUL in text, and every admin filter and search box
    would pass it on). A view that raises `bureau.params.BadParameter` gets the same
    page, naming the parameter and what it must be.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            _refuse_nul(request)
        except BadParameter as exc:
            return bad_parameter_response(request, exc)
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, BadParameter):
            return bad_parameter_response(request, exception)
        return None


def _refuse_nul(request):
    if "\x00" in request.path:
        raise BadParameter("path", _("The value contains control characters."))
    sources = [request.GET]
    if request.method == "POST" and request.content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        sources.append(request.POST)
    for params in sources:
        for key, values in params.lists():
            if "\x00" in key or any("\x00" in v for v in values if isinstance(v, str)):
                raise BadParameter(
                    key.replace("\x00", "?"),
                    _("The value contains control characters."),
                )


def bad_parameter_response(request, exc):
    path = request.path if "\x00" not in request.path else ""
    logger.warning("Bad parameter %r on %s", exc.name, path or "?")
    return render(
        request,
        "400.html",
        {"parameter": exc.name, "message": exc.message, "back": path},
        status=400,
    )
