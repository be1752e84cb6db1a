"""Emails of mentoring. Each is recorded in the caller's transaction and sent by a worker after it commits
(core.services.email_queue)."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from accounts.models import User
from core.i18n import in_language_of
from core.services import email_queue
from mentoring.models import Booking, HelpRequest
from teams.models import Team, TeamMembership


def _team_people(team: Team) -> list[User]:
    return [m.user for m in TeamMembership.objects.filter(team=team).select_related("user")]


def _send(people: Iterable[User], subject: str, body: str, purpose: str, facts: dict) -> None:
    """Queue one email per person, written in that person's language (subject and body are message ids)."""
    for person in people:
        if person.email:
            with in_language_of(person):
                email_queue(to=person.email, subject=gettext(subject), body=gettext(body), purpose=purpose)


def _when(booking: Booking) -> str:
    local = timezone.localtime(booking.slot.starts_at, booking.slot.event.tz)
    return f"{local:%Y-%m-%d %H:%M} ({booking.slot.event.time_zone})"


def _where(booking: Booking) -> str:
    return booking.slot.video_url or booking.slot.place or gettext("the place your mentor tells you")


def booking_created(booking: Booking) -> None:
    facts = {
        "team": booking.team.name,
        "mentor": booking.slot.mentor.user.display_name,
        "when": _when(booking),
        "where": _where(booking),
        "note": booking.note,
    }
    _send(
        _team_people(booking.team),
        gettext_noop("Mentoring booked: %(mentor)s at %(when)s"),
        gettext_noop("%(team)s meets %(mentor)s at %(when)s, %(where)s.\n\nWhat you need: %(note)s"),
        "mentoring.booking",
        facts,
    )
    _send(
        [booking.slot.mentor.user],
        gettext_noop("%(team)s booked your session at %(when)s"),
        gettext_noop("%(team)s booked your session at %(when)s, %(where)s.\n\nWhat they need: %(note)s"),
        "mentoring.booking",
        facts,
    )


def booking_cancelled(booking: Booking) -> None:
    facts = {"team": booking.team.name, "mentor": booking.slot.mentor.user.display_name, "when": _when(booking)}
    _send(
        [*_team_people(booking.team), booking.slot.mentor.user],
        gettext_noop("Mentoring cancelled: %(team)s with %(mentor)s at %(when)s"),
        gettext_noop("The session of %(team)s with %(mentor)s at %(when)s was cancelled. The slot is open again."),
        "mentoring.cancel",
        facts,
    )


def booking_reminder(booking: Booking) -> None:
    facts = {
        "team": booking.team.name,
        "mentor": booking.slot.mentor.user.display_name,
        "when": _when(booking),
        "where": _where(booking),
    }
    _send(
        [*_team_people(booking.team), booking.slot.mentor.user],
        gettext_noop("Soon: mentoring of %(team)s with %(mentor)s at %(when)s"),
        gettext_noop("Reminder: %(team)s meets %(mentor)s at %(when)s, %(where)s."),
        "mentoring.reminder",
        facts,
    )


def help_claimed(request: HelpRequest, mentor: User) -> None:
    facts = {"mentor": mentor.display_name, "text": request.text}
    _send(
        _team_people(request.team),
        gettext_noop("%(mentor)s is coming to help"),
        gettext_noop("%(mentor)s took your request “%(text)s” and is on the way."),
        "mentoring.claim",
        facts,
    )


def help_expired(request: HelpRequest) -> None:
    facts = {"text": request.text}
    _send(
        _team_people(request.team),
        gettext_noop("Your help request expired"),
        gettext_noop(
            "Nobody could take your request “%(text)s” in time. Raise it again, or book a session with a mentor."
        ),
        "mentoring.expire",
        facts,
    )


def help_claim_timed_out(request: HelpRequest, mentor: User) -> None:
    facts = {"team": request.team.name, "text": request.text}
    _send(
        [mentor],
        gettext_noop("Your claim of %(team)s's request went back to the queue"),
        gettext_noop(
            "You did not close the request of %(team)s (“%(text)s”) in time, so it is back in the queue. "
            "If you are still helping them, claim it again."
        ),
        "mentoring.claim_timeout",
        facts,
    )
