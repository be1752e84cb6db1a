import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Max, Prefetch, QuerySet, Value
from django.utils.functional import Promise
from django.utils.translation import get_language

from accounts.models import User
from accounts.selectors import ProfileCard, ProfileDetail, profile_card
from hackathon.models import Event, EventRole, Track
from hackathon.permissions import is_judge, is_mentor, is_organizer
from teams.models import Invitation, JoinRequest, Placement, Team, TeamBuildingRound, TeamMembership


def team_round_of(event: Event) -> TeamBuildingRound:
    """The round as it is now (not locked). Unsaved defaults if nobody changed anything yet."""
    return TeamBuildingRound.objects.filter(event=event).select_related("event").first() or TeamBuildingRound(
        event=event
    )


def team_of_user(*, user: User | AnonymousUser, event: Event) -> Team | None:
    """The person's team in this event, or None."""
    if not user.is_authenticated:
        return None
    membership = TeamMembership.objects.select_related("team").filter(event=event, user=user).first()
    return membership.team if membership else None


@dataclass
class TeamCard:
    """A team as the board shows it: members and open slots per role under the round's rules."""

    team: Team
    members: list[TeamMembership]
    open_slots: dict[str, int] = field(default_factory=dict)
    size: int = 0
    max_size: int = 0
    my_request: JoinRequest | None = None  # the viewer's pending request to this team
    slot_for_me: bool = False  # an open slot for the viewer's track

    @property
    def is_full(self) -> bool:
        return self.size >= self.max_size

    @property
    def open_slot_list(self) -> list[tuple[str, str | Promise, int]]:
        return [(track, Track(track).label, count) for track, count in self.open_slots.items()]


def _members_prefetch() -> Prefetch:
    return Prefetch("memberships", queryset=TeamMembership.objects.select_related("user").order_by("joined_at", "pk"))


def team_cards(*, teams: Iterable[Team], round_: TeamBuildingRound) -> list[TeamCard]:
    cards = []
    for team in teams:
        members = list(team.memberships.all())
        size = len(members)
        open_slots = {}
        for track in Track.values:
            taken = sum(1 for m in members if m.track == track)
            open_slots[track] = max(0, min(round_.max_for(track) - taken, round_.max_team_size - size))
        cards.append(
            TeamCard(team=team, members=members, open_slots=open_slots, size=size, max_size=round_.max_team_size)
        )
    return cards


def team_board(*, event: Event, round_: TeamBuildingRound, track: str = "") -> list[TeamCard]:
    """Every team of the event with its pitch, members and open slots; track= keeps teams with a slot for it.

    Two queries whatever the number of teams: the teams (with their leaders) and their members.
    """
    teams = (
        Team.objects.filter(event=event).select_related("leader").prefetch_related(_members_prefetch()).order_by("name")
    )
    cards = team_cards(teams=teams, round_=round_)
    if track in Track.values:
        cards = [card for card in cards if card.open_slots[track] > 0]
    return cards


def team_get_visible(*, user: User | AnonymousUser, event: Event, team_id: int) -> Team | None:
    """A team page: its members, organizers, mentors and judges see it; anyone else gets None (a 404)."""
    team = (
        Team.objects.filter(event=event, pk=team_id)
        .select_related("leader")
        .prefetch_related(_members_prefetch())
        .first()
    )
    if team is None:
        return None
    if is_organizer(user, event) or is_mentor(user, event) or is_judge(user, event):
        return team
    if any(m.user_id == user.pk for m in team.memberships.all()):
        return team
    return None


def member_profile_detail(*, viewer: User | AnonymousUser, team: Team, event: Event) -> ProfileDetail:
    """How much of the team's members' profiles the viewer sees (the rule of issue 12):

    - the team's own members: everything the person filled in, contact included (the email only if they chose);
    - the event's organizers and mentors (who help the team): name, skills, GitHub and avatar;
    - anyone else, judges included (they judge the work, not the people): the name only.
    """
    if not viewer.is_authenticated:
        return ProfileDetail.NAME
    if any(m.user_id == viewer.pk for m in team.memberships.all()):
        return ProfileDetail.CONTACT
    if is_organizer(viewer, event) or is_mentor(viewer, event):
        return ProfileDetail.PROFILE
    return ProfileDetail.NAME


def team_member_cards(*, viewer: User | AnonymousUser, team: Team, event: Event) -> list[ProfileCard]:
    """The members of a team (prefetched by team_get_visible) as profile cards, at the viewer's level of detail."""
    detail = member_profile_detail(viewer=viewer, team=team, event=event)
    return [profile_card(m.user, detail=detail) for m in team.memberships.all()]


def member_avatar_user(*, viewer: User | AnonymousUser, event: Event, team_id: int, user_id: int) -> User | None:
    """The member whose avatar the viewer asked for, if they may see it; None (a 404) otherwise, whether the team,
    the person or the picture is missing or the viewer may not see it."""
    team = team_get_visible(user=viewer, event=event, team_id=team_id)
    if team is None or member_profile_detail(viewer=viewer, team=team, event=event) < ProfileDetail.PROFILE:
        return None
    member = next((m.user for m in team.memberships.all() if m.user_id == user_id), None)
    return member if member is not None and member.avatar else None


def join_requests_of_team(*, team: Team) -> QuerySet[JoinRequest]:
    return JoinRequest.objects.filter(team=team, status=JoinRequest.Status.PENDING).select_related("user")


def invitations_of_team(*, team: Team) -> QuerySet[Invitation]:
    return Invitation.objects.filter(team=team, status=Invitation.Status.PENDING).select_related("user")


def join_requests_of_user(*, user: User, event: Event, pending_only: bool = True) -> QuerySet[JoinRequest]:
    requests = JoinRequest.objects.filter(event=event, user=user).select_related("team")
    return requests.filter(status=JoinRequest.Status.PENDING) if pending_only else requests


def invitations_of_user(*, user: User, event: Event, pending_only: bool = True) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(event=event, user=user).select_related("team", "invited_by")
    return invitations.filter(status=Invitation.Status.PENDING) if pending_only else invitations


def join_requests_visible_to(*, user: User, event: Event) -> QuerySet[JoinRequest]:
    """Organizers: all. Others: their own, and those to the teams they lead."""
    requests = JoinRequest.objects.filter(event=event).select_related("team", "user")
    if is_organizer(user, event):
        return requests
    return requests.filter(user=user) | requests.filter(team__leader=user)


def invitations_visible_to(*, user: User, event: Event) -> QuerySet[Invitation]:
    invitations = Invitation.objects.filter(event=event).select_related("team", "user", "invited_by")
    if is_organizer(user, event):
        return invitations
    return invitations.filter(user=user) | invitations.filter(team__leader=user)


def finalists_of_event(*, event: Event) -> QuerySet[EventRole]:
    """The participant roles (one per finalist, with their track) of the event."""
    return EventRole.objects.filter(event=event, role=EventRole.Role.PARTICIPANT)


def unassigned_finalists(*, event: Event) -> QuerySet[EventRole]:
    assigned = TeamMembership.objects.filter(event=event).values("user_id")
    return (
        EventRole.objects.filter(event=event, role=EventRole.Role.PARTICIPANT)
        .exclude(user_id__in=assigned)
        .select_related("user")
        .order_by("track", "user__name", "user__email")
    )


def placements_visible_to(*, user: User | AnonymousUser, event: Event) -> QuerySet[Placement]:
    """Why auto-matching placed people: organizers read all of them, a person reads their own."""
    placements = Placement.objects.filter(event=event).select_related("team", "user").order_by("team__name", "track")
    if is_organizer(user, event):
        return placements
    return placements.filter(user=user) if user.is_authenticated else placements.none()


def team_rounds_match_due(*, now: datetime) -> list[int]:
    """Events whose round is past its deadline, not locked, and not yet tried since the deadline (see matching_due).

    Only events between the start of team building and the end of hacking are looked at: a handful of rows.
    """
    events = Event.objects.filter(team_building_starts_at__lte=now, hacking_ends_at__gt=now).exclude(
        team_round__locked_at__isnull=False
    )
    due = []
    for event in events.select_related("team_round").order_by("pk"):
        round_ = getattr(event, "team_round", None) or TeamBuildingRound(event=event)
        if round_.matching_due(now):
            due.append(event.pk)
    return due


def _state(*parts: object) -> str:
    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def _round_state(event: Event, now: datetime) -> tuple[object, bool, bool]:
    updated_at, closes_at = TeamBuildingRound.objects.filter(event=event).values_list(
        "updated_at", "closes_at_override"
    ).first() or (None, None)
    # The round opens and closes by the clock, without a write: that is part of what the page shows.
    return (updated_at, now >= event.team_building_starts_at, now >= (closes_at or event.team_building_ends_at))


def _pending_ids(requests: QuerySet[JoinRequest], invitations: QuerySet[Invitation]) -> list[tuple[str, int]]:
    pending = {"status": JoinRequest.Status.PENDING}
    tagged = requests.filter(**pending).annotate(kind=Value("r")).values_list("kind", "id").order_by()
    tagged = tagged.union(invitations.filter(**pending).annotate(kind=Value("i")).values_list("kind", "id").order_by())
    return sorted(tagged)


def board_version(*, event: Event, user: User, track: str, now: datetime) -> str:
    """Changes whenever anything the board fragment shows to this person changes; cheap to compute.

    The board polls every second: when the version it shows is still current the server answers 204 and
    htmx leaves the page alone (no re-render, no flicker, no repeated screen-reader announcement).
    """
    teams = Team.objects.filter(event=event).aggregate(count=Count("id"), changed=Max("updated_at"))
    members = TeamMembership.objects.filter(event=event).aggregate(count=Count("id"), last=Max("id"))
    mine = _pending_ids(
        JoinRequest.objects.filter(event=event, user_id=user.pk),
        Invitation.objects.filter(event=event, user_id=user.pk),
    )
    return _state(user.pk, track, get_language(), _round_state(event, now), teams, members, mine)


def team_version(*, team: Team, user: User, now: datetime) -> str:
    """Like board_version, for the live part of a team page."""
    members = TeamMembership.objects.filter(team=team).aggregate(count=Count("id"), last=Max("id"))
    pending = _pending_ids(JoinRequest.objects.filter(team=team), Invitation.objects.filter(team=team))
    return _state(user.pk, get_language(), team.updated_at, _round_state(team.event, now), members, pending)


# --- the person's home ------------------------------------------------------------------------------


def team_with_members_of_user(*, user: User | AnonymousUser, event: Event) -> Team | None:
    """The person's team with its members (team.member_list), in two queries; None without a team."""
    team = team_of_user(user=user, event=event)
    if team is None:
        return None
    team.member_list = list(  # type: ignore[attr-defined]
        TeamMembership.objects.filter(team=team).select_related("user").order_by("joined_at")
    )
    return team
