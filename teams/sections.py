"""What teams shows on other apps' pages (registered in TeamsConfig.ready())."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hackathon.models import Event, EventRole, Milestone
from hackathon.sections import attention_item
from teams import selectors

Role = EventRole.Role


def home_team(*, request, event: Event, roles: set[str], now: datetime, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: a finalist's team, or how to find one before team building closes."""
    if Role.PARTICIPANT not in roles:
        return None
    slug = {"event_slug": event.slug}
    team = selectors.team_with_members_of_user(user=request.user, event=event)
    section: dict[str, Any] = {"team": team, "event": event, "now": now, "deadline": None}
    if team is not None:
        section.update(next_url=reverse("teams:my_team", kwargs=slug), next_label=_("Open your team"))
        return section
    round_ = selectors.team_round_of(event)
    board_url = reverse("teams:board", kwargs=slug)
    if now < round_.starts_at:
        section.update(
            text=_("You have no team yet. Read the teams board now; team building opens soon."),
            next_url=board_url,
            next_label=_("See the teams board"),
            deadline=Milestone("team_building", _("Team building starts"), round_.starts_at),
        )
    elif round_.is_open(now):
        section.update(
            text=_("You have no team yet. Pitch a team or ask to join one before team building closes."),
            next_url=board_url,
            next_label=_("Find a team"),
            deadline=Milestone("team_building_end", _("Team building ends"), round_.closes_at),
        )
    else:
        section.update(
            text=_("You have no team. Team building is over: ask the organizers to place you in a team."),
            next_url=board_url,
            next_label=_("See the teams"),
        )
    return section


def home_unassigned(*, event: Event, roles: set[str], now: datetime, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): finalists without a team once team building has started."""
    if Role.ORGANIZER not in roles or now < event.team_building_starts_at:
        return None
    count = selectors.unassigned_finalists(event=event).count()
    return attention_item(
        event,
        key="unassigned",
        count=count,
        text=_("finalists without a team"),
        url_name="teams:round_manage",
        next_label=_("Place them"),
    )
