"""Teammates' profile cards on the team page and in the API: who sees contact, skills and the avatar."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from rest_framework.test import APIClient

from accounts import services as accounts
from teams.selectors import member_profile_detail
from teams.tests.factories import TeamFactory, add_member, finalist

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (80, 80), "#047857").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def people(open_event, make_user, grant):
    """Team A: a leader with a full profile and an avatar, and a teammate without an avatar. Team B: its leader.
    And the event's organizer, mentor and judge."""
    team_a = TeamFactory(event=open_event, name="Team A")
    leader = team_a.leader
    accounts.user_profile_update(
        user=leader,
        name="Han Seo",
        skills="ONNX, Rust",
        github_username="han-seo",
        contact="Slack @hanseo",
        show_email_to_team=True,
    )
    accounts.user_avatar_set(user=leader, upload=SimpleUploadedFile("me.png", png()))
    teammate = add_member(team_a, "ai", user=finalist(open_event, "ai", name="Yoon Ara"))
    team_b = TeamFactory(event=open_event, name="Team B")
    staff = {}
    for role in ("organizer", "mentor", "judge"):
        staff[role] = make_user()
        grant(staff[role], open_event, role)
    return {"team": team_a, "leader": leader, "teammate": teammate, "outsider": team_b.leader, **staff}


def team_url(event, team, name="team_detail", **kwargs):
    return reverse(f"teams:{name}", kwargs={"event_slug": event.slug, "team_id": team.pk, **kwargs})


def test_a_teammate_sees_contact_skills_github_and_the_avatar(client, open_event, people):
    client.force_login(people["teammate"])
    page = client.get(team_url(open_event, people["team"])).content.decode()
    assert "Slack @hanseo" in page and people["leader"].email in page
    assert 'href="https://github.com/han-seo"' in page and "ONNX" in page
    avatar = team_url(open_event, people["team"], "member_avatar", user_id=people["leader"].pk)
    assert f'src="{avatar}?v=' in page
    # The teammate has no avatar: their initials, on their colour.
    assert 'data-testid="avatar-initials">YA<' in page


@pytest.mark.parametrize("who", ["organizer", "mentor"])
def test_staff_see_skills_and_github_but_not_contact(client, open_event, people, who):
    client.force_login(people[who])
    page = client.get(team_url(open_event, people["team"])).content.decode()
    assert 'href="https://github.com/han-seo"' in page and "ONNX" in page
    assert "Slack @hanseo" not in page and people["leader"].email not in page


def test_a_judge_sees_names_only(client, open_event, people):
    client.force_login(people["judge"])
    page = client.get(team_url(open_event, people["team"])).content.decode()
    assert "Han Seo" in page
    assert "han-seo" not in page and "ONNX" not in page and "Slack @hanseo" not in page
    assert 'data-testid="avatar-image"' not in page


def test_a_member_of_another_team_and_anonymous_see_no_contact(client, open_event, people):
    team = people["team"]
    client.force_login(people["outsider"])
    response = client.get(team_url(open_event, team))
    assert response.status_code == 404 and "Slack @hanseo" not in response.content.decode()
    assert member_profile_detail(viewer=people["outsider"], team=team, event=open_event) == 0
    client.logout()
    response = client.get(team_url(open_event, team))
    assert response.status_code == 302 and "Slack @hanseo" not in response.content.decode()


def test_the_avatar_is_served_to_a_teammate_and_404_to_outsiders(client, open_event, people):
    url = team_url(open_event, people["team"], "member_avatar", user_id=people["leader"].pk)
    client.force_login(people["teammate"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert b"".join(response.streaming_content)[:4] == b"RIFF"
    for who in ("outsider", "judge"):
        client.force_login(people[who])
        assert client.get(url).status_code == 404
    # The teammate has no avatar; someone who is not in the team is no member of it either: 404, like a stranger.
    client.force_login(people["leader"])
    assert (
        client.get(team_url(open_event, people["team"], "member_avatar", user_id=people["teammate"].pk)).status_code
        == 404
    )
    assert (
        client.get(team_url(open_event, people["team"], "member_avatar", user_id=people["outsider"].pk)).status_code
        == 404
    )
    client.logout()
    assert client.get(url).status_code == 302


def test_the_team_api_shows_profiles_at_the_callers_detail(open_event, people):
    api = APIClient()
    path = reverse("teams_api:team_detail", kwargs={"event_slug": open_event.slug, "team_id": people["team"].pk})
    api.force_authenticate(people["teammate"])
    profiles = {p["user_id"]: p for p in api.get(path).json()["member_profiles"]}
    leader = profiles[people["leader"].pk]
    assert (leader["contact"], leader["email"], leader["skills"], leader["detail"]) == (
        "Slack @hanseo",
        people["leader"].email,
        ["ONNX", "Rust"],
        "contact",
    )
    assert leader["avatar_url"].startswith("http://testserver/e/")
    assert profiles[people["teammate"].pk]["avatar_url"] is None
    api.force_authenticate(people["organizer"])
    leader = {p["user_id"]: p for p in api.get(path).json()["member_profiles"]}[people["leader"].pk]
    assert (leader["contact"], leader["email"], leader["github_username"], leader["detail"]) == (
        "",
        "",
        "han-seo",
        "profile",
    )


def test_team_page_query_count_does_not_grow_with_members(client, open_event, people, django_assert_max_num_queries):
    client.force_login(people["teammate"])
    url = team_url(open_event, people["team"])
    client.get(url)
    for _ in range(3):
        add_member(people["team"], "frontend")
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    baseline = len(captured)
    add_member(people["team"], "backend")
    with django_assert_max_num_queries(baseline):
        client.get(url)
