"""Private files under MEDIA_ROOT, and the one way uploads reach them: staged first, placed once accepted.

Files under MEDIA_ROOT are never served by a public URL: downloads go through permission-checked views.

Every upload is streamed into a uuid-named staging folder before any transaction starts, with a size limit per
file and in total. A service places the staged files into their final folder (also uuid-named, so a refused or
rolled-back request can never leave files where a later row with a reused id would find them) once its checks
have passed, inside its transaction; anything staged or placed is removed if the block raises:

    with UploadStaging(max_file_bytes=..., max_total_bytes=...) as staging:
        paths = [staging.add(upload, field="input_files") for upload in uploads]   # raises DomainError over limits
        with transaction.atomic():
            ... checks, rows ...
            folder = staging.place(f"npu_jobs/team-{team.pk}/inputs")             # relative, uuid-named
"""

from __future__ import annotations

import hashlib
import re
import shutil
import uuid
from pathlib import Path
from types import TracebackType

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

from core.exceptions import DomainError

CHUNK = 1024 * 1024
STAGING_DIR = "staging"


def media_path(relative: str) -> Path:
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / relative).resolve()
    if path != root and root not in path.parents:
        raise ValueError("path escapes MEDIA_ROOT")
    return path


def safe_name(name: str) -> str:
    stem = re.sub(r"[^A-Za-z0-9._-]+", "_", Path(name).name).strip("._") or "file"
    return stem[-100:]


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def remove(relative: str) -> None:
    """Remove a file or a whole folder under MEDIA_ROOT, if it exists."""
    if not relative:
        return
    path = media_path(relative)
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def megabytes(size: int) -> str:
    return f"{size / 2**20:,.0f}"


class UploadStaging:
    """Uploads of one request, staged in MEDIA_ROOT/staging/<uuid>/ and placed (or removed) as a whole."""

    def __init__(self, *, max_file_bytes: int, max_total_bytes: int | None = None, max_files: int = 256):
        self.max_file_bytes = max_file_bytes
        self.max_total_bytes = max_total_bytes if max_total_bytes is not None else max_file_bytes
        self.max_files = max_files
        self.token = uuid.uuid4().hex
        self.relative = f"{STAGING_DIR}/{self.token}"
        self.names: list[str] = []
        self.total_bytes = 0
        self.placed: str = ""

    def __enter__(self) -> UploadStaging:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        remove(self.relative)  # whatever was not placed
        if exc_type is not None and self.placed:
            remove(self.placed)

    def add(self, upload: UploadedFile, *, field: str = "file", name: str | None = None) -> Path:
        """Stream one upload into the staging folder. Over a limit: DomainError, and nothing of it stays."""
        if len(self.names) >= self.max_files:
            raise DomainError(_("Upload at most %(n)s files.") % {"n": self.max_files}, field=field)
        filename = f"{len(self.names):03d}-{safe_name(name or upload.name or 'file')}"
        path = media_path(f"{self.relative}/{filename}")
        path.parent.mkdir(parents=True, exist_ok=True)
        size = 0
        try:
            with open(path, "wb") as out:
                for chunk in upload.chunks(CHUNK):
                    size += len(chunk)
                    if size > self.max_file_bytes:
                        raise DomainError(
                            _("%(name)s is larger than the %(mb)s MB limit per file.")
                            % {"name": upload.name, "mb": megabytes(self.max_file_bytes)},
                            field=field,
                        )
                    if self.total_bytes + size > self.max_total_bytes:
                        raise DomainError(
                            _("The files are larger than the %(mb)s MB limit in total.")
                            % {"mb": megabytes(self.max_total_bytes)},
                            field=field,
                        )
                    out.write(chunk)
        except BaseException:
            path.unlink(missing_ok=True)
            raise
        self.total_bytes += size
        self.names.append(filename)
        return path

    @property
    def paths(self) -> list[Path]:
        return [media_path(f"{self.relative}/{name}") for name in self.names]

    def place(self, parent: str) -> str:
        """Move the staged folder to <parent>/<uuid>/ and return that folder, relative to MEDIA_ROOT.

        Call it inside the transaction that records the files, after every check has passed: if that block raises
        before the staging context ends, the placed folder is removed again.
        """
        if self.placed:
            return self.placed  # several rows may share one set of files (a side-by-side comparison)
        destination = f"{parent}/{self.token}"
        target = media_path(destination)
        target.parent.mkdir(parents=True, exist_ok=True)
        source = media_path(self.relative)
        if source.exists():
            source.rename(target)
        else:
            target.mkdir(parents=True, exist_ok=True)
        self.placed = destination
        return destination

    def place_as(self, parent: str, *, single_file: bool) -> str:
        """Place the files and return what a row records: the one file's path, or the folder's."""
        folder = self.place(parent)
        return self.placed_file(0) if single_file else folder

    def placed_file(self, index: int = 0) -> str:
        """The relative path of one placed file."""
        return f"{self.placed}/{self.names[index]}"
