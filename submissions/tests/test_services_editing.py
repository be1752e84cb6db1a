from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError
from hackathon.models import AuditEntry, EventRole
from submissions import selectors, services
from submissions.models import SubmissionVersion
from submissions.tasks import submissions_freeze_due
from submissions.tests.factories import TEXT, npu_and_cpu_jobs, pdf

pytestmark = pytest.mark.django_db


def ready(team, member, *, now=None):
    """Text saved, slides uploaded, an NPU run and its CPU baseline pinned."""
    services.submission_version_save(team=team, author=member, data=TEXT, now=now)
    services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf(), now=now)
    cpu, npu = npu_and_cpu_jobs(team)
    services.evidence_pin_add(team=team, job_id=npu.pk, pinned_by=member, now=now)
    services.evidence_pin_add(team=team, job_id=cpu.pk, pinned_by=member, now=now)
    return cpu, npu


def test_every_save_keeps_a_version_with_its_author(team, team_and_members):
    leader, backend = team_and_members[1]
    first = services.submission_version_save(team=team, author=leader, data={**TEXT, "title": "One"})
    second = services.submission_version_save(team=team, author=backend, data={**TEXT, "title": "Two"})
    same = services.submission_version_save(team=team, author=backend, data={**TEXT, "title": "Two"})
    assert (first.number, second.number) == (1, 2)
    assert same == second  # the same text again keeps the current version
    assert second.author == backend
    assert list(SubmissionVersion.objects.values_list("number", flat=True)) == [2, 1]
    diff = selectors.version_diff(second, first)
    assert diff == [{"field": "title", "label": "title", "lines": ["@@ -1 +1 @@", "-One", "+Two"]}]


def test_a_member_of_another_team_cannot_save(team, outsider):
    with pytest.raises(PermissionDenied):
        services.submission_version_save(team=team, author=outsider, data=TEXT)


def test_deadline_just_before_is_open_and_just_after_is_refused_naming_the_time_zone(team, member, hack_event):
    deadline = hack_event.hacking_ends_at
    services.submission_version_save(team=team, author=member, data=TEXT, now=deadline - timedelta(seconds=1))
    with pytest.raises(DomainError) as refused:
        services.submission_version_save(
            team=team, author=member, data={**TEXT, "title": "Late"}, now=deadline + timedelta(seconds=1)
        )
    assert refused.value.code == "deadline_passed"
    assert "(Asia/Seoul)" in refused.value.message
    local = deadline.astimezone(hack_event.tz)
    assert f"{local:%H:%M}" in refused.value.message
    with pytest.raises(DomainError):  # at the deadline itself it is closed
        services.submission_version_save(team=team, author=member, data={**TEXT, "title": "x"}, now=deadline)


def test_an_extension_moves_one_teams_deadline_and_is_audited(
    team, member, other_team_and_members, hack_event, make_user, grant
):
    organizer = make_user()
    grant(organizer, hack_event, EventRole.Role.ORGANIZER)
    after = hack_event.hacking_ends_at + timedelta(minutes=10)
    with pytest.raises(DomainError):
        services.submission_extension_grant(team=team, granted_by=organizer, ends_at=after, reason=" ")
    with pytest.raises(PermissionDenied):
        services.submission_extension_grant(team=team, granted_by=member, ends_at=after, reason="Power cut")
    services.submission_extension_grant(team=team, granted_by=organizer, ends_at=after, reason="Power cut")

    services.submission_version_save(team=team, author=member, data=TEXT, now=after - timedelta(seconds=1))
    other, (other_leader, _) = other_team_and_members
    with pytest.raises(DomainError):
        services.submission_version_save(team=other, author=other_leader, data=TEXT, now=after - timedelta(seconds=1))
    with pytest.raises(DomainError):
        services.submission_version_save(team=team, author=member, data={**TEXT, "title": "x"}, now=after)
    entry = AuditEntry.objects.get(action="submissions.extension_grant")
    assert entry.actor == organizer and entry.data["reason"] == "Power cut"
    assert selectors.deadline_of_team(team) == after


def test_checks_before_final_are_listed(team, member):
    services.submission_version_save(team=team, author=member, data={"title": "Only a title"})
    problems = selectors.checks_of_submission(selectors.submission_of_team(team))
    assert "Add a one-line summary." in problems
    assert "Upload your slides (PDF)." in problems
    assert "Pin at least one of your succeeded jobs as evidence." in problems
    with pytest.raises(DomainError) as refused:
        services.submission_submit(team=team, submitted_by=member)
    assert refused.value.code == "checks_failed"


def test_the_judged_version_is_the_last_submitted_and_freezing_keeps_its_hashes_and_jobs(team, member, hack_event):
    cpu, npu = ready(team, member)
    first = services.submission_submit(team=team, submitted_by=member)
    assert selectors.status_of_team(team).state == "submitted"
    services.submission_version_save(team=team, author=member, data={**TEXT, "title": "BlurCast 2"})
    assert selectors.judged_version_of_team(team) == first  # an unsubmitted edit is not judged
    second = services.submission_submit(team=team, submitted_by=member)
    assert second.number == 2 and selectors.judged_version_of_team(team) == second
    slides = second.snapshot["files"][0]

    deadline = hack_event.hacking_ends_at
    assert services.submission_freeze(submission_id=second.submission_id, now=deadline - timedelta(seconds=1)) is False
    assert services.submission_freeze(submission_id=second.submission_id, now=deadline) is True
    assert services.submission_freeze(submission_id=second.submission_id, now=deadline) is False
    second.refresh_from_db()
    assert second.frozen["text"]["title"] == "BlurCast 2"
    assert [f["sha256"] for f in second.frozen["files"]] == [slides["sha256"]]
    assert len(slides["sha256"]) == 64
    assert sorted(p["job_id"] for p in second.frozen["pins"]) == sorted([cpu.pk, npu.pk])
    assert selectors.status_of_team(team, now=deadline).state == "locked"


def test_after_the_deadline_nothing_changes_what_judges_see(team, member, hack_event):
    cpu, npu = ready(team, member)
    version = services.submission_submit(team=team, submitted_by=member)
    deadline = hack_event.hacking_ends_at
    late = deadline + timedelta(minutes=1)
    for call in (
        lambda: services.submission_submit(team=team, submitted_by=member, now=late),
        lambda: services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf(), now=late),
        lambda: services.evidence_pin_remove(
            team=team, pin_id=version.submission.pins.first().pk, removed_by=member, now=late
        ),
    ):
        with pytest.raises(DomainError):
            call()
    assert submissions_freeze_due.run() == 0  # not due yet (now is before the deadline)
    services.submission_freeze(submission_id=version.submission_id, now=late)
    evidence = selectors.evidence_of_version(selectors.judged_version_of_team(team))
    assert {r.job.pk for r in evidence.rows} == {cpu.pk, npu.pk}


def test_pins_changed_after_submitting_do_not_change_the_submitted_version(team, member):
    cpu, npu = ready(team, member)
    version = services.submission_submit(team=team, submitted_by=member)
    pin = version.submission.pins.get(job=npu)
    services.evidence_pin_remove(team=team, pin_id=pin.pk, removed_by=member)
    services.submission_file_remove(team=team, file_id=version.submission.files.get().pk, removed_by=member)
    version.refresh_from_db()
    assert {r.job.pk for r in selectors.evidence_of_version(version).rows} == {cpu.pk, npu.pk}
    assert [f.sha256 for f in selectors.files_of_version(version)] == [version.snapshot["files"][0]["sha256"]]
    assert selectors.status_of_team(team).submitted_version == version


def test_the_beat_task_freezes_due_submissions():
    from hackathon.tests.factories import EventFactory, timeline_at
    from submissions.tests.factories import team_with_members

    event = EventFactory(timeline=timeline_at("judging"))  # hacking ended an hour ago
    team, (member, _) = team_with_members(event)
    before = event.hacking_ends_at - timedelta(minutes=5)
    ready(team, member, now=before)
    version = services.submission_submit(team=team, submitted_by=member, now=before)

    assert submissions_freeze_due.run() == 1
    assert submissions_freeze_due.run() == 0
    version.refresh_from_db()
    assert version.frozen_at is not None and version.frozen["version"] == version.number
