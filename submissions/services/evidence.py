"""Pinning the team's own measured jobs as evidence (lock order: services.common).

Only a succeeded, real job of the team can be pinned, and its role must match what ran: an "NPU run" pin is a job
that ran on the NPU, a "CPU baseline" one that ran on the CPU. So a CPU run can never be cited as an NPU run.
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.services import audit_record
from npu_jobs.models import JobComparison, NpuJob
from submissions.models import EvidencePin, Submission
from submissions.services.common import check_member, check_open, submission_lock
from teams.models import Team


def _check_pinnable(job: NpuJob | None, role: str, submission: Submission) -> NpuJob:
    if job is None or job.team_id != submission.team_id:
        raise DomainError(_("Only your own team's jobs can be evidence."), field="job", code="not_team_job")
    if job.simulated:
        raise DomainError(_("Simulated demo history is not evidence."), field="job", code="simulated")
    if job.state != "succeeded":
        raise DomainError(_("Only a job that succeeded can be evidence."), field="job", code="not_succeeded")
    if role == EvidencePin.Role.NPU_RUN and job.run_kind != "npu":
        raise DomainError(
            _("Job #%(id)s is a %(label)s, not an NPU run.") % {"id": job.pk, "label": job.run_label},
            field="role",
            code="not_npu",
        )
    if role == EvidencePin.Role.CPU_BASELINE and job.run_kind not in ("cpu", "cpu_fallback"):
        raise DomainError(
            _("Job #%(id)s is a %(label)s, not a CPU run.") % {"id": job.pk, "label": job.run_label},
            field="role",
            code="not_cpu",
        )
    if role not in EvidencePin.Role.values:
        raise DomainError(_("Choose a role for the job."), field="role")
    return job


def _pin(submission: Submission, job: NpuJob, role: str, note: str, pinned_by: User) -> EvidencePin:
    try:
        with transaction.atomic():
            pin = EvidencePin.objects.create(
                submission=submission, job=job, role=role, note=note.strip(), pinned_by=pinned_by
            )
    except IntegrityError as error:
        raise DomainError(
            _("Job #%(id)s is already pinned.") % {"id": job.pk}, field="job", code="already_pinned"
        ) from error
    audit_record(
        event=submission.event, actor=pinned_by, action="submissions.pin", target=submission, job=job.pk, role=role
    )
    return pin


def default_role(job: NpuJob) -> str:
    return {"npu": EvidencePin.Role.NPU_RUN, "cpu": EvidencePin.Role.CPU_BASELINE}.get(
        job.run_kind, EvidencePin.Role.CPU_BASELINE if job.run_kind == "cpu_fallback" else EvidencePin.Role.OTHER
    )


@transaction.atomic
def evidence_pin_add(
    *, team: Team, job_id: int, pinned_by: User, role: str = "", note: str = "", now: datetime | None = None
) -> EvidencePin:
    """Pin a job; without a role, the role follows what ran (NPU run or CPU baseline)."""
    now = now or timezone.now()
    submission = submission_lock(team.pk)
    check_member(pinned_by, submission.team)
    check_open(submission.team, now)
    job = NpuJob.objects.filter(pk=job_id).first()
    role = role or (default_role(job) if job else EvidencePin.Role.OTHER)
    job = _check_pinnable(job, role, submission)
    return _pin(submission, job, role, note, pinned_by)


@transaction.atomic
def evidence_pin_comparison(
    *, team: Team, comparison_id: int, pinned_by: User, now: datetime | None = None
) -> list[EvidencePin]:
    """Pin both sides of a CPU/NPU comparison in one go (the side already pinned is kept)."""
    now = now or timezone.now()
    # A comparison's team never changes: another team's is refused before the lock, which creates the submission.
    check_member(pinned_by, team)
    comparison = JobComparison.objects.select_related("cpu_job", "npu_job").filter(pk=comparison_id, team=team).first()
    if comparison is None:
        raise DomainError(_("Only your own team's comparisons can be evidence."), field="comparison")
    submission = submission_lock(team.pk)
    check_member(pinned_by, submission.team)
    check_open(submission.team, now)
    pairs = [(comparison.npu_job, EvidencePin.Role.NPU_RUN), (comparison.cpu_job, EvidencePin.Role.CPU_BASELINE)]
    for job, role in pairs:
        _check_pinnable(job, role, submission)
    pinned = set(EvidencePin.objects.filter(submission=submission).values_list("job_id", flat=True))
    return [_pin(submission, job, role, "", pinned_by) for job, role in pairs if job.pk not in pinned]


@transaction.atomic
def evidence_pin_remove(*, team: Team, pin_id: int, removed_by: User, now: datetime | None = None) -> None:
    now = now or timezone.now()
    try:
        submission = submission_lock(team.pk, create=False)
    except Submission.DoesNotExist as error:
        raise PermissionDenied from error  # no submission, so no pin of it
    check_member(removed_by, submission.team)
    check_open(submission.team, now)
    pin = EvidencePin.objects.filter(pk=pin_id, submission=submission).first()
    if pin is None:
        raise PermissionDenied
    audit_record(
        event=submission.event, actor=removed_by, action="submissions.unpin", target=submission, job=pin.job_id
    )
    pin.delete()
