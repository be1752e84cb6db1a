from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboundEmail(models.Model):
    """Every email HackNPU sends: queued in the web request, sent by a worker, never silently lost."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENT = "sent", _("Sent")
        RETRYING = "retrying", _("Retrying")
        FAILED = "failed", _("Failed")

    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=255)
    body = models.TextField(_("body"))
    html_body = models.TextField(_("HTML body"), blank=True)
    purpose = models.CharField(_("purpose"), max_length=64, blank=True, db_index=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "created_at"])]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject} ({self.status})"
