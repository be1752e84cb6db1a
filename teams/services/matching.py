"""Apply an auto-matching plan (teams.matching) under locks, record why each person was placed, and lock teams."""

from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from core.i18n import in_language_of
from core.services import email_queue
from hackathon.models import Event, EventRole, Track
from hackathon.permissions import check_organizer
from hackathon.services import audit_record
from teams import matching
from teams.models import Invitation, JoinRequest, Placement, Team, TeamMembership
from teams.services.rounds import team_round_lock


@dataclass
class MatchOutcome:
    ran: bool  # False when there was nothing to do (already locked, or not due)
    locked: bool = False
    placed: list[Placement] = field(default_factory=list)
    unplaced: list[dict] = field(default_factory=list)  # {"user_id", "email", "name", "track", "reason", "facts"}
    teams_below_min: list[dict] = field(default_factory=list)


def _organizer_emails(event: Event) -> list[str]:
    return list(
        EventRole.objects.filter(event=event, role=EventRole.Role.ORGANIZER).values_list("user__email", flat=True)
    )


@transaction.atomic
def team_auto_match(*, event_id: int, run_by: User | None, only_if_due: bool = False) -> MatchOutcome:
    """Put every unassigned finalist into a team, then lock the teams. All or nothing.

    run_by=None is the deadline task; it passes only_if_due=True so a redelivered or repeated task does nothing.
    An organizer may run it at any time: the round closes now.
    """
    event = Event.objects.get(pk=event_id)
    check_organizer(run_by, event, allow_system=True)
    round_ = team_round_lock(event=event)
    now = timezone.now()
    if round_.locked_at is not None or (only_if_due and not round_.matching_due(now)):
        return MatchOutcome(ran=False, locked=round_.locked_at is not None)
    if not round_.has_started(now):
        raise DomainError(_("Team building has not started yet."), code="round_not_started")

    teams = list(Team.objects.select_for_update().filter(event=event).order_by("pk"))
    names = {team.pk: team.name for team in teams}
    counts: dict[int, dict[str, int]] = {team.pk: {} for team in teams}
    for team_id, track in TeamMembership.objects.filter(event=event).values_list("team_id", "track"):
        counts[team_id][track] = counts[team_id].get(track, 0) + 1
    assigned = TeamMembership.objects.filter(event=event).values_list("user_id", flat=True)
    finalists = list(
        EventRole.objects.filter(event=event, role=EventRole.Role.PARTICIPANT)
        .exclude(user_id__in=assigned)
        .select_related("user")
        .order_by("user_id")
    )
    people = {role.user_id: role.user for role in finalists}
    rules = matching.Rules(round_.min_team_size, round_.max_team_size, round_.track_limits)
    plan = matching.plan_matching(
        teams=[matching.TeamState(team_id, team_counts) for team_id, team_counts in counts.items()],
        people=[matching.Person(role.user_id, role.track) for role in finalists],
        rules=rules,
    )

    outcome = MatchOutcome(ran=True)
    outcome.teams_below_min = [{"team": names[tid], "size": size} for tid, size in plan.teams_below_min]
    round_.matching_attempted_at = now
    if now < round_.closes_at:
        round_.closes_at_override = now  # running on demand ends the round now
    if not plan.ok:
        outcome.unplaced = [
            {
                "user_id": item.user_id,
                "email": people[item.user_id].email,
                "name": people[item.user_id].display_name,
                "track": item.track,
                "reason": item.reason,
                "facts": item.facts,
            }
            for item in plan.unplaced
        ]
        round_.matching_report = {"ok": False, "at": now.isoformat(), "unplaced": outcome.unplaced}
        round_.save(update_fields=["matching_attempted_at", "closes_at_override", "matching_report", "updated_at"])
        audit_record(
            event=event, actor=run_by, action="team_round.match_failed", target=round_, unplaced=outcome.unplaced
        )
        lines = [
            f"- {item['name']} <{item['email']}> ({Track(item['track']).label}): "
            + matching.explain_unplaced(item["reason"], item["facts"], track=item["track"])
            for item in outcome.unplaced
        ]
        for email in _organizer_emails(event):
            email_queue(
                to=email,
                subject=_("Auto-matching could not place %(count)d finalists") % {"count": len(lines)},
                body=_("Nobody was moved and teams are not locked. Who could not be placed, and why:")
                + "\n\n"
                + "\n".join(lines)
                + "\n\n"
                + _("Raise the limits, move people, or extend the round, then run auto-matching again."),
                purpose="teams.match_failed",
            )
        return outcome

    teams_by_id = {team.pk: team for team in teams}
    memberships = [
        TeamMembership(
            team_id=item.team_id,
            event=event,
            user_id=item.user_id,
            track=item.track,
            source=TeamMembership.Source.AUTO_MATCHED,
        )
        for item in plan.placements
    ]
    placed_ids = [item.user_id for item in plan.placements]
    try:
        with transaction.atomic():
            TeamMembership.objects.bulk_create(memberships)
    except IntegrityError as error:  # every team is locked, so only a bug elsewhere gets here
        raise DomainError(_("Someone joined a team while auto-matching ran. Run it again.")) from error
    Placement.objects.filter(event=event, user_id__in=placed_ids).delete()  # from an earlier, reopened round
    outcome.placed = Placement.objects.bulk_create(
        [
            Placement(event=event, team_id=item.team_id, user_id=item.user_id, track=item.track, facts=item.facts)
            for item in plan.placements
        ]
    )
    pending = {"event": event, "status": JoinRequest.Status.PENDING}
    JoinRequest.objects.filter(**pending).update(status=JoinRequest.Status.CANCELLED, decided_at=now)
    Invitation.objects.filter(**pending).update(status=Invitation.Status.CANCELLED, decided_at=now)
    round_.locked_at = now
    round_.matching_report = {
        "ok": True,
        "at": now.isoformat(),
        "placed": len(plan.placements),
        "teams_below_min": outcome.teams_below_min,
    }
    round_.save(
        update_fields=["matching_attempted_at", "closes_at_override", "matching_report", "locked_at", "updated_at"]
    )
    outcome.locked = True
    audit_record(
        event=event,
        actor=run_by,
        action="team_round.match",
        target=round_,
        placements=[
            {"user": people[item.user_id].email, "team": names[item.team_id], "track": item.track, "facts": item.facts}
            for item in plan.placements
        ],
        teams_below_min=outcome.teams_below_min,
    )
    for item in plan.placements:
        team = teams_by_id[item.team_id]
        with in_language_of(people[item.user_id]):  # beat runs this: write in the person's language
            email_queue(
                to=people[item.user_id].email,
                subject=_("You are in %(team)s") % {"team": team.name},
                body=matching.explain(item.facts, team_name=team.name, track=item.track),
                purpose="teams.auto_match",
            )
    return outcome
