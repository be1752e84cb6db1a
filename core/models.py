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
    # The delivery that holds the row (core.leased_work.row_claim), so two overlapping deliveries never both send.
    claim_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # When the sweeper may try again: the database, not the broker, keeps the retry schedule.
    next_attempt_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["status", "next_attempt_at"], name="outboundemail_due"),
        ]
        verbose_name = _("outbound email")
        verbose_name_plural = _("outbound emails")

    def __str__(self) -> str:
        return f"{self.to}: {self.subject} ({self.status})"


class WorkState(models.TextChoices):
    """The life of any leased background work (see core.leased_work)."""

    QUEUED = "queued", _("Queued")
    PREPARING = "preparing", _("Preparing")
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed")
    TIMED_OUT = "timed_out", _("Timed out")
    CANCELLED = "cancelled", _("Cancelled")
    NO_WORKER = "no_worker", _("No worker")


class FailureKind(models.TextChoices):
    NONE = "", _("None")
    MODEL = "model", _("Caused by the model (charged)")
    PLATFORM = "platform", _("Caused by the platform (refunded)")


class LeasedWork(models.Model):
    """The columns every kind of background work shares: state, claim, lease, attempts, log and times.

    queued → preparing → running → succeeded | failed | timed_out | cancelled | no_worker. The row is the truth;
    a broker message only names it. A worker claims it with a conditional update that sets a random claim_token
    and a lease, renews the lease while it works, and ends it. core.leased_work is the one module that moves it.
    A concrete kind also defines a transition model (subclass of WorkTransition) with related_name="transitions".
    """

    State = WorkState
    FailureKind = FailureKind
    ACTIVE_STATES = (WorkState.PREPARING, WorkState.RUNNING)
    FINAL_STATES = (
        WorkState.SUCCEEDED,
        WorkState.FAILED,
        WorkState.TIMED_OUT,
        WorkState.CANCELLED,
        WorkState.NO_WORKER,
    )

    state = models.CharField(
        _("state"), max_length=12, choices=WorkState.choices, default=WorkState.QUEUED, db_index=True
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    claim_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    failure_kind = models.CharField(max_length=8, choices=FailureKind.choices, blank=True, default="")
    failure_reason = models.TextField(_("reason"), blank=True)
    log = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        constraints = [
            # Work that runs holds a lease; queued or finished work does not.
            models.CheckConstraint(
                name="%(app_label)s_%(class)s_lease_iff_active",
                condition=(
                    models.Q(state__in=["preparing", "running"])
                    & models.Q(lease_expires_at__isnull=False)
                    & ~models.Q(claim_token="")
                )
                | (~models.Q(state__in=["preparing", "running"]) & models.Q(lease_expires_at__isnull=True)),
            ),
        ]

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES


class WorkTransition(models.Model):
    """One state change of a piece of leased work, with its time. Concrete kinds add the foreign key."""

    from_state = models.CharField(max_length=12, choices=WorkState.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=WorkState.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.from_state or '∅'} → {self.to_state}"
