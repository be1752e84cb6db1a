"""The round: its rules and its window. The TeamBuildingRound row is locked for every change to it."""

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.bounds import check_int_in_range
from core.exceptions import DomainError
from hackathon.models import Event, Track
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, model_update_audited
from teams.models import Team, TeamBuildingRound, TeamMembership

RULE_FIELDS = ("min_team_size", "max_team_size", "max_pm", "max_frontend", "max_backend", "max_ai")
MAX_EXTENSION_MINUTES = 24 * 60
# A team of more than this many is not a hackathon team; the forms and the API allow no more.
MAX_TEAM_SIZE_LIMIT = 50


def team_round_lock(*, event: Event) -> TeamBuildingRound:
    """The event's round row, created with the default rules on first use, locked until the transaction ends."""
    TeamBuildingRound.objects.get_or_create(event=event)
    return TeamBuildingRound.objects.select_for_update(of=("self",)).select_related("event").get(event=event)


def check_round_open(round_: TeamBuildingRound, now: datetime | None = None) -> None:
    now = now or timezone.now()
    if round_.locked_at is not None:
        raise DomainError(_("Teams are locked: team building is over."), code="round_locked")
    if not round_.has_started(now):
        raise DomainError(_("Team building has not started yet."), code="round_not_started")
    if not round_.is_open(now):
        raise DomainError(_("Team building is closed."), code="round_closed")


@transaction.atomic
def team_round_rules_update(*, event: Event, updated_by: User, **rules: int) -> TeamBuildingRound:
    check_organizer(updated_by, event)
    unknown = set(rules) - set(RULE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown rules: {sorted(unknown)}")
    round_ = team_round_lock(event=event)
    values = {name: rules.get(name, getattr(round_, name)) for name in RULE_FIELDS}
    for name in RULE_FIELDS:
        check_int_in_range(values[name], low=1, high=MAX_TEAM_SIZE_LIMIT, field=name)
    if values["min_team_size"] < 1:
        raise DomainError(_("A team needs at least one member."), field="min_team_size")
    if values["max_team_size"] < values["min_team_size"]:
        raise DomainError(_("The maximum team size must be at least the minimum."), field="max_team_size")
    for track in Track.values:
        if values[f"max_{track}"] < 1:
            raise DomainError(_("Every role needs at least one place per team."), field=f"max_{track}")
    # Lock every team so no join slips in between this check and the commit.
    list(Team.objects.filter(event=event).select_for_update().order_by("pk").values_list("pk", flat=True))
    sizes: dict[int, dict[str, int]] = {}
    names = dict(Team.objects.filter(event=event).values_list("pk", "name"))
    for team_id, track in TeamMembership.objects.filter(event=event).values_list("team_id", "track"):
        sizes.setdefault(team_id, {}).setdefault(track, 0)
        sizes[team_id][track] += 1
    for team_id, counts in sorted(sizes.items()):
        if sum(counts.values()) > values["max_team_size"]:
            raise DomainError(
                _("%(team)s already has %(count)d members: move someone before lowering the maximum.")
                % {"team": names[team_id], "count": sum(counts.values())},
                field="max_team_size",
            )
        for track, count in counts.items():
            if count > values[f"max_{track}"]:
                raise DomainError(
                    _("%(team)s already has %(count)d in the role %(track)s.")
                    % {"team": names[team_id], "count": count, "track": Track(track).label},
                    field=f"max_{track}",
                )
    model_update_audited(
        instance=round_,
        data=values,
        fields=RULE_FIELDS,
        event=event,
        actor=updated_by,
        action="team_round.rules_update",
    )
    return round_


@transaction.atomic
def team_round_extend(*, event: Event, minutes: int, extended_by: User) -> TeamBuildingRound:
    """Give the round more time. A round that is closed (or locked after auto-matching) reopens from now."""
    check_organizer(extended_by, event)
    if not 1 <= minutes <= MAX_EXTENSION_MINUTES:
        raise DomainError(_("Extend by 1 to 1440 minutes."), field="minutes")
    round_ = team_round_lock(event=event)
    now = timezone.now()
    reopened = round_.locked_at is not None or now >= round_.closes_at
    start = now if reopened else round_.closes_at
    previous = round_.closes_at
    round_.closes_at_override = start + timedelta(minutes=minutes)
    round_.locked_at = None
    round_.save(update_fields=["closes_at_override", "locked_at", "updated_at"])
    audit_record(
        event=event,
        actor=extended_by,
        action="team_round.reopen" if reopened else "team_round.extend",
        target=round_,
        minutes=minutes,
        closed_at=previous.isoformat(),
        closes_at=round_.closes_at.isoformat(),
    )
    return round_
