"""Demo: five mentors with expertise, a few hours of slots (some booked by teams), and a little queue history.

The history is set earlier in the hacking (hours ago) and says so: what teams asked, who helped, how they rated.
No measurement is invented. Idempotent: once the model event has mentor profiles, nothing is added.
"""

from datetime import timedelta

from django.utils import timezone

from hackathon.models import EventRole
from mentoring import services
from mentoring.models import Booking, HelpRequest, MentorProfile, MentorShift, MentorSlot
from npu_jobs.models import NpuJob
from teams.models import Team

PROFILES = [
    (
        ["npu_sdk", "compiler", "runtime"],
        "Furiosa SDK engineer. Ask me about compiling for Warboy and the runtime API.",
    ),
    (["quantization", "vision_models"], "INT8 calibration and accuracy recovery for detection models."),
    (["backend", "runtime"], "Serving pipelines: batching, queues and keeping up with 30 fps."),
    (["frontend", "product"], "Demo-day UX: what judges see in the first 30 seconds."),
    (["product", "other"], "Pitching, scoping and the economics criterion."),
]
HISTORY = [
    # (team index, topic, text, hours ago raised, minutes to claim, minutes to close, mentor index, rating)
    (0, "quantization", "INT8 face detector misses small faces after calibration", 8, 4, 18, 1, 5),
    (1, "npu_sdk", "Compiler rejects our model: unsupported operator", 7, 9, 25, 0, 4),
    (2, "backend", "Frame queue grows without bound at 30 fps", 5, 3, 12, 2, 5),
    (3, "npu_sdk", "How do we pin a job to one Warboy device?", 3, 12, 8, 0, None),
]


def seed(ctx) -> None:
    event = ctx.event
    if MentorProfile.objects.filter(event=event).exists():
        return
    teams = list(Team.objects.filter(event=event).select_related("leader").order_by("pk"))
    mentors = [u for u in ctx.mentors if EventRole.objects.filter(event=event, user=u, role="mentor").exists()]
    profiles = [
        services.mentor_invite(event=event, user=user, tags=tags, bio=bio, invited_by=None)
        for user, (tags, bio) in zip(mentors, PROFILES, strict=False)
    ]
    if not profiles:
        return
    now = timezone.now()
    first_start = (now + timedelta(hours=1)).replace(minute=0, second=0, microsecond=0)
    for index, profile in enumerate(profiles[:3]):
        for k in range(6):  # three hours of 30-minute slots, staggered by mentor
            starts_at = first_start + timedelta(hours=index, minutes=30 * k)
            if starts_at + timedelta(minutes=30) <= event.hacking_ends_at:
                MentorSlot.objects.create(
                    event=event,
                    mentor=profile,
                    starts_at=starts_at,
                    length_minutes=30,
                    place=f"Mentoring room {index + 1}",
                    topic=", ".join(profile.tag_labels()),
                    created_by=profile.user,
                )
    # Three teams booked a session (rows written directly: a demo sends no email).
    for team, slot in zip(teams[:3], MentorSlot.objects.filter(event=event).order_by("starts_at")[::4], strict=False):
        Booking.objects.create(
            event=event, slot=slot, team=team, booked_by=team.leader, note="Review our NPU pipeline before the demo"
        )
    # Earlier today: shifts and the requests the mentors on them answered.
    for profile in profiles[:3]:
        MentorShift.objects.create(
            event=event, mentor=profile, started_at=now - timedelta(hours=9), ended_at=now - timedelta(hours=2)
        )
    for team_index, topic, text, hours_ago, to_claim, to_close, mentor_index, rating in HISTORY:
        if team_index >= len(teams) or mentor_index >= len(profiles):
            continue
        team = teams[team_index]
        created = now - timedelta(hours=hours_ago)
        claimed = created + timedelta(minutes=to_claim)
        failed = (
            NpuJob.objects.filter(team=team, state__in=["failed", "timed_out"]).first() if topic == "npu_sdk" else None
        )
        request = HelpRequest.objects.create(
            event=event,
            team=team,
            raised_by=team.leader,
            topic=topic,
            text=text,
            job=failed,
            state=HelpRequest.State.CLOSED,
            queued_at=created,
            claimed_at=claimed,
            closed_at=claimed + timedelta(minutes=to_close),
            helped_by=profiles[mentor_index].user,
            rating=rating,
            rating_comment="Unblocked us" if rating == 5 else "",
        )
        HelpRequest.objects.filter(pk=request.pk).update(created_at=created)
    ctx.notes.append(
        f"Mentoring: {len(profiles)} mentors, {MentorSlot.objects.filter(event=event).count()} slots "
        f"({Booking.objects.filter(event=event).count()} booked) and {len(HISTORY)} answered help requests."
    )
