"""NPU jobs: submit, claim (fairly across teams), run, finish with metrics, cancel and recover.

The lifecycle is core.leased_work's (queued → preparing → running → a final state, each change recorded); this
module adds what is particular to jobs: the quota reservation and its settlement, pricing, fairness between teams
and the team's concurrency limit.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import leased_work
from core.exceptions import DomainError
from core.uploads import UploadStaging
from hackathon.models import Event
from hackathon.permissions import is_organizer
from hackathon.services import audit_record
from npu_jobs.models import ComputeDevice, JobComparison, ModelQuantization, NpuJob, OnnxModel, ResourcePool, WorkerHost
from npu_jobs.selectors import npu_worker_online
from npu_jobs.services import files
from npu_jobs.services import quota as quota_services
from teams.models import Team, TeamMembership

State = NpuJob.State
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


def compute_window_check(event: Event, now: datetime) -> None:
    """Teams run models until hacking ends: afterwards their measurements are what the judges score."""
    if now >= event.hacking_ends_at:
        when = date_format(timezone.localtime(event.hacking_ends_at, event.tz), "DATETIME_FORMAT")
        raise DomainError(
            _("Hacking ended on %(when)s (%(tz)s); models can no longer be run or quantized.")
            % {"when": when, "tz": event.time_zone},
            code="hacking_over",
        )


def team_member_check(*, team: Team, user: User) -> None:
    """Only the team's own members run, upload and quantize for it."""
    if not TeamMembership.objects.filter(team=team, user=user).exists():
        raise PermissionDenied


def compute_pool(*, event: Event, queue: str) -> ResourcePool | None:
    """The pool that prices runs on this queue: the event's Warboy NPU pool or its CPU pool."""
    return ResourcePool.objects.filter(event=event, kind=queue).first()


DTYPE_BYTES = {"float64": 8, "int64": 8, "float32": 4, "int32": 4, "float16": 2, "int16": 2}


def _check_input_size(model: OnnxModel, shapes: dict[str, list[int]]) -> None:
    """A worker builds the whole input in memory: bound it, so no request can make it allocate without limit."""
    dtypes = {spec["name"]: spec.get("dtype") or "float32" for spec in model.inputs}
    total = 0
    for name, shape in shapes.items():
        elements = 1
        for dim in shape:
            elements *= dim
        total += elements * DTYPE_BYTES.get(dtypes.get(name, "float32"), 1)
    limit = settings.NPU_JOBS_MAX_INPUT_BYTES
    if total > limit:
        raise DomainError(
            _("These input shapes need %(need)s MB of memory; a job's inputs may take at most %(most)s MB.")
            % {"need": f"{total / 2**20:,.0f}", "most": f"{limit / 2**20:,.0f}"},
            field="input_shapes",
        )


def resolve_input_shapes(*, model: OnnxModel, batch_size: int, given: dict) -> dict[str, list[int]]:
    """Every input's concrete shape: the model's static dims, the batch size for a dynamic first dim, and the
    shapes the person gave for the rest. Raises DomainError naming the input that is still unknown."""
    unknown_names = set(given) - {spec["name"] for spec in model.inputs}
    if unknown_names:
        raise DomainError(
            _("The model has no input named %(name)s.") % {"name": ", ".join(sorted(unknown_names))},
            field="input_shapes",
        )
    shapes = {}
    for spec in model.inputs:
        if spec["name"] in given:
            shape = given[spec["name"]]
            if not isinstance(shape, list) or not all(isinstance(d, int) and d > 0 for d in shape):
                raise DomainError(
                    _("A shape is a list of positive integers, such as [1, 3, 224, 224]."), field="input_shapes"
                )
            declared = spec["shape"]
            if len(shape) != len(declared) or any(
                isinstance(d, int) and d > 0 and d != s for d, s in zip(declared, shape, strict=False)
            ):
                raise DomainError(
                    _("Input %(name)s is declared as %(declared)s; the shape you gave, %(shape)s, does not fit it.")
                    % {"name": spec["name"], "declared": declared, "shape": shape},
                    field="input_shapes",
                )
            shapes[spec["name"]] = shape
            continue
        shape = list(spec["shape"])
        if shape and not (isinstance(shape[0], int) and shape[0] > 0):
            shape[0] = batch_size
        if not all(isinstance(d, int) and d > 0 for d in shape):
            raise DomainError(
                _("Input %(name)s has dynamic dimensions %(shape)s: give its full shape.")
                % {"name": spec["name"], "shape": spec["shape"]},
                field="input_shapes",
            )
        shapes[spec["name"]] = shape
    _check_input_size(model, shapes)
    for spec in model.inputs:
        shape = shapes[spec["name"]]
        if shape and shape[0] != batch_size:
            raise DomainError(
                _("The model's batch dimension is fixed at %(fixed)s: set the batch size to %(fixed)s.")
                % {"fixed": shape[0]},
                field="batch_size",
            )
    return shapes


@dataclass
class JobRequest:
    model_id: int
    target: str
    batch_size: int = 1
    iterations: int = 100
    warmup: int = 10
    input_kind: str = NpuJob.InputKind.RANDOM
    preset: str = ""
    input_shapes: dict | None = None
    time_limit_seconds: int | None = None


def _check_job_request(request: JobRequest, model: OnnxModel) -> None:
    if request.target not in NpuJob.Target.values:
        raise DomainError(_("Choose NPU or CPU."), field="target")
    if not 1 <= request.batch_size <= 1024:
        raise DomainError(_("The batch size must be between 1 and 1024."), field="batch_size")
    if not 1 <= request.iterations <= 100_000:
        raise DomainError(_("Iterations must be between 1 and 100,000."), field="iterations")
    if not 0 <= request.warmup <= 10_000:
        raise DomainError(_("Warm-up must be between 0 and 10,000."), field="warmup")
    limit = request.time_limit_seconds  # _npu_job_create fills in the default before this check
    if limit is None or not 1 <= limit <= settings.NPU_JOBS_MAX_TIME_LIMIT_SECONDS:
        raise DomainError(
            _("The time limit must be between 1 and %(max)s seconds.")
            % {"max": settings.NPU_JOBS_MAX_TIME_LIMIT_SECONDS},
            field="time_limit_seconds",
        )
    if model.format == OnnxModel.Format.ENF and request.target != NpuJob.Target.NPU:
        raise DomainError(_("A compiled .enf model runs only on the NPU."), field="target")
    if request.target == NpuJob.Target.NPU and not (model.is_quantized or model.format == OnnxModel.Format.ENF):
        raise DomainError(
            _("Warboy runs INT8 models: upload a quantized ONNX model or a compiled .enf, or choose the CPU."),
            field="target",
        )
    if request.input_kind == NpuJob.InputKind.IMAGES and request.preset not in NpuJob.Preset.values[1:]:
        raise DomainError(_("Choose a preprocessing preset for images."), field="preset")


def _send(job: NpuJob) -> None:
    from npu_jobs import tasks

    task = tasks.npu_job_run_npu if job.queue == NpuJob.Target.NPU else tasks.npu_job_run_cpu
    # Celery's limits back up the runner's own: it stops the model at time_limit_seconds.
    task.apply_async(args=[job.pk], soft_time_limit=job.time_limit_seconds + 60, time_limit=job.time_limit_seconds + 90)


def _settle(job: NpuJob, refund: bool) -> None:
    if refund:
        quota_services.quota_refund(job=job, reason=job.failure_reason or job.get_state_display())
    else:
        quota_services.quota_settle(
            job=job, charged_seconds=job.device_seconds or Decimal("0"), reason=job.failure_reason
        )


def _dispatch_after(job: NpuJob) -> None:
    """A slot of this team opened: give its oldest queued job (skipped at the concurrency limit) a message."""
    waiting = (
        NpuJob.objects.filter(team_id=job.team_id, queue=job.queue, state=State.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting:
        leased_work.work_enqueue_on_commit(JOB_WORK, pk=waiting)


def _job_consumer_online(job: NpuJob) -> bool:
    return npu_worker_online(queue=job.queue)


JOB_WORK = leased_work.WorkKind(
    model=NpuJob,
    send=_send,
    settings_prefix="NPU_JOBS",
    settle=_settle,
    after_final=_dispatch_after,
    consumer_online=_job_consumer_online,
    noun=gettext_lazy("job"),
    select_related=("model",),
)


def _stage_inputs(request: JobRequest, input_files: Sequence[UploadedFile], staging: UploadStaging) -> None:
    """Check the input files' kinds and stream them into staging (limits are the staging's)."""
    if request.input_kind == NpuJob.InputKind.NPY:
        if len(input_files) != 1 or not (input_files[0].name or "").lower().endswith((".npy", ".npz")):
            raise DomainError(_("Upload one .npy (or .npz for several inputs) file."), field="input_files")
    elif request.input_kind == NpuJob.InputKind.IMAGES:
        if not input_files:
            raise DomainError(_("Upload at least one image."), field="input_files")
        if len(input_files) > settings.NPU_JOBS_MAX_INPUT_IMAGES:
            raise DomainError(
                _("Upload at most %(n)s images.") % {"n": settings.NPU_JOBS_MAX_INPUT_IMAGES}, field="input_files"
            )
        if any(not (upload.name or "").lower().endswith(IMAGE_SUFFIXES) for upload in input_files):
            raise DomainError(_("Images must be JPEG, PNG, BMP or WebP files."), field="input_files")
    else:
        return
    for upload in input_files:
        staging.add(upload, field="input_files")


def npu_job_submit(
    *,
    team: Team,
    submitted_by: User,
    request: JobRequest,
    input_files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> NpuJob:
    """Queue a job: check the request, reserve its budget from the team's quota and enqueue it after commit.

    Input files are staged before the transaction and placed in a uuid-named folder once the job is accepted;
    a refused submit leaves nothing on disk.
    """
    now = now or timezone.now()
    team_member_check(team=team, user=submitted_by)
    compute_window_check(team.event, now)
    with files.input_staging() as staging:
        _stage_inputs(request, input_files, staging)
        return _npu_job_create(team=team, submitted_by=submitted_by, request=request, staging=staging, now=now)


@transaction.atomic
def _npu_job_create(
    *, team: Team, submitted_by: User, request: JobRequest, staging: UploadStaging, now: datetime
) -> NpuJob:
    model = OnnxModel.objects.filter(pk=request.model_id, team=team).first()
    if model is None:
        raise DomainError(_("Choose one of your team's models."), field="model")
    if request.time_limit_seconds is None:
        request.time_limit_seconds = settings.NPU_JOBS_DEFAULT_TIME_LIMIT_SECONDS
    _check_job_request(request, model)
    input_shapes = resolve_input_shapes(model=model, batch_size=request.batch_size, given=request.input_shapes or {})

    quota = quota_services.quota_lock(team_id=team.pk)  # serialises this team's submits
    day_start = timezone.localtime(now, team.event.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    if NpuJob.objects.filter(team=team, created_at__gte=day_start).count() >= quota.daily_job_cap:
        raise DomainError(
            _("Your team reached its limit of %(cap)s jobs today.") % {"cap": quota.daily_job_cap}, code="daily_cap"
        )

    queue, cpu_fallback = request.target, False
    if request.target == NpuJob.Target.NPU and not npu_worker_online(queue="npu"):
        npu_pool = compute_pool(event=team.event, queue=NpuJob.Target.NPU)
        if npu_pool and npu_pool.allow_cpu_fallback and model.format == OnnxModel.Format.ONNX:
            queue, cpu_fallback = NpuJob.Target.CPU, True

    job = NpuJob(
        event=team.event,
        team=team,
        submitted_by=submitted_by,
        model=model,
        target=request.target,
        queue=queue,
        cpu_fallback=cpu_fallback,
        batch_size=request.batch_size,
        iterations=request.iterations,
        warmup=request.warmup,
        input_kind=request.input_kind,
        preset=request.preset,
        input_shapes=input_shapes,
        time_limit_seconds=request.time_limit_seconds,
        budget_seconds=Decimal(request.time_limit_seconds),
        max_attempts=settings.NPU_JOBS_MAX_ATTEMPTS,
    )
    pool = compute_pool(event=team.event, queue=queue)
    job.hourly_price = pool.hourly_price if pool else Decimal("0")
    job.currency = pool.currency if pool else ""
    quota_services.quota_check(quota=quota, seconds=job.budget_seconds, resource=quota_services.job_resource(job))
    if staging.names:
        job.input_path = staging.place_as(
            files.team_dir_relative(team, "inputs"), single_file=request.input_kind == NpuJob.InputKind.NPY
        )
    job.save()
    quota_services.quota_reserve(quota=quota, job=job)
    leased_work.work_queued(JOB_WORK, job, note=_("CPU fallback: no NPU worker is online") if cpu_fallback else "")
    audit_record(event=team.event, actor=submitted_by, action="npu_job.submit", target=job, **_job_audit(job))
    return job


def _job_audit(job: NpuJob) -> dict[str, Any]:
    return {"model": job.model.name, "target_device": job.target, "queue": job.queue}


def npu_job_compare_submit(
    *,
    team: Team,
    submitted_by: User,
    request: JobRequest,
    input_files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> JobComparison:
    """Run the same model and input on the CPU and on the NPU, as one request: two jobs sharing their input files,
    and the comparison that shows their speed-up and cost ratio. Both are checked and reserved, or neither."""
    now = now or timezone.now()
    team_member_check(team=team, user=submitted_by)
    compute_window_check(team.event, now)
    with files.input_staging() as staging:
        _stage_inputs(request, input_files, staging)
        with transaction.atomic():
            cpu_job = _npu_job_create(
                team=team,
                submitted_by=submitted_by,
                request=replace(request, target=NpuJob.Target.CPU),
                staging=staging,
                now=now,
            )
            npu_job = _npu_job_create(
                team=team,
                submitted_by=submitted_by,
                request=replace(request, target=NpuJob.Target.NPU),
                staging=staging,
                now=now,
            )
            comparison = JobComparison.objects.create(
                event=team.event, team=team, requested_by=submitted_by, cpu_job=cpu_job, npu_job=npu_job
            )
            audit_record(
                event=team.event,
                actor=submitted_by,
                action="npu_job.compare",
                target=comparison,
                cpu_job=cpu_job.pk,
                npu_job=npu_job.pk,
            )
            return comparison


def npu_job_enqueue(*, job_id: int) -> None:
    """Send the message that names the job. Called after commit; sending it twice is harmless."""
    leased_work.work_enqueue(JOB_WORK, pk=job_id)


def lease_until() -> datetime:
    return JOB_WORK.lease_until()


def npu_job_claim(
    *, job_id: int, queue: str, worker_name: str, backend: str, device: str, versions: dict, device_index: int = 0
) -> NpuJob | None:
    """Claim a queued job for this worker, or None if there is nothing to claim.

    The message names a job, but every message is also a free slot on a worker: the slot goes to the queued job
    whose team has the fewest jobs running, oldest first, so one team's burst cannot starve the others. A team
    at its concurrency limit is skipped; its job gets a new message when one of its jobs ends.
    """
    active = (
        NpuJob.objects.filter(team=OuterRef("team"), state__in=NpuJob.ACTIVE_STATES)
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    candidates = list(
        NpuJob.objects.filter(queue=queue, state=State.QUEUED)
        .annotate(team_active=Coalesce(Subquery(active[:1]), 0))
        .order_by("team_active", "created_at", "pk")
        .values_list("pk", "team_id")[:20]
    )
    if not any(pk == job_id for pk, _team in candidates):
        named = NpuJob.objects.filter(pk=job_id, queue=queue, state=State.QUEUED).values_list("pk", "team_id").first()
        if named:
            candidates.append(named)
    worker = WorkerHost.objects.filter(name=worker_name).first()
    kind = ComputeDevice.Kind.NPU if queue == NpuJob.Target.NPU else ComputeDevice.Kind.CPU
    device_row = ComputeDevice.objects.filter(worker=worker, kind=kind, index=device_index).first() if worker else None
    tried_teams = set()
    for pk, team_id in candidates:
        if team_id in tried_teams:
            continue
        tried_teams.add(team_id)
        with transaction.atomic():
            quota = quota_services.quota_lock(team_id=team_id)  # serialises this team's claims
            running = NpuJob.objects.filter(team_id=team_id, state__in=NpuJob.ACTIVE_STATES).count()
            if running >= quota.max_concurrent_jobs:
                continue
            job = leased_work.work_claim(
                JOB_WORK,
                pk=pk,
                note=f"{worker_name} · {device}",
                backend=backend,
                device=device,
                worker_host=worker_name,
                worker=worker,
                compute_device=device_row,
                # Only what the backend that runs it reports (on "loaded"), not every package of the worker.
                versions={},
            )
            if job is None:
                tried_teams.discard(team_id)
                continue
            return job
    return None


def npu_job_lease_renew(*, job_id: int, claim_token: str) -> tuple[bool, bool]:
    """Extend the lease. Returns (still ours, cancel requested)."""
    return leased_work.work_lease_renew(JOB_WORK, pk=job_id, claim_token=claim_token)


def npu_job_mark_running(*, job_id: int, claim_token: str, load_seconds: float) -> bool:
    return leased_work.work_mark_running(
        JOB_WORK, pk=job_id, claim_token=claim_token, note=f"loaded in {load_seconds:.3f}s", load_seconds=load_seconds
    )


def npu_job_progress(*, job_id: int, claim_token: str, done: int | None, total: int | None, log_text: str = "") -> bool:
    """Record progress and append to the log."""
    fields = {} if done is None else {"progress_done": done, "progress_total": total}
    return leased_work.work_progress(JOB_WORK, pk=job_id, claim_token=claim_token, log_text=log_text, **fields)


METRIC_FIELDS = (
    "load_seconds",
    "warmup_seconds",
    "loop_seconds",
    "latency_min_ms",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "throughput_per_second",
    "inferences",
    "outputs",
)


def _money(seconds: Decimal | float, price: Decimal) -> Decimal:
    return Decimal(str(seconds)) * price / 3600


def job_costs_apply(job: NpuJob, *, succeeded: bool) -> None:
    """The three money figures, from the measured times and the price the job was submitted at:
    - total charged: all occupied seconds (load/compile + warm-up + loop + bookkeeping), what the quota paid;
    - one-off load/compile cost;
    - steady-state cost per 1,000 inferences: loop time only, so it does not change with the iteration count."""
    price = job.hourly_price or Decimal("0")
    job.cost = _money(job.device_seconds or 0, price).quantize(Decimal("0.000001"))
    job.load_cost = _money(job.load_seconds, price).quantize(Decimal("0.000001")) if job.load_seconds else None
    if succeeded and job.inferences and job.loop_seconds:
        per_1k = _money(job.loop_seconds, price) / job.inferences * 1000
        job.cost_per_1k = per_1k.quantize(Decimal("0.000001"))


def npu_job_finish(
    *,
    job_id: int,
    claim_token: str,
    state: str,
    device_seconds: float,
    metrics: dict | None = None,
    failure_kind: str = "",
    reason: str = "",
    log_text: str = "",
    progress: tuple[int, int] | None = None,
) -> NpuJob | None:
    """End a job this worker holds: record metrics, settle the quota once. None if the job is no longer ours."""

    def apply(job: NpuJob) -> None:
        for name, value in (metrics or {}).items():
            if name in METRIC_FIELDS:
                setattr(job, name, value)
        job.device_seconds = min(quota_services.as_seconds(device_seconds), job.budget_seconds)
        job_costs_apply(job, succeeded=state == State.SUCCEEDED)
        if progress is not None:
            job.progress_done, job.progress_total = progress

    return leased_work.work_finish(
        JOB_WORK,
        pk=job_id,
        claim_token=claim_token,
        state=state,
        failure_kind=failure_kind,
        reason=reason,
        log_text=log_text,
        apply=apply,
    )


def can_manage_work(user: User, work: NpuJob | ModelQuantization) -> bool:
    """A team's own members and the event's organizers may cancel the team's jobs and quantizations."""
    return is_organizer(user, work.event) or TeamMembership.objects.filter(team_id=work.team_id, user=user).exists()


def npu_job_cancel(*, job_id: int, cancelled_by: User) -> NpuJob:
    """Cancel at once when queued; when running, ask the worker, which stops the model and settles."""
    with transaction.atomic():
        job = leased_work.work_cancel(JOB_WORK, pk=job_id, allowed=lambda job: can_manage_work(cancelled_by, job))
        audit_record(event=job.event, actor=cancelled_by, action="npu_job.cancel", target=job, state=job.state)
    return job


def npu_jobs_recover(*, now: datetime | None = None) -> dict[str, int]:
    """The beat task's work: requeue jobs whose worker stopped renewing its lease (up to max_attempts, then fail
    them as "worker lost" and refund), and resend messages for queued jobs whose message seems lost."""
    return leased_work.work_recover(JOB_WORK, now=now)
