"""Team files under MEDIA_ROOT/npu_jobs/team-<id>/. Never served by a public URL: downloads go through
permission-checked views. Uploads arrive through core.uploads.UploadStaging."""

from django.conf import settings

from core.uploads import UploadStaging, file_sha256, media_path, remove, safe_name
from teams.models import Team

__all__ = ["UploadStaging", "file_sha256", "input_staging", "media_path", "remove", "safe_name", "team_dir_relative"]


def team_dir_relative(team: Team, sub: str) -> str:
    return f"npu_jobs/team-{team.pk}/{sub}"


def input_staging() -> UploadStaging:
    """Staging for a job's input files or a quantization's calibration samples, with their limits."""
    return UploadStaging(
        max_file_bytes=settings.NPU_JOBS_MAX_INPUT_FILE_BYTES,
        max_total_bytes=settings.NPU_JOBS_MAX_INPUT_TOTAL_BYTES,
        max_files=settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES,
    )
