from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from hackathon.models import AuditEntry, Event
from teams import services
from teams.models import TeamBuildingRound
from teams.selectors import team_round_of
from teams.tests.factories import add_member

pytestmark = pytest.mark.django_db


def test_defaults_fit_the_model_event(open_event):
    round_ = team_round_of(open_event)
    assert (round_.min_team_size, round_.max_team_size) == (4, 5)
    assert round_.track_limits == {"pm": 2, "frontend": 2, "backend": 2, "ai": 2}
    assert round_.closes_at == open_event.team_building_ends_at
    assert round_.is_open()


def test_extend_an_open_round_adds_to_its_deadline(open_event, round_organizer, team):
    before = team_round_of(open_event).closes_at
    round_ = services.team_round_extend(event=open_event, minutes=5, extended_by=round_organizer)
    assert round_.closes_at == before + timedelta(minutes=5)
    with pytest.raises(PermissionDenied):
        services.team_round_extend(event=open_event, minutes=5, extended_by=team.leader)
    with pytest.raises(DomainError):
        services.team_round_extend(event=open_event, minutes=0, extended_by=round_organizer)


def test_reopen_a_closed_or_locked_round_from_now(open_event, round_organizer):
    Event.objects.filter(pk=open_event.pk).update(team_building_starts_at=timezone.now() - timedelta(hours=1))
    open_event.refresh_from_db()
    TeamBuildingRound.objects.create(event=open_event, locked_at=timezone.now())
    round_ = services.team_round_extend(event=open_event, minutes=10, extended_by=round_organizer)
    assert round_.locked_at is None and round_.is_open()
    assert timedelta(minutes=9) < round_.closes_at - timezone.now() <= timedelta(minutes=10)
    assert AuditEntry.objects.filter(action="team_round.reopen").exists()


def test_rules_cannot_be_tightened_below_an_existing_team(open_event, round_organizer, team):
    add_member(team, "ai")
    add_member(team, "ai")
    with pytest.raises(DomainError, match="already has 2 in the role AI engineer"):
        services.team_round_rules_update(event=open_event, updated_by=round_organizer, max_ai=1)
    with pytest.raises(DomainError, match="at least the minimum"):
        services.team_round_rules_update(event=open_event, updated_by=round_organizer, min_team_size=6)
    round_ = services.team_round_rules_update(event=open_event, updated_by=round_organizer, max_team_size=6, max_pm=1)
    assert (round_.max_team_size, round_.max_pm) == (6, 1)
    with pytest.raises(PermissionDenied):
        services.team_round_rules_update(event=open_event, updated_by=team.leader, max_ai=3)
