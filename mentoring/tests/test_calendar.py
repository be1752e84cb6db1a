"""The private feeds, parsed back with the icalendar library."""

import pytest
from django.urls import reverse
from icalendar import Calendar

from mentoring import services
from mentoring.tests.factories import slot

pytestmark = pytest.mark.django_db


def feed(client, event, kind, token):
    return client.get(reverse(f"mentoring:calendar_{kind}", kwargs={"event_slug": event.slug, "token": token}))


def test_mentor_and_team_feeds_list_the_session(client, hack_event, team, member, mentor_profile):
    booked = slot(mentor_profile, place="Room B", topic="Quantization clinic")
    booking = services.booking_create(slot_id=booked.pk, team_id=team.pk, booked_by=member, note="INT8 accuracy")
    team_calendar = services.team_calendar_create(team=team, created_by=member)

    for kind, token, summary in (
        ("mentor", mentor_profile.calendar_token, "Mentoring: BlurCast"),
        ("team", team_calendar.token, f"Mentoring with {mentor_profile.user.display_name}"),
    ):
        response = feed(client, hack_event, kind, token)  # no login: the token is the key
        assert response.status_code == 200 and response["Content-Type"].startswith("text/calendar")
        calendar = Calendar.from_ical(response.content)
        (entry,) = calendar.walk("VEVENT")
        assert str(entry["summary"]) == summary
        assert entry.decoded("dtstart") == booked.starts_at
        assert entry.decoded("dtend") == booked.ends_at
        assert str(entry["location"]) == "Room B"
        assert "INT8 accuracy" in str(entry["description"])
        assert str(entry["uid"]).startswith(f"booking-{booking.pk}@")


def test_cancelled_sessions_leave_the_feed(client, hack_event, team, member, mentor_profile):
    booking = services.booking_create(slot_id=slot(mentor_profile).pk, team_id=team.pk, booked_by=member)
    services.booking_cancel(booking_id=booking.pk, cancelled_by=member)
    calendar = Calendar.from_ical(feed(client, hack_event, "mentor", mentor_profile.calendar_token).content)
    assert calendar.walk("VEVENT") == []


def test_a_wrong_token_is_refused(client, hack_event, team, member, mentor_profile, other_team_and_members):
    assert feed(client, hack_event, "mentor", "not-the-token").status_code == 404
    assert feed(client, hack_event, "team", "not-the-token").status_code == 404
    # A right token under another event's address is refused too.
    from mentoring.tests.factories import hacking_event

    elsewhere = hacking_event()
    assert feed(client, elsewhere, "mentor", mentor_profile.calendar_token).status_code == 404
    # A rotated token stops the old URL at once.
    old = mentor_profile.calendar_token
    services.calendar_token_rotate(profile_id=mentor_profile.pk, rotated_by=mentor_profile.user)
    assert feed(client, hack_event, "mentor", old).status_code == 404


def test_only_members_make_a_team_feed(team, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.team_calendar_create(team=team, created_by=outsider)
