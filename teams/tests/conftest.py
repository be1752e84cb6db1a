import pytest
from django.utils import translation

from teams.tests.factories import TeamFactory, finalist, round_event


@pytest.fixture
def open_event(db):
    return round_event()


@pytest.fixture
def make_finalist(open_event):
    def make(track="ai", event=None, **kwargs):
        return finalist(event or open_event, track, **kwargs)

    return make


@pytest.fixture
def team(open_event):
    return TeamFactory(event=open_event, name="Blur Squad")


@pytest.fixture
def round_organizer(open_event, make_user, grant):
    user = make_user()
    grant(user, open_event, "organizer")
    return user


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English; a page rendered in Korean earlier in the thread must not leak in."""
    with translation.override("en"):
        yield
