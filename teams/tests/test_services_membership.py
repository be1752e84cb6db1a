from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from core.models import OutboundEmail
from hackathon.models import AuditEntry, Event
from teams import services
from teams.models import Invitation, JoinRequest, Team, TeamMembership
from teams.tests.factories import TeamFactory, add_member, finalist, round_event

pytestmark = pytest.mark.django_db


def close_round(event):
    Event.objects.filter(pk=event.pk).update(
        team_building_minutes=1, team_building_starts_at=timezone.now() - timedelta(minutes=2)
    )
    event.refresh_from_db()


def test_a_pm_creates_a_team_and_leads_it(open_event, make_finalist):
    pm = make_finalist("pm")
    team = services.team_create(
        event=open_event, created_by=pm, name=" Blur Squad ", idea="Blur faces", needs_ai="A face detector"
    )
    assert team.name == "Blur Squad" and team.leader == pm
    assert list(team.memberships.values_list("user_id", "track", "source")) == [(pm.pk, "pm", "founded")]
    assert AuditEntry.objects.filter(action="team.create", target_id=str(team.pk)).exists()


def test_only_pm_finalists_create_teams_once(open_event, make_finalist, make_user, team):
    with pytest.raises(DomainError, match="Only PM"):
        services.team_create(event=open_event, created_by=make_finalist("ai"), name="X")
    with pytest.raises(DomainError, match="Only finalists"):
        services.team_create(event=open_event, created_by=make_user(), name="X")
    with pytest.raises(DomainError, match="already in a team"):
        services.team_create(event=open_event, created_by=team.leader, name="Second")
    with pytest.raises(DomainError, match="already exists"):
        services.team_create(event=open_event, created_by=make_finalist("pm"), name="blur squad")


def test_join_request_accepted_adds_member_and_cancels_other_pending(open_event, team, make_finalist):
    other = TeamFactory(event=open_event)
    engineer = make_finalist("backend")
    join = services.join_request_create(team_id=team.pk, user=engineer, message="I build APIs")
    elsewhere = services.join_request_create(team_id=other.pk, user=engineer)
    invited = services.invitation_create(team_id=other.pk, user_id=engineer.pk, invited_by=other.leader)
    assert OutboundEmail.objects.filter(to=team.leader.email, purpose="teams.join_request").exists()

    with pytest.raises(PermissionDenied):
        services.join_request_accept(request_id=join.pk, accepted_by=other.leader)
    membership = services.join_request_accept(request_id=join.pk, accepted_by=team.leader)

    assert membership.team == team and membership.track == "backend" and membership.source == "join_request"
    assert JoinRequest.objects.get(pk=join.pk).status == "accepted"
    assert JoinRequest.objects.get(pk=elsewhere.pk).status == "cancelled"
    assert Invitation.objects.get(pk=invited.pk).status == "cancelled"
    with pytest.raises(DomainError, match="already answered"):
        services.join_request_accept(request_id=join.pk, accepted_by=team.leader)


def test_decline_and_withdraw(team, make_finalist):
    first, second = make_finalist("ai"), make_finalist("ai")
    join = services.join_request_create(team_id=team.pk, user=first)
    with pytest.raises(DomainError, match="already asked"):
        services.join_request_create(team_id=team.pk, user=first)
    assert services.join_request_decline(request_id=join.pk, declined_by=team.leader).status == "declined"
    join = services.join_request_create(team_id=team.pk, user=second)
    with pytest.raises(PermissionDenied):
        services.join_request_withdraw(request_id=join.pk, withdrawn_by=first)
    assert services.join_request_withdraw(request_id=join.pk, withdrawn_by=second).status == "withdrawn"
    assert team.memberships.count() == 1


def test_rules_limit_roles_and_size(team, make_finalist):
    add_member(team, "ai")
    add_member(team, "ai")
    with pytest.raises(DomainError, match="no open slot for the role AI engineer"):
        services.join_request_create(team_id=team.pk, user=make_finalist("ai"))
    add_member(team, "backend")
    add_member(team, "frontend")
    with pytest.raises(DomainError, match="is full"):
        services.join_request_create(team_id=team.pk, user=make_finalist("backend"))


def test_a_slot_taken_after_the_request_blocks_the_accept(team, make_finalist):
    add_member(team, "ai")
    join = services.join_request_create(team_id=team.pk, user=make_finalist("ai"))
    add_member(team, "ai")
    with pytest.raises(DomainError, match="no open slot"):
        services.join_request_accept(request_id=join.pk, accepted_by=team.leader)
    assert JoinRequest.objects.get(pk=join.pk).status == "pending"


def test_invitation_accept_decline_cancel(team, make_finalist):
    ai, fe, be = make_finalist("ai"), make_finalist("frontend"), make_finalist("backend")
    with pytest.raises(PermissionDenied):
        services.invitation_create(team_id=team.pk, user_id=ai.pk, invited_by=fe)
    invitation = services.invitation_create(team_id=team.pk, user_id=ai.pk, invited_by=team.leader, message="Join us")
    with pytest.raises(PermissionDenied):
        services.invitation_accept(invitation_id=invitation.pk, accepted_by=fe)
    assert services.invitation_accept(invitation_id=invitation.pk, accepted_by=ai).source == "invitation"
    declined = services.invitation_create(team_id=team.pk, user_id=fe.pk, invited_by=team.leader)
    assert services.invitation_decline(invitation_id=declined.pk, declined_by=fe).status == "declined"
    cancelled = services.invitation_create(team_id=team.pk, user_id=be.pk, invited_by=team.leader)
    assert services.invitation_cancel(invitation_id=cancelled.pk, cancelled_by=team.leader).status == "cancelled"
    with pytest.raises(DomainError):
        services.invitation_accept(invitation_id=cancelled.pk, accepted_by=be)


def test_leave_transfer_and_disband(team, make_finalist):
    member = add_member(team, "ai")
    with pytest.raises(DomainError, match="Hand over the lead"):
        services.team_member_leave(team_id=team.pk, user=team.leader)
    services.team_leader_transfer(team_id=team.pk, new_leader_id=member.pk, transferred_by=team.leader)
    team.refresh_from_db()
    assert team.leader == member
    outsider = make_finalist("ai")
    with pytest.raises(DomainError, match="must be a member"):
        services.team_leader_transfer(team_id=team.pk, new_leader_id=outsider.pk, transferred_by=member)
    old_leader = TeamMembership.objects.get(team=team, track="pm").user
    services.team_member_leave(team_id=team.pk, user=old_leader)
    with pytest.raises(PermissionDenied):
        services.team_disband(team_id=team.pk, disbanded_by=outsider)
    services.team_disband(team_id=team.pk, disbanded_by=member)
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not TeamMembership.objects.filter(user=member).exists()


def test_nothing_changes_once_the_round_is_closed(open_event, team, make_finalist):
    join = services.join_request_create(team_id=team.pk, user=make_finalist("ai"))
    close_round(open_event)
    with pytest.raises(DomainError, match="closed"):
        services.join_request_accept(request_id=join.pk, accepted_by=team.leader)
    with pytest.raises(DomainError, match="closed"):
        services.team_create(event=open_event, created_by=make_finalist("pm"), name="Late")
    with pytest.raises(DomainError, match="closed"):
        services.join_request_create(team_id=team.pk, user=make_finalist("ai"))


def test_round_not_started_yet(make_user):
    event = round_event()
    Event.objects.filter(pk=event.pk).update(team_building_starts_at=timezone.now() + timedelta(minutes=5))
    event.refresh_from_db()
    with pytest.raises(DomainError, match="not started"):
        services.team_create(event=event, created_by=finalist(event, "pm"), name="Early")


def test_organizers_move_people_even_after_the_round(open_event, team, make_finalist, round_organizer):
    other = TeamFactory(event=open_event)
    engineer = add_member(team, "ai")
    close_round(open_event)
    with pytest.raises(PermissionDenied):
        services.team_member_move(event=open_event, user_id=engineer.pk, to_team_id=other.pk, moved_by=team.leader)
    moved = services.team_member_move(
        event=open_event, user_id=engineer.pk, to_team_id=other.pk, moved_by=round_organizer
    )
    assert moved.team == other and moved.source == "moved"
    # Moving the leader out hands the lead to the next PM or member.
    services.team_member_move(event=open_event, user_id=team.leader_id, to_team_id=None, moved_by=round_organizer)
    team.refresh_from_db()
    assert team.leader is None and team.memberships.count() == 0
    add_member(other, "ai")
    with pytest.raises(DomainError, match="no open slot"):
        services.team_member_move(
            event=open_event, user_id=make_finalist("ai").pk, to_team_id=other.pk, moved_by=round_organizer
        )
    assert AuditEntry.objects.filter(action="team.member_move").count() == 2


def test_moving_an_unknown_person_is_a_domain_error_not_a_crash(open_event, team, round_organizer):
    with pytest.raises(DomainError, match="Only finalists"):
        services.team_member_move(event=open_event, user_id=999_999_999, to_team_id=team.pk, moved_by=round_organizer)


def test_another_events_finalist_cannot_join(team):
    stranger = finalist(round_event(), "ai")
    with pytest.raises(DomainError, match="Only finalists"):
        services.join_request_create(team_id=team.pk, user=stranger)


def test_pending_requests_close_with_a_reason_when_the_accept_fills_the_team(open_event):
    from teams.models import TeamBuildingRound

    TeamBuildingRound.objects.update_or_create(event=open_event, defaults={"min_team_size": 2, "max_team_size": 3})
    team = TeamFactory(event=open_event)  # the PM leader
    add_member(team, "ai")
    backend_a, backend_b, frontend = (finalist(open_event, t) for t in ("backend", "backend", "frontend"))
    first = services.join_request_create(team_id=team.pk, user=backend_a)
    waiting = services.join_request_create(team_id=team.pk, user=backend_b)
    other_role = services.join_request_create(team_id=team.pk, user=frontend)
    invited = services.invitation_create(team_id=team.pk, user_id=finalist(open_event, "ai").pk, invited_by=team.leader)

    services.join_request_accept(request_id=first.pk, accepted_by=team.leader)  # 3 of 3: full

    for closed in (waiting, other_role):
        closed.refresh_from_db()
        assert closed.status == JoinRequest.Status.CANCELLED
        assert closed.closed_reason == JoinRequest.ClosedReason.TEAM_FULL
    invited.refresh_from_db()
    assert invited.status == Invitation.Status.CANCELLED and invited.closed_reason == "team_full"
    with pytest.raises(DomainError, match=r"The team is full\."):
        services.join_request_accept(request_id=waiting.pk, accepted_by=team.leader)


def test_pending_requests_for_a_role_that_filled_close_and_others_stay(open_event):
    team = TeamFactory(event=open_event)
    add_member(team, "backend")  # at most two backend engineers per team
    second, third = finalist(open_event, "backend"), finalist(open_event, "backend")
    ai = finalist(open_event, "ai")
    fills = services.join_request_create(team_id=team.pk, user=second)
    too_late = services.join_request_create(team_id=team.pk, user=third)
    still_fits = services.join_request_create(team_id=team.pk, user=ai)

    services.join_request_accept(request_id=fills.pk, accepted_by=team.leader)

    too_late.refresh_from_db()
    still_fits.refresh_from_db()
    assert (too_late.status, too_late.closed_reason) == ("cancelled", "role_full")
    assert still_fits.status == "pending" and still_fits.closed_reason == ""
