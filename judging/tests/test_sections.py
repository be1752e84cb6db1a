import pytest
from django.urls import reverse

from judging.models import Criterion

pytestmark = pytest.mark.django_db


def test_the_event_page_lists_the_judging_criteria(client, event):
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert "<h3>Judging criteria</h3>" in body
    for criterion in Criterion:
        assert f"<li>{criterion.label}</li>" in body


def test_in_korean_too(client, event):
    url = reverse("hackathon:event_home", kwargs={"event_slug": event.slug})
    body = client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "심사 기준" in body and "창의성" in body
