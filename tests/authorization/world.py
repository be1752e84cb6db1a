"""The one seeded world every call of the authorization matrix runs against.

Event A is in its hacking phase, with team A (led by the "member of team A" visitor) and team B (led by the
"member of team B" visitor). Everything a URL points at (a job, a comparison, a model, a quantization, a pool, a cloud
resource, a join request, an invitation, an application, a role, a mentor's slot, a booking, a help request, a
calendar) belongs to event A and, where it belongs to a team, to team A. The one exception: a team has at most one
live help request, so the request a mentor has claimed (for close and release) is team B's. Event B is another
published event with its own organizer.

Judging (event A's judging is OPEN, so the judge's dashboard, scoring page and score APIs work): the default criteria
and award categories are ensured; before opening, the organizer recorded a conflict of the judge with team B, so
opening assigned the judge (the only judge) to team A alone. The judge saved a draft score of team A on the first
criterion. Nothing is submitted, closed or published: the results (page and API) are 404 for everyone but organizer A.
One award of team A (first place of the first category) exists so that override URLs point at a real award: the
services confirm awards only once judging is closed, which would close the judge's window, so this one row is
written directly; it is a fixture for the URL, not a state the services produce.

Several objects of one kind (help requests in different states, two models) are named in `kwargs` under their own
keys; a row of expected.py picks one with kwargs={"request_id": From("help_closed_id")}.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from accounts import services as accounts
from accounts.models import User
from applications.models import Application
from applications.services.places import selection_settings_ensure
from applications.tests.factories import ApplicationFactory, ReviewFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from judging import services as judging
from judging.models import Award, AwardCategory, Criterion
from mentoring import services as mentoring
from npu_jobs.models import ComputeDevice, NpuJob, WorkerHost
from npu_jobs.services import pools, quantization
from npu_jobs.services import quota as quota_services
from npu_jobs.services.jobs import (
    JobRequest,
    npu_job_claim,
    npu_job_compare_submit,
    npu_job_finish,
    npu_job_mark_running,
    npu_job_submit,
)
from npu_jobs.services.onnx_models import onnx_model_upload
from npu_jobs.services.quantization import QuantizationRequest
from npu_jobs.tests import onnx_models
from submissions import services as submissions
from teams.models import Invitation, JoinRequest, TeamBuildingRound
from teams.tests.factories import TeamFactory, add_member, finalist

Role = EventRole.Role

# The kinds of visitor, in the order the failure table shows them.
ANON = "anonymous"
NO_ROLE = "no_role"
REJECTED = "rejected"
MEMBER_A = "member_a"
MEMBER_B = "member_b"
MENTOR = "mentor"
JUDGE = "judge"
REVIEWER = "reviewer"
ORGANIZER_A = "organizer_a"
ORGANIZER_B = "organizer_b"
VISITORS = (ANON, NO_ROLE, REJECTED, MEMBER_A, MEMBER_B, MENTOR, JUDGE, REVIEWER, ORGANIZER_A, ORGANIZER_B)


@dataclass
class World:
    users: dict[str, User | None]
    kwargs: dict[str, object] = field(default_factory=dict)


def _user(email: str) -> User:
    return User.objects.create(email=email, name=email.split("@")[0])


# A tiny valid PDF: the slides of team A's submission (the upload checks the content, not the name).
PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 64), "#4338ca").save(buffer, format="PNG")
    return buffer.getvalue()


def _run_job(job: NpuJob, worker_name: str) -> NpuJob:
    """Run a job the way a worker does (claim, loaded, finished) and record explicit metrics."""
    claimed = npu_job_claim(
        job_id=job.pk, queue=job.queue, worker_name=worker_name, backend="onnxruntime-cpu", device="cpu", versions={}
    )
    assert claimed is not None and claimed.pk == job.pk, f"job {job.pk} was not claimed"
    npu_job_mark_running(job_id=job.pk, claim_token=claimed.claim_token, load_seconds=0.5)
    metrics = {
        "load_seconds": 0.5,
        "warmup_seconds": 0.05,
        "loop_seconds": 1.0,
        "latency_p50_ms": 10.0,
        "latency_p99_ms": 12.0,
        "throughput_per_second": 100.0,
        "inferences": 100,
    }
    finished = npu_job_finish(
        job_id=job.pk,
        claim_token=claimed.claim_token,
        state=NpuJob.State.SUCCEEDED,
        device_seconds=1.6,
        metrics=metrics,
    )
    assert finished is not None and finished.state == NpuJob.State.SUCCEEDED
    return finished


def build_world(tmp_path: Path) -> World:
    now = timezone.now()
    event_a = EventFactory(slug="event-a", name="Event A", timeline=timeline_at("hacking"))
    event_b = EventFactory(slug="event-b", name="Event B", timeline=timeline_at("hacking"))

    no_role = _user("no-role@example.com")
    rejected = _user("rejected@example.com")
    ApplicationFactory(event=event_a, user=rejected, status=Application.Status.REJECTED, decision="reject")
    mentor, judge, reviewer, organizer_a, organizer_b = (
        _user(f"{kind}@example.com") for kind in ("mentor", "judge", "reviewer", "organizer-a", "organizer-b")
    )
    for user, role in ((judge, Role.JUDGE), (reviewer, Role.REVIEWER)):
        EventRole.objects.create(event=event_a, user=user, role=role)
    EventRole.objects.create(event=event_a, user=organizer_a, role=Role.ORGANIZER)
    # The mentor is invited by the organizer: the mentor role and a mentor profile.
    mentor_profile = mentoring.mentor_invite(event=event_a, user=mentor, tags=["npu_sdk"], invited_by=organizer_a)
    EventRole.objects.create(event=event_b, user=organizer_b, role=Role.ORGANIZER)

    # Teams: each visitor "member" leads their team (a PM), with one AI engineer beside them.
    member_a = finalist(event_a, "pm", email="member-a@example.com", name="Member A")
    member_b = finalist(event_a, "pm", email="member-b@example.com", name="Member B")
    team_a = TeamFactory(event=event_a, name="Team A", leader=member_a)
    team_b = TeamFactory(event=event_a, name="Team B", leader=member_b)
    add_member(team_a, "ai")
    add_member(team_b, "ai")
    # Member A has an avatar: team A's page serves it to who may see it (accounts:own_avatar to member A alone).
    accounts.user_avatar_set(user=member_a, upload=SimpleUploadedFile("me.png", _png_bytes(), content_type="image/png"))
    application_a = ApplicationFactory(
        event=event_a, user=member_a, track="pm", status=Application.Status.CONFIRMED, decision="accept"
    )
    ApplicationFactory(event=event_a, user=member_b, track="pm", status=Application.Status.CONFIRMED)
    ReviewFactory(application=application_a, reviewer=reviewer, score=4)
    selection_settings_ensure(event=event_a)
    TeamBuildingRound.objects.create(event=event_a)

    # A finalist without a team asked to join team A; another was invited by it.
    asker = finalist(event_a, "ai", email="asker@example.com")
    invitee = finalist(event_a, "frontend", email="invitee@example.com")
    join = JoinRequest.objects.create(team=team_a, event=event_a, user=asker, track="ai", message="Let me in")
    invitation = Invitation.objects.create(
        team=team_a, event=event_a, user=invitee, track="frontend", invited_by=member_a
    )

    # Event B has its own team, so its organizer has something of their own.
    TeamFactory(event=event_b, name="Team of B")

    # Compute: pools, quota, a cloud resource handed to team A, a model, a job and a quantization of team A.
    npu_pool = pools.resource_pool_create(
        event=event_a,
        created_by=organizer_a,
        kind="npu",
        name="Warboy",
        hourly_price=Decimal("1.2"),
        device_seconds_total=Decimal("7200"),
        allow_cpu_fallback=True,
    )
    cloud_pool = pools.resource_pool_create(
        event=event_a, created_by=organizer_a, kind="cloud", name="Alice", cloud_credits_total=Decimal("600")
    )
    cloud_resource = pools.cloud_resource_create(
        pool=cloud_pool,
        created_by=organizer_a,
        team=team_a,
        label="alice-gpu-01",
        host="gpu01.alice.example",
        url="https://console.alice.example/1",
        login="hacker01",
        secret="s3cret-Pa55",
        credits=Decimal("100"),
        hours=Decimal("12"),
    )
    for team in (team_a, team_b):
        quota_services.quota_change(
            team=team,
            changed_by=organizer_a,
            reason="start",
            device_seconds=Decimal(3600),
            cpu_seconds=Decimal(3600),
            max_concurrent_jobs=4,
        )
    model_path = onnx_models.dense(tmp_path / "dense.onnx")
    model = onnx_model_upload(
        team=team_a,
        uploaded_by=member_a,
        upload=SimpleUploadedFile("dense.onnx", Path(model_path).read_bytes()),
        name="Dense",
    )
    job = npu_job_submit(
        team=team_a, submitted_by=member_a, request=JobRequest(model_id=model.pk, target="cpu", time_limit_seconds=60)
    )
    quantized = quantization.model_quantization_request(
        team=team_a,
        requested_by=member_a,
        request=QuantizationRequest(source_model_id=model.pk, calibration_kind="random", sample_count=2),
    )
    # An INT8 model compared on the CPU and the NPU (the pool falls back to the CPU), and a model no job used.
    int8_path = onnx_models.quantized_dense(tmp_path / "dense-int8.onnx")
    int8_model = onnx_model_upload(
        team=team_a,
        uploaded_by=member_a,
        upload=SimpleUploadedFile("dense-int8.onnx", Path(int8_path).read_bytes()),
        name="Dense INT8",
    )
    comparison = npu_job_compare_submit(
        team=team_a,
        submitted_by=member_a,
        request=JobRequest(model_id=int8_model.pk, target="npu", time_limit_seconds=60),
    )
    spare_path = onnx_models.dense(tmp_path / "spare.onnx", size=4)
    spare_model = onnx_model_upload(
        team=team_a,
        uploaded_by=member_a,
        upload=SimpleUploadedFile("spare.onnx", Path(spare_path).read_bytes()),
        name="Spare",
    )
    worker = WorkerHost.objects.create(
        name="cpu@host-a", hostname="host-a", queues=["cpu"], started_at=now, last_heartbeat_at=now
    )
    ComputeDevice.objects.create(worker=worker, pool=npu_pool, kind=ComputeDevice.Kind.CPU, index=0, spec="cpu")

    # Submissions: a worker runs team A's jobs (a claim takes the team's oldest queued job, so in the order they were
    # submitted): the world's job and the comparison's two runs succeed. Team A saved version 1, uploaded its slides,
    # pinned that job (a CPU run) and submitted it as final (the version the judges see). The gallery is not public.
    for queued in (job, comparison.cpu_job, comparison.npu_job):
        _run_job(queued, worker.name)
    evidence_job = job
    version = submissions.submission_version_save(
        team=team_a,
        author=member_a,
        data={
            "title": "Dense on Warboy",
            "summary": "A dense layer, measured.",
            "description": "We ran a dense layer on the CPU and the NPU.",
            "category": "other",
            "repository_url": "https://example.com/team-a/dense",
        },
    )
    slides = submissions.submission_file_upload(
        team=team_a,
        uploaded_by=member_a,
        kind="slides",
        upload=SimpleUploadedFile("slides.pdf", PDF_BYTES, content_type="application/pdf"),
    )
    pin = submissions.evidence_pin_add(team=team_a, job_id=evidence_job.pk, pinned_by=member_a)
    submissions.submission_submit(team=team_a, submitted_by=member_a)
    # The job the URLs point at is queued again (so it can be cancelled): a new one, nobody claims it.
    job = npu_job_submit(
        team=team_a, submitted_by=member_a, request=JobRequest(model_id=model.pk, target="cpu", time_limit_seconds=60)
    )

    # Mentoring: two sessions per team; the mentor's slots in two and three hours, team A booked the first. Another
    # mentor helped team A (a closed request, not rated yet) and holds team B's request; team A waits in the queue
    # again. The mentor and team A have their private calendar feeds.
    mentoring.mentoring_settings_update(event=event_a, updated_by=organizer_a, sessions_per_team=2)
    soon = (now + timedelta(hours=2)).replace(second=0, microsecond=0)
    booked_slot, free_slot = (
        mentoring.slot_create(profile_id=mentor_profile.pk, starts_at=starts_at, length_minutes=30, created_by=mentor)
        for starts_at in (soon, soon + timedelta(hours=1))
    )
    booking = mentoring.booking_create(slot_id=booked_slot.pk, team_id=team_a.pk, booked_by=member_a, note="Help")
    other_mentor = _user("other-mentor@example.com")
    mentoring.mentor_invite(event=event_a, user=other_mentor, tags=["npu_sdk"], invited_by=organizer_a)
    helped = mentoring.help_request_raise(team=team_a, raised_by=member_a, topic="npu_sdk", text="It does not compile")
    mentoring.help_request_claim(request_id=helped.pk, mentor=other_mentor)
    mentoring.help_request_close(request_id=helped.pk, closed_by=other_mentor)
    waiting = mentoring.help_request_raise(team=team_a, raised_by=member_a, topic="npu_sdk", text="It is slow")
    claimed = mentoring.help_request_raise(team=team_b, raised_by=member_b, topic="npu_sdk", text="It crashes")
    mentoring.help_request_claim(request_id=claimed.pk, mentor=other_mentor)
    team_calendar = mentoring.team_calendar_create(team=team_a, created_by=member_a)

    # Judging: criteria ensured, the judge's conflict with team B recorded, judging opened (the judge gets team A),
    # a draft score of the judge for team A, and an award fixture (see the docstring).
    judging.criteria_ensure(event_a)
    conflict = judging.conflict_record(
        event=event_a, judge_id=judge.pk, team_id=team_b.pk, reason="Mentored team B", recorded_by=organizer_a
    )
    judging.judging_open(event=event_a, opened_by=organizer_a)
    criterion = Criterion.objects.filter(event=event_a).order_by("order", "pk").first()
    score = judging.score_save(
        event=event_a, judge=judge, team_id=team_a.pk, criterion_id=criterion.pk, value=7, comment="Clear plan"
    )
    category = AwardCategory.objects.filter(event=event_a).order_by("order", "pk").first()
    award = Award.objects.create(
        event=event_a, category=category, place=1, team=team_a, proposed_team=team_a, decided_by=organizer_a
    )

    mentor_role = EventRole.objects.get(event=event_a, user=mentor, role=Role.MENTOR)
    return World(
        users={
            ANON: None,
            NO_ROLE: no_role,
            REJECTED: rejected,
            MEMBER_A: member_a,
            MEMBER_B: member_b,
            MENTOR: mentor,
            JUDGE: judge,
            REVIEWER: reviewer,
            ORGANIZER_A: organizer_a,
            ORGANIZER_B: organizer_b,
        },
        kwargs={
            "event_slug": event_a.slug,
            "team_id": team_a.pk,
            "user_id": member_a.pk,  # team A's leader, who has an avatar
            "request_id": join.pk,
            "invitation_id": invitation.pk,
            "application_id": application_a.pk,
            "role_id": mentor_role.pk,
            "track": "ai",
            "job_id": job.pk,
            "comparison_id": comparison.pk,
            "number": version.number,  # team A's submission: version 1, submitted as final
            "file_id": slides.pk,  # its slides (a PDF)
            "pin_id": pin.pk,  # its pinned CPU run
            "model_id": model.pk,
            "unused_model_id": spare_model.pk,
            "quantization_id": quantized.pk,
            "pool_id": npu_pool.pk,
            "resource_id": cloud_resource.pk,
            "slot_id": free_slot.pk,  # the mentor's slot nobody booked
            "booking_id": booking.pk,
            "help_open_id": waiting.pk,  # team A's request waiting in the queue
            "help_closed_id": helped.pk,  # team A's request another mentor closed
            "help_claimed_id": claimed.pk,  # team B's request another mentor holds
            "mentor_calendar_token": mentor_profile.calendar_token,
            "team_calendar_token": team_calendar.token,
            "criterion_id": criterion.pk,  # event A's first criterion
            "score_id": score.pk,  # the judge's draft score of team A
            "conflict_id": conflict.pk,  # the judge's recorded conflict with team B
            "judge_id": judge.pk,  # the judge visitor
            "award_id": award.pk,  # team A's first place (a fixture, see the docstring)
            "category_id": award.category_id,  # event A's grand prize
            # allauth and the admin: tokens that match nothing, ids of a row the admin would show.
            "key": "no-such-key",
            "uidb36": "1z",
            "object_id": str(team_a.pk),
            "id": str(no_role.pk),
            "content_type_id": "1",
            "app_label": "teams",
            "url": "no-such-page/",
        },
    )
