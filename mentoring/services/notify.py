"""Emails of mentoring. Each is recorded in the caller's transaction and sent by a worker after it commits
(core.services.email_queue)."""

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.services import email_queue
from mentoring.models import Booking, HelpRequest
from teams.models import Team, TeamMembership


def _team_people(team: Team) -> list[User]:
    return [m.user for m in TeamMembership.objects.filter(team=team).select_related("user")]


def _send(people: Iterable[User], subject: str, body: str, purpose: str) -> None:
    for person in people:
        if person.email:
            email_queue(to=person.email, subject=subject, body=body, purpose=purpose)


def _when(booking: Booking) -> str:
    local = timezone.localtime(booking.slot.starts_at, booking.slot.event.tz)
    return f"{local:%Y-%m-%d %H:%M} ({booking.slot.event.time_zone})"


def _where(booking: Booking) -> str:
    return booking.slot.video_url or booking.slot.place or _("the place your mentor tells you")


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
        _("Mentoring booked: %(mentor)s at %(when)s") % facts,
        _("%(team)s meets %(mentor)s at %(when)s, %(where)s.\n\nWhat you need: %(note)s") % facts,
        "mentoring.booking",
    )
    _send(
        [booking.slot.mentor.user],
        _("%(team)s booked your session at %(when)s") % facts,
        _("%(team)s booked your session at %(when)s, %(where)s.\n\nWhat they need: %(note)s") % facts,
        "mentoring.booking",
    )


def booking_cancelled(booking: Booking) -> None:
    facts = {"team": booking.team.name, "mentor": booking.slot.mentor.user.display_name, "when": _when(booking)}
    _send(
        [*_team_people(booking.team), booking.slot.mentor.user],
        _("Mentoring cancelled: %(team)s with %(mentor)s at %(when)s") % facts,
        _("The session of %(team)s with %(mentor)s at %(when)s was cancelled. The slot is open again.") % facts,
        "mentoring.cancel",
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
        _("Soon: mentoring of %(team)s with %(mentor)s at %(when)s") % facts,
        _("Reminder: %(team)s meets %(mentor)s at %(when)s, %(where)s.") % facts,
        "mentoring.reminder",
    )


def help_claimed(request: HelpRequest, mentor: User) -> None:
    facts = {"mentor": mentor.display_name, "text": request.text}
    _send(
        _team_people(request.team),
        _("%(mentor)s is coming to help") % facts,
        _("%(mentor)s took your request “%(text)s” and is on the way.") % facts,
        "mentoring.claim",
    )


def help_expired(request: HelpRequest) -> None:
    facts = {"text": request.text}
    _send(
        _team_people(request.team),
        _("Your help request expired"),
        _("Nobody could take your request “%(text)s” in time. Raise it again, or book a session with a mentor.")
        % facts,
        "mentoring.expire",
    )


def help_claim_timed_out(request: HelpRequest, mentor: User) -> None:
    facts = {"team": request.team.name, "text": request.text}
    _send(
        [mentor],
        _("Your claim of %(team)s's request went back to the queue") % facts,
        _(
            "You did not close the request of %(team)s (“%(text)s”) in time, so it is back in the queue. "
            "If you are still helping them, claim it again."
        )
        % facts,
        "mentoring.claim_timeout",
    )
