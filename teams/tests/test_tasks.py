"""The deadline: Celery beat in a real worker process finds the round past its deadline and auto-matches it."""

from datetime import timedelta

import pytest
from django.utils import timezone

from core.testing import wait_for
from hackathon.models import Event
from teams.models import TeamBuildingRound, TeamMembership
from teams.tests.factories import TeamFactory, finalist, round_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_beat_auto_matches_a_round_once_its_deadline_passes(start_worker, tmp_path):
    event = round_event()
    team = TeamFactory(event=event)
    people = [finalist(event, track) for track in ("frontend", "backend", "ai")]
    # The round closes in two seconds.
    Event.objects.filter(pk=event.pk).update(
        team_building_starts_at=timezone.now() - timedelta(minutes=1) + timedelta(seconds=2), team_building_minutes=1
    )
    start_worker(extra_args=("--beat", "-s", str(tmp_path / "beat-schedule")))

    round_ = wait_for(
        lambda: TeamBuildingRound.objects.filter(event=event, locked_at__isnull=False).first(),
        timeout=60,
        message="beat did not auto-match the round after its deadline",
    )
    assert round_.matching_report["ok"]
    assert set(TeamMembership.objects.filter(team=team).values_list("user_id", flat=True)) == {
        team.leader_id,
        *[p.pk for p in people],
    }
