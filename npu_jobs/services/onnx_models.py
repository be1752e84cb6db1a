"""Uploaded models: streamed to the team's folder, validated in a child process, kept only when valid."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.permissions import is_organizer
from hackathon.services import audit_record
from npu_jobs import selectors
from npu_jobs.models import OnnxModel
from npu_jobs.services import files
from npu_jobs.services.jobs import team_member_check
from npu_jobs.services.quota import quota_lock
from teams.models import Team, TeamMembership


def onnx_model_inspect(path: Path | str) -> dict[str, Any]:
    """Run npu_jobs.runner.inspect_model on a file and return its verdict."""
    try:
        completed = subprocess.run(
            [sys.executable, "-m", "npu_jobs.runner.inspect_model", str(path)],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
    except subprocess.TimeoutExpired:
        return {"ok": False, "error": _("Checking the model took too long.")}
    try:
        verdict: dict[str, Any] = json.loads(completed.stdout.strip().splitlines()[-1])
        return verdict
    except (IndexError, json.JSONDecodeError):
        return {"ok": False, "error": _("The model could not be checked: %(err)s") % {"err": completed.stderr[-300:]}}


def _shapes_from_text(text: str) -> dict[str, list[int]]:
    if not text or not text.strip():
        return {}
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DomainError(
            _('Input shapes must be JSON, such as {"input": [1, 3, 224, 224]}.'), field="input_shapes"
        ) from exc
    if not isinstance(value, dict) or not 1 <= len(value) <= 16:
        raise DomainError(_('Input shapes must be JSON, such as {"input": [1, 3, 224, 224]}.'), field="input_shapes")
    for name, shape in value.items():
        if not (
            isinstance(shape, list)
            and 1 <= len(shape) <= 8
            and all(isinstance(d, int) and not isinstance(d, bool) and 1 <= d <= 65_536 for d in shape)
        ):
            raise DomainError(
                _("The shape of %(name)s must be a list of 1 to 8 positive integers, such as [1, 3, 224, 224].")
                % {"name": str(name)[:100]},
                field="input_shapes",
            )
    return value


def storage_check(*, team: Team, adding: int) -> None:
    """A team keeps at most NPU_JOBS_TEAM_STORAGE_BYTES of models; deleting unused models frees room."""
    allowance = settings.NPU_JOBS_TEAM_STORAGE_BYTES
    used = selectors.team_storage_used(team=team)
    if used + adding > allowance:
        raise DomainError(
            _(
                "Your team's models already take %(used)s MB of its %(allowance)s MB; this one needs %(size)s MB. "
                "Delete a model that no job used, or ask the organizers."
            )
            % {
                "used": f"{used / 2**20:,.0f}",
                "allowance": f"{allowance / 2**20:,.0f}",
                "size": f"{adding / 2**20:,.1f}",
            },
            field="file",
            code="storage_full",
        )


def onnx_model_upload(
    *, team: Team, uploaded_by: User, upload: UploadedFile, name: str = "", enf_input_shapes: str = ""
) -> OnnxModel:
    """Stage, validate and keep a model. A bad file gets a clear DomainError and nothing of it stays on disk.

    Not one transaction: the file check runs in a child process for seconds, outside any lock.
    """
    team_member_check(team=team, user=uploaded_by)
    filename = upload.name or "model.onnx"
    lower = filename.lower()
    if not lower.endswith((".onnx", ".enf")):
        raise DomainError(_("Upload an .onnx model or a compiled .enf file."), field="file")
    limit = settings.NPU_JOBS_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            _("The file is larger than the %(mb)s MB limit.") % {"mb": limit // (1024 * 1024)}, field="file"
        )
    with files.UploadStaging(max_file_bytes=limit) as staging:
        path = staging.add(upload, field="file")
        if path.stat().st_size == 0:
            raise DomainError(_("The file is empty."), field="file")
        if lower.endswith(".enf"):
            shapes = _shapes_from_text(enf_input_shapes)
            if not shapes:
                raise DomainError(_("A compiled .enf needs its input shapes."), field="input_shapes")
            info: dict[str, Any] = {
                "ok": True,
                "opset": None,
                "is_quantized": True,
                "outputs": [],
                "inputs": [{"name": k, "shape": v, "dtype": "uint8"} for k, v in shapes.items()],
            }
            file_format = OnnxModel.Format.ENF
        else:
            info = onnx_model_inspect(path)
            file_format = OnnxModel.Format.ONNX
        if not info.get("ok"):
            raise DomainError(info.get("error") or _("The model is not valid."), field="file")
        size, sha256 = path.stat().st_size, files.file_sha256(path)
        with transaction.atomic():
            quota_lock(team_id=team.pk)  # serialises this team's uploads, so two cannot both pass the allowance
            storage_check(team=team, adding=size)
            staging.place(files.team_dir_relative(team, "models"))
            model = OnnxModel.objects.create(
                event_id=team.event_id,
                team=team,
                uploaded_by=uploaded_by,
                name=(name or filename)[:200],
                file_path=staging.placed_file(0),
                format=file_format,
                size_bytes=size,
                sha256=sha256,
                opset=info.get("opset"),
                is_quantized=bool(info.get("is_quantized")),
                inputs=info["inputs"],
                outputs=info.get("outputs", []),
            )
            audit_record(
                event=team.event, actor=uploaded_by, action="npu_model.upload", target=model, size=size, sha256=sha256
            )
        return model


def onnx_model_delete(*, model_id: int, deleted_by: User) -> None:
    """Delete a model of the team (its member's or an organizer's choice) that no job or quantization used; the
    record of what ran stays whole, so a model with history is kept."""
    with transaction.atomic():
        model = OnnxModel.objects.select_for_update().select_related("event", "team").get(pk=model_id)
        if not (
            is_organizer(deleted_by, model.event)
            or TeamMembership.objects.filter(team_id=model.team_id, user=deleted_by).exists()
        ):
            raise PermissionDenied
        if (
            model.jobs.exists()
            or model.quantizations.exists()
            or OnnxModel.objects.filter(quantized_from=model).exists()
        ):
            raise DomainError(
                _("This model has jobs or quantizations: it stays, so that their record stays whole."), code="in_use"
            )
        relative = model.file_path
        audit_record(
            event=model.event,
            actor=deleted_by,
            action="npu_model.delete",
            target=model,
            name=model.name,
            size=model.size_bytes,
            sha256=model.sha256,
        )
        model.delete()
        transaction.on_commit(lambda: _file_remove(relative))


def _file_remove(relative: str) -> None:
    """Remove the file, and its upload folder if nothing else is in it."""
    files.remove(relative)
    folder = files.media_path(relative).parent
    if folder.is_dir() and not any(folder.iterdir()):
        folder.rmdir()
