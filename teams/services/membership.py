"""Who is in which team.

Locking order, everywhere (so that no two of these can deadlock):
1. the round row (only to create a team, or to change the round),
2. team rows, in id order,
3. the person: their participant EventRole row in this event,
4. that person's membership, join request and invitation rows.
A membership change locks its team first and only then reads the round and the rules, so a concurrent
extension, rule change or auto-matching (which lock every team) is always seen. The person lock serializes
everything that adds one person to a team or answers their requests; the unique (event, user) constraint on
TeamMembership is the last line of defence: two teams accepting one person at once cannot both succeed.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count, ProtectedError, Q
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from core.i18n import in_language_of
from core.services import email_queue
from hackathon.models import Event, EventRole, Track
from hackathon.permissions import check_organizer, is_organizer
from hackathon.services import audit_record, model_update_audited
from teams.models import Invitation, JoinRequest, Team, TeamBuildingRound, TeamMembership
from teams.selectors import team_round_of
from teams.services.rounds import check_round_open, team_round_lock

PITCH_FIELDS = ("idea", "problem", "needs_pm", "needs_frontend", "needs_backend", "needs_ai")
Source = TeamMembership.Source


# --- checks ---------------------------------------------------------------------------------------


def participant_lock(*, event_id: int, user_id: int) -> str:
    """Lock the person's participant role in this event (step 3 of the locking order); return their track."""
    track = (
        EventRole.objects.select_for_update()
        .filter(event_id=event_id, user_id=user_id, role=EventRole.Role.PARTICIPANT)
        .values_list("track", flat=True)
        .first()
    )
    if not track:
        raise DomainError(_("Only finalists of this event can be in a team."), code="not_participant")
    return track


def _team_lock(team_id: int) -> Team:
    team = Team.objects.select_for_update().filter(pk=team_id).first()
    if team is None:
        raise DomainError(_("This team no longer exists."), code="team_gone")
    return team


def check_open_slot(*, team: Team, track: str, round_: TeamBuildingRound) -> None:
    """Call with the team row locked."""
    counts = dict(team.memberships.values_list("track").annotate(count=Count("id")).order_by())
    if sum(counts.values()) >= round_.max_team_size:
        raise DomainError(
            _("%(team)s is full (%(max)d members).") % {"team": team.name, "max": round_.max_team_size},
            code="team_full",
        )
    if counts.get(track, 0) >= round_.max_for(track):
        raise DomainError(
            _("%(team)s has no open slot for the role %(track)s.") % {"team": team.name, "track": Track(track).label},
            code="no_slot",
        )


def _check_not_in_team(*, event: Event, user: User) -> None:
    if TeamMembership.objects.filter(event=event, user=user).exists():
        raise DomainError(_("%(person)s is already in a team.") % {"person": user.display_name}, code="already_in_team")


def _add_member(*, team: Team, user: User, track: str, source: str) -> TeamMembership:
    """Insert the membership; the (event, user) constraint decides who wins when two teams take one person."""
    _check_not_in_team(event=team.event, user=user)
    try:
        with transaction.atomic():
            membership = TeamMembership.objects.create(
                team=team, event_id=team.event_id, user=user, track=track, source=source
            )
    except IntegrityError as error:
        raise DomainError(
            _("%(person)s is already in a team.") % {"person": user.display_name}, code="already_in_team"
        ) from error
    _close_pending(
        closing=[*_pending_of(event_id=team.event_id, user_id=user.pk), *_pending_that_no_longer_fit(team=team)]
    )
    return membership


def _pending_of(*, event_id: int, user_id: int) -> list[tuple[type, Q, str]]:
    """Someone who joined a team no longer asks to join, nor is invited to, any other."""
    reason = JoinRequest.ClosedReason.JOINED_ANOTHER_TEAM
    return [(model, Q(event_id=event_id, user_id=user_id), reason) for model in (JoinRequest, Invitation)]


def _close_pending(*, closing: list[tuple[type, Q, str]]) -> None:
    """Close pending join requests and invitations with their reasons. Their rows are locked first, in one order
    (model, then id), so two accepts that each close the other's rows cannot deadlock."""
    now = timezone.now()
    for model in (JoinRequest, Invitation):
        reasons: dict[int, str] = {}
        for row_model, condition, reason in closing:
            if row_model is model:
                for pk in model.objects.filter(condition, status=model.Status.PENDING).values_list("pk", flat=True):
                    reasons.setdefault(pk, reason)
        if not reasons:
            continue
        locked = list(
            model.objects.select_for_update()
            .filter(pk__in=reasons, status=model.Status.PENDING)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for reason in set(reasons.values()):
            model.objects.filter(pk__in=[pk for pk in locked if reasons[pk] == reason]).update(
                status=model.Status.CANCELLED, decided_at=now, closed_reason=reason
            )


def _pending_that_no_longer_fit(*, team: Team) -> list[tuple[type, Q, str]]:
    """After someone joined: the team's pending join requests and invitations for a role it has no slot left for
    (or all of them, once it is full) are closed with the reason, in the same transaction. The team row is locked."""
    round_ = team_round_of(team.event)
    counts = dict(team.memberships.values_list("track").annotate(count=Count("id")).order_by())
    if sum(counts.values()) >= round_.max_team_size:
        reason, tracks = JoinRequest.ClosedReason.TEAM_FULL, list(Track.values)
    else:
        reason = JoinRequest.ClosedReason.ROLE_FULL
        tracks = [track for track in Track.values if counts.get(track, 0) >= round_.max_for(track)]
    if not tracks:
        return []
    return [(model, Q(team=team, track__in=tracks), reason) for model in (JoinRequest, Invitation)]


def _check_leader(team: Team, user: User) -> None:
    if team.leader_id != user.pk:
        raise PermissionDenied(_("Only the team's leader can do this."))


def _notify(user: User, subject: str, body: str, purpose: str, facts: dict[str, Any]) -> None:
    """Email one person in their own language: subject and body are message ids (N_), filled with facts."""
    if user.email:
        with in_language_of(user):
            email_queue(to=user.email, subject=gettext(subject) % facts, body=gettext(body) % facts, purpose=purpose)


# --- teams ----------------------------------------------------------------------------------------


@transaction.atomic
def team_create(*, event: Event, created_by: User, name: str, **pitch: str) -> Team:
    """A PM finalist founds a team and leads it."""
    unknown = set(pitch) - set(PITCH_FIELDS)
    if unknown:
        raise TypeError(f"Unknown pitch fields: {sorted(unknown)}")
    name = name.strip()
    if not name:
        raise DomainError(_("Give the team a name."), field="name")
    round_ = team_round_lock(event=event)  # team creation is serialized with the round's changes
    track = participant_lock(event_id=event.pk, user_id=created_by.pk)
    if track != Track.PM:
        raise DomainError(_("Only PM finalists create teams. Ask a team to let you join."), code="not_pm")
    check_round_open(round_)
    _check_not_in_team(event=event, user=created_by)
    if Team.objects.filter(event=event, name__iexact=name).exists():
        raise DomainError(_("A team with this name already exists."), field="name")
    try:
        with transaction.atomic():
            team = Team.objects.create(event=event, name=name, leader=created_by, **pitch)
    except IntegrityError as error:  # the same name (in any case) taken at the same moment
        raise DomainError(_("A team with this name already exists."), field="name", code="duplicate") from error
    _add_member(team=team, user=created_by, track=track, source=Source.FOUNDED)
    audit_record(event=event, actor=created_by, action="team.create", target=team, name=name)
    return team


@transaction.atomic
def team_pitch_update(*, team_id: int, updated_by: User, name: str | None = None, **pitch: str) -> Team:
    unknown = set(pitch) - set(PITCH_FIELDS)
    if unknown:
        raise TypeError(f"Unknown pitch fields: {sorted(unknown)}")
    team = _team_lock(team_id)
    if team.leader_id != updated_by.pk and not is_organizer(updated_by, team.event):
        raise PermissionDenied
    if name is not None:
        name = name.strip()
        if not name:
            raise DomainError(_("Give the team a name."), field="name")
        if Team.objects.filter(event_id=team.event_id, name__iexact=name).exclude(pk=team.pk).exists():
            raise DomainError(_("A team with this name already exists."), field="name")
        pitch["name"] = name
    try:
        with transaction.atomic():
            model_update_audited(
                instance=team,
                data=pitch,
                fields=(*PITCH_FIELDS, "name"),
                event=team.event,
                actor=updated_by,
                action="team.pitch_update",
            )
    except IntegrityError as error:  # two teams renamed to one name (in any case) at the same moment
        raise DomainError(_("A team with this name already exists."), field="name", code="duplicate") from error
    return team


@transaction.atomic
def team_disband(*, team_id: int, disbanded_by: User) -> None:
    team = _team_lock(team_id)
    organizer = is_organizer(disbanded_by, team.event)
    if not organizer:
        _check_leader(team, disbanded_by)
        check_round_open(team_round_of(team.event))
    members = list(team.memberships.values_list("user__email", flat=True))
    audit_record(
        event=team.event, actor=disbanded_by, action="team.disband", target=team, name=team.name, members=members
    )
    try:
        team.delete()
    except ProtectedError as error:
        raise DomainError(_("This team already has resources or a submission; it cannot be disbanded.")) from error


@transaction.atomic
def team_leader_transfer(*, team_id: int, new_leader_id: int, transferred_by: User) -> Team:
    team = _team_lock(team_id)
    if not is_organizer(transferred_by, team.event):
        _check_leader(team, transferred_by)
    if not team.memberships.filter(user_id=new_leader_id).exists():
        raise DomainError(_("The new leader must be a member of the team."), field="new_leader")
    previous = team.leader_id
    team.leader_id = new_leader_id
    team.save(update_fields=["leader", "updated_at"])
    audit_record(
        event=team.event,
        actor=transferred_by,
        action="team.leader_transfer",
        target=team,
        previous=previous,
        leader=new_leader_id,
    )
    return team


@transaction.atomic
def team_member_leave(*, team_id: int, user: User) -> None:
    team = _team_lock(team_id)
    membership = team.memberships.filter(user=user).first()
    if membership is None:
        raise DomainError(_("You are not in this team."))
    check_round_open(team_round_of(team.event))
    if team.leader_id == user.pk:
        raise DomainError(_("Hand over the lead first, or disband the team."), code="leader_cannot_leave")
    membership.delete()
    audit_record(event=team.event, actor=user, action="team.leave", target=team, user=user.email)


def _successor(team: Team) -> int | None:
    """Who leads a team whose leader was moved out: the longest-standing PM, else the longest-standing member."""
    members = list(team.memberships.order_by("joined_at", "pk").values_list("user_id", "track"))
    for user_id, track in members:
        if track == Track.PM:
            return user_id
    return members[0][0] if members else None


@transaction.atomic
def team_member_move(*, event: Event, user_id: int, to_team_id: int | None, moved_by: User) -> TeamMembership | None:
    """Organizers move a person into a team (or out of any team, with to_team_id=None), even after the round."""
    check_organizer(moved_by, event)
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        raise DomainError(_("Only finalists of this event can be in a team."), code="not_participant")
    current = TeamMembership.objects.filter(event=event, user=user).values_list("team_id", flat=True).first()
    team_ids = sorted({tid for tid in (current, to_team_id) if tid is not None})
    if to_team_id is not None and not Team.objects.filter(pk=to_team_id, event=event).exists():
        raise DomainError(_("This team no longer exists."), code="team_gone")
    locked = {tid: _team_lock(tid) for tid in team_ids}
    track = participant_lock(event_id=event.pk, user_id=user.pk)
    membership = TeamMembership.objects.select_for_update().filter(event=event, user=user).first()
    if membership is not None and membership.team_id not in locked:
        raise DomainError(_("This person's team changed in the meantime. Try again."))
    if membership is not None and membership.team_id == to_team_id:
        return membership
    from_team = locked[membership.team_id] if membership is not None else None
    if to_team_id is not None:
        check_open_slot(team=locked[to_team_id], track=track, round_=team_round_of(event))
    if membership is not None and from_team is not None:
        membership.delete()
        if from_team.leader_id == user.pk:
            from_team.leader_id = _successor(from_team)
            from_team.save(update_fields=["leader", "updated_at"])
    moved = None
    if to_team_id is not None:
        moved = _add_member(team=locked[to_team_id], user=user, track=track, source=Source.MOVED)
    audit_record(
        event=event,
        actor=moved_by,
        action="team.member_move",
        target=moved.team if moved else from_team,
        user=user.email,
        from_team=from_team.name if from_team else None,
        to_team=moved.team.name if moved else None,
    )
    if moved:
        _notify(
            user,
            gettext_noop("You are now in %(team)s"),
            gettext_noop("An organizer of %(event)s moved you into the team %(team)s."),
            "teams.member_move",
            {"event": event.name, "team": moved.team.name},
        )
    return moved


# --- join requests --------------------------------------------------------------------------------


@transaction.atomic
def join_request_create(*, team_id: int, user: User, message: str = "") -> JoinRequest:
    team = _team_lock(team_id)
    track = participant_lock(event_id=team.event_id, user_id=user.pk)
    round_ = team_round_of(team.event)
    check_round_open(round_)
    _check_not_in_team(event=team.event, user=user)
    check_open_slot(team=team, track=track, round_=round_)
    if JoinRequest.objects.filter(team=team, user=user, status=JoinRequest.Status.PENDING).exists():
        raise DomainError(_("You already asked to join this team."), code="duplicate")
    join = JoinRequest.objects.create(
        team=team, event_id=team.event_id, user=user, track=track, message=message.strip()
    )
    audit_record(event=team.event, actor=user, action="team.join_request", target=join, team=team.name)
    if team.leader:
        _notify(
            team.leader,
            gettext_noop("%(person)s asks to join %(team)s"),
            gettext_noop("%(person)s (%(track)s) asks to join your team:\n\n%(message)s"),
            "teams.join_request",
            {"person": user.display_name, "track": Track(track).label, "message": join.message, "team": team.name},
        )
    return join


def _pending_join_lock(request_id: int) -> tuple[JoinRequest, Team]:
    found = JoinRequest.objects.filter(pk=request_id).values("team_id", "event_id", "user_id").first()
    if found is None:
        raise DomainError(_("This request no longer exists."))
    team = _team_lock(found["team_id"])
    participant_lock(event_id=found["event_id"], user_id=found["user_id"])
    join = JoinRequest.objects.select_for_update(of=("self",)).select_related("user").get(pk=request_id)
    if not join.is_pending:
        if join.closed_reason:
            raise DomainError(join.get_closed_reason_display(), code=join.closed_reason)
        raise DomainError(_("This request was already answered or withdrawn."), code="not_pending")
    return join, team


@transaction.atomic
def join_request_accept(*, request_id: int, accepted_by: User) -> TeamMembership:
    join, team = _pending_join_lock(request_id)
    _check_leader(team, accepted_by)
    round_ = team_round_of(team.event)
    check_round_open(round_)
    check_open_slot(team=team, track=join.track, round_=round_)
    membership = _add_member(team=team, user=join.user, track=join.track, source=Source.JOIN_REQUEST)
    JoinRequest.objects.filter(pk=join.pk).update(
        status=JoinRequest.Status.ACCEPTED, decided_at=timezone.now(), decided_by=accepted_by, closed_reason=""
    )
    audit_record(event=team.event, actor=accepted_by, action="team.join_accept", target=team, user=join.user.email)
    _notify(
        join.user,
        gettext_noop("Welcome to %(team)s"),
        gettext_noop("%(leader)s accepted you into %(team)s."),
        "teams.join_accept",
        {"leader": accepted_by.display_name, "team": team.name},
    )
    return membership


@transaction.atomic
def join_request_decline(*, request_id: int, declined_by: User) -> JoinRequest:
    join, team = _pending_join_lock(request_id)
    _check_leader(team, declined_by)
    join.status, join.decided_at, join.decided_by = JoinRequest.Status.DECLINED, timezone.now(), declined_by
    join.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(event=team.event, actor=declined_by, action="team.join_decline", target=join, user=join.user.email)
    _notify(
        join.user,
        gettext_noop("%(team)s declined your request"),
        gettext_noop("%(team)s cannot take you this time. Other teams still have open slots."),
        "teams.join_decline",
        {"team": team.name},
    )
    return join


@transaction.atomic
def join_request_withdraw(*, request_id: int, withdrawn_by: User) -> JoinRequest:
    join, team = _pending_join_lock(request_id)
    if join.user_id != withdrawn_by.pk:
        raise PermissionDenied
    join.status, join.decided_at, join.decided_by = JoinRequest.Status.WITHDRAWN, timezone.now(), withdrawn_by
    join.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(event=team.event, actor=withdrawn_by, action="team.join_withdraw", target=join)
    return join


# --- invitations ----------------------------------------------------------------------------------


@transaction.atomic
def invitation_create(*, team_id: int, user_id: int, invited_by: User, message: str = "") -> Invitation:
    team = _team_lock(team_id)
    _check_leader(team, invited_by)
    invitee = User.objects.filter(pk=user_id).first()
    if invitee is None:
        raise DomainError(_("Only finalists of this event can be in a team."), code="not_participant")
    track = participant_lock(event_id=team.event_id, user_id=invitee.pk)
    round_ = team_round_of(team.event)
    check_round_open(round_)
    _check_not_in_team(event=team.event, user=invitee)
    check_open_slot(team=team, track=track, round_=round_)
    if Invitation.objects.filter(team=team, user=invitee, status=Invitation.Status.PENDING).exists():
        raise DomainError(_("You already invited this person."), code="duplicate")
    invitation = Invitation.objects.create(
        team=team, event_id=team.event_id, user=invitee, track=track, message=message.strip(), invited_by=invited_by
    )
    audit_record(event=team.event, actor=invited_by, action="team.invite", target=invitation, user=invitee.email)
    _notify(
        invitee,
        gettext_noop("%(team)s invites you"),
        gettext_noop("%(leader)s invites you to join %(team)s:\n\n%(message)s"),
        "teams.invite",
        {"leader": invited_by.display_name, "team": team.name, "message": invitation.message},
    )
    return invitation


def _pending_invitation_lock(invitation_id: int) -> tuple[Invitation, Team]:
    found = Invitation.objects.filter(pk=invitation_id).values("team_id", "event_id", "user_id").first()
    if found is None:
        raise DomainError(_("This invitation no longer exists."))
    team = _team_lock(found["team_id"])
    participant_lock(event_id=found["event_id"], user_id=found["user_id"])
    invitation = Invitation.objects.select_for_update(of=("self",)).select_related("user").get(pk=invitation_id)
    if not invitation.is_pending:
        if invitation.closed_reason:
            raise DomainError(invitation.get_closed_reason_display(), code=invitation.closed_reason)
        raise DomainError(_("This invitation was already answered or cancelled."), code="not_pending")
    return invitation, team


@transaction.atomic
def invitation_accept(*, invitation_id: int, accepted_by: User) -> TeamMembership:
    invitation, team = _pending_invitation_lock(invitation_id)
    if invitation.user_id != accepted_by.pk:
        raise PermissionDenied
    round_ = team_round_of(team.event)
    check_round_open(round_)
    check_open_slot(team=team, track=invitation.track, round_=round_)
    membership = _add_member(team=team, user=accepted_by, track=invitation.track, source=Source.INVITATION)
    Invitation.objects.filter(pk=invitation.pk).update(
        status=Invitation.Status.ACCEPTED, decided_at=timezone.now(), decided_by=accepted_by, closed_reason=""
    )
    audit_record(event=team.event, actor=accepted_by, action="team.invite_accept", target=team, user=accepted_by.email)
    return membership


@transaction.atomic
def invitation_decline(*, invitation_id: int, declined_by: User) -> Invitation:
    invitation, team = _pending_invitation_lock(invitation_id)
    if invitation.user_id != declined_by.pk:
        raise PermissionDenied
    invitation.status, invitation.decided_at, invitation.decided_by = (
        Invitation.Status.DECLINED,
        timezone.now(),
        declined_by,
    )
    invitation.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(event=team.event, actor=declined_by, action="team.invite_decline", target=invitation)
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation_id: int, cancelled_by: User) -> Invitation:
    invitation, team = _pending_invitation_lock(invitation_id)
    _check_leader(team, cancelled_by)
    invitation.status, invitation.decided_at, invitation.decided_by = (
        Invitation.Status.CANCELLED,
        timezone.now(),
        cancelled_by,
    )
    invitation.save(update_fields=["status", "decided_at", "decided_by"])
    audit_record(event=team.event, actor=cancelled_by, action="team.invite_cancel", target=invitation)
    return invitation
