from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from hackathon.models import EventRole
from mentoring import services
from mentoring.models import Booking, HelpRequest, MentorSlot
from mentoring.tests.factories import failed_job, mentor, person, slot, team_with_members

pytestmark = pytest.mark.django_db


def url(event, name, **kwargs):
    return reverse(f"mentoring:{name}", kwargs={"event_slug": event.slug, **kwargs})


@pytest.fixture
def event_organizer(hack_event):
    user = person()
    EventRole.objects.create(event=hack_event, user=user, role="organizer")
    return user


def test_team_page_lists_open_slots_and_books_one(client, hack_event, team, member, mentor_profile):
    open_slot = slot(mentor_profile, topic="INT8 calibration")
    client.force_login(member)
    page = client.get(url(hack_event, "team_home"))
    assert page.status_code == 200
    assert b"INT8 calibration" in page.content and b"Ask for help now" in page.content
    response = client.post(url(hack_event, "booking_create", slot_id=open_slot.pk), {"note": "accuracy drop"})
    assert response.status_code == 302
    booking = Booking.objects.get(team=team)
    assert booking.note == "accuracy drop"
    page = client.get(url(hack_event, "team_home"))
    assert b"No open slot right now" in page.content  # the only slot is taken, and the limit is reached


def test_participant_without_a_team_is_told_what_to_do(client, hack_event):
    lonely = person()
    EventRole.objects.create(event=hack_event, user=lonely, role="participant", track="ai")
    client.force_login(lonely)
    assert b"Join or found a team first" in client.get(url(hack_event, "team_home")).content


def test_outsiders_get_404(client, hack_event, team, member, mentor_profile):
    stranger = person()
    client.force_login(stranger)
    for name in ("home", "team_home", "mentor_day", "queue", "overview", "slots"):
        assert client.get(url(hack_event, name)).status_code == 404, name
    # A participant cannot open the mentors' or organizers' pages.
    client.force_login(member)
    for name in ("mentor_day", "queue", "overview", "slots"):
        assert client.get(url(hack_event, name)).status_code == 404, name


def test_another_team_cannot_read_notes_or_cancel(client, hack_event, team, member, outsider, mentor_profile):
    booking = services.booking_create(slot_id=slot(mentor_profile).pk, team_id=team.pk, booked_by=member)
    client.force_login(outsider)
    assert client.get(url(hack_event, "booking_detail", booking_id=booking.pk)).status_code == 404
    assert client.post(url(hack_event, "booking_cancel", booking_id=booking.pk)).status_code == 404
    assert Booking.objects.get(pk=booking.pk).state == "booked"
    client.force_login(member)
    assert client.get(url(hack_event, "booking_detail", booking_id=booking.pk)).status_code == 200
    client.force_login(mentor_profile.user)
    assert client.get(url(hack_event, "booking_detail", booking_id=booking.pk)).status_code == 200


def test_a_participant_cannot_claim(client, hack_event, team, member, outsider):
    request = services.help_request_raise(team=team, raised_by=member, topic="npu_sdk", text="stuck")
    client.force_login(outsider)
    assert client.post(url(hack_event, "help_request_claim", request_id=request.pk)).status_code == 404
    assert HelpRequest.objects.get(pk=request.pk).state == "open"


def test_raise_with_one_click_attachment_and_mentor_claims_and_closes(client, hack_event, team, member, mentor_profile):
    job = failed_job(team, reason="Unsupported operator GridSample")
    client.force_login(member)
    page = client.get(url(hack_event, "team_home"))
    assert f"job:{job.pk}".encode() in page.content
    client.post(
        url(hack_event, "help_request_raise"),
        {"topic": "npu_sdk", "text": "compile fails", "attachment": f"job:{job.pk}"},
    )
    request = HelpRequest.objects.get(team=team)
    assert request.job == job
    client.force_login(mentor_profile.user)
    queue = client.get(url(hack_event, "queue"))
    assert b"Unsupported operator GridSample" in queue.content
    client.post(url(hack_event, "help_request_claim", request_id=request.pk))
    client.force_login(member)
    live = client.get(url(hack_event, "team_live"))
    assert mentor_profile.user.display_name.encode() in live.content
    client.force_login(mentor_profile.user)
    client.post(url(hack_event, "help_request_close", request_id=request.pk))
    assert HelpRequest.objects.get(pk=request.pk).state == "closed"


def test_team_live_answers_204_when_nothing_changed(client, hack_event, team, member):
    client.force_login(member)
    first = client.get(url(hack_event, "team_live"))
    version = first.content.decode().split("?v=")[1].split('"')[0]
    assert client.get(url(hack_event, "team_live") + f"?v={version}").status_code == 204
    services.help_request_raise(team=team, raised_by=member, topic="npu_sdk", text="stuck")
    assert client.get(url(hack_event, "team_live") + f"?v={version}").status_code == 200


def test_mentor_publishes_a_shift_and_sees_a_booking_on_their_day(client, hack_event, team, member, mentor_profile):
    day = timezone.localtime(hack_event.hacking_starts_at, hack_event.tz).date() + timedelta(days=1)
    client.force_login(mentor_profile.user)
    response = client.post(
        url(hack_event, "slots"),
        {
            "kind": "shift",
            "day": day.isoformat(),
            "start": "14:00",
            "end": "16:00",
            "length_minutes": 30,
            "place": "B1",
        },
    )
    assert response.status_code == 302
    assert MentorSlot.objects.filter(mentor=mentor_profile).count() == 4
    first = MentorSlot.objects.filter(mentor=mentor_profile).first()
    assert f"{timezone.localtime(first.starts_at, hack_event.tz):%H:%M}" == "14:00"
    services.booking_create(slot_id=first.pk, team_id=team.pk, booked_by=member, note="quantization")
    refused = client.post(
        url(hack_event, "slots"), {"kind": "single", "starts_at": "2001-01-01T10:00", "length_minutes": 30}
    )
    assert refused.status_code == 200 and b"Slots must fit in the hacking time" in refused.content
    day_page = client.get(url(hack_event, "mentor_day"))
    # The session is tomorrow: the day page lists sessions from today on.
    assert b"BlurCast" in day_page.content


def test_organizer_invites_a_mentor_and_sees_the_overview(client, hack_event, event_organizer, team, mentor_profile):
    someone = person(email="new-mentor@example.com")
    client.force_login(event_organizer)
    client.post(url(hack_event, "mentor_invite"), {"email": someone.email, "tags": ["compiler"]})
    assert EventRole.objects.filter(event=hack_event, user=someone, role="mentor").exists()
    page = client.get(url(hack_event, "overview"))
    assert page.status_code == 200 and b"BlurCast" in page.content


def test_list_pages_have_pinned_query_counts(
    client, hack_event, event_organizer, mentor_profile, django_assert_max_num_queries
):
    teams = [team_with_members(hack_event, members=1) for _ in range(6)]
    for i, (t, people) in enumerate(teams):
        booked = slot(mentor_profile, in_minutes=120 + 30 * i)
        services.booking_create(slot_id=booked.pk, team_id=t.pk, booked_by=people[0])
        failed_job(t)
        other = mentor(hack_event)
        services.help_request_raise(team=t, raised_by=people[1], topic="npu_sdk", text=f"help {i}")
        slot(other)
    member = teams[0][1][0]
    client.force_login(member)
    with django_assert_max_num_queries(25):
        assert client.get(url(hack_event, "team_home")).status_code == 200
    client.force_login(mentor_profile.user)
    with django_assert_max_num_queries(20):
        assert client.get(url(hack_event, "queue")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url(hack_event, "slots")).status_code == 200
    client.force_login(event_organizer)
    with django_assert_max_num_queries(25):
        assert client.get(url(hack_event, "overview")).status_code == 200
