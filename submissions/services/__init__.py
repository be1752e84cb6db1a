"""Every write to submissions goes through these functions (lock order: submissions.services.common)."""

from submissions.services.editing import submission_freeze, submission_submit, submission_version_save
from submissions.services.evidence import evidence_pin_add, evidence_pin_comparison, evidence_pin_remove
from submissions.services.files import submission_file_remove, submission_file_upload
from submissions.services.organizer import submission_extension_grant, submission_settings_update

__all__ = [
    "evidence_pin_add",
    "evidence_pin_comparison",
    "evidence_pin_remove",
    "submission_extension_grant",
    "submission_file_remove",
    "submission_file_upload",
    "submission_freeze",
    "submission_settings_update",
    "submission_submit",
    "submission_version_save",
]
