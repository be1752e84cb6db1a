import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from hackathon.permissions import check_organizer
from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_check_organizer_lets_the_event_organizer_through(event, organizer):
    check_organizer(organizer, event)


def test_check_organizer_refuses_everyone_else(event, make_user, grant):
    participant = make_user()
    grant(participant, event, "participant")
    other_organizer = make_user()  # the outsider: organizer of another event
    grant(other_organizer, EventFactory(), "organizer")
    for user in (participant, other_organizer, AnonymousUser()):
        with pytest.raises(PermissionDenied):
            check_organizer(user, event)


def test_the_system_passes_only_where_the_caller_allows_it(event):
    check_organizer(None, event, allow_system=True)
    with pytest.raises(PermissionDenied):
        check_organizer(None, event)
