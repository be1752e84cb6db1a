"""Round rules past their column's range answer 400, never 500 (API, form and service)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from core.exceptions import DomainError
from teams import services
from teams.models import TeamBuildingRound
from teams.services.rounds import MAX_TEAM_SIZE_LIMIT

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("value", [MAX_TEAM_SIZE_LIMIT + 1, 32768, 2**31, 2**63])
def test_round_rules_api_refuses_numbers_past_the_range(open_event, round_organizer, value):
    api = APIClient()
    api.force_authenticate(round_organizer)
    response = api.post(f"/api/v1/events/{open_event.slug}/teams/round/rules/", {"max_team_size": value}, format="json")
    assert response.status_code == 400
    assert "max_team_size" in response.json()


def test_round_rules_form_refuses_numbers_past_the_range(client, open_event, round_organizer):
    client.force_login(round_organizer)
    rules = {"min_team_size": 1, "max_team_size": 99999, "max_pm": 1, "max_frontend": 1, "max_backend": 1, "max_ai": 1}
    response = client.post(reverse("teams:round_rules", kwargs={"event_slug": open_event.slug}), rules)
    assert response.status_code in (200, 302)
    assert not TeamBuildingRound.objects.filter(event=open_event, max_team_size=99999).exists()


def test_round_rules_service_refuses_numbers_past_the_range(open_event, round_organizer):
    with pytest.raises(DomainError) as error:
        services.team_round_rules_update(event=open_event, updated_by=round_organizer, max_ai=40000)
    assert error.value.field == "max_ai"
