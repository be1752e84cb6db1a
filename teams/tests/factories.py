import itertools
import uuid

import factory

from accounts.models import User
from accounts.tests.factories import UserFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from teams.models import Team, TeamMembership


def round_event(**kwargs):
    """An event whose team-building round is open right now (it started five minutes ago)."""
    return EventFactory(timeline=timeline_at("team_building"), **kwargs)


_people = itertools.count(1)


def finalist(event, track: str, *, can_log_in: bool = False, **user_kwargs):
    """A participant of the event in this track. Without can_log_in, no password is hashed: hashing is slow."""
    if can_log_in:
        user = UserFactory(**user_kwargs)
    else:
        user_kwargs.setdefault("email", f"finalist{next(_people)}-{uuid.uuid4().hex[:6]}@example.com")
        user_kwargs.setdefault("name", f"Finalist {track} {user_kwargs['email'][8:12]}")
        user = User.objects.create(**user_kwargs)
    EventRole.objects.create(event=event, user=user, role=EventRole.Role.PARTICIPANT, track=track)
    return user


class TeamFactory(factory.django.DjangoModelFactory):
    """A team with a PM leader (a finalist of the team's event) and nobody else."""

    class Meta:
        model = Team
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory, timeline=factory.LazyFunction(lambda: timeline_at("team_building")))
    name = factory.Sequence(lambda n: f"Team {n}")
    idea = "Real-time face blurring for live streams"
    problem = "Streamers leak bystanders' faces"
    leader = factory.LazyAttribute(lambda o: finalist(o.event, "pm"))

    @factory.post_generation
    def leader_membership(obj, create, extracted, **kwargs):
        if create and obj.leader:
            TeamMembership.objects.create(team=obj, event=obj.event, user=obj.leader, track="pm", source="founded")


def add_member(team, track: str, user=None):
    user = user or finalist(team.event, track)
    TeamMembership.objects.create(team=team, event=team.event, user=user, track=track)
    return user
