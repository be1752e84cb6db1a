"""Allocation: what an event hands out (pools, Alice Cloud resources) and each team's quota with its ledger.

The TeamQuota row is the lock for every reservation, settlement and grant (npu_jobs.services.quota).
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from npu_jobs.models.units import MONEY, SECONDS
from teams.models import Team


class ResourcePool(models.Model):
    """What an event hands out: its Warboy NPUs, or its Alice Cloud instances and credits."""

    class Kind(models.TextChoices):
        NPU = "npu", _("Warboy NPU")
        CPU = "cpu", _("CPU (baseline runs)")
        CLOUD = "cloud", _("Alice Cloud")

    # The pools jobs run on and are priced by, one of each per event: the key is the job's queue.
    COMPUTE_KINDS = (Kind.NPU, Kind.CPU)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="resource_pools", verbose_name=_("event"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=100)
    hourly_price = models.DecimalField(
        _("price per device-hour"), default=Decimal("0"), help_text=_("Used to compute each job's cost."), **MONEY
    )
    currency = models.CharField(_("currency"), max_length=8, default="USD")
    device_seconds_total = models.DecimalField(
        _("device-seconds to share"),
        default=Decimal("0"),
        help_text=_("What 'split evenly' divides among teams."),
        **SECONDS,
    )
    cloud_credits_total = models.DecimalField(_("cloud credits to share"), default=Decimal("0"), **MONEY)
    allow_cpu_fallback = models.BooleanField(
        _("allow CPU fallback"),
        default=False,
        help_text=_("When no NPU worker is online, run NPU jobs on the CPU, labelled as CPU runs."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "kind", "name"]
        verbose_name = _("resource pool")
        verbose_name_plural = _("resource pools")
        constraints = [
            models.UniqueConstraint(fields=["event", "kind", "name"], name="resourcepool_unique_name"),
            # One Warboy pool per event: jobs are priced by it and NPU hosts join it. Cloud pools may be several.
            models.UniqueConstraint(fields=["event"], condition=Q(kind="npu"), name="resourcepool_one_npu_pool"),
            # One CPU pool per event too: CPU runs are priced by it and charged to the teams' CPU allowance.
            models.UniqueConstraint(fields=["event"], condition=Q(kind="cpu"), name="resourcepool_one_cpu_pool"),
            models.CheckConstraint(name="resourcepool_price_not_negative", condition=Q(hourly_price__gte=0)),
            models.CheckConstraint(
                name="resourcepool_totals_not_negative",
                condition=Q(device_seconds_total__gte=0) & Q(cloud_credits_total__gte=0),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"


class CloudResource(models.Model):
    """An Alice Cloud instance or credit handed to one team. Its access details are for that team only."""

    pool = models.ForeignKey(ResourcePool, on_delete=models.CASCADE, related_name="cloud_resources")
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="cloud_resources", verbose_name=_("team")
    )
    label = models.CharField(_("label"), max_length=100)
    host = models.CharField(_("host"), max_length=200, blank=True)
    url = models.URLField(_("URL"), blank=True)
    login = models.CharField(_("login"), max_length=200, blank=True)
    secret = models.CharField(_("password or key"), max_length=500, blank=True)
    credits = models.DecimalField(_("credits"), default=Decimal("0"), **MONEY)
    hours = models.DecimalField(_("hours"), default=Decimal("0"), max_digits=10, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pool", "label"]
        verbose_name = _("cloud resource")
        verbose_name_plural = _("cloud resources")
        constraints = [
            models.UniqueConstraint(fields=["pool", "label"], name="cloudresource_unique_label"),
            models.CheckConstraint(
                name="cloudresource_amounts_not_negative", condition=Q(credits__gte=0) & Q(hours__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return self.label


class TeamQuota(models.Model):
    """A team's allocation. Locked with select_for_update by every reservation, settlement and grant."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="npu_quota", verbose_name=_("team"))
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    device_seconds_granted = models.DecimalField(_("device-seconds granted"), default=Decimal("0"), **SECONDS)
    device_seconds_reserved = models.DecimalField(_("device-seconds reserved"), default=Decimal("0"), **SECONDS)
    device_seconds_used = models.DecimalField(_("device-seconds used"), default=Decimal("0"), **SECONDS)
    # CPU runs (baselines, and NPU jobs that fell back to the CPU) have their own allowance and price.
    cpu_seconds_granted = models.DecimalField(_("CPU seconds granted"), default=Decimal("0"), **SECONDS)
    cpu_seconds_reserved = models.DecimalField(_("CPU seconds reserved"), default=Decimal("0"), **SECONDS)
    cpu_seconds_used = models.DecimalField(_("CPU seconds used"), default=Decimal("0"), **SECONDS)
    max_concurrent_jobs = models.PositiveSmallIntegerField(_("concurrent jobs"), default=1)
    daily_job_cap = models.PositiveIntegerField(_("jobs per day"), default=200)
    cloud_credits = models.DecimalField(_("cloud credits"), default=Decimal("0"), **MONEY)
    cloud_hours = models.DecimalField(_("cloud hours"), default=Decimal("0"), max_digits=10, decimal_places=2)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team__name"]
        verbose_name = _("team quota")
        verbose_name_plural = _("team quotas")
        constraints = [
            models.CheckConstraint(
                name="teamquota_amounts_not_negative",
                condition=Q(device_seconds_granted__gte=0)
                & Q(device_seconds_reserved__gte=0)
                & Q(device_seconds_used__gte=0)
                & Q(cloud_credits__gte=0)
                & Q(cloud_hours__gte=0),
            ),
            # The last line of defence behind quota_reserve's check: never spend more than was granted.
            models.CheckConstraint(
                name="teamquota_within_grant",
                condition=Q(device_seconds_granted__gte=F("device_seconds_reserved") + F("device_seconds_used")),
            ),
            models.CheckConstraint(
                name="teamquota_cpu_within_grant",
                condition=Q(cpu_seconds_reserved__gte=0)
                & Q(cpu_seconds_used__gte=0)
                & Q(cpu_seconds_granted__gte=F("cpu_seconds_reserved") + F("cpu_seconds_used")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.team} quota"

    @property
    def device_seconds_available(self) -> Decimal:
        return self.device_seconds_granted - self.device_seconds_reserved - self.device_seconds_used

    @property
    def cpu_seconds_available(self) -> Decimal:
        return self.cpu_seconds_granted - self.cpu_seconds_reserved - self.cpu_seconds_used

    def available(self, resource: str) -> Decimal:
        """Seconds left of the allowance a job on this queue ("npu" or "cpu") draws from."""
        return self.cpu_seconds_available if resource == "cpu" else self.device_seconds_available


class QuotaLedgerEntry(models.Model):
    """One change to a team's quota. Amounts are device-seconds; signs follow what happened to the balance."""

    class Kind(models.TextChoices):
        GRANT = "grant", _("Granted")
        REVOKE = "revoke", _("Revoked")
        RESERVE = "reserve", _("Reserved for a job")
        CHARGE = "charge", _("Charged for a job")
        RELEASE = "release", _("Released unused reservation")
        REFUND = "refund", _("Refunded (platform failure)")
        CLOUD = "cloud", _("Cloud credits or hours changed")
        LIMITS = "limits", _("Limits changed")

    quota = models.ForeignKey(TeamQuota, on_delete=models.CASCADE, related_name="ledger")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    # Which allowance moved: the Warboy NPU's device-seconds or the CPU's seconds.
    resource = models.CharField(
        _("allowance"), max_length=8, choices=[("npu", _("Warboy NPU")), ("cpu", _("CPU"))], default="npu"
    )
    device_seconds = models.DecimalField(_("device-seconds"), **SECONDS)
    cloud_credits = models.DecimalField(_("cloud credits"), default=Decimal("0"), **MONEY)
    cloud_hours = models.DecimalField(_("cloud hours"), default=Decimal("0"), max_digits=10, decimal_places=2)
    available_after = models.DecimalField(_("available after"), **SECONDS)
    job = models.ForeignKey(
        "npu_jobs.NpuJob", on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger_entries"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("quota ledger entry")
        verbose_name_plural = _("quota ledger entries")
        constraints = [
            # A job is reserved once and settled once: charged or refunded, never both, never twice.
            models.UniqueConstraint(fields=["job"], condition=Q(kind="reserve"), name="ledger_one_reserve_per_job"),
            models.UniqueConstraint(
                fields=["job"], condition=Q(kind__in=["charge", "refund"]), name="ledger_one_settlement_per_job"
            ),
            models.UniqueConstraint(fields=["job"], condition=Q(kind="release"), name="ledger_one_release_per_job"),
        ]

    def __str__(self) -> str:
        return f"{self.team} {self.kind} {self.device_seconds}"
