"""Compute for teams: resource pools, per-team quotas with a ledger, uploaded models, jobs and worker hosts.

The job row is the source of truth. A Celery message only names a job; workers claim rows with conditional
updates and hold a lease that they renew while the job runs.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from teams.models import Team

SECONDS = {"max_digits": 14, "decimal_places": 3}
MONEY = {"max_digits": 14, "decimal_places": 4}


class ResourcePool(models.Model):
    """What an event hands out: its Warboy NPUs, or its Alice Cloud instances and credits."""

    class Kind(models.TextChoices):
        NPU = "npu", _("Warboy NPU")
        CLOUD = "cloud", _("Alice Cloud")

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
        ]

    def __str__(self) -> str:
        return f"{self.team} quota"

    @property
    def device_seconds_available(self) -> Decimal:
        return self.device_seconds_granted - self.device_seconds_reserved - self.device_seconds_used


class OnnxModel(models.Model):
    """A validated model file kept in the team's private folder under MEDIA_ROOT."""

    class Format(models.TextChoices):
        ONNX = "onnx", _("ONNX")
        ENF = "enf", _("Compiled Furiosa binary (.enf)")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    # PROTECT on Team, here and on jobs, quantizations and the ledger: a team that used compute keeps its record
    # (judging's economics criterion reads it), so teams.services.team_disband refuses to delete it.
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="onnx_models", verbose_name=_("team"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    name = models.CharField(_("name"), max_length=200)
    file_path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT.")
    format = models.CharField(_("format"), max_length=8, choices=Format.choices, default=Format.ONNX)
    size_bytes = models.BigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    opset = models.PositiveSmallIntegerField(_("opset"), null=True, blank=True)
    is_quantized = models.BooleanField(_("INT8 quantized"), default=False)
    # Set on a model that HackNPU's quantization step produced from another of the team's models.
    quantized_from = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="quantized_versions",
        verbose_name=_("quantized from"),
    )
    # [{"name": ..., "shape": [1, 3, 224, 224], "dtype": "float32"}]; None in a shape means a dynamic dimension.
    inputs = models.JSONField(default=list)
    outputs = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("model")
        verbose_name_plural = _("models")
        constraints = [models.CheckConstraint(name="onnxmodel_size_positive", condition=Q(size_bytes__gt=0))]

    def __str__(self) -> str:
        return self.name

    @property
    def has_static_shapes(self) -> bool:
        return all(all(isinstance(d, int) and d > 0 for d in spec["shape"]) for spec in self.inputs)


class NpuJob(models.Model):
    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        PREPARING = "preparing", _("Preparing")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        TIMED_OUT = "timed_out", _("Timed out")
        CANCELLED = "cancelled", _("Cancelled")

    class Target(models.TextChoices):
        NPU = "npu", _("Warboy NPU")
        CPU = "cpu", _("CPU")

    class InputKind(models.TextChoices):
        RANDOM = "random", _("Random tensors of the model's input shapes")
        NPY = "npy", _("Uploaded .npy array")
        IMAGES = "images", _("Images with a preprocessing preset")

    class Preset(models.TextChoices):
        NONE = "", _("None")
        IMAGENET = "imagenet", _("ImageNet (224×224, mean/std normalised, NCHW)")
        CENTERFACE = "centerface", _("CenterFace (model input size, raw RGB 0–255, NCHW)")
        YOLO = "yolo", _("YOLO (letterbox to model input, RGB 0–1, NCHW)")

    class FailureKind(models.TextChoices):
        NONE = "", _("None")
        MODEL = "model", _("Caused by the model (charged)")
        PLATFORM = "platform", _("Caused by the platform (refunded)")

    ACTIVE_STATES = (State.PREPARING, State.RUNNING)
    FINAL_STATES = (State.SUCCEEDED, State.FAILED, State.TIMED_OUT, State.CANCELLED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="npu_jobs", verbose_name=_("team"))
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    model = models.ForeignKey(OnnxModel, on_delete=models.PROTECT, related_name="jobs", verbose_name=_("model"))

    target = models.CharField(_("target"), max_length=8, choices=Target.choices)
    # The queue the job actually runs on: differs from target only for an allowed, labelled CPU fallback.
    queue = models.CharField(max_length=8, choices=Target.choices)
    cpu_fallback = models.BooleanField(_("CPU fallback"), default=False)
    batch_size = models.PositiveIntegerField(_("batch size"), default=1)
    iterations = models.PositiveIntegerField(_("iterations"), default=100)
    warmup = models.PositiveIntegerField(_("warm-up iterations"), default=10)
    input_kind = models.CharField(_("input"), max_length=8, choices=InputKind.choices, default=InputKind.RANDOM)
    input_path = models.CharField(max_length=500, blank=True, help_text="Relative to MEDIA_ROOT.")
    preset = models.CharField(_("preprocessing"), max_length=16, choices=Preset.choices, blank=True, default="")
    input_shapes = models.JSONField(default=dict, blank=True, help_text="Input name -> shape, overriding the model's.")
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"))
    budget_seconds = models.DecimalField(_("reserved device-seconds"), **SECONDS)

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    claim_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    failure_kind = models.CharField(max_length=8, choices=FailureKind.choices, blank=True, default="")
    failure_reason = models.TextField(_("reason"), blank=True)

    # Who ran it.
    backend = models.CharField(_("backend"), max_length=32, blank=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    worker_host = models.CharField(_("host"), max_length=200, blank=True)
    versions = models.JSONField(default=dict, blank=True)

    # Progress, shown live.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    log = models.TextField(blank=True)

    # Metrics: plain columns, because judging's "economics" and the dashboards query them.
    load_seconds = models.FloatField(_("load/compile seconds"), null=True, blank=True)
    latency_min_ms = models.FloatField(null=True, blank=True)
    latency_mean_ms = models.FloatField(null=True, blank=True)
    latency_p50_ms = models.FloatField(null=True, blank=True)
    latency_p95_ms = models.FloatField(null=True, blank=True)
    latency_p99_ms = models.FloatField(null=True, blank=True)
    throughput_per_second = models.FloatField(_("inferences per second"), null=True, blank=True)
    inferences = models.PositiveBigIntegerField(_("inferences"), default=0)
    device_seconds = models.DecimalField(_("device-occupied seconds"), null=True, blank=True, **SECONDS)
    cost = models.DecimalField(_("cost"), null=True, blank=True, **MONEY)
    cost_per_1k = models.DecimalField(
        _("cost per 1,000 inferences"), null=True, blank=True, max_digits=14, decimal_places=6
    )
    outputs = models.JSONField(default=list, blank=True, help_text='[{"name", "shape", "dtype", "sha256"}]')

    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("NPU job")
        verbose_name_plural = _("NPU jobs")
        constraints = [
            models.CheckConstraint(name="npujob_batch_positive", condition=Q(batch_size__gt=0) & Q(iterations__gt=0)),
            models.CheckConstraint(name="npujob_budget_positive", condition=Q(budget_seconds__gt=0)),
            # A job runs on the CPU instead of its NPU target only as a labelled fallback.
            models.CheckConstraint(
                name="npujob_cpu_fallback_labelled",
                condition=Q(queue=F("target"), cpu_fallback=False) | Q(target="npu", queue="cpu", cpu_fallback=True),
            ),
            # A job that runs holds a lease; a queued or finished one does not.
            models.CheckConstraint(
                name="npujob_lease_iff_active",
                condition=(
                    Q(state__in=["preparing", "running"]) & Q(lease_expires_at__isnull=False) & ~Q(claim_token="")
                )
                | (~Q(state__in=["preparing", "running"]) & Q(lease_expires_at__isnull=True)),
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "state", "created_at"], name="npujob_claim_order"),
            models.Index(fields=["team", "state"], name="npujob_team_state"),
        ]

    def __str__(self) -> str:
        return f"Job #{self.pk} ({self.get_state_display()})"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES

    @property
    def is_active(self) -> bool:
        return self.state in self.ACTIVE_STATES

    @property
    def ran_on_cpu(self) -> bool:
        return self.queue == self.Target.CPU

    @property
    def run_label(self) -> str:
        if self.cpu_fallback:
            return str(_("CPU run (NPU fallback)"))
        return str(_("CPU run")) if self.queue == self.Target.CPU else str(_("NPU run"))

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


class ModelQuantization(models.Model):
    """Calibrate one of a team's FP32 ONNX models and quantize it for Warboy with furiosa-quantizer.

    Runs on the `quantize` queue, which only workers with a working furiosa-quantizer consume (NPU hosts: see
    npu_jobs/README.md). The result is a new OnnxModel marked INT8, which NPU jobs accept. The row is the source
    of truth, as for jobs: a worker claims it with a conditional update, and its lease covers the whole time limit.
    """

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Method(models.TextChoices):
        # furiosa.quantizer.CalibrationMethod names.
        MIN_MAX_ASYM = "MIN_MAX_ASYM", _("Min-max (asymmetric)")
        MIN_MAX_SYM = "MIN_MAX_SYM", _("Min-max (symmetric)")
        ENTROPY_ASYM = "ENTROPY_ASYM", _("Entropy (asymmetric)")
        PERCENTILE_ASYM = "PERCENTILE_ASYM", _("Percentile 99.99 % (asymmetric)")
        MSE_ASYM = "MSE_ASYM", _("Mean squared error (asymmetric)")
        SQNR_ASYM = "SQNR_ASYM", _("Signal-to-quantization-noise ratio (asymmetric)")

    class CalibrationKind(models.TextChoices):
        IMAGES = "images", _("Images with a preprocessing preset")
        NPY = "npy", _("Uploaded .npy / .npz samples")
        RANDOM = "random", _("Random tensors (a smoke test: accuracy needs real samples)")

    ACTIVE_STATES = (State.QUEUED, State.RUNNING)
    FINAL_STATES = (State.SUCCEEDED, State.FAILED, State.CANCELLED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="model_quantizations", verbose_name=_("team"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    source = models.ForeignKey(
        OnnxModel, on_delete=models.PROTECT, related_name="quantizations", verbose_name=_("model to quantize")
    )
    result = models.OneToOneField(
        OnnxModel,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="made_by_quantization",
        verbose_name=_("quantized model"),
    )
    method = models.CharField(
        _("calibration method"), max_length=16, choices=Method.choices, default=Method.MIN_MAX_ASYM
    )
    calibration_kind = models.CharField(_("calibration samples"), max_length=8, choices=CalibrationKind.choices)
    calibration_path = models.CharField(max_length=500, blank=True, help_text="Relative to MEDIA_ROOT.")
    preset = models.CharField(_("preprocessing"), max_length=16, choices=NpuJob.Preset.choices, blank=True, default="")
    sample_count = models.PositiveIntegerField(_("samples"), default=0)
    input_shapes = models.JSONField(default=dict, blank=True, help_text="Input name -> shape used for calibration.")
    time_limit_seconds = models.PositiveIntegerField(_("time limit (seconds)"))

    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.QUEUED, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    claim_token = models.CharField(max_length=64, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    cancel_requested_at = models.DateTimeField(null=True, blank=True)
    enqueued_at = models.DateTimeField(null=True, blank=True)
    failure_kind = models.CharField(max_length=8, choices=NpuJob.FailureKind.choices, blank=True, default="")
    failure_reason = models.TextField(_("reason"), blank=True)
    worker_host = models.CharField(_("host"), max_length=200, blank=True)
    versions = models.JSONField(default=dict, blank=True)
    log = models.TextField(blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("model quantization")
        verbose_name_plural = _("model quantizations")
        constraints = [
            # Calibration is heavy work on a shared NPU host: one at a time per team, decided by the database.
            models.UniqueConstraint(
                fields=["team"], condition=Q(state__in=["queued", "running"]), name="quantization_one_active_per_team"
            ),
            models.CheckConstraint(
                name="quantization_lease_iff_running",
                condition=(Q(state="running") & Q(lease_expires_at__isnull=False) & ~Q(claim_token=""))
                | (~Q(state="running") & Q(lease_expires_at__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"Quantization #{self.pk} of {self.source_id} ({self.get_state_display()})"

    @property
    def is_final(self) -> bool:
        return self.state in self.FINAL_STATES


class NpuJobTransition(models.Model):
    """Every state change of a job, with its time."""

    job = models.ForeignKey(NpuJob, on_delete=models.CASCADE, related_name="transitions")
    from_state = models.CharField(max_length=12, choices=NpuJob.State.choices, blank=True)
    to_state = models.CharField(max_length=12, choices=NpuJob.State.choices)
    note = models.CharField(max_length=500, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"#{self.job_id} {self.from_state or '∅'} → {self.to_state}"


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

    quota = models.ForeignKey(TeamQuota, on_delete=models.CASCADE, related_name="ledger")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="+")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    device_seconds = models.DecimalField(_("device-seconds"), **SECONDS)
    cloud_credits = models.DecimalField(_("cloud credits"), default=Decimal("0"), **MONEY)
    cloud_hours = models.DecimalField(_("cloud hours"), default=Decimal("0"), max_digits=10, decimal_places=2)
    available_after = models.DecimalField(_("available after"), **SECONDS)
    job = models.ForeignKey(NpuJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="ledger_entries")
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

    class Meta:
        ordering = ["-last_heartbeat_at"]
        verbose_name = _("worker host")
        verbose_name_plural = _("worker hosts")

    def __str__(self) -> str:
        return self.name


class NpuDevice(models.Model):
    """A Warboy device registered by the worker host that drives it."""

    worker = models.ForeignKey(WorkerHost, on_delete=models.CASCADE, related_name="devices")
    pool = models.ForeignKey(ResourcePool, on_delete=models.SET_NULL, null=True, blank=True, related_name="devices")
    index = models.PositiveSmallIntegerField(_("device index"))
    spec = models.CharField(_("device spec"), max_length=64, help_text=_("For example warboy(2)*1 or npu:0:0-1."))
    firmware_version = models.CharField(_("firmware"), max_length=64, blank=True)
    driver_version = models.CharField(_("driver"), max_length=64, blank=True)

    class Meta:
        ordering = ["worker", "index"]
        constraints = [models.UniqueConstraint(fields=["worker", "index"], name="npudevice_unique_index")]

    def __str__(self) -> str:
        return f"{self.worker.hostname}#{self.index} {self.spec}"
