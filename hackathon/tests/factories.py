from datetime import timedelta

import factory
from django.utils import timezone

from accounts.tests.factories import UserFactory
from hackathon.models import Event, EventRole
from hackathon.services import default_timeline


class EventFactory(factory.django.DjangoModelFactory):
    """A published event whose applications opened an hour ago (use timeline_at() for other phases)."""

    class Meta:
        model = Event

    name = factory.Sequence(lambda n: f"NPU Hackathon {n}")
    slug = factory.Sequence(lambda n: f"npu-hackathon-{n}")
    time_zone = "Asia/Seoul"
    venue = "Seoul"
    is_published = True

    class Params:
        timeline = factory.LazyFunction(
            lambda: default_timeline(applications_open_at=timezone.now() - timedelta(hours=1))
        )

    applications_open_at = factory.LazyAttribute(lambda o: o.timeline["applications_open_at"])
    applications_close_at = factory.LazyAttribute(lambda o: o.timeline["applications_close_at"])
    screening_ends_at = factory.LazyAttribute(lambda o: o.timeline["screening_ends_at"])
    team_building_starts_at = factory.LazyAttribute(lambda o: o.timeline["team_building_starts_at"])
    team_building_minutes = 20
    hacking_starts_at = factory.LazyAttribute(lambda o: o.timeline["hacking_starts_at"])
    hacking_ends_at = factory.LazyAttribute(lambda o: o.timeline["hacking_ends_at"])
    judging_ends_at = factory.LazyAttribute(lambda o: o.timeline["judging_ends_at"])
    results_at = factory.LazyAttribute(lambda o: o.timeline["results_at"])


def timeline_at(phase: str, *, now=None) -> dict:
    """Timeline fields that put an event in `phase` right now (one of hackathon.models.Phase)."""
    now = now or timezone.now()
    offsets = {
        "draft": timedelta(days=-1),
        "applications": timedelta(hours=1),
        "screening": timedelta(days=29),
        "team_building": timedelta(days=42, minutes=5),
        "hacking": timedelta(days=42, hours=2),
        "judging": timedelta(days=42, hours=37),
        "results": timedelta(days=44),
    }
    return default_timeline(applications_open_at=now - offsets[phase])


class EventRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EventRole

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    role = EventRole.Role.PARTICIPANT
    track = factory.LazyAttribute(lambda o: "ai" if o.role == EventRole.Role.PARTICIPANT else "")
