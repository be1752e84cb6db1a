"""What mentoring shows on other apps' pages (registered in MentoringConfig.ready())."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hackathon.models import Event, EventRole, Milestone
from hackathon.sections import attention_item
from mentoring import selectors
from teams.selectors import team_of_user

Role = EventRole.Role


def home_mentor(*, request, event: Event, roles: set[str], now: datetime, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: a mentor's sessions today and the help queue waiting for them."""
    if Role.MENTOR not in roles:
        return None
    slug = {"event_slug": event.slug}
    profile = selectors.mentor_profile_of(user=request.user, event=event)
    section: dict[str, Any] = {"event": event, "now": now, "profile": profile, "deadline": None}
    if profile is None:
        section.update(
            sessions=[],
            queue_count=0,
            next_url=reverse("mentoring:mentor_profile", kwargs=slug),
            next_label=_("Set up your mentor profile"),
        )
        return section
    sessions = selectors.bookings_of_mentor_today(profile=profile, now=now)
    queue_count = selectors.queue_count_for_mentor(profile=profile)
    upcoming = next((b for b in sessions if b.slot.starts_at > now), None)
    section.update(sessions=sessions, queue_count=queue_count)
    if upcoming is not None:
        section["deadline"] = Milestone(
            "session", _("Session with team %(team)s") % {"team": upcoming.team.name}, upcoming.slot.starts_at
        )
    if queue_count:
        section.update(next_url=reverse("mentoring:queue", kwargs=slug), next_label=_("Open the help queue"))
    elif sessions:
        section.update(next_url=reverse("mentoring:mentor_day", kwargs=slug), next_label=_("Prepare your sessions"))
    else:
        section.update(next_url=reverse("mentoring:slots", kwargs=slug), next_label=_("Offer session slots"))
    return section


def home_team_mentoring(
    *, request, event: Event, roles: set[str], now: datetime, **kwargs: Any
) -> dict[str, Any] | None:
    """hackathon:my_home: the team's next mentoring session and its live help request."""
    if Role.PARTICIPANT not in roles:
        return None
    team = team_of_user(user=request.user, event=event)
    if team is None:
        return None
    booking = selectors.next_booking_of_team(team=team, now=now)
    section: dict[str, Any] = {
        "event": event,
        "now": now,
        "booking": booking,
        "help_request": selectors.live_request_of_team(team=team),
        "deadline": None,
        "next_url": reverse("mentoring:team_home", kwargs={"event_slug": event.slug}),
    }
    if booking is not None:
        section["deadline"] = Milestone("session", _("Your mentoring session"), booking.slot.starts_at)
        section["next_label"] = _("See your session")
    else:
        section["next_label"] = _("Book a mentor or ask for help")
    return section


def home_help_waiting(*, event: Event, roles: set[str], **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): help requests waiting for a mentor."""
    if Role.ORGANIZER not in roles:
        return None
    count = selectors.open_requests_count(event=event)
    return attention_item(
        event,
        key="help-waiting",
        count=count,
        text=_("help requests waiting for a mentor"),
        url_name="mentoring:overview",
        next_label=_("See mentoring"),
    )
