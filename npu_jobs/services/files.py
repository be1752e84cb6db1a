"""Team files under MEDIA_ROOT/npu_jobs/team-<id>/. Never served by a public URL: downloads go through
permission-checked views."""

import hashlib
import re
import uuid
from pathlib import Path

from django.conf import settings

CHUNK = 1024 * 1024


def team_dir_relative(team, sub: str) -> str:
    return f"npu_jobs/team-{team.pk}/{sub}"


def media_path(relative: str) -> Path:
    path = (Path(settings.MEDIA_ROOT) / relative).resolve()
    if not str(path).startswith(str(Path(settings.MEDIA_ROOT).resolve())):
        raise ValueError("path escapes MEDIA_ROOT")
    return path


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "file"
    return stem[-100:]


def upload_save(upload, folder: str, *, name: str | None = None, max_bytes: int | None = None) -> str:
    """Stream an uploaded file to disk in 1 MB chunks; return its path relative to MEDIA_ROOT.

    Raises ValueError("too large") past max_bytes (the partial file is removed).
    """
    relative = f"{folder}/{uuid.uuid4().hex[:8]}-{safe_name(name or upload.name)}"
    path = media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    size = 0
    with open(path, "wb") as out:
        for chunk in upload.chunks(CHUNK):
            size += len(chunk)
            if max_bytes is not None and size > max_bytes:
                out.close()
                path.unlink(missing_ok=True)
                raise ValueError("too large")
            out.write(chunk)
    return relative


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def remove(relative: str) -> None:
    if relative:
        media_path(relative).unlink(missing_ok=True)
