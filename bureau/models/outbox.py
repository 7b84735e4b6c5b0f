"""The outbox: e-mail and tasks written in the same transaction as the data they
are about, sent after commit, and swept again if the broker or the mail server
was away (`bureau.outbox`)."""

from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxJSONEncoder(DjangoJSONEncoder):
    """The payload as UTF-8 JSON, not ASCII with \\u escapes: the stored value is
    the same, but a Chinese subject and body take half the bytes, and an e-mail
    queued in bulk is not escaped twice over (PostgreSQL inserts the payloads as
    one array, in which every backslash of a \\u escape is escaped again)."""

    def __init__(self, *args, **kwargs):
        kwargs["ensure_ascii"] = False
        super().__init__(*args, **kwargs)


class OutboxMessage(models.Model):
    class Kind(models.TextChoices):
        EMAIL = "email", _("E-mail")
        TASK = "task", _("Background task")

    class State(models.TextChoices):
        PENDING = "pending", _("Waiting to be sent")
        SENDING = "sending", _("Being sent")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_(
            "One message per key: queuing the same key again adds nothing. An "
            "e-mail carries it in its Message-ID, a task as its task id."
        ),
    )
    payload = models.JSONField(_("content"), encoder=OutboxJSONEncoder)
    state = models.CharField(
        _("state"), max_length=8, choices=State.choices, default=State.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    claimed_at = models.DateTimeField(_("last attempt at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-pk"]
        indexes = [
            models.Index(fields=["state", "next_attempt_at"], name="outbox_state_next")
        ]

    def __str__(self):
        return f"{self.kind} {self.key} ({self.state})"


class DoneMarker(models.Model):
    """A task's proof that it ran: a second run finds the key and does nothing."""

    key = models.CharField(_("key"), max_length=200, unique=True)
    done_at = models.DateTimeField(_("done at"), auto_now_add=True)

    class Meta:
        verbose_name = _("done marker")
        verbose_name_plural = _("done markers")

    def __str__(self):
        return self.key
