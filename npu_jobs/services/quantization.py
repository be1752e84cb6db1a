"""The quantization step: a team asks for one of its FP32 ONNX models to be calibrated and quantized for Warboy.

queued → running → succeeded | failed | cancelled, with the same discipline as jobs: the row is the source of
truth, a message only names it, a worker claims it with a conditional update and renews a lease while it runs,
and the beat task requeues (or fails, after max_attempts) a row whose worker vanished. Calibration runs on the
CPU of an NPU host and occupies no device, so it costs no device-seconds; one at a time per team (a partial
unique index decides) keeps it from crowding the hosts.
"""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q, Value
from django.db.models.functions import Concat, Right
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from hackathon.services import audit_record
from npu_jobs.models import ModelQuantization, NpuJob, OnnxModel
from npu_jobs.services import files
from npu_jobs.services.jobs import can_manage_job, compute_window_check, lease_until, resolve_input_shapes
from teams.models import Team, TeamMembership

State = ModelQuantization.State
Kind = ModelQuantization.CalibrationKind
LOG_MAX_CHARS = 50_000
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp", ".webp")


@dataclass
class QuantizationRequest:
    source_model_id: int
    calibration_kind: str
    method: str = ModelQuantization.Method.MIN_MAX_ASYM
    preset: str = ""
    sample_count: int = 0  # random samples; uploads count themselves
    input_shapes: dict | None = None


def _check_request(request: QuantizationRequest, source: OnnxModel, calibration_files) -> None:
    if source.format != OnnxModel.Format.ONNX:
        raise DomainError(_("Only ONNX models can be quantized; a compiled .enf already is."), field="source")
    if source.is_quantized:
        raise DomainError(_("This model is already quantized: run it on the NPU as it is."), field="source")
    if request.method not in ModelQuantization.Method.values:
        raise DomainError(_("Choose a calibration method."), field="method")
    limit = settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES
    if request.calibration_kind == Kind.RANDOM:
        if not 1 <= request.sample_count <= limit:
            raise DomainError(_("Use between 1 and %(max)s samples.") % {"max": limit}, field="sample_count")
    elif request.calibration_kind == Kind.IMAGES:
        if request.preset not in NpuJob.Preset.values[1:]:
            raise DomainError(_("Choose a preprocessing preset for the images."), field="preset")
        if not calibration_files:
            raise DomainError(_("Upload at least one calibration image."), field="calibration_files")
        if len(calibration_files) > limit:
            raise DomainError(_("Upload at most %(max)s images.") % {"max": limit}, field="calibration_files")
        if any(not (upload.name or "").lower().endswith(IMAGE_SUFFIXES) for upload in calibration_files):
            raise DomainError(_("Images must be JPEG, PNG, BMP or WebP files."), field="calibration_files")
    elif request.calibration_kind == Kind.NPY:
        if len(calibration_files) != 1 or not (calibration_files[0].name or "").lower().endswith((".npy", ".npz")):
            raise DomainError(
                _("Upload one .npy file shaped [samples, *input shape] (or an .npz with one such array per input)."),
                field="calibration_files",
            )
    else:
        raise DomainError(_("Choose where the calibration samples come from."), field="calibration_kind")


def model_quantization_request(
    *, team: Team, requested_by, request: QuantizationRequest, calibration_files=(), now=None
) -> ModelQuantization:
    """Check the request, keep the calibration uploads and queue the quantization (enqueued after commit)."""
    now = now or timezone.now()
    if not TeamMembership.objects.filter(team=team, user=requested_by).exists():
        raise PermissionDenied
    compute_window_check(team.event, now)
    source = OnnxModel.objects.filter(pk=request.source_model_id, team=team).first()
    if source is None:
        raise DomainError(_("Choose one of your team's models."), field="source")
    _check_request(request, source, calibration_files)
    # Calibration feeds one sample at a time: a dynamic batch dimension becomes 1.
    shapes = resolve_input_shapes(model=source, batch_size=1, given=request.input_shapes or {})
    if request.calibration_kind == Kind.IMAGES and len(shapes) != 1:
        raise DomainError(_("Image calibration needs a model with exactly one input."), field="calibration_kind")

    saved: list[str] = []
    try:
        with transaction.atomic():
            quantization = ModelQuantization.objects.create(
                event=team.event,
                team=team,
                requested_by=requested_by,
                source=source,
                method=request.method,
                calibration_kind=request.calibration_kind,
                preset=request.preset,
                input_shapes=shapes,
                sample_count=request.sample_count
                if request.calibration_kind == Kind.RANDOM
                else len(calibration_files),
                time_limit_seconds=settings.NPU_JOBS_QUANTIZE_TIME_LIMIT_SECONDS,
                max_attempts=settings.NPU_JOBS_MAX_ATTEMPTS,
            )
            if calibration_files:
                folder = files.team_dir_relative(team, f"calibration/quantization-{quantization.pk}")
                for upload in calibration_files:
                    saved.append(files.upload_save(upload, folder, max_bytes=settings.NPU_JOBS_MAX_UPLOAD_BYTES))
                quantization.calibration_path = folder if request.calibration_kind == Kind.IMAGES else saved[0]
                quantization.save(update_fields=["calibration_path"])
            audit_record(
                event=team.event,
                actor=requested_by,
                action="npu_model.quantize_request",
                target=quantization,
                model=source.name,
                method=request.method,
                calibration=request.calibration_kind,
                samples=quantization.sample_count,
            )
            transaction.on_commit(lambda: model_quantization_enqueue(quantization_id=quantization.pk))
            return quantization
    except IntegrityError as exc:
        for relative in saved:
            files.remove(relative)
        # The partial unique index decided (its name is in PostgreSQL's message, not in SQLite's).
        if ModelQuantization.objects.filter(team=team, state__in=ModelQuantization.ACTIVE_STATES).exists():
            raise DomainError(
                _("Your team already has a quantization queued or running; wait for it or cancel it."),
                code="quantization_active",
            ) from exc
        raise
    except ValueError as exc:  # an upload over the size limit
        for relative in saved:
            files.remove(relative)
        raise DomainError(
            _("A file is larger than the %(mb)s MB limit.") % {"mb": settings.NPU_JOBS_MAX_UPLOAD_BYTES // 2**20},
            field="calibration_files",
        ) from exc


def model_quantization_enqueue(*, quantization_id: int) -> None:
    """Send the message that names the quantization. Called after commit; sending it twice is harmless."""
    from npu_jobs import tasks

    limit = (
        ModelQuantization.objects.filter(pk=quantization_id, state=State.QUEUED)
        .values_list("time_limit_seconds", flat=True)
        .first()
    )
    if limit is None:
        return
    tasks.model_quantization_run.apply_async(args=[quantization_id], soft_time_limit=limit + 60, time_limit=limit + 90)
    ModelQuantization.objects.filter(pk=quantization_id, state=State.QUEUED).update(enqueued_at=timezone.now())


def model_quantization_claim(*, quantization_id: int, worker_name: str) -> ModelQuantization | None:
    """Take a queued quantization for this worker, or None if someone else has it (or it was cancelled)."""
    token = uuid.uuid4().hex
    claimed = ModelQuantization.objects.filter(pk=quantization_id, state=State.QUEUED).update(
        state=State.RUNNING,
        claim_token=token,
        lease_expires_at=lease_until(),
        attempts=F("attempts") + 1,
        worker_host=worker_name,
        started_at=timezone.now(),
    )
    if not claimed:
        return None
    return ModelQuantization.objects.select_related("source", "team").get(pk=quantization_id)


def model_quantization_lease_renew(*, quantization_id: int, claim_token: str) -> tuple[bool, bool]:
    """Extend the lease. Returns (still ours, cancel requested)."""
    renewed = ModelQuantization.objects.filter(pk=quantization_id, claim_token=claim_token, state=State.RUNNING).update(
        lease_expires_at=lease_until()
    )
    if not renewed:
        return False, False
    cancel = ModelQuantization.objects.filter(pk=quantization_id, cancel_requested_at__isnull=False).exists()
    return True, cancel


def model_quantization_log(*, quantization_id: int, claim_token: str, text: str, versions: dict | None = None) -> bool:
    fields = {"log": Right(Concat(F("log"), Value(text)), LOG_MAX_CHARS)} if text else {}
    if versions:
        fields["versions"] = versions
    if not fields:
        return True
    return bool(
        ModelQuantization.objects.filter(pk=quantization_id, claim_token=claim_token, state=State.RUNNING).update(
            **fields
        )
    )


@transaction.atomic
def model_quantization_finish(
    *,
    quantization_id: int,
    claim_token: str,
    state: str,
    output_relative: str = "",
    model_info: dict | None = None,
    failure_kind: str = "",
    reason: str = "",
    log_text: str = "",
) -> ModelQuantization | None:
    """End a quantization this worker holds. On success the output file becomes a new INT8 model of the team."""
    if state not in ModelQuantization.FINAL_STATES:
        raise ValueError(state)
    quantization = (
        ModelQuantization.objects.select_for_update()
        .select_related("source", "event")
        .filter(pk=quantization_id, claim_token=claim_token, state=State.RUNNING)
        .first()
    )
    if quantization is None:
        return None
    if state == State.SUCCEEDED:
        path = files.media_path(output_relative)
        source = quantization.source
        quantization.result = OnnxModel.objects.create(
            event_id=quantization.event_id,
            team_id=quantization.team_id,
            uploaded_by=quantization.requested_by,
            name=f"{source.name} · INT8 ({quantization.get_method_display()})"[:200],
            file_path=output_relative,
            format=OnnxModel.Format.ONNX,
            size_bytes=path.stat().st_size,
            sha256=files.file_sha256(path),
            opset=(model_info or {}).get("opset"),
            is_quantized=True,
            quantized_from=source,
            inputs=(model_info or {}).get("inputs") or source.inputs,
            outputs=(model_info or {}).get("outputs") or [],
        )
    quantization.state = state
    quantization.failure_kind = failure_kind
    quantization.failure_reason = reason[:5000]
    quantization.finished_at = timezone.now()
    quantization.lease_expires_at = None
    quantization.log = (quantization.log + log_text)[-LOG_MAX_CHARS:]
    quantization.save()
    audit_record(
        event=quantization.event,
        actor=None,
        action=f"npu_model.quantize_{state}",
        target=quantization,
        result=quantization.result_id,
        reason=reason[:200],
    )
    return quantization


@transaction.atomic
def model_quantization_cancel(*, quantization_id: int, cancelled_by) -> ModelQuantization:
    """Cancel at once when queued; when running, ask the worker, which stops the quantizer."""
    quantization = ModelQuantization.objects.select_for_update().select_related("event").get(pk=quantization_id)
    if not can_manage_job(cancelled_by, quantization):
        raise PermissionDenied
    if quantization.is_final:
        raise DomainError(_("This quantization has already finished."), code="final")
    now = timezone.now()
    if quantization.state == State.QUEUED:
        quantization.state = State.CANCELLED
        quantization.finished_at = now
    quantization.cancel_requested_at = quantization.cancel_requested_at or now
    quantization.save(update_fields=["state", "finished_at", "cancel_requested_at"])
    audit_record(
        event=quantization.event,
        actor=cancelled_by,
        action="npu_model.quantize_cancel",
        target=quantization,
        state=quantization.state,
    )
    return quantization


def model_quantizations_recover(*, now=None) -> dict[str, int]:
    """Beat: requeue a running quantization whose worker stopped renewing its lease (or fail it after
    max_attempts), and resend the message of one that has waited in the queue too long."""
    now = now or timezone.now()
    counts = {"requeued": 0, "lost": 0, "cancelled": 0, "redispatched": 0}
    for pk in ModelQuantization.objects.filter(state=State.RUNNING, lease_expires_at__lt=now).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            quantization = (
                ModelQuantization.objects.select_for_update()
                .filter(pk=pk, state=State.RUNNING, lease_expires_at__lt=now)
                .first()
            )
            if quantization is None:
                continue
            worker = quantization.worker_host
            quantization.lease_expires_at = None
            quantization.claim_token = ""
            if quantization.cancel_requested_at:
                quantization.state, quantization.finished_at = State.CANCELLED, now
                counts["cancelled"] += 1
            elif quantization.attempts < quantization.max_attempts:
                quantization.state = State.QUEUED
                quantization.log += f"\n[worker {worker} lost; requeued for attempt {quantization.attempts + 1}]\n"
                transaction.on_commit(lambda pk=pk: model_quantization_enqueue(quantization_id=pk))
                counts["requeued"] += 1
            else:
                quantization.state, quantization.finished_at = State.FAILED, now
                quantization.failure_kind = NpuJob.FailureKind.PLATFORM
                quantization.failure_reason = _("Worker lost %(n)s times.") % {"n": quantization.attempts}
                counts["lost"] += 1
            quantization.save()
    stale = now - timedelta(seconds=settings.NPU_JOBS_REDISPATCH_AFTER_SECONDS)
    for pk in (
        ModelQuantization.objects.filter(state=State.QUEUED)
        .filter(Q(enqueued_at__lt=stale) | Q(enqueued_at__isnull=True, created_at__lt=stale))
        .values_list("pk", flat=True)[:100]
    ):
        model_quantization_enqueue(quantization_id=pk)
        counts["redispatched"] += 1
    return counts
