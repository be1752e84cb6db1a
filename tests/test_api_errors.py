"""The API's own error shape: JSON with detail, code and field for every error, documented for every operation."""

import pytest
import yaml
from django.core.management import call_command
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from applications.tests.test_api import ANSWERS

pytestmark = pytest.mark.django_db
KEYS = {"detail", "code", "field"}


@pytest.fixture(scope="module")
def schema(tmp_path_factory, django_db_blocker):
    path = tmp_path_factory.mktemp("schema") / "schema.yml"
    with django_db_blocker.unblock():
        call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_schema_validates_and_documents_the_error_shape_for_every_operation(schema):
    assert set(schema["components"]["schemas"]["Error"]["required"]) == KEYS
    operations = [
        (url, method, operation)
        for url, item in schema["paths"].items()
        for method, operation in item.items()
        if method in {"get", "post", "put", "patch", "delete"}
    ]
    assert len(operations) > 30
    for url, method, operation in operations:
        for code in ("400", "401", "403", "404"):
            content = operation["responses"][code]["content"]["application/json"]["schema"]
            assert content == {"$ref": "#/components/schemas/Error"}, (url, method, code)


def test_screening_list_is_documented_as_a_page_with_limit_and_offset(schema):
    operation = schema["paths"]["/api/v1/events/{event_slug}/applications/screening/"]["get"]
    assert {"limit", "offset"} <= {parameter["name"] for parameter in operation["parameters"]}
    page = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[1]
    assert set(schema["components"]["schemas"][page]["properties"]) == {"count", "next", "previous", "results"}


def assert_error(response, status, code=None):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) >= KEYS, body
    if code:
        assert body["code"] == code
    return body


def test_bad_token_gets_401_with_www_authenticate(event):
    api = APIClient()
    assert_error(api.get("/api/v1/me/"), 403, "not_authenticated")  # no credentials at all
    api.credentials(HTTP_AUTHORIZATION="Token not-a-real-token")
    response = api.get("/api/v1/me/")
    assert_error(response, 401, "authentication_failed")
    assert response["WWW-Authenticate"] == "Token"
    # Even where anyone may read: a wrong token is refused, not ignored.
    assert_error(api.get("/api/v1/events/"), 401)


def test_a_real_token_works(make_user):
    user = make_user()
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    assert api.get("/api/v1/me/").json()["email"] == user.email


def test_403_404_and_400_have_the_shape(event, make_user, grant):
    participant = make_user()
    grant(participant, event, "participant", track="ai")
    api = APIClient()
    api.force_authenticate(participant)
    assert_error(api.get(f"/api/v1/events/{event.slug}/roles/"), 404)  # organizers only: not revealed
    assert_error(api.get("/api/v1/events/no-such-event/"), 404, "not_found")
    body = assert_error(
        api.post(f"/api/v1/events/{event.slug}/applications/mine/submit/", {"track": "nope"}, format="json"), 400
    )
    assert body["field"] and body["field"] in body and body["code"]
    assert body["detail"].startswith(body["field"])


def test_a_refused_rule_is_400_with_the_shape(event, make_user):
    api = APIClient()
    api.force_authenticate(make_user())
    url = f"/api/v1/events/{event.slug}/applications/mine/submit/"
    assert api.post(url, ANSWERS, format="json").status_code == 201
    body = assert_error(api.post(url, ANSWERS, format="json"), 400, "duplicate")
    assert set(body) == KEYS


def test_unmatched_api_urls_answer_json_not_html(make_user):
    api = APIClient()
    assert_error(api.get("/api/v1/nothing-here/"), 404, "not_found")
    api.force_authenticate(make_user())
    assert_error(api.post("/api/v2/teams/"), 404, "not_found")
    # Pages still get the HTML page.
    page = APIClient().get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.urls("tests.api_error_urls")
def test_a_server_error_under_api_answers_json(client):
    client.raise_request_exception = False
    response = client.get("/api/v1/test-failure/")
    assert_error(response, 500, "server_error")
