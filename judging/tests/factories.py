"""Real parts for judging tests: an event in its judging time, judges, teams, and judging opened."""

import itertools
import uuid

from accounts.models import User
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from judging import services
from judging.models import Criterion
from teams.tests.factories import TeamFactory

_n = itertools.count(1)


def judging_event(**kwargs):
    return EventFactory(timeline=timeline_at("judging"), **kwargs)


def person(**kwargs) -> User:
    kwargs.setdefault("email", f"person{next(_n)}-{uuid.uuid4().hex[:6]}@example.com")
    kwargs.setdefault("name", f"Person {kwargs['email'][:10]}")
    return User.objects.create(**kwargs)


def judge(event, **kwargs) -> User:
    user = person(**kwargs)
    EventRole.objects.create(event=event, user=user, role=EventRole.Role.JUDGE)
    return user


def organizer(event, **kwargs) -> User:
    user = person(**kwargs)
    EventRole.objects.create(event=event, user=user, role=EventRole.Role.ORGANIZER)
    return user


def teams(event, names):
    return [TeamFactory(event=event, name=name) for name in names]


def criteria(event) -> list[Criterion]:
    services.criteria_ensure(event)
    return list(Criterion.objects.filter(event=event))


def score_all(event, judge_user, team, values, *, submit=True, comment=""):
    """Score every criterion of `team` with `values` (one per criterion, in order) and submit."""
    for criterion, value in zip(criteria(event), values, strict=True):
        services.score_save(
            event=event, judge=judge_user, team_id=team.pk, criterion_id=criterion.pk, value=value, comment=comment
        )
    if submit:
        services.scores_submit(event=event, judge=judge_user, team_id=team.pk)
