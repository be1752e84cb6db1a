from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from core.models import OutboundEmail
from hackathon.models import AuditEntry, Event
from teams import selectors, services
from teams.models import JoinRequest, Placement, TeamBuildingRound, TeamMembership
from teams.tests.factories import TeamFactory, add_member, finalist

pytestmark = pytest.mark.django_db


def end_round(event):
    Event.objects.filter(pk=event.pk).update(team_building_starts_at=timezone.now() - timedelta(minutes=25))
    event.refresh_from_db()


def test_leftovers_are_placed_explained_and_teams_locked(open_event, round_organizer):
    teams = [TeamFactory(event=open_event) for _ in range(3)]
    add_member(teams[0], "ai")
    leftovers = [
        finalist(open_event, track) for track in ("frontend", "frontend", "backend", "backend", "ai", "ai", "pm")
    ]
    pending = JoinRequest.objects.create(team=teams[1], event=open_event, user=leftovers[0], track="frontend")

    outcome = services.team_auto_match(event_id=open_event.pk, run_by=round_organizer)

    assert outcome.ran and outcome.locked and len(outcome.placed) == 7
    placed = dict(
        TeamMembership.objects.filter(event=open_event, source="auto_matched").values_list("user_id", "team_id")
    )
    assert set(placed) == {user.pk for user in leftovers}
    sizes = sorted(team.memberships.count() for team in teams)
    assert sizes == [3, 4, 4]  # balanced: 4 founders plus 7 spread by size
    round_ = TeamBuildingRound.objects.get(event=open_event)
    assert round_.locked_at is not None and round_.matching_report["ok"]
    assert not round_.is_open()
    assert JoinRequest.objects.get(pk=pending.pk).status == "cancelled"
    # The placed person can read why; another finalist cannot read it.
    mine = selectors.placements_visible_to(user=leftovers[2], event=open_event)
    assert [p.user_id for p in mine] == [leftovers[2].pk]
    assert "Placed in" in mine[0].explanation()
    assert not selectors.placements_visible_to(user=teams[0].leader, event=open_event).exists()
    assert selectors.placements_visible_to(user=round_organizer, event=open_event).count() == 7
    assert OutboundEmail.objects.filter(purpose="teams.auto_match").count() == 7
    assert AuditEntry.objects.filter(action="team_round.match").exists()
    # Locked: nobody can join or leave any more, and running again does nothing.
    with pytest.raises(DomainError, match="locked"):
        services.team_member_leave(team_id=placed[leftovers[0].pk], user=leftovers[0])
    assert not services.team_auto_match(event_id=open_event.pk, run_by=round_organizer).ran


def test_impossible_matching_names_who_and_why_and_does_not_lock(open_event, round_organizer):
    team = TeamFactory(event=open_event)
    add_member(team, "ai")
    add_member(team, "ai")
    stuck = finalist(open_event, "ai", name="남는 사람")
    fine = finalist(open_event, "backend")

    outcome = services.team_auto_match(event_id=open_event.pk, run_by=round_organizer)

    assert outcome.ran and not outcome.locked
    assert [(u["user_id"], u["reason"]) for u in outcome.unplaced] == [(stuck.pk, "no_slot_for_track")]
    assert not TeamMembership.objects.filter(user__in=[stuck, fine]).exists(), "all or nothing"
    round_ = TeamBuildingRound.objects.get(event=open_event)
    assert round_.locked_at is None and round_.matching_report["ok"] is False
    email = OutboundEmail.objects.get(to=round_organizer.email, purpose="teams.match_failed")
    assert "남는 사람" in email.body and "AI engineer" in email.body
    # After raising the limit, it works.
    services.team_round_rules_update(event=open_event, updated_by=round_organizer, max_ai=3)
    assert services.team_auto_match(event_id=open_event.pk, run_by=round_organizer).locked


def test_the_deadline_run_is_idempotent_and_waits_for_the_deadline(open_event):
    team = TeamFactory(event=open_event)
    person = finalist(open_event, "ai")
    assert not services.team_auto_match(event_id=open_event.pk, run_by=None, only_if_due=True).ran  # still open
    assert selectors.team_rounds_match_due(now=timezone.now()) == []
    end_round(open_event)
    assert selectors.team_rounds_match_due(now=timezone.now()) == [open_event.pk]
    assert services.team_auto_match(event_id=open_event.pk, run_by=None, only_if_due=True).locked
    assert TeamMembership.objects.get(user=person).team == team
    assert selectors.team_rounds_match_due(now=timezone.now()) == []
    assert not services.team_auto_match(event_id=open_event.pk, run_by=None, only_if_due=True).ran
    assert Placement.objects.count() == 1


def test_a_failed_deadline_run_is_not_repeated_until_the_round_changes(open_event, round_organizer):
    finalist(open_event, "ai")  # no teams at all
    end_round(open_event)
    assert not services.team_auto_match(event_id=open_event.pk, run_by=None, only_if_due=True).locked
    assert selectors.team_rounds_match_due(now=timezone.now()) == []  # organizers were told; no spam every 15 s
    services.team_round_extend(event=open_event, minutes=1, extended_by=round_organizer)
    round_ = TeamBuildingRound.objects.get(event=open_event)
    assert round_.matching_due(round_.closes_at + timedelta(seconds=1))


def test_only_organizers_run_it(open_event):
    team = TeamFactory(event=open_event)
    with pytest.raises(PermissionDenied):
        services.team_auto_match(event_id=open_event.pk, run_by=team.leader)
