"""Worker hosts as they report themselves, and the devices they drive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class WorkerHost(models.Model):
    """A running Celery worker, as it reported itself at start and in its heartbeats."""

    name = models.CharField(_("worker"), max_length=200, unique=True)
    hostname = models.CharField(_("host"), max_length=200)
    pid = models.PositiveIntegerField(default=0)
    queues = models.JSONField(default=list)
    backends = models.JSONField(default=list)
    versions = models.JSONField(default=dict)
    npu_status = models.CharField(_("NPU status"), max_length=500, blank=True)
    concurrency = models.PositiveSmallIntegerField(default=1)
    started_at = models.DateTimeField()
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"))
    stopped_at = models.DateTimeField(null=True, blank=True)
    # Not a column: set by npu_jobs.selectors.workers_recent from the heartbeat's age.
    is_online: bool

    class Meta:
        ordering = ["-last_heartbeat_at"]
        verbose_name = _("worker host")
        verbose_name_plural = _("worker hosts")

    def __str__(self) -> str:
        return self.name


class ComputeDevice(models.Model):
    """A device a worker host drives: a Warboy NPU, or the host's CPU for CPU runs."""

    class Kind(models.TextChoices):
        NPU = "npu", _("Warboy NPU")
        CPU = "cpu", _("CPU")

    worker = models.ForeignKey(WorkerHost, on_delete=models.CASCADE, related_name="devices")
    pool = models.ForeignKey(
        "npu_jobs.ResourcePool", on_delete=models.SET_NULL, null=True, blank=True, related_name="devices"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.NPU)
    index = models.PositiveSmallIntegerField(_("device index"))
    spec = models.CharField(_("device spec"), max_length=64, help_text=_("For example warboy(2)*1 or npu:0:0-1."))
    firmware_version = models.CharField(_("firmware"), max_length=64, blank=True)
    driver_version = models.CharField(_("driver"), max_length=64, blank=True)

    class Meta:
        ordering = ["worker", "index"]
        constraints = [models.UniqueConstraint(fields=["worker", "kind", "index"], name="computedevice_unique_index")]

    def __str__(self) -> str:
        return f"{self.worker.hostname}#{self.index} {self.spec}"
