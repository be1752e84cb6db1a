import pytest
from rest_framework.test import APIClient

from applications import services
from applications.models import Application
from applications.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db
BASE = "/api/v1/events/{slug}/applications/"

ANSWERS = {
    "track": "backend",
    "experience": "mid",
    "skills": "Go, PostgreSQL",
    "portfolio_url": "https://github.com/me",
    "motivation": "Serving models.",
    "sdk_training_completed": False,
    "privacy_consent": True,
}


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def test_submit_read_update_and_withdraw_my_application(event, make_user):
    user = make_user()
    client = api(user)
    base = BASE.format(slug=event.slug)
    assert client.get(base + "mine/").status_code == 404
    created = client.post(base + "mine/submit/", ANSWERS, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["status"] == "submitted"
    duplicate = client.post(base + "mine/submit/", ANSWERS, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json()["code"] == "duplicate"
    updated = client.patch(base + "mine/update/", {"track": "ai"}, format="json")
    assert updated.json()["track"] == "ai"
    assert client.post(base + "mine/withdraw/").json()["status"] == "withdrawn"


def test_late_submit_is_400_with_a_message(screening_event, make_user):
    response = api(make_user()).post(BASE.format(slug=screening_event.slug) + "mine/submit/", ANSWERS, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "closed"


def test_anonymous_is_refused(event):
    assert api().post(BASE.format(slug=event.slug) + "mine/submit/", ANSWERS, format="json").status_code in (401, 403)


def test_rsvp_through_the_api(decided_track):
    application = decided_track["accepted"][0]
    response = api(application.user).post(
        BASE.format(slug=decided_track["event"].slug) + "mine/rsvp/", {"attending": False}, format="json"
    )
    assert response.json()["status"] == "declined"
    waiting = api(decided_track["waitlist"][1].user).get(BASE.format(slug=decided_track["event"].slug) + "mine/")
    assert waiting.json()["waitlist_position"] == 1


def test_screening_list_review_and_blindness(
    screening_event, reviewer, screening_organizer, scored, django_assert_max_num_queries
):
    for _ in range(20):
        scored("ai", [4])
    target = scored("pm", [2])
    base = BASE.format(slug=screening_event.slug)
    with django_assert_max_num_queries(6):
        listing = api(reviewer).get(base + "screening/", {"limit": 10})
    assert listing.json()["count"] == 21
    assert all(row["mean_score"] is None for row in listing.json()["results"])  # not scored by this reviewer
    organizer_view = api(screening_organizer).get(base + "screening/", {"track": "pm"}).json()["results"]
    assert organizer_view[0]["mean_score"] == 2.0

    detail = api(reviewer).get(base + f"screening/{target.pk}/").json()
    assert detail["others_visible"] is False and detail["other_reviews"] is None
    saved = api(reviewer).post(
        base + f"screening/{target.pk}/review/", {"score": 5, "comment": "Strong"}, format="json"
    )
    assert saved.status_code == 200
    detail = api(reviewer).get(base + f"screening/{target.pk}/").json()
    assert detail["others_visible"] is True
    assert detail["mean_score"] == 3.5


def test_review_and_selection_endpoints_are_404_for_outsiders(screening_event, outsider, make_user, grant):
    application = ApplicationFactory(event=screening_event)
    participant = make_user()
    grant(participant, screening_event, "participant", track="ai")
    base = BASE.format(slug=screening_event.slug)
    for person in (outsider, participant):
        client = api(person)
        assert client.get(base + "screening/").status_code == 404
        assert client.post(base + f"screening/{application.pk}/review/", {"score": 5}, format="json").status_code == 404
        assert client.get(base + "selection/").status_code == 404
        assert client.post(base + "selection/propose/").status_code == 404


def test_reviewer_cannot_select(screening_event, reviewer):
    assert api(reviewer).post(BASE.format(slug=screening_event.slug) + "selection/propose/").status_code == 404


def test_organizer_selection_flow(screening_event, screening_organizer, scored):
    top, other = scored("ai", [5]), scored("ai", [3])
    client = api(screening_organizer)
    base = BASE.format(slug=screening_event.slug)
    response = client.post(
        base + "selection/settings/",
        {
            "quotas": {"ai": 1, "pm": 10, "backend": 10, "frontend": 10},
            "rsvp_deadline": "2099-01-01T00:00:00Z",
            "promoted_rsvp_hours": 24,
        },
        format="json",
    )
    assert response.status_code == 204
    assert client.post(base + "selection/propose/").json()["ai"] == {"accept": 1, "waitlist": 1, "reject": 0}
    board = client.get(base + "selection/").json()
    ai = next(t for t in board["tracks"] if t["track"] == "ai")
    assert [e["id"] for e in ai["proposed"]] == [top.pk]
    foreign = ApplicationFactory()
    assert (
        client.post(base + f"selection/{foreign.pk}/decision/", {"decision": "accept"}, format="json").status_code
        == 404
    )
    assert client.post(base + "selection/send/").json() == {"accepted": 1, "waitlisted": 1, "rejected": 0}
    assert Application.objects.get(pk=other.pk).status == "waitlisted"


def test_checkin_api(decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    application = decided_track["accepted"][0]
    services.application_rsvp(application_id=application.pk, user=application.user, attending=True)
    base = BASE.format(slug=event.slug)
    response = api(organizer).post(base + "checkin/", {"code": application.checkin_token}, format="json")
    assert response.json()["newly"] is True
    assert (
        api(application.user).post(base + "checkin/", {"code": application.checkin_token}, format="json").status_code
        == 404
    )
