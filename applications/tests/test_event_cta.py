"""The event's landing page offers someone who applied their application, not "Apply" again (applications.sections)."""

import pytest
from django.urls import reverse

from applications.models import Application
from applications.tests.factories import ApplicationFactory

pytestmark = pytest.mark.django_db


def landing(client, event):
    return client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()


def test_each_person_gets_their_own_next_step(client, event, make_user, grant):
    signed_in = make_user()
    client.force_login(signed_in)
    apply_url = reverse("applications:apply", kwargs={"event_slug": event.slug})
    assert f'href="{apply_url}" role="button" data-testid="apply-cta">Apply</a>' in landing(client, event)

    ApplicationFactory(event=event, user=signed_in)
    body = landing(client, event)
    assert 'data-testid="cta-application">See your application</a>' in body
    assert 'data-testid="apply-cta"' not in body

    Application.objects.filter(user=signed_in).update(status=Application.Status.WITHDRAWN)
    assert 'data-testid="apply-cta"' in landing(client, event)  # may apply again while open

    finalist = make_user()
    grant(finalist, event, "participant", track="pm")
    ApplicationFactory(event=event, user=finalist)
    client.force_login(finalist)
    body = landing(client, event)
    assert 'data-testid="cta-participant">Go to your team</a>' in body
    assert reverse("teams:my_team", kwargs={"event_slug": event.slug}) in body
