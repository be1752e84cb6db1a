import pytest
from django.utils import translation

from judging.tests import factories


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture
def jevent(db):
    return factories.judging_event()


@pytest.fixture
def boss(jevent):
    return factories.organizer(jevent, name="Olivia Organizer")


@pytest.fixture
def judges(jevent):
    return [factories.judge(jevent, name=f"Judge {i}") for i in range(1, 4)]


@pytest.fixture
def jteams(jevent):
    return factories.teams(jevent, ["BlurCast", "ShelfSight", "SafeSite"])


@pytest.fixture
def opened(jevent, boss, judges, jteams):
    """Judging open: three judges, three teams, every judge on every team."""
    from judging import services

    services.judging_open(event=jevent, opened_by=boss)
    return jevent
