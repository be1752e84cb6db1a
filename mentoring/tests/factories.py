"""Real parts for mentoring tests: an event in its hacking time, teams with members, mentors with slots."""

import itertools
import uuid
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.tests.factories import UserFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from mentoring.models import MentorProfile, MentorSlot
from npu_jobs.models import NpuJob, OnnxModel
from teams.tests.factories import TeamFactory, add_member

_n = itertools.count(1)


def hacking_event(**kwargs):
    """An event whose 36 hours of hacking started two hours ago."""
    return EventFactory(timeline=timeline_at("hacking"), **kwargs)


def person(*, can_log_in: bool = False, **kwargs) -> User:
    if can_log_in:
        return UserFactory(**kwargs)
    kwargs.setdefault("email", f"person{next(_n)}-{uuid.uuid4().hex[:6]}@example.com")
    kwargs.setdefault("name", f"Person {kwargs['email'][:10]}")
    return User.objects.create(**kwargs)


def team_with_members(event, *, name=None, members: int = 1, **leader_kwargs):
    """A team (PM leader) with `members` more members; returns (team, [leader, *members])."""
    kwargs = {"event": event}
    if name:
        kwargs["name"] = name
    team = TeamFactory(**kwargs)
    people = [team.leader]
    for track in ["backend", "ai", "frontend"][:members]:
        people.append(add_member(team, track))
    return team, people


def mentor(event, *, tags=("npu_sdk",), can_log_in: bool = False, **kwargs) -> MentorProfile:
    user = person(can_log_in=can_log_in, **kwargs)
    EventRole.objects.create(event=event, user=user, role=EventRole.Role.MENTOR)
    return MentorProfile.objects.create(event=event, user=user, tags=list(tags))


def slot(profile, *, in_minutes: int = 120, length: int = 30, **kwargs) -> MentorSlot:
    starts_at = (timezone.now() + timedelta(minutes=in_minutes)).replace(second=0, microsecond=0)
    return MentorSlot.objects.create(
        event=profile.event, mentor=profile, starts_at=starts_at, length_minutes=length, **kwargs
    )


def failed_job(team, *, reason="Compiler error: unsupported operator GridSample", log="...\nE: GridSample"):
    model = OnnxModel.objects.create(
        event=team.event,
        team=team,
        name=f"model-{next(_n)}.onnx",
        file_path="x.onnx",
        size_bytes=1,
        sha256="0" * 64,
    )
    return NpuJob.objects.create(
        event=team.event,
        team=team,
        model=model,
        target="npu",
        queue="npu",
        time_limit_seconds=60,
        budget_seconds=Decimal(60),
        state="failed",
        failure_reason=reason,
        log=log,
    )
