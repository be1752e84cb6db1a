"""Private iCalendar feeds of sessions (icalendar library): one per mentor, one per team, each behind a token."""

from datetime import UTC, datetime

from django.http import HttpRequest
from django.urls import reverse
from icalendar import Calendar, Event

from mentoring.models import Booking, MentorProfile
from mentoring.selectors import ACTIVE_BOOKING
from teams.models import Team


def feed_url(request: HttpRequest, *, mentor_token: str = "", team_token: str = "") -> str:
    if mentor_token:
        path = reverse("mentoring:calendar_mentor", kwargs={"event_slug": request.event.slug, "token": mentor_token})
    else:
        path = reverse("mentoring:calendar_team", kwargs={"event_slug": request.event.slug, "token": team_token})
    return request.build_absolute_uri(path)


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//HackNPU//mentoring//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def _event(booking: Booking, summary: str, request: HttpRequest) -> Event:
    slot = booking.slot
    entry = Event()
    entry.add("uid", f"booking-{booking.pk}@{request.get_host()}")
    entry.add("dtstamp", datetime.now(UTC))
    entry.add("dtstart", slot.starts_at)
    entry.add("dtend", slot.ends_at)
    entry.add("summary", summary)
    if slot.place or slot.video_url:
        entry.add("location", slot.video_url or slot.place)
    description = [booking.note]
    if slot.topic:
        description.insert(0, slot.topic)
    entry.add("description", "\n".join(d for d in description if d))
    entry.add(
        "url",
        request.build_absolute_uri(
            reverse("mentoring:booking_detail", kwargs={"event_slug": slot.event.slug, "booking_id": booking.pk})
        ),
    )
    return entry


def _bookings():
    return Booking.objects.filter(ACTIVE_BOOKING).select_related("slot__event", "slot__mentor__user", "team")


def mentor_feed(profile: MentorProfile, *, request: HttpRequest) -> bytes:
    calendar = _calendar(f"{profile.event.name}: mentoring ({profile.user.display_name})")
    for booking in _bookings().filter(slot__mentor=profile).order_by("slot__starts_at"):
        calendar.add_component(_event(booking, f"Mentoring: {booking.team.name}", request))
    return calendar.to_ical()


def team_feed(team: Team, *, request: HttpRequest) -> bytes:
    calendar = _calendar(f"{team.event.name}: mentoring ({team.name})")
    for booking in _bookings().filter(team=team).order_by("slot__starts_at"):
        calendar.add_component(_event(booking, f"Mentoring with {booking.slot.mentor.user.display_name}", request))
    return calendar.to_ical()
