"""Slides and screenshots: staged outside the transaction (core.uploads), checked by content, placed once the
locked checks pass (lock order: services.common)."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from core.uploads import UploadStaging, file_sha256, safe_name
from hackathon.services import audit_record
from submissions.filecheck import MAX_BYTES, MAX_FILES, check_file
from submissions.models import Submission, SubmissionFile
from submissions.services.common import check_member, check_open, submission_lock
from teams.models import Team


def submission_file_upload(
    *, team: Team, uploaded_by: User, kind: str, upload: UploadedFile, now: datetime | None = None
) -> SubmissionFile:
    """Add a file. New slides replace the old ones (which stay on disk for versions already submitted)."""
    now = now or timezone.now()
    if kind not in SubmissionFile.Kind.values:
        raise DomainError(_("Choose slides or a screenshot."), field="kind")
    check_member(uploaded_by, team)
    check_open(team, now)  # refuse early; checked again under the lock
    name = safe_name(upload.name or "file")
    with UploadStaging(max_file_bytes=MAX_BYTES[kind]) as staging:
        path = staging.add(upload, field="file")
        checked = check_file(path, kind=kind, name=upload.name or name)
        digest, size = file_sha256(path), path.stat().st_size
        if size == 0:
            raise DomainError(_("%(name)s is empty.") % {"name": name}, field="file")
        with transaction.atomic():
            submission = submission_lock(team.pk)
            check_member(uploaded_by, submission.team)
            check_open(submission.team, now)
            live = SubmissionFile.objects.filter(submission=submission, kind=kind, removed_at__isnull=True)
            if kind == SubmissionFile.Kind.SLIDES:
                live.update(removed_at=now)
            elif live.count() >= MAX_FILES[kind]:
                raise DomainError(
                    _("Upload at most %(n)s screenshots; remove one first.") % {"n": MAX_FILES[kind]}, field="file"
                )
            staging.place(f"submissions/team-{team.pk}")
            stored = SubmissionFile.objects.create(
                submission=submission,
                kind=kind,
                name=name,
                path=staging.placed_file(0),
                sha256=digest,
                size_bytes=size,
                content_type=checked.content_type,
                uploaded_by=uploaded_by,
            )
            audit_record(
                event=submission.event,
                actor=uploaded_by,
                action="submissions.file_upload",
                target=stored,
                kind=kind,
                sha256=digest,
                size=size,
            )
    return stored


@transaction.atomic
def submission_file_remove(*, team: Team, file_id: int, removed_by: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    try:
        submission = submission_lock(team.pk, create=False)
    except Submission.DoesNotExist as error:
        raise PermissionDenied from error  # no submission, so no file of it
    check_member(removed_by, submission.team)
    check_open(submission.team, now)
    stored = SubmissionFile.objects.filter(pk=file_id, submission=submission, removed_at__isnull=True).first()
    if stored is None:
        raise PermissionDenied
    stored.removed_at = now
    stored.save(update_fields=["removed_at"])
    audit_record(event=submission.event, actor=removed_by, action="submissions.file_remove", target=stored)
