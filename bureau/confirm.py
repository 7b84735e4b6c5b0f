"""Asking before an action that the user cannot undo, naming what it will record.

A view that would record something heavy (an absence, a refusal, a withdrawal) first
answers with a page that says what will be recorded and sends the same form again
with `confirm=1`; only then does it call the service. No script is needed, so the
pattern is CSP-clean and works on every phone:

    if not confirmed(request):
        return confirm_page(
            request,
            title=_("Sign out now?"),
            consequences=[_("Early leave of 12 minutes ...")],
            help_text=_("Rules: ATT-4, ATT-10"),    # rule IDs only here
            action=reverse("attendance:sign_out"),
            fields={"next": ...},                    # resent as hidden inputs
            button=_("Sign out"),
            cancel=reverse("home"),
        )

`fields` are the POSTed values to send again (the comment typed, the decision);
a multi-valued mapping (QueryDict) keeps every value.
"""

from __future__ import annotations

from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

CONFIRM = "confirm"


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM) == "1"


def _pairs(fields) -> list[tuple[str, str]]:
    if fields is None:
        return []
    if hasattr(fields, "lists"):
        return [
            (key, value)
            for key, values in fields.lists()
            if key not in (CONFIRM, "csrfmiddlewaretoken")
            for value in values
        ]
    return [(key, str(value)) for key, value in fields.items() if value is not None]


def confirm_page(
    request,
    *,
    title: str,
    consequences: list[str],
    action: str,
    button: str,
    cancel: str,
    help_text: str = "",
    fields=None,
    danger: bool = True,
):
    if not url_has_allowed_host_and_scheme(
        cancel, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        cancel = "/"
    return render(
        request,
        "bureau/confirm.html",
        {
            "title": title,
            "consequences": consequences,
            "help_text": help_text,
            "action": action,
            "fields": _pairs(fields),
            "button": button,
            "cancel": cancel,
            "danger": danger,
        },
    )
