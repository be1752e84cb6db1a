"""Reads for submission pages, the API and judging's section. Nothing here writes: where nothing is stored yet,
a selector returns unsaved defaults or None."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from hackathon.models import Event
from hackathon.permissions import is_judge, is_organizer
from npu_jobs.figures import JobFigures, PairRatios, job_figures, pair_ratios
from npu_jobs.models import JobComparison, NpuJob
from submissions.models import (
    EvidencePin,
    Submission,
    SubmissionExtension,
    SubmissionFile,
    SubmissionSettings,
    SubmissionVersion,
)
from teams.models import Team, TeamMembership

AnyUser = User | AnonymousUser


def submission_settings_of(event: Event) -> SubmissionSettings:
    return SubmissionSettings.objects.filter(event=event).first() or SubmissionSettings(event=event)


def extension_of_team(team: Team) -> SubmissionExtension | None:
    return SubmissionExtension.objects.filter(team=team).first()


def deadline_of_team(team: Team, *, extension: SubmissionExtension | None = None) -> datetime:
    """The team's deadline: the event's end of hacking, or the later one an organizer granted the team."""
    extension = extension if extension is not None else extension_of_team(team)
    return extension.ends_at if extension else team.event.hacking_ends_at


def submission_of_team(team: Team) -> Submission | None:
    return (
        Submission.objects.select_related("current_version__author", "submitted_version__submitted_by", "team__event")
        .filter(team=team)
        .first()
    )


def judged_version_of_team(team: Team) -> SubmissionVersion | None:
    """The version judges see: the one submitted last before the team's deadline (services refuse later ones)."""
    submission = submission_of_team(team)
    if submission is None or submission.submitted_version is None:
        return None
    version = submission.submitted_version
    if version.submitted_at is None or version.submitted_at > deadline_of_team(team):
        return None
    return version


def is_team_member(user: AnyUser, team: Team) -> bool:
    if not user.is_authenticated:
        return False
    return TeamMembership.objects.filter(team=team, user_id=user.pk).exists()


# --- where things stand ----------------------------------------------------------------------------


@dataclass
class Status:
    """What the banner says: "nothing" (no save yet), "draft", "submitted" or "locked" (deadline passed)."""

    state: str
    deadline: datetime
    extension: SubmissionExtension | None
    submission: Submission | None
    submitted_version: SubmissionVersion | None
    changed_since_submitted: bool

    @property
    def locked(self) -> bool:
        return self.state == "locked"


def status_of_team(team: Team, *, now: datetime | None = None) -> Status:
    now = now or timezone.now()
    extension = extension_of_team(team)
    deadline = deadline_of_team(team, extension=extension)
    submission = submission_of_team(team)
    submitted = submission.submitted_version if submission else None
    if now >= deadline:
        state = "locked"
    elif submitted is not None:
        state = "submitted"
    elif submission is not None and submission.current_version_id:
        state = "draft"
    else:
        state = "nothing"
    changed = bool(submission and submitted and submission.current_version_id != submitted.pk)
    return Status(state, deadline, extension, submission, submitted, changed)


def checks_of_submission(submission: Submission | None) -> list[str]:
    """What stops a final submission, as sentences for the checklist (empty: ready)."""
    from django.utils.translation import gettext as _

    if submission is None or submission.current_version is None:
        return [str(_("Save your submission first: title, summary and description."))]
    version = submission.current_version
    problems = []
    labels = {
        "title": _("Add a title."),
        "summary": _("Add a one-line summary."),
        "description": _("Describe the project."),
        "category": _("Choose a category."),
        "repository_url": _("Add the repository URL."),
    }
    for name, problem in labels.items():
        if not str(getattr(version, name)).strip():
            problems.append(str(problem))
    files = SubmissionFile.objects.filter(submission=submission, removed_at__isnull=True)
    if not files.filter(kind=SubmissionFile.Kind.SLIDES).exists():
        problems.append(str(_("Upload your slides (PDF).")))
    pins = EvidencePin.objects.filter(submission=submission, job__state="succeeded", job__simulated=False)
    if not pins.exists():
        problems.append(str(_("Pin at least one of your succeeded jobs as evidence.")))
    for stored in files:
        from core.uploads import media_path

        if not media_path(stored.path).is_file():
            problems.append(str(_("The file %(name)s is missing; upload it again.") % {"name": stored.name}))
    return problems


# --- files and evidence of a version ---------------------------------------------------------------


def live_files_of_submission(submission: Submission) -> QuerySet[SubmissionFile]:
    return SubmissionFile.objects.filter(submission=submission, removed_at__isnull=True)


def live_pins_of_submission(submission: Submission) -> QuerySet[EvidencePin]:
    return EvidencePin.objects.filter(submission=submission).select_related("job__model")


def _recorded(version: SubmissionVersion) -> dict[str, Any] | None:
    """What the version recorded: frozen at the deadline, else the snapshot taken when it was submitted."""
    if version.frozen:
        return dict(version.frozen)
    if version.submitted_at is not None:
        return dict(version.snapshot)
    return None


def files_of_version(version: SubmissionVersion) -> list[SubmissionFile]:
    recorded = _recorded(version)
    if recorded is None:
        return list(live_files_of_submission(version.submission))
    ids = [f["id"] for f in recorded.get("files", [])]
    by_id = {f.pk: f for f in SubmissionFile.objects.filter(submission_id=version.submission_id, pk__in=ids)}
    return [by_id[i] for i in ids if i in by_id]


@dataclass
class EvidenceRow:
    job: NpuJob
    role: str
    role_label: str
    note: str
    figures: JobFigures


@dataclass
class EvidencePair:
    npu: EvidenceRow
    cpu: EvidenceRow
    ratios: PairRatios


@dataclass
class Evidence:
    rows: list[EvidenceRow] = field(default_factory=list)
    pairs: list[EvidencePair] = field(default_factory=list)

    @property
    def has_npu_run(self) -> bool:
        return any(r.figures.run_kind == "npu" for r in self.rows)


def _evidence(pins: list[dict[str, Any]], team_id: int) -> Evidence:
    jobs = {
        j.pk: j
        for j in NpuJob.objects.select_related("model").filter(team_id=team_id, pk__in=[p["job_id"] for p in pins])
    }
    rows = [
        EvidenceRow(
            job=jobs[p["job_id"]],
            role=p["role"],
            role_label=str(EvidencePin.Role(p["role"]).label),
            note=p.get("note", ""),
            figures=job_figures(jobs[p["job_id"]]),
        )
        for p in pins
        if p["job_id"] in jobs
    ]
    npu_rows = [r for r in rows if r.role == EvidencePin.Role.NPU_RUN]
    cpu_rows = [r for r in rows if r.role == EvidencePin.Role.CPU_BASELINE]
    pairs = []
    for npu in npu_rows:
        # The baseline of the same model if there is one, else the first CPU baseline.
        same_model = [c for c in cpu_rows if c.job.model_id == npu.job.model_id]
        candidates = same_model or cpu_rows
        if candidates:
            baseline = candidates[0]
            pairs.append(EvidencePair(npu=npu, cpu=baseline, ratios=pair_ratios(baseline.job, npu.job)))
    return Evidence(rows=rows, pairs=pairs)


def evidence_of_version(version: SubmissionVersion) -> Evidence:
    """Figures of the version's pinned jobs (from their stored metrics) and the NPU÷CPU ratios of each pair."""
    recorded = _recorded(version)
    submission = version.submission
    if recorded is None:
        pins = [{"job_id": p.job_id, "role": p.role, "note": p.note} for p in live_pins_of_submission(submission)]
    else:
        pins = recorded.get("pins", [])
    return _evidence(pins, submission.team_id)


def evidence_of_submission(submission: Submission) -> Evidence:
    pins = [{"job_id": p.job_id, "role": p.role, "note": p.note} for p in live_pins_of_submission(submission)]
    return _evidence(pins, submission.team_id)


def pinnable_jobs_of_team(team: Team) -> QuerySet[NpuJob]:
    """The team's own succeeded, real jobs: the only ones that can be evidence."""
    return (
        NpuJob.objects.filter(team=team, state="succeeded", simulated=False)
        .select_related("model")
        .order_by("-created_at", "-id")
    )


def pinnable_comparisons_of_team(team: Team) -> QuerySet[JobComparison]:
    return JobComparison.objects.filter(
        team=team, cpu_job__state="succeeded", npu_job__state="succeeded", npu_job__simulated=False
    ).select_related("cpu_job__model", "npu_job__model")


# --- versions ---------------------------------------------------------------------------------------


def versions_of_submission(submission: Submission) -> QuerySet[SubmissionVersion]:
    return SubmissionVersion.objects.filter(submission=submission).select_related("author", "submitted_by")


def version_diff(version: SubmissionVersion, previous: SubmissionVersion | None) -> list[dict[str, Any]]:
    """The text fields that changed, each as unified-diff lines."""
    changes = []
    for name in SubmissionVersion.TEXT_FIELDS:
        old = str(getattr(previous, name)) if previous else ""
        new = str(getattr(version, name))
        if old == new:
            continue
        lines = list(
            difflib.unified_diff(old.splitlines(), new.splitlines(), lineterm="", n=2, fromfile="", tofile="")
        )[2:]
        label = str(getattr(SubmissionVersion._meta.get_field(name), "verbose_name", name))
        changes.append({"field": name, "label": label, "lines": lines})
    return changes


# --- who sees what ------------------------------------------------------------------------------------


def submissions_visible_to(*, user: AnyUser, event: Event) -> QuerySet[Submission]:
    """Organizers and judges see every submission of the event, a participant their team's, everyone the
    submitted ones once the gallery is public."""
    submissions = Submission.objects.filter(event=event).select_related("team", "current_version", "submitted_version")
    if user.is_authenticated and (is_organizer(user, event) or is_judge(user, event)):
        return submissions
    visible = Q(team__memberships__user_id=user.pk) if user.is_authenticated else Q(pk__in=[])
    if submission_settings_of(event).gallery_public:
        visible |= Q(submitted_version__isnull=False)
    return submissions.filter(visible).distinct()


def submission_get_visible(*, user: AnyUser, event: Event, team_id: int) -> Submission:
    submission = submissions_visible_to(user=user, event=event).filter(team_id=team_id).first()
    if submission is None:
        raise Http404
    return submission


def submission_file_get_visible(*, user: AnyUser, event: Event, file_id: int) -> SubmissionFile:
    """A file for the team, the event's judges and organizers; for everyone in a public gallery when it is part of
    the judged version. Anything else is 404."""
    stored = SubmissionFile.objects.select_related("submission__team").filter(pk=file_id, submission__event=event)
    found = stored.first()
    if found is None:
        raise Http404
    submission = found.submission
    if user.is_authenticated and (
        is_organizer(user, event) or is_judge(user, event) or is_team_member(user, submission.team)
    ):
        return found
    if submission_settings_of(event).gallery_public:
        judged = judged_version_of_team(submission.team)
        if judged is not None and found.pk in {f.pk for f in files_of_version(judged)}:
            return found
    raise Http404


@dataclass
class OverviewRow:
    team: Team
    submission: Submission | None
    state: str  # "nothing", "draft", "submitted"
    deadline: datetime
    extension: SubmissionExtension | None


def overview_of_event(event: Event) -> list[OverviewRow]:
    """Every team of the event with where its submission stands (organizers)."""
    teams = list(Team.objects.filter(event=event).order_by("name"))
    submissions = {
        s.team_id: s
        for s in Submission.objects.filter(event=event).select_related("current_version", "submitted_version")
    }
    extensions = {e.team_id: e for e in SubmissionExtension.objects.filter(event=event)}
    rows = []
    for team in teams:
        submission = submissions.get(team.pk)
        if submission is None or submission.current_version is None:
            state = "nothing"
        elif submission.submitted_version is not None:
            state = "submitted"
        else:
            state = "draft"
        extension = extensions.get(team.pk)
        deadline = extension.ends_at if extension else event.hacking_ends_at
        rows.append(OverviewRow(team, submission, state, deadline, extension))
    return rows


def submissions_due_for_freeze(*, now: datetime) -> list[int]:
    """Submissions whose team's deadline has passed and that are not frozen yet."""
    pending = Submission.objects.filter(frozen_at__isnull=True, event__hacking_ends_at__lte=now)
    pending = pending.filter(
        Q(team__submission_extension__isnull=True) | Q(team__submission_extension__ends_at__lte=now)
    )
    return list(pending.values_list("pk", flat=True))


@dataclass
class VersionDisplay:
    """What a page shows of a version: the frozen text when there is one, its files and its evidence."""

    version: SubmissionVersion
    text: dict[str, str]
    files: list[SubmissionFile]
    evidence: Evidence

    @property
    def category_label(self) -> str:
        from submissions.models import Category

        value = self.text.get("category", "")
        return str(Category(value).label) if value in Category.values else ""


def version_display(version: SubmissionVersion) -> VersionDisplay:
    text = dict(version.frozen.get("text") or version.text()) if version.frozen else version.text()
    return VersionDisplay(version, text, files_of_version(version), evidence_of_version(version))


def teams_without_submission_count(*, event: Event) -> int:
    """Teams of the event with no submitted version yet. One query."""
    return Team.objects.filter(event=event).exclude(submission__submitted_version__isnull=False).count()


def pin_roles_of_job(*, submission: Submission | None, job_id: int) -> list[str]:
    """How the job is pinned in the submission ("NPU run", "CPU baseline"…), as labels; empty when it is not."""
    if submission is None:
        return []
    roles = submission.pins.filter(job_id=job_id).values_list("role", flat=True)
    return [str(EvidencePin.Role(role).label) for role in roles]
