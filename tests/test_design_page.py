"""The design-system page: every part rendered live, for organizers and staff only."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db
URL = reverse("design_system")


def test_an_organizer_sees_every_part(client, organizer):
    client.login(email=organizer.email, password=TEST_PASSWORD)
    body = client.get(URL).content.decode()
    for part in (
        'class="page-header"',
        'class="stat-card',
        'class="table-wrap"',
        'class="filter-bar"',
        "data-confirm=",
    ):
        assert part in body
    for tone in ("ok", "warn", "bad", "info", "neutral", "npu", "cpu", "simulated"):
        assert f"badge--{tone}" in body


def test_the_error_states_of_the_fields_show_on_request(client, organizer):
    client.login(email=organizer.email, password=TEST_PASSWORD)
    body = client.get(URL, {"name": ""}).content.decode()
    assert 'aria-invalid="true"' in body
    assert 'id="id_name_error"' in body


def test_staff_without_an_event_role_see_it(client, make_user):
    staff = make_user(is_staff=True)
    client.login(email=staff.email, password=TEST_PASSWORD)
    assert client.get(URL).status_code == 200


def test_outsiders_get_404_and_visitors_are_asked_to_log_in(client, make_user, grant, event):
    participant = make_user()
    grant(participant, event, "participant")
    client.login(email=participant.email, password=TEST_PASSWORD)
    assert client.get(URL).status_code == 404
    client.logout()
    assert client.get(URL).status_code == 302
