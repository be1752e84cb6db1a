import pytest
from rest_framework.test import APIClient

from mentoring.models import Booking, HelpRequest
from mentoring.tests.factories import failed_job, slot

pytestmark = pytest.mark.django_db


def api(event, path):
    return f"/api/v1/events/{event.slug}/mentoring/{path}"


@pytest.fixture
def client_as():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make


def test_book_list_and_cancel(client_as, hack_event, team, member, outsider, mentor_profile):
    open_slot = slot(mentor_profile)
    response = client_as(member).post(api(hack_event, "bookings/create/"), {"slot": open_slot.pk, "note": "INT8"})
    assert response.status_code == 201, response.json()
    booking_id = response.json()["id"]
    again = client_as(member).post(api(hack_event, "bookings/create/"), {"slot": open_slot.pk})
    assert again.status_code == 400 and again.json()["code"] == "limit_reached"
    assert [b["id"] for b in client_as(member).get(api(hack_event, "bookings/")).json()] == [booking_id]
    assert client_as(outsider).get(api(hack_event, "bookings/")).json() == []
    assert client_as(outsider).post(api(hack_event, f"bookings/{booking_id}/cancel/")).status_code == 404
    assert client_as(member).post(api(hack_event, f"bookings/{booking_id}/cancel/")).json()["state"] == "cancelled"
    assert Booking.objects.get(pk=booking_id).state == "cancelled"


def test_queue_raise_claim_close_rate(client_as, hack_event, team, member, outsider, mentor_profile):
    job = failed_job(team)
    raised = client_as(member).post(
        api(hack_event, "help-requests/raise/"), {"topic": "npu_sdk", "text": "compile fails", "job": job.pk}
    )
    assert raised.status_code == 201 and raised.json()["job"] == job.pk
    request_id = raised.json()["id"]
    status = client_as(member).get(api(hack_event, "help-requests/status/")).json()
    assert status["position"] == 1 and status["mentors_on_shift"] == 0
    # A participant cannot claim (the mentor role is required: 404), nor attach another team's job.
    assert client_as(outsider).post(api(hack_event, f"help-requests/{request_id}/claim/")).status_code == 404
    other_job = failed_job(team)
    assert (
        client_as(outsider)
        .post(api(hack_event, "help-requests/raise/"), {"topic": "npu_sdk", "text": "x", "job": other_job.pk})
        .status_code
        == 404
    )
    claimed = client_as(mentor_profile.user).post(api(hack_event, f"help-requests/{request_id}/claim/"))
    assert claimed.json()["claimed_by"]["id"] == mentor_profile.user.pk
    client_as(mentor_profile.user).post(api(hack_event, f"help-requests/{request_id}/close/"))
    rated = client_as(member).post(api(hack_event, f"help-requests/{request_id}/rate/"), {"rating": 4})
    assert rated.json()["rating"] == 4
    assert HelpRequest.objects.get(pk=request_id).state == "closed"


def test_slot_create_and_list(client_as, hack_event, mentor_profile, member):
    from datetime import timedelta

    starts_at = (hack_event.hacking_starts_at + timedelta(hours=4)).isoformat()
    made = client_as(mentor_profile.user).post(
        api(hack_event, "slots/create/"), {"starts_at": starts_at, "length_minutes": 30, "place": "B1"}
    )
    assert made.status_code == 201, made.json()
    assert (
        client_as(member)
        .post(api(hack_event, "slots/create/"), {"starts_at": starts_at, "length_minutes": 30})
        .status_code
        == 404
    )
    too_long = client_as(mentor_profile.user).post(
        api(hack_event, "slots/create/"), {"starts_at": starts_at, "length_minutes": 500}
    )
    assert too_long.status_code == 400
    assert client_as(member).get(api(hack_event, "mentors/")).json()[0]["tags"] == ["npu_sdk", "quantization"]
