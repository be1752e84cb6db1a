import pytest
from django.urls import reverse

from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_the_profile_lists_my_roles_in_every_event(client, event, make_user, grant):
    person = make_user()
    grant(person, event, "participant", track="pm")
    other = EventFactory(name="Warboy Vision Challenge")
    grant(person, other, "mentor")
    grant(make_user(), other, "judge")  # someone else's role stays off my profile
    client.force_login(person)
    body = client.get(reverse("accounts:profile")).content.decode()
    assert "Your roles" in body
    assert f"{event.name}</a>: Participant (Product manager)" in body
    assert "Warboy Vision Challenge</a>: Mentor" in body
    assert "Judge" not in body


def test_someone_without_roles_is_told_what_to_do(client, make_user):
    client.force_login(make_user())
    assert "No roles yet. Apply to an event to take part." in client.get(reverse("accounts:profile")).content.decode()
