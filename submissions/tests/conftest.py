import pytest
from django.utils import translation

from submissions.tests.factories import hacking_event, team_with_members


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def hack_event(db):
    return hacking_event()


@pytest.fixture
def team_and_members(hack_event):
    return team_with_members(hack_event, name="BlurCast")


@pytest.fixture
def team(team_and_members):
    return team_and_members[0]


@pytest.fixture
def member(team_and_members):
    return team_and_members[1][0]


@pytest.fixture
def other_team_and_members(hack_event):
    return team_with_members(hack_event, name="ShelfSight")


@pytest.fixture
def outsider(other_team_and_members):
    """A member of another team of the same event."""
    return other_team_and_members[1][0]
