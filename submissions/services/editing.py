"""Saving versions, submitting the final one and freezing it at the deadline (lock order: services.common)."""

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.services import audit_record
from submissions.models import Submission, SubmissionVersion
from submissions.selectors import (
    checks_of_submission,
    deadline_of_team,
    live_files_of_submission,
    live_pins_of_submission,
)
from submissions.services.common import check_member, check_open, submission_lock
from teams.models import Team


def _next_number(submission: Submission) -> int:
    return (SubmissionVersion.objects.filter(submission=submission).aggregate(n=Max("number"))["n"] or 0) + 1


@transaction.atomic
def submission_version_save(
    *, team: Team, author: User, data: Mapping[str, Any], now: datetime | None = None
) -> SubmissionVersion:
    """Save the team's text as a new version. Saving the same text again keeps the current version."""
    now = now or timezone.now()
    unknown = set(data) - set(SubmissionVersion.TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not a submission field: {sorted(unknown)}")
    submission = submission_lock(team.pk)
    check_member(author, submission.team)
    check_open(submission.team, now)
    current = submission.current_version
    text = {name: str(data.get(name, "") or "").strip() for name in SubmissionVersion.TEXT_FIELDS}
    if current is not None and current.text() == text:
        return current
    version = SubmissionVersion.objects.create(
        submission=submission, number=_next_number(submission), author=author, **text
    )
    submission.current_version = version
    submission.save(update_fields=["current_version"])
    audit_record(
        event=submission.event, actor=author, action="submissions.save", target=submission, version=version.number
    )
    return version


def _snapshot(submission: Submission) -> dict[str, Any]:
    return {
        "files": [
            {
                "id": f.pk,
                "kind": f.kind,
                "name": f.name,
                "sha256": f.sha256,
                "size": f.size_bytes,
                "content_type": f.content_type,
            }
            for f in live_files_of_submission(submission)
        ],
        "pins": [{"job_id": p.job_id, "role": p.role, "note": p.note} for p in live_pins_of_submission(submission)],
    }


@transaction.atomic
def submission_submit(*, team: Team, submitted_by: User, now: datetime | None = None) -> SubmissionVersion:
    """Mark the current version as the final one, with its files and pinned jobs as they are now.

    Submitting again (after a change) marks a newer version; the last one submitted before the deadline is judged.
    """
    now = now or timezone.now()
    submission: Submission | None
    try:
        submission = submission_lock(team.pk, create=False)
    except Submission.DoesNotExist:
        submission = None  # nothing saved yet: refused below, without creating the row
        check_member(submitted_by, team)
        check_open(team, now)
    else:
        check_member(submitted_by, submission.team)
        check_open(submission.team, now)
    problems = checks_of_submission(submission)
    if problems:
        raise DomainError(
            _("Not ready to submit: %(problems)s") % {"problems": " ".join(problems)}, code="checks_failed"
        )
    assert submission is not None and submission.current_version is not None  # checks ask for a saved version
    version = submission.current_version
    if version.submitted_at is not None:
        # Files or pins changed since: the new submission is a version of its own, so each keeps what it showed.
        version = SubmissionVersion.objects.create(
            submission=submission, number=_next_number(submission), author=submitted_by, **version.text()
        )
        submission.current_version = version
    version.submitted_at = now
    version.submitted_by = submitted_by
    version.snapshot = _snapshot(submission)
    version.save(update_fields=["submitted_at", "submitted_by", "snapshot"])
    submission.submitted_version = version
    submission.save(update_fields=["current_version", "submitted_version"])
    audit_record(
        event=submission.event,
        actor=submitted_by,
        action="submissions.submit",
        target=submission,
        version=version.number,
        files=[f["sha256"] for f in version.snapshot["files"]],
        jobs=[p["job_id"] for p in version.snapshot["pins"]],
    )
    return version


@transaction.atomic
def submission_freeze(*, submission_id: int, now: datetime | None = None) -> bool:
    """At the team's deadline, copy the judged version's text, file hashes and pinned job ids into it, so later
    changes to files or pins cannot alter what the judges see. True when this call froze it."""
    now = now or timezone.now()
    team_id = Submission.objects.filter(pk=submission_id).values_list("team_id", flat=True).first()
    if team_id is None:
        return False
    submission = submission_lock(team_id)
    if submission.frozen_at is not None:
        return False
    deadline = deadline_of_team(submission.team)
    if now < deadline:
        return False
    version = submission.submitted_version
    if version is not None and version.submitted_at is not None and version.submitted_at <= deadline:
        version.frozen = {
            "version": version.number,
            "submitted_at": version.submitted_at.isoformat(),
            "text": version.text(),
            "files": version.snapshot.get("files", []),
            "pins": version.snapshot.get("pins", []),
        }
        version.frozen_at = now
        version.save(update_fields=["frozen", "frozen_at"])
    submission.frozen_at = now
    submission.save(update_fields=["frozen_at"])
    audit_record(
        event=submission.event,
        actor=None,
        action="submissions.freeze",
        target=submission,
        version=version.number if version else None,
    )
    return True
