from datetime import timedelta

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from hackathon.models import Event, EventRole, Phase
from hackathon.services import default_timeline
from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("phase", "expected"),
    [
        ("draft", Phase.DRAFT),
        ("applications", Phase.APPLICATIONS),
        ("screening", Phase.SCREENING),
        ("team_building", Phase.TEAM_BUILDING),
        ("hacking", Phase.HACKING),
        ("judging", Phase.JUDGING),
        ("results", Phase.RESULTS),
    ],
)
def test_phase_follows_the_timeline(phase, expected):
    event = EventFactory(timeline=timeline_at(phase))
    assert event.phase == expected


def test_gap_between_team_building_and_hacking_is_waiting():
    now = timezone.now()
    event = EventFactory.build(timeline=default_timeline(applications_open_at=now - timedelta(days=42)))
    assert event.team_building_ends_at < event.hacking_starts_at
    gap = event.team_building_ends_at + (event.hacking_starts_at - event.team_building_ends_at) / 2
    assert event.phase_at(gap) == Phase.WAITING
    assert event.phase_at(event.team_building_ends_at - timedelta(seconds=1)) == Phase.TEAM_BUILDING


def test_next_milestone_and_window_checks():
    event = EventFactory(timeline=timeline_at("applications"))
    now = timezone.now()
    assert event.applications_open(now)
    assert not event.team_building_open(now)
    assert event.next_milestone(now).at == event.applications_close_at
    assert event.phase_at(event.results_at + timedelta(days=1)) == Phase.RESULTS
    assert event.next_milestone(event.results_at) is None


def test_database_refuses_a_timeline_out_of_order():
    event = EventFactory()
    event.hacking_ends_at = event.hacking_starts_at - timedelta(hours=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()


def test_database_requires_a_track_for_participants_only(make_user):
    event = EventFactory()
    user = make_user()
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRole.objects.create(event=event, user=user, role="participant", track="")
    with pytest.raises(IntegrityError), transaction.atomic():
        EventRole.objects.create(event=event, user=user, role="judge", track="pm")
    EventRole.objects.create(event=event, user=user, role="participant", track="pm")
    EventRole.objects.create(event=event, user=user, role="judge")
    assert Event.objects.get(pk=event.pk).roles.count() == 2
