import pytest
from django.urls import reverse

from judging import services
from judging.models import Criterion

pytestmark = pytest.mark.django_db


def test_the_event_page_lists_the_default_criteria_before_any_are_saved(client, event):
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert "<h3>Judging criteria</h3>" in body
    for name in ["Planning", "Creativity", "Technical expertise", "Completeness", "Economics"]:
        assert f"<li><strong>{name}</strong>" in body
    assert not Criterion.objects.filter(event=event).exists()  # a read never writes


def test_it_shows_the_events_own_criteria(client, event, organizer):
    services.criteria_ensure(event)
    planning = Criterion.objects.get(event=event, key="planning")
    services.criterion_update(event=event, criterion_id=planning.pk, updated_by=organizer, name_en="Plan and pitch")
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert "<li><strong>Plan and pitch</strong>" in body


def test_in_korean_too(client, event):
    url = reverse("hackathon:event_home", kwargs={"event_slug": event.slug})
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "심사 기준" in body and "창의성" in body


def test_the_event_page_lists_the_award_categories(client, event):
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert 'data-testid="award-categories"' in body
    assert "<strong>Grand prize</strong>" in body and "1 team<" in body
    assert "<strong>Excellence prize</strong>" in body and "3 teams<" in body
    assert "<strong>Merit prize</strong>" in body and "2 teams<" in body
