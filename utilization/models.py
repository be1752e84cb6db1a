"""Device utilization: raw samples from worker hosts, and the 1-minute and 1-hour rollups every page reads.

Every row says where its figure comes from (Source): the device's own performance counters, the intervals of the
jobs the device ran, or simulated demo history. The raw table is pruned after UTILIZATION_RAW_RETENTION_HOURS;
the rollups are kept for the whole event.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from npu_jobs.models import ComputeDevice, WorkerHost


class Source(models.TextChoices):
    DEVICE_COUNTERS = "device_counters", _("Device counters")
    JOB_INTERVALS = "job_intervals", _("Job intervals")
    SIMULATED = "simulated", _("Simulated demo history")


def _ratio_between_0_and_1(prefix: str, *fields: str) -> models.CheckConstraint:
    condition = Q()
    for field in fields:
        condition &= Q(**{f"{field}__isnull": True}) | (Q(**{f"{field}__gte": 0}) & Q(**{f"{field}__lte": 1}))
    return models.CheckConstraint(name=f"{prefix}_ratios_0_1", condition=condition)


class DeviceSample(models.Model):
    """One reading of one device: busy, compute and I/O ratios over the interval since the previous reading."""

    device = models.ForeignKey(ComputeDevice, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField(_("at"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    busy_ratio = models.FloatField(_("busy"))
    compute_ratio = models.FloatField(_("compute ratio"), null=True, blank=True)
    io_ratio = models.FloatField(_("I/O ratio"), null=True, blank=True)
    temperature_c = models.FloatField(_("temperature (°C)"), null=True, blank=True)
    power_w = models.FloatField(_("power (W)"), null=True, blank=True)
    # {"0": {"status": "occupied", "by": "pid 4242", "busy": 0.5}, "1": {"status": "available", ...}}
    core_status = models.JSONField(_("core status"), default=dict, blank=True)

    class Meta:
        ordering = ["-at"]
        indexes = [
            # The rollup recomputes (device, minute) buckets; the pruner and /metrics read by time.
            models.Index(fields=["device", "source", "at"], name="devicesample_device_at"),
            models.Index(fields=["at"], name="devicesample_at"),
        ]
        constraints = [_ratio_between_0_and_1("devicesample", "busy_ratio", "compute_ratio", "io_ratio")]

    def __str__(self) -> str:
        return f"{self.device_id} {self.at:%H:%M:%S} {self.busy_ratio:.0%} ({self.source})"


class DeviceRollup(models.Model):
    """A bucket of one device's samples from one source (abstract: minutes and hours)."""

    device = models.ForeignKey(ComputeDevice, on_delete=models.CASCADE, related_name="+")
    bucket_start = models.DateTimeField(_("bucket start"))
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    mean_busy = models.FloatField(_("mean busy"))
    max_busy = models.FloatField(_("max busy"))
    samples = models.PositiveIntegerField(_("samples"))
    mean_temperature_c = models.FloatField(_("mean temperature (°C)"), null=True, blank=True)
    mean_power_w = models.FloatField(_("mean power (W)"), null=True, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.device_id} {self.bucket_start:%Y-%m-%d %H:%M} {self.mean_busy:.0%} ({self.source})"


class DeviceMinute(DeviceRollup):
    class Meta:
        ordering = ["bucket_start"]
        constraints = [
            models.UniqueConstraint(fields=["device", "source", "bucket_start"], name="deviceminute_unique_bucket"),
            _ratio_between_0_and_1("deviceminute", "mean_busy", "max_busy"),
        ]
        # Dashboards read a time window for all devices at once.
        indexes = [models.Index(fields=["bucket_start", "source"], name="deviceminute_bucket")]


class DeviceHour(DeviceRollup):
    class Meta:
        ordering = ["bucket_start"]
        constraints = [
            models.UniqueConstraint(fields=["device", "source", "bucket_start"], name="devicehour_unique_bucket"),
            _ratio_between_0_and_1("devicehour", "mean_busy", "max_busy"),
        ]
        indexes = [models.Index(fields=["bucket_start", "source"], name="devicehour_bucket")]


class DeviceSixMinutes(DeviceRollup):
    """Six minutes of one device's minute rollups, for the 6-hour view (60 buckets instead of 360 minutes).
    mean_busy is the plain mean of the minutes' means and `minutes` how many there were, so a window's mean is
    Sum(mean_busy × minutes) / Sum(minutes), the same figure as averaging the minutes themselves."""

    minutes = models.PositiveSmallIntegerField(_("minutes"))

    class Meta:
        ordering = ["bucket_start"]
        constraints = [
            models.UniqueConstraint(fields=["device", "source", "bucket_start"], name="devicesix_unique_bucket"),
            _ratio_between_0_and_1("devicesix", "mean_busy", "max_busy"),
        ]
        indexes = [models.Index(fields=["bucket_start", "source"], name="devicesix_bucket")]


class QueueMinute(models.Model):
    """One minute of one event's queue: how many jobs waited at its start, the waits of the jobs that started in
    it, and the jobs that ended in it by outcome. Derived from NpuJob rows by the rollup task."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    queue = models.CharField(_("queue"), max_length=8)
    bucket_start = models.DateTimeField(_("bucket start"))
    waiting = models.PositiveIntegerField(_("jobs waiting"), default=0)
    started = models.PositiveIntegerField(_("jobs started"), default=0)
    wait_seconds_sum = models.FloatField(_("total wait (s)"), default=0)
    wait_seconds_max = models.FloatField(_("longest wait (s)"), default=0)
    succeeded = models.PositiveIntegerField(_("succeeded"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)  # failed or timed out
    other_ended = models.PositiveIntegerField(_("cancelled or not run"), default=0)
    simulated = models.BooleanField(_("simulated demo history"), default=False)

    class Meta:
        ordering = ["bucket_start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "queue", "bucket_start"], name="queueminute_unique_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.event_id} {self.queue} {self.bucket_start:%H:%M}: {self.waiting} waiting"


class TeamJobHour(models.Model):
    """One hour of one team's finished jobs (bucketed by the hour each job finished): counts and where their time
    went. A finished job's figures never change, so the page adds these up for the hours the rollup has closed and
    reads only the jobs still open or finished since (see selectors.team_figures). Derived from NpuJob rows by the
    rollup task."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey("teams.Team", on_delete=models.CASCADE, related_name="+")
    bucket_start = models.DateTimeField(_("bucket start"))
    jobs = models.PositiveIntegerField(_("jobs"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)  # failed or timed out
    simulated = models.PositiveIntegerField(_("simulated jobs"), default=0)
    last_created_at = models.DateTimeField(_("newest job created"), null=True, blank=True)
    waiting_seconds = models.FloatField(_("waiting (s)"), default=0)
    running_seconds = models.FloatField(_("running (s)"), default=0)

    class Meta:
        ordering = ["bucket_start"]
        constraints = [
            models.UniqueConstraint(fields=["event", "team", "bucket_start"], name="teamjobhour_unique_bucket")
        ]

    def __str__(self) -> str:
        return f"{self.team_id} {self.bucket_start:%Y-%m-%d %H:00}: {self.jobs} jobs"


class DeviceIdentity(models.Model):
    """What the device API says about a device: uuid, architecture, versions (the labels /metrics uses)."""

    device = models.OneToOneField(ComputeDevice, on_delete=models.CASCADE, related_name="+")
    uuid = models.CharField(_("UUID"), max_length=64, blank=True)
    arch = models.CharField(_("architecture"), max_length=32, blank=True)
    firmware_version = models.CharField(_("firmware"), max_length=64, blank=True)
    driver_version = models.CharField(_("driver"), max_length=64, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.device_id} {self.arch} {self.uuid}"


class SamplerStatus(models.Model):
    """What a worker host's sampler is doing: sampling N devices, or why it records no device samples."""

    worker = models.OneToOneField(WorkerHost, on_delete=models.CASCADE, related_name="+")
    sampling = models.BooleanField(_("sampling device counters"), default=False)
    status = models.CharField(_("sampler status"), max_length=500)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.worker_id}: {self.status}"


class RollupMark(models.Model):
    """How far each rollup has got (a high-water mark), so a pass recomputes only the buckets touched since."""

    name = models.CharField(max_length=64, unique=True)
    last_sample_id = models.BigIntegerField(default=0)
    rolled_up_to = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return self.name
