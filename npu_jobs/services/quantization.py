"""The quantization step: a team asks for one of its FP32 ONNX models to be calibrated and quantized for Warboy.

The lifecycle is core.leased_work's, as for jobs: the row is the source of truth, a message only names it, a
worker claims it and renews a lease while it runs, and beat requeues (or fails, after max_attempts) a row whose
worker vanished. Calibration runs on the CPU of an NPU host and occupies no device, so it costs no device-seconds;
one at a time per team (a partial unique index decides) keeps it from crowding the hosts.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from core import leased_work
from core.exceptions import DomainError
from hackathon.services import audit_record
from npu_jobs.models import ModelQuantization, NpuJob, OnnxModel, WorkerHost
from npu_jobs.services import files
from npu_jobs.services.jobs import (
    IMAGE_SUFFIXES,
    can_manage_work,
    compute_window_check,
    npu_worker_online,
    resolve_input_shapes,
    team_member_check,
)
from teams.models import Team

State = ModelQuantization.State
Kind = ModelQuantization.CalibrationKind


def _send(quantization: ModelQuantization) -> None:
    from npu_jobs import tasks

    limit = quantization.time_limit_seconds
    tasks.model_quantization_run.apply_async(args=[quantization.pk], soft_time_limit=limit + 60, time_limit=limit + 90)


QUANTIZATION_WORK = leased_work.WorkKind(
    model=ModelQuantization,
    send=_send,
    settings_prefix="NPU_JOBS",
    consumer_online=lambda quantization: npu_worker_online(queue="quantize"),
    noun=gettext_lazy("quantization"),
    select_related=("source", "team"),
)


@dataclass
class QuantizationRequest:
    source_model_id: int
    calibration_kind: str
    method: str = ModelQuantization.Method.MIN_MAX_ASYM
    preset: str = ""
    sample_count: int = 0  # random samples; uploads count themselves
    input_shapes: dict | None = None


def _check_request(request: QuantizationRequest, source: OnnxModel, calibration_files: Sequence[UploadedFile]) -> None:
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
    *,
    team: Team,
    requested_by: User,
    request: QuantizationRequest,
    calibration_files: Sequence[UploadedFile] = (),
    now: datetime | None = None,
) -> ModelQuantization:
    """Check the request, stage the calibration uploads and queue the quantization (enqueued after commit)."""
    now = now or timezone.now()
    team_member_check(team=team, user=requested_by)
    compute_window_check(team.event, now)
    source = OnnxModel.objects.filter(pk=request.source_model_id, team=team).first()
    if source is None:
        raise DomainError(_("Choose one of your team's models."), field="source")
    _check_request(request, source, calibration_files)
    # Calibration feeds one sample at a time: a dynamic batch dimension becomes 1.
    shapes = resolve_input_shapes(model=source, batch_size=1, given=request.input_shapes or {})
    if request.calibration_kind == Kind.IMAGES and len(shapes) != 1:
        raise DomainError(_("Image calibration needs a model with exactly one input."), field="calibration_kind")

    with files.input_staging() as staging:
        for upload in calibration_files:
            staging.add(upload, field="calibration_files")
        try:
            with transaction.atomic():
                quantization = ModelQuantization(
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
                if staging.names:
                    quantization.calibration_path = staging.place_as(
                        files.team_dir_relative(team, "calibration"), single_file=request.calibration_kind == Kind.NPY
                    )
                quantization.save()
                leased_work.work_queued(QUANTIZATION_WORK, quantization)
                audit_record(
                    event=team.event,
                    actor=requested_by,
                    action="npu_model.quantize_request",
                    target=quantization,
                    **_quantization_audit(quantization),
                )
                return quantization
        except IntegrityError as exc:
            # The partial unique index decided (its name is in PostgreSQL's message, not in SQLite's).
            if ModelQuantization.objects.filter(team=team, state__in=ModelQuantization.PENDING_STATES).exists():
                raise DomainError(
                    _("Your team already has a quantization queued or running; wait for it or cancel it."),
                    code="quantization_active",
                ) from exc
            raise


def _quantization_audit(quantization: ModelQuantization) -> dict[str, Any]:
    return {
        "model": quantization.source.name,
        "method": quantization.method,
        "calibration": quantization.calibration_kind,
        "samples": quantization.sample_count,
    }


def model_quantization_enqueue(*, quantization_id: int) -> None:
    """Send the message that names the quantization. Called after commit; sending it twice is harmless."""
    leased_work.work_enqueue(QUANTIZATION_WORK, pk=quantization_id)


def model_quantization_claim(*, quantization_id: int, worker_name: str) -> ModelQuantization | None:
    """Take a queued quantization for this worker, or None if someone else has it (or it was cancelled)."""
    return leased_work.work_claim(
        QUANTIZATION_WORK,
        pk=quantization_id,
        to_state=State.RUNNING,
        note=worker_name,
        worker_host=worker_name,
        worker=WorkerHost.objects.filter(name=worker_name).first(),
    )


def model_quantization_lease_renew(*, quantization_id: int, claim_token: str) -> tuple[bool, bool]:
    """Extend the lease. Returns (still ours, cancel requested)."""
    return leased_work.work_lease_renew(QUANTIZATION_WORK, pk=quantization_id, claim_token=claim_token)


def model_quantization_log(*, quantization_id: int, claim_token: str, text: str, versions: dict | None = None) -> bool:
    fields = {"versions": versions} if versions else {}
    return leased_work.work_progress(
        QUANTIZATION_WORK, pk=quantization_id, claim_token=claim_token, log_text=text, **fields
    )


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

    def apply(quantization: ModelQuantization) -> None:
        if state != State.SUCCEEDED:
            return
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

    with transaction.atomic():
        quantization = leased_work.work_finish(
            QUANTIZATION_WORK,
            pk=quantization_id,
            claim_token=claim_token,
            state=state,
            failure_kind=failure_kind,
            reason=reason,
            log_text=log_text,
            apply=apply,
        )
        if quantization is not None:
            audit_record(
                event=quantization.event,
                actor=None,
                action=f"npu_model.quantize_{state}",
                target=quantization,
                result=quantization.result_id,
                reason=reason[:200],
            )
    return quantization


def model_quantization_cancel(*, quantization_id: int, cancelled_by: User) -> ModelQuantization:
    """Cancel at once when queued; when running, ask the worker, which stops the quantizer."""
    with transaction.atomic():
        quantization = leased_work.work_cancel(
            QUANTIZATION_WORK, pk=quantization_id, allowed=lambda work: can_manage_work(cancelled_by, work)
        )
        audit_record(
            event=quantization.event,
            actor=cancelled_by,
            action="npu_model.quantize_cancel",
            target=quantization,
            state=quantization.state,
        )
    return quantization


def model_quantizations_recover(*, now: datetime | None = None) -> dict[str, int]:
    """Beat: requeue a running quantization whose worker stopped renewing its lease (or fail it after
    max_attempts), and resend the message of one that has waited in the queue too long."""
    return leased_work.work_recover(QUANTIZATION_WORK, now=now)
