"""The job state machine: submit, claim, lease, progress, finish, cancel and recover.

queued → preparing → running → succeeded | failed | timed_out | cancelled. Every change goes through
_transition(), which records it; a final state is never left (the conditional updates below only match
queued or active rows). Workers identify their claim by a random claim_token: a worker whose job was taken
away (lease expired, requeued) finds its updates match nothing and stops.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, Right
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from hackathon.permissions import is_organizer
from hackathon.services import audit_record
from npu_jobs.models import NpuJob, NpuJobTransition, OnnxModel, ResourcePool, WorkerHost
from npu_jobs.services import quota as quota_services
from npu_jobs.services.files import team_dir_relative, upload_save
from teams.models import Team, TeamMembership

State = NpuJob.State
LOG_MAX_CHARS = 100_000


def _transition(job: NpuJob, to_state: str, note: str = "", from_state: str | None = None) -> None:
    NpuJobTransition.objects.create(
        job=job, from_state=job.state if from_state is None else from_state, to_state=to_state, note=note[:500]
    )


def compute_window_check(event, now) -> None:
    """Teams run models until hacking ends: afterwards their measurements are what the judges score."""
    if now >= event.hacking_ends_at:
        when = date_format(timezone.localtime(event.hacking_ends_at, event.tz), "DATETIME_FORMAT")
        raise DomainError(
            _("Hacking ended on %(when)s (%(tz)s); models can no longer be run or quantized.")
            % {"when": when, "tz": event.time_zone},
            code="hacking_over",
        )


def npu_worker_online(*, queue: str) -> bool:
    """Is a worker consuming this queue, by its heartbeat? (queues is a short JSON list; SQLite cannot search it)"""
    fresh = timezone.now() - timedelta(seconds=3 * settings.NPU_JOBS_HEARTBEAT_SECONDS + 5)
    hosts = WorkerHost.objects.filter(stopped_at__isnull=True, last_heartbeat_at__gte=fresh).values_list(
        "queues", flat=True
    )
    return any(queue in (queues or []) for queues in hosts)


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
    if not 1 <= request.time_limit_seconds <= settings.NPU_JOBS_MAX_TIME_LIMIT_SECONDS:
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


@transaction.atomic
def npu_job_submit(*, team: Team, submitted_by, request: JobRequest, input_files=(), now=None) -> NpuJob:
    """Queue a job: check the request, reserve its budget from the team's quota and enqueue it after commit."""
    if not TeamMembership.objects.filter(team=team, user=submitted_by).exists():
        raise PermissionDenied
    compute_window_check(team.event, now or timezone.now())
    model = OnnxModel.objects.filter(pk=request.model_id, team=team).first()
    if model is None:
        raise DomainError(_("Choose one of your team's models."), field="model")
    if request.time_limit_seconds is None:
        request.time_limit_seconds = settings.NPU_JOBS_DEFAULT_TIME_LIMIT_SECONDS
    _check_job_request(request, model)
    input_shapes = resolve_input_shapes(model=model, batch_size=request.batch_size, given=request.input_shapes or {})

    quota = quota_services.quota_lock(team_id=team.pk)  # serialises this team's submits
    day_start = timezone.localtime(timezone.now(), team.event.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    if NpuJob.objects.filter(team=team, created_at__gte=day_start).count() >= quota.daily_job_cap:
        raise DomainError(
            _("Your team reached its limit of %(cap)s jobs today.") % {"cap": quota.daily_job_cap}, code="daily_cap"
        )

    queue, cpu_fallback = request.target, False
    if request.target == NpuJob.Target.NPU and not npu_worker_online(queue="npu"):
        pool = ResourcePool.objects.filter(event=team.event, kind=ResourcePool.Kind.NPU).first()
        if pool and pool.allow_cpu_fallback and model.format == OnnxModel.Format.ONNX:
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
    job.save()
    if request.input_kind == NpuJob.InputKind.NPY:
        if len(input_files) != 1 or not input_files[0].name.lower().endswith((".npy", ".npz")):
            raise DomainError(_("Upload one .npy (or .npz for several inputs) file."), field="input_files")
        job.input_path = upload_save(input_files[0], team_dir_relative(team, f"inputs/job-{job.pk}"))
    elif request.input_kind == NpuJob.InputKind.IMAGES:
        if not input_files:
            raise DomainError(_("Upload at least one image."), field="input_files")
        folder = team_dir_relative(team, f"inputs/job-{job.pk}")
        for upload in input_files[:64]:
            if not upload.name.lower().endswith((".jpg", ".jpeg", ".png", ".bmp", ".webp")):
                raise DomainError(_("Images must be JPEG, PNG, BMP or WebP files."), field="input_files")
            upload_save(upload, folder)
        job.input_path = folder
    if job.input_path:
        job.save(update_fields=["input_path"])
    quota_services.quota_reserve(quota=quota, job=job)
    note = _("CPU fallback: no NPU worker is online") if cpu_fallback else ""
    _transition(job, State.QUEUED, note=note, from_state="")
    audit_record(
        event=team.event,
        actor=submitted_by,
        action="npu_job.submit",
        target=job,
        model=model.name,
        target_device=job.target,
        queue=job.queue,
    )
    transaction.on_commit(lambda: npu_job_enqueue(job_id=job.pk))
    return job


def npu_job_enqueue(*, job_id: int) -> None:
    """Send the message that names the job. Called after commit; sending it twice is harmless."""
    from npu_jobs import tasks

    job = NpuJob.objects.filter(pk=job_id, state=State.QUEUED).only("queue", "time_limit_seconds").first()
    if job is None:
        return
    task = tasks.npu_job_run_npu if job.queue == NpuJob.Target.NPU else tasks.npu_job_run_cpu
    # Celery's limits back up the runner's own: it stops the model at time_limit_seconds.
    task.apply_async(args=[job.pk], soft_time_limit=job.time_limit_seconds + 60, time_limit=job.time_limit_seconds + 90)
    NpuJob.objects.filter(pk=job.pk, state=State.QUEUED).update(enqueued_at=timezone.now())


def lease_until():
    return timezone.now() + timedelta(seconds=settings.NPU_JOBS_LEASE_SECONDS)


def npu_job_claim(
    *, job_id: int, queue: str, worker_name: str, backend: str, device: str, versions: dict
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
    tried_teams = set()
    for pk, team_id in candidates:
        if team_id in tried_teams:
            continue
        tried_teams.add(team_id)
        with transaction.atomic():
            quota = quota_services.quota_lock(team_id=team_id)  # serialises this team's claims
            if (
                NpuJob.objects.filter(team_id=team_id, state__in=NpuJob.ACTIVE_STATES).count()
                >= quota.max_concurrent_jobs
            ):
                continue
            token = uuid.uuid4().hex
            claimed = NpuJob.objects.filter(pk=pk, state=State.QUEUED).update(
                state=State.PREPARING,
                claim_token=token,
                lease_expires_at=lease_until(),
                attempts=F("attempts") + 1,
                backend=backend,
                device=device,
                worker_host=worker_name,
                versions=versions,
            )
            if not claimed:
                tried_teams.discard(team_id)
                continue
            job = NpuJob.objects.select_related("model").get(pk=pk)
            _transition(
                job,
                State.PREPARING,
                from_state=State.QUEUED,
                note=f"{worker_name} · {device} · attempt {job.attempts}/{job.max_attempts}",
            )
            return job
    return None


def npu_job_lease_renew(*, job_id: int, claim_token: str) -> tuple[bool, bool]:
    """Extend the lease. Returns (still ours, cancel requested)."""
    renewed = NpuJob.objects.filter(pk=job_id, claim_token=claim_token, state__in=NpuJob.ACTIVE_STATES).update(
        lease_expires_at=lease_until()
    )
    if not renewed:
        return False, False
    cancel = NpuJob.objects.filter(pk=job_id, cancel_requested_at__isnull=False).exists()
    return True, cancel


@transaction.atomic
def npu_job_mark_running(*, job_id: int, claim_token: str, load_seconds: float) -> bool:
    now = timezone.now()
    moved = NpuJob.objects.filter(pk=job_id, claim_token=claim_token, state=State.PREPARING).update(
        state=State.RUNNING, started_at=now, load_seconds=load_seconds, lease_expires_at=lease_until()
    )
    if moved:
        _transition(NpuJob(pk=job_id, state=State.PREPARING), State.RUNNING, note=f"loaded in {load_seconds:.3f}s")
    return bool(moved)


def npu_job_progress(*, job_id: int, claim_token: str, done: int | None, total: int | None, log_text: str = "") -> bool:
    """Record progress and append to the log (keeping its last LOG_MAX_CHARS characters)."""
    fields = {} if done is None else {"progress_done": done, "progress_total": total}
    if log_text:
        fields["log"] = Right(Concat(F("log"), Value(log_text)), LOG_MAX_CHARS)
    return bool(
        NpuJob.objects.filter(pk=job_id, claim_token=claim_token, state__in=NpuJob.ACTIVE_STATES).update(**fields)
    )


METRIC_FIELDS = (
    "load_seconds",
    "latency_min_ms",
    "latency_mean_ms",
    "latency_p50_ms",
    "latency_p95_ms",
    "latency_p99_ms",
    "throughput_per_second",
    "inferences",
    "outputs",
)


def _price_for(job: NpuJob) -> Decimal:
    kind = ResourcePool.Kind.NPU
    pool = ResourcePool.objects.filter(event_id=job.event_id, kind=kind).only("hourly_price").first()
    return pool.hourly_price if pool else Decimal("0")


@transaction.atomic
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
    if state not in NpuJob.FINAL_STATES:
        raise ValueError(state)
    job = NpuJob.objects.select_for_update().filter(pk=job_id, claim_token=claim_token).first()
    if job is None or not job.is_active:
        return None
    previous = job.state
    for name, value in (metrics or {}).items():
        if name in METRIC_FIELDS:
            setattr(job, name, value)
    seconds = min(quota_services.as_seconds(device_seconds), job.budget_seconds)
    job.device_seconds = seconds
    job.cost = (seconds * _price_for(job) / 3600).quantize(Decimal("0.0001"))
    if state == State.SUCCEEDED and job.inferences:
        job.cost_per_1k = (seconds * _price_for(job) / 3600 / job.inferences * 1000).quantize(Decimal("0.000001"))
    job.state = state
    job.failure_kind = failure_kind
    job.failure_reason = reason[:5000]
    job.finished_at = timezone.now()
    job.lease_expires_at = None
    job.log = (job.log + log_text)[-LOG_MAX_CHARS:]
    if progress is not None:
        job.progress_done, job.progress_total = progress
    job.save()
    _transition(job, state, note=reason, from_state=previous)
    if failure_kind == NpuJob.FailureKind.PLATFORM:
        quota_services.quota_refund(job=job, reason=reason)
    else:
        quota_services.quota_settle(job=job, charged_seconds=seconds, reason=reason)
    _dispatch_after(job)
    return job


def _dispatch_after(job: NpuJob) -> None:
    """A slot of this team opened: give its oldest queued job (skipped at the concurrency limit) a message."""
    waiting = (
        NpuJob.objects.filter(team_id=job.team_id, queue=job.queue, state=State.QUEUED)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if waiting:
        transaction.on_commit(lambda: npu_job_enqueue(job_id=waiting))


def can_manage_job(user, job: NpuJob) -> bool:
    return is_organizer(user, job.event) or TeamMembership.objects.filter(team_id=job.team_id, user=user).exists()


@transaction.atomic
def npu_job_cancel(*, job_id: int, cancelled_by) -> NpuJob:
    """Cancel at once when queued; when running, ask the worker, which stops the model and settles."""
    job = NpuJob.objects.select_for_update().select_related("event").get(pk=job_id)
    if not can_manage_job(cancelled_by, job):
        raise PermissionDenied
    if job.is_final:
        raise DomainError(_("This job has already finished."), code="final")
    if job.state == State.QUEUED:
        previous = job.state
        job.state = State.CANCELLED
        job.finished_at = timezone.now()
        job.cancel_requested_at = job.finished_at
        job.save(update_fields=["state", "finished_at", "cancel_requested_at"])
        _transition(job, State.CANCELLED, note=_("Cancelled while queued"), from_state=previous)
        quota_services.quota_settle(job=job, charged_seconds=Decimal("0"), reason="cancelled while queued")
    elif job.cancel_requested_at is None:
        job.cancel_requested_at = timezone.now()
        job.save(update_fields=["cancel_requested_at"])
    audit_record(event=job.event, actor=cancelled_by, action="npu_job.cancel", target=job, state=job.state)
    return job


def npu_jobs_recover(*, now=None) -> dict[str, int]:
    """The beat task's work: requeue jobs whose worker stopped renewing its lease (up to max_attempts, then fail
    them as "worker lost" and refund), and resend messages for queued jobs whose message seems lost."""
    now = now or timezone.now()
    counts = {"requeued": 0, "lost": 0, "cancelled": 0, "redispatched": 0}
    expired = list(
        NpuJob.objects.filter(state__in=NpuJob.ACTIVE_STATES, lease_expires_at__lt=now).values_list("pk", flat=True)
    )
    for pk in expired:
        with transaction.atomic():
            job = (
                NpuJob.objects.select_for_update()
                .filter(pk=pk, state__in=NpuJob.ACTIVE_STATES, lease_expires_at__lt=now)
                .first()
            )
            if job is None:
                continue
            previous, worker = job.state, job.worker_host
            job.lease_expires_at = None
            job.claim_token = ""
            if job.cancel_requested_at:
                job.state, job.finished_at = State.CANCELLED, now
                job.failure_kind = NpuJob.FailureKind.PLATFORM
                job.failure_reason = _("Cancelled; its worker (%(worker)s) stopped responding.") % {"worker": worker}
                job.save()
                _transition(job, job.state, note=job.failure_reason, from_state=previous)
                quota_services.quota_refund(job=job, reason=job.failure_reason)
                counts["cancelled"] += 1
            elif job.attempts < job.max_attempts:
                job.state = State.QUEUED
                job.progress_done = 0
                job.log += f"\n[worker {worker} lost; requeued for attempt {job.attempts + 1} of {job.max_attempts}]\n"
                job.save()
                _transition(job, State.QUEUED, note=f"worker {worker} lost (lease expired)", from_state=previous)
                transaction.on_commit(lambda pk=pk: npu_job_enqueue(job_id=pk))
                counts["requeued"] += 1
            else:
                job.state, job.finished_at = State.FAILED, now
                job.failure_kind = NpuJob.FailureKind.PLATFORM
                job.failure_reason = _("Worker lost %(n)s times; the reservation was refunded.") % {"n": job.attempts}
                job.save()
                _transition(job, State.FAILED, note=job.failure_reason, from_state=previous)
                quota_services.quota_refund(job=job, reason=job.failure_reason)
                _dispatch_after(job)
                counts["lost"] += 1
    stale = now - timedelta(seconds=settings.NPU_JOBS_REDISPATCH_AFTER_SECONDS)
    for pk in (
        NpuJob.objects.filter(state=State.QUEUED)
        .filter(Q(enqueued_at__lt=stale) | Q(enqueued_at__isnull=True, created_at__lt=stale))
        .values_list("pk", flat=True)[:500]
    ):
        npu_job_enqueue(job_id=pk)
        counts["redispatched"] += 1
    return counts
