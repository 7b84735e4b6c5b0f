"""The attachments' limits, a policy with effective dates (bureau.policies).

Not from the rulebook (rule "SYS"): the largest file and the kinds of file that may
be attached (attachments.rules.KINDS). The proxy in front (deploy/nginx.conf,
client_max_body_size) must admit at least `max_bytes`.
"""

from django.utils.translation import gettext_lazy

from attachments.rules import validate_limits
from bureau.policies import register

LIMITS = "attachments.limits"

DEFAULT_LIMITS = {
    "max_bytes": 10 * 1024 * 1024,
    "types": ["pdf", "png", "jpeg", "docx", "xlsx", "ofd"],
}

register(
    LIMITS,
    DEFAULT_LIMITS,
    label=gettext_lazy("Attachment limits"),
    rule="SYS",
    description=(
        gettext_lazy(
            "Not from the rulebook: attachments (invoices, sick notes, letters, photos): "
            "the largest file in bytes and the kinds allowed (pdf, png, jpeg, docx, "
            "xlsx, ofd), each checked by its extension and by its content."
        )
    ),
    validator=validate_limits,
)
