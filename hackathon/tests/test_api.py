import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def test_event_list_is_public_and_hides_drafts(api, event):
    EventFactory(is_published=False)
    response = api.get("/api/v1/events/")
    assert response.status_code == 200
    assert [item["slug"] for item in response.json()] == [event.slug]
    assert response.json()[0]["phase"] == "applications"


def test_event_detail_tells_my_roles_with_token_auth(api, event, organizer):
    token = Token.objects.create(user=organizer)
    api.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = api.get(f"/api/v1/events/{event.slug}/")
    assert response.status_code == 200
    assert response.json()["my_roles"] == ["organizer"]


def test_roles_api_is_for_organizers(api, event, organizer, make_user, grant, django_assert_max_num_queries):
    judge = make_user()
    grant(judge, event, "judge")
    for _ in range(10):
        grant(make_user(), event, "participant", track="pm")
    url = f"/api/v1/events/{event.slug}/roles/"
    assert api.get(url).status_code in (401, 403)
    api.force_authenticate(judge)
    assert api.get(url).status_code == 404
    api.force_authenticate(organizer)
    with django_assert_max_num_queries(4):
        response = api.get(url)
    assert response.status_code == 200
    assert len(response.json()) == 12
    assert api.get(url, {"role": "judge"}).json()[0]["email"] == judge.email


def test_me_api(api, event, organizer):
    api.force_authenticate(organizer)
    body = api.get("/api/v1/me/").json()
    assert body["email"] == organizer.email
    assert body["roles"] == [{"event": event.slug, "role": "organizer", "track": ""}]


def test_openapi_schema_and_docs_are_served_offline(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/events/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    assert "cdn" not in docs.lower()
