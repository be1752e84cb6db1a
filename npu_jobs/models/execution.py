"""Execution: the teams' models, their jobs and quantizations (leased work, see core.leased_work).

The row is the source of truth. A Celery message only names it; workers claim rows with conditional updates and
hold a lease that they renew while the work runs.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from core.models import LeasedWork, WorkState, WorkTransition
from hackathon.models import Event
from npu_jobs.models.units import MONEY, SECONDS
from teams.models import Team


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


class NpuJob(LeasedWork):
    """One run of a team's model on a backend: the lifecycle columns come from LeasedWork."""

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

    # Who ran it: the worker's name and the device spec as the backend was given them, and the rows they joined.
    backend = models.CharField(_("backend"), max_length=32, blank=True)
    device = models.CharField(_("device"), max_length=64, blank=True)
    worker_host = models.CharField(_("host"), max_length=200, blank=True)
    worker = models.ForeignKey(
        "npu_jobs.WorkerHost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("worker"),
    )
    compute_device = models.ForeignKey(
        "npu_jobs.ComputeDevice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="jobs",
        verbose_name=_("device"),
    )
    versions = models.JSONField(default=dict, blank=True)

    # Progress, shown live.
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)

    # Metrics: plain columns, because judging's "economics" and the dashboards query them.
    # Where the occupied time went, measured by the runner: load/compile once, warm-up, then the measured loop.
    load_seconds = models.FloatField(_("load/compile seconds"), null=True, blank=True)
    warmup_seconds = models.FloatField(_("warm-up seconds"), null=True, blank=True)
    loop_seconds = models.FloatField(_("measured loop seconds"), null=True, blank=True)
    latency_min_ms = models.FloatField(null=True, blank=True)
    latency_mean_ms = models.FloatField(null=True, blank=True)
    latency_p50_ms = models.FloatField(null=True, blank=True)
    latency_p95_ms = models.FloatField(null=True, blank=True)
    latency_p99_ms = models.FloatField(null=True, blank=True)
    throughput_per_second = models.FloatField(_("inferences per second"), null=True, blank=True)
    inferences = models.PositiveBigIntegerField(_("inferences"), default=0)
    device_seconds = models.DecimalField(_("device-occupied seconds"), null=True, blank=True, **SECONDS)
    # The pool's price when the job was submitted, so a later price change does not rewrite history.
    hourly_price = models.DecimalField(_("price per hour"), null=True, blank=True, **MONEY)
    currency = models.CharField(_("currency"), max_length=8, blank=True)
    cost = models.DecimalField(_("total charged"), null=True, blank=True, max_digits=16, decimal_places=6)
    load_cost = models.DecimalField(
        _("one-off load/compile cost"), null=True, blank=True, max_digits=14, decimal_places=6
    )
    cost_per_1k = models.DecimalField(
        _("cost per 1,000 inferences"), null=True, blank=True, max_digits=14, decimal_places=6
    )
    outputs = models.JSONField(default=list, blank=True, help_text='[{"name", "shape", "dtype", "sha256"}]')
    # Made-up demo history (dashboards need 36 hours of it): shown as simulated everywhere, never pinned as evidence.
    simulated = models.BooleanField(_("simulated demo history"), default=False, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("NPU job")
        verbose_name_plural = _("NPU jobs")
        constraints = [
            *LeasedWork.Meta.constraints,
            models.CheckConstraint(name="npujob_batch_positive", condition=Q(batch_size__gt=0) & Q(iterations__gt=0)),
            models.CheckConstraint(name="npujob_budget_positive", condition=Q(budget_seconds__gt=0)),
            # A job runs on the CPU instead of its NPU target only as a labelled fallback.
            models.CheckConstraint(
                name="npujob_cpu_fallback_labelled",
                condition=Q(queue=F("target"), cpu_fallback=False) | Q(target="npu", queue="cpu", cpu_fallback=True),
            ),
        ]
        indexes = [
            models.Index(fields=["queue", "state", "created_at"], name="npujob_claim_order"),
            models.Index(fields=["team", "state"], name="npujob_team_state"),
            # Utilization: the team rollup reads jobs by when they finished, the page the open ones (NULL) and
            # those finished since the rollup's last hour.
            models.Index(fields=["finished_at"], name="npujob_finished"),
            # /metrics: jobs per event, queue and state (an index-only scan), and the waits of the last hour.
            models.Index(fields=["event", "queue", "state"], name="npujob_event_queue_state"),
            models.Index(fields=["started_at"], name="npujob_started"),
        ]

    def __str__(self) -> str:
        return f"Job #{self.pk} ({self.get_state_display()})"

    @property
    def ran_on_cpu(self) -> bool:
        return self.queue == self.Target.CPU

    @property
    def has_run(self) -> bool:
        """Did a backend start running the model (not merely: was it queued or claimed)?"""
        return self.started_at is not None

    @property
    def run_kind(self) -> str:
        """What happened, in one word, for badges and exports: queued, preparing, not_run, no_worker, simulated,
        cpu_fallback, cpu or npu."""
        if self.simulated:
            return "simulated"
        if self.state == WorkState.QUEUED:
            return "queued"
        if self.state == WorkState.NO_WORKER:
            return "no_worker"
        if not self.has_run:
            return "preparing" if self.state == WorkState.PREPARING else "not_run"
        if self.cpu_fallback:
            return "cpu_fallback"
        return "cpu" if self.queue == self.Target.CPU else "npu"

    @property
    def figure_source(self) -> str:
        """Where this job's figures come from, for source badges: "npu", "cpu", "simulated", or "" (none yet)."""
        return {"cpu_fallback": "cpu", "cpu": "cpu", "npu": "npu", "simulated": "simulated"}.get(self.run_kind, "")

    @property
    def run_label(self) -> str:
        return str(RUN_LABELS[self.run_kind])

    @property
    def target_label(self) -> str:
        """The target as asked, and where it actually went when that differs."""
        if self.cpu_fallback:
            return str(_("Warboy NPU → CPU fallback"))
        return str(self.get_target_display())

    @property
    def progress_percent(self) -> int:
        return int(100 * self.progress_done / self.progress_total) if self.progress_total else 0


RUN_LABELS = {
    "simulated": _("Simulated demo history"),
    "queued": _("Queued (not run yet)"),
    "preparing": _("Preparing (not run yet)"),
    "not_run": _("Not run"),
    "no_worker": _("Not run: no worker"),
    "cpu_fallback": _("CPU run (NPU fallback)"),
    "cpu": _("CPU run"),
    "npu": _("NPU run"),
}


class JobComparison(models.Model):
    """The same model and input run on the CPU and on the NPU as one request: the speed-up and cost ratio that
    submissions and judging cite."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="job_comparisons")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cpu_job = models.OneToOneField(NpuJob, on_delete=models.PROTECT, related_name="comparison_as_cpu")
    npu_job = models.OneToOneField(NpuJob, on_delete=models.PROTECT, related_name="comparison_as_npu")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Comparison #{self.pk}: job {self.cpu_job_id} (CPU) vs job {self.npu_job_id} (NPU)"


class NpuJobTransition(WorkTransition):
    """Every state change of a job, with its time."""

    job = models.ForeignKey(NpuJob, on_delete=models.CASCADE, related_name="transitions")


class ModelQuantization(LeasedWork):
    """Calibrate one of a team's FP32 ONNX models and quantize it for Warboy with furiosa-quantizer.

    Runs on the `quantize` queue, which only workers with a working furiosa-quantizer consume (NPU hosts: see
    npu_jobs/README.md). The result is a new OnnxModel marked INT8, which NPU jobs accept. The lifecycle is
    LeasedWork's: preparing builds the calibration samples, running is furiosa-quantizer at work.
    """

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

    # Not yet finished: at most one such per team.
    PENDING_STATES = (WorkState.QUEUED, WorkState.PREPARING, WorkState.RUNNING)

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

    worker_host = models.CharField(_("host"), max_length=200, blank=True)
    worker = models.ForeignKey(
        "npu_jobs.WorkerHost",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="quantizations",
        verbose_name=_("worker"),
    )
    versions = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("model quantization")
        verbose_name_plural = _("model quantizations")
        constraints = [
            *LeasedWork.Meta.constraints,
            # Calibration is heavy work on a shared NPU host: one at a time per team, decided by the database.
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(state__in=["queued", "preparing", "running"]),
                name="quantization_one_active_per_team",
            ),
        ]

    def __str__(self) -> str:
        return f"Quantization #{self.pk} of {self.source_id} ({self.get_state_display()})"


class QuantizationTransition(WorkTransition):
    """Every state change of a quantization, with its time."""

    quantization = models.ForeignKey(ModelQuantization, on_delete=models.CASCADE, related_name="transitions")
