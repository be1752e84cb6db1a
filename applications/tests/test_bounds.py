"""Selection settings and waitlist ranks past their column's range answer 400, never 500."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from applications import services
from applications.models import SelectionSettings, TrackPlaces
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db
QUOTAS = {"ai": 1, "pm": 1, "backend": 1, "frontend": 1}


def settings_url(event):
    return f"/api/v1/events/{event.slug}/applications/selection/settings/"


def organizer_api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


@pytest.mark.parametrize(
    "change",
    [
        {"quotas": {**QUOTAS, "ai": 32768}},
        {"quotas": {**QUOTAS, "ai": 501}},
        {"promoted_rsvp_hours": 2**31},
        {"waitlist_length": 32768},
        {"rsvp_deadline": "9999-12-31T23:00:00-12:00"},
        {"rsvp_deadline": "1900-01-01T00:00:00Z"},
    ],
)
def test_selection_settings_api_refuses_values_past_the_range(screening_event, screening_organizer, change):
    body = {"quotas": QUOTAS, "rsvp_deadline": "2099-01-01T00:00:00Z", "promoted_rsvp_hours": 24, **change}
    response = organizer_api(screening_organizer).post(settings_url(screening_event), body, format="json")
    assert response.status_code == 400, response.content
    assert response.json()["field"].split(".")[0] in {
        "quotas",
        "promoted_rsvp_hours",
        "waitlist_length",
        "rsvp_deadline",
    }
    assert not TrackPlaces.objects.filter(event=screening_event, places__gt=500).exists()


@pytest.mark.parametrize("rank", [100_001, 2**31, 2**63])
def test_waitlist_rank_past_the_range_is_400(screening_event, screening_organizer, scored, rank):
    application = scored("ai", [3])
    url = f"/api/v1/events/{screening_event.slug}/applications/selection/{application.pk}/decision/"
    response = organizer_api(screening_organizer).post(
        url, {"decision": "waitlist", "waitlist_rank": rank}, format="json"
    )
    assert response.status_code == 400
    assert "waitlist_rank" in response.json()


def test_services_check_the_ranges_too(screening_event, screening_organizer, scored):
    with pytest.raises(DomainError) as error:
        services.selection_settings_update(
            event=screening_event,
            updated_by=screening_organizer,
            places={**QUOTAS, "ai": 40000},
            rsvp_deadline=None,
            promoted_rsvp_hours=24,
        )
    assert error.value.field == "places_ai"
    with pytest.raises(DomainError) as error:
        services.selection_settings_update(
            event=screening_event,
            updated_by=screening_organizer,
            places=QUOTAS,
            rsvp_deadline=None,
            promoted_rsvp_hours=10**6,
        )
    assert error.value.field == "promoted_rsvp_hours"
    application = scored("ai", [3])
    with pytest.raises(DomainError) as error:
        services.selection_adjust(
            event=screening_event,
            application_id=application.pk,
            decision="waitlist",
            adjusted_by=screening_organizer,
            waitlist_rank=2**40,
        )
    assert error.value.field == "waitlist_rank"


def test_selection_form_refuses_values_past_the_range(client, screening_event, screening_organizer):
    client.force_login(screening_organizer)
    data = {f"places_{track}": 1 for track in QUOTAS} | {"promoted_rsvp_hours": 24, "waitlist_length": 99999}
    data["rsvp_deadline"] = "9999-12-31T23:00"
    response = client.post(reverse("applications:selection", kwargs={"event_slug": screening_event.slug}), data)
    assert response.status_code in (200, 302)
    assert not SelectionSettings.objects.filter(event=screening_event, waitlist_length=99999).exists()
