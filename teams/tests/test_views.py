from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import UserFactory
from hackathon.models import Event, EventRole
from teams.models import Invitation, JoinRequest, Team, TeamBuildingRound, TeamMembership
from teams.tests.factories import TeamFactory, add_member, finalist, round_event

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs):
    return reverse(f"teams:{name}", kwargs={"event_slug": event.slug, **kwargs})


@pytest.fixture
def pm(open_event):
    return finalist(open_event, "pm")


def test_board_shows_teams_with_open_slots_and_filters_by_role(client, open_event, team, make_finalist):
    add_member(team, "ai")
    add_member(team, "ai")
    TeamFactory(event=open_event, name="Edge Vision")
    client.force_login(make_finalist("ai"))
    page = client.get(url("board", open_event)).content.decode()
    assert "Blur Squad" in page and "Edge Vision" in page and "Ask to join" in page
    fragment = client.get(url("board_fragment", open_event), {"track": "ai"}).content.decode()
    assert "Edge Vision" in fragment and "Blur Squad" not in fragment
    assert 'hx-trigger="every 1s"' in fragment


def test_board_fragment_query_count_does_not_grow_with_teams(
    client, open_event, make_finalist, django_assert_max_num_queries
):
    for _ in range(12):
        team = TeamFactory(event=open_event)
        add_member(team, "ai")
        add_member(team, "backend")
    viewer = make_finalist("frontend")
    finalist_team = TeamFactory(event=open_event)
    client.force_login(viewer)
    client.post(url("join_request_create", open_event, team_id=finalist_team.pk), {"message": "hi"})
    with django_assert_max_num_queries(16):
        response = client.get(url("board_fragment", open_event))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="team-card"') == 13
    # The next poll carries the version it shows: nothing changed, so an empty 204 from a few cheap queries.
    version = response.context["version"]
    with django_assert_max_num_queries(8):
        assert client.get(url("board_fragment", open_event), {"track": "", "v": version}).status_code == 204


def test_the_poll_gets_new_html_as_soon_as_anything_it_shows_changes(client, open_event, team, make_finalist):
    viewer = make_finalist("ai")
    client.force_login(viewer)
    version = client.get(url("board_fragment", open_event)).context["version"]
    poll = lambda: client.get(url("board_fragment", open_event), {"track": "", "v": version})  # noqa: E731
    assert poll().status_code == 204
    add_member(team, "backend")  # someone joins a team
    response = poll()
    assert response.status_code == 200
    version = response.context["version"]
    Team.objects.filter(pk=team.pk).update(idea="A new idea")  # a pitch changes (updated_at is set by save())
    team.refresh_from_db()
    team.save()
    assert poll().status_code == 200
    version = client.get(url("board_fragment", open_event)).context["version"]
    from teams.services import invitation_create

    invitation_create(team_id=team.pk, user_id=viewer.pk, invited_by=team.leader)  # the viewer is invited
    assert poll().status_code == 200


def test_outsiders_do_not_see_the_board(client, open_event, team, make_user):
    response = client.get(url("board", open_event))
    assert response.status_code == 302  # anonymous: log in first
    client.force_login(make_user())
    assert client.get(url("board", open_event)).status_code == 404
    client.force_login(finalist(round_event(), "ai"))  # a finalist of another event
    assert client.get(url("board", open_event)).status_code == 404
    assert client.get(url("board_fragment", open_event)).status_code == 404


def test_a_pm_pitches_a_team_through_the_form(client, open_event, pm):
    client.force_login(pm)
    assert "Pitch a team" in client.get(url("board", open_event)).content.decode()
    response = client.post(
        url("team_create", open_event),
        {
            "name": "Blur Live",
            "idea": "Blur faces in live streams",
            "problem": "Privacy",
            "needs_ai": "Face detector on the NPU",
        },
    )
    team = Team.objects.get(name="Blur Live")
    assert response.url == url("team_detail", open_event, team_id=team.pk)
    page = client.get(response.url).content.decode()
    assert "Face detector on the NPU" in page and "Hand over the lead" not in page  # nobody to hand over to yet
    # A second team by the same PM is refused on the form, not with an error page.
    response = client.post(url("team_create", open_event), {"name": "Another"})
    assert response.status_code == 200 and "already in a team" in response.content.decode()


def test_ask_accept_and_the_board_shows_the_member(client, open_event, team, make_finalist):
    engineer = make_finalist("backend")
    client.force_login(engineer)
    response = client.post(url("join_request_create", open_event, team_id=team.pk), {"message": "I write Django"})
    assert response.status_code == 302
    join = JoinRequest.objects.get(user=engineer)
    assert "Asked to join" in client.get(url("board_fragment", open_event)).content.decode()
    # The engineer cannot accept their own request, and cannot see the team page before joining.
    assert client.post(url("join_request_answer", open_event, request_id=join.pk, action="accept")).status_code == 302
    assert JoinRequest.objects.get(pk=join.pk).status == "pending"
    assert client.get(url("team_detail", open_event, team_id=team.pk)).status_code == 404

    client.force_login(team.leader)
    live = client.get(url("team_live", open_event, team_id=team.pk)).content.decode()
    assert "I write Django" in live
    client.post(url("join_request_answer", open_event, request_id=join.pk, action="accept"))
    assert TeamMembership.objects.filter(team=team, user=engineer).exists()
    client.force_login(engineer)
    assert engineer.display_name in client.get(url("board_fragment", open_event)).content.decode()
    assert client.get(url("my_team", open_event)).url == url("team_detail", open_event, team_id=team.pk)


def test_team_page_is_404_for_another_teams_member(client, open_event, team):
    other = TeamFactory(event=open_event)
    client.force_login(other.leader)
    assert client.get(url("team_detail", open_event, team_id=team.pk)).status_code == 404
    assert client.get(url("team_live", open_event, team_id=team.pk)).status_code == 404
    assert client.post(url("team_disband", open_event, team_id=team.pk)).status_code == 404
    assert client.get(url("team_edit", open_event, team_id=team.pk)).status_code == 404


def test_invitation_is_answered_from_the_board(client, open_event, team, make_finalist):
    invitee = make_finalist("ai")
    client.force_login(team.leader)
    client.post(url("invitation_create", open_event, team_id=team.pk), {"user": invitee.pk, "message": "Join us"})
    client.force_login(invitee)
    fragment = client.get(url("board_fragment", open_event)).content.decode()
    assert "Invitations for you" in fragment and "Join us" in fragment
    invitation = Invitation.objects.get(user=invitee)
    client.post(url("invitation_answer", open_event, invitation_id=invitation.pk, action="accept"))
    assert TeamMembership.objects.filter(team=team, user=invitee).exists()


def test_team_page_links_only_to_pages_that_exist(client, open_event, team):
    client.force_login(team.leader)
    page = client.get(url("team_detail", open_event, team_id=team.pk)).content.decode()
    for name in ("npu_jobs:job_list", "mentoring:home", "submissions:home"):
        try:
            target = reverse(name, kwargs={"event_slug": open_event.slug})
        except Exception:
            continue
        assert f'href="{target}"' in page


def test_round_page_is_for_organizers_only(client, open_event, team, round_organizer):
    client.force_login(team.leader)
    assert client.get(url("round_manage", open_event)).status_code == 404
    assert client.post(url("round_match", open_event)).status_code == 404
    client.force_login(round_organizer)
    assert client.get(url("round_manage", open_event)).status_code == 200


def test_organizer_extends_and_runs_matching_from_the_page(client, open_event, team, round_organizer, make_finalist):
    for track in ("frontend", "backend", "ai"):
        make_finalist(track)
    client.force_login(round_organizer)
    client.post(url("round_extend", open_event), {"minutes": "10"})
    assert TeamBuildingRound.objects.get(event=open_event).closes_at_override is not None
    response = client.post(url("round_match", open_event), follow=True)
    assert "placed 3 finalists" in response.content.decode()
    assert TeamBuildingRound.objects.get(event=open_event).locked_at is not None
    assert team.memberships.count() == 4


def test_organizer_sees_who_could_not_be_placed(client, open_event, round_organizer, make_finalist):
    make_finalist("ai")
    client.force_login(round_organizer)
    page = client.post(url("round_match", open_event), follow=True).content.decode()
    assert "could not place 1 finalists" in page
    assert "There are no teams to join" in page


def test_menu_has_my_team_for_participants(client, open_event, team):
    client.force_login(team.leader)
    page = client.get(url("board", open_event)).content.decode()
    assert f'href="{url("my_team", open_event)}"' in page


def test_organizer_moves_a_finalist(client, open_event, team, round_organizer, make_finalist):
    person = make_finalist("frontend")
    client.force_login(round_organizer)
    client.post(url("member_move", open_event), {"user": person.pk, "team": team.pk})
    assert TeamMembership.objects.get(user=person).team == team


def test_non_participant_cannot_ask_to_join(client, open_event, team):
    judge = UserFactory()
    EventRole.objects.create(event=open_event, user=judge, role="judge")
    client.force_login(judge)
    assert client.get(url("join_request_create", open_event, team_id=team.pk)).status_code == 404
    assert client.get(url("team_detail", open_event, team_id=team.pk)).status_code == 200  # judges read teams


def test_the_board_speaks_korean(client, open_event, team, make_finalist):
    client.force_login(make_finalist("ai"))
    client.cookies["django_language"] = "ko"
    page = client.get(url("board", open_event), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "팀 보드" in page and "참가 요청" in page and "빈자리" in page


# --- Issue 12: confirmations and a board that keeps the keyboard's place --------------------------------------


def test_reopening_a_locked_round_asks_first(client, open_event, round_organizer):
    Event.objects.filter(pk=open_event.pk).update(team_building_starts_at=timezone.now() - timedelta(hours=1))
    TeamBuildingRound.objects.create(event=open_event, locked_at=timezone.now())
    client.force_login(round_organizer)
    body = client.get(url("round_manage", open_event)).content.decode()
    form = body[body.index(f'action="{url("round_extend", open_event)}"') :]
    form = form[: form.index("</form>")]
    assert 'data-confirm="Teams are locked. Reopening the round unlocks them' in form
    assert 'data-confirm-button="Reopen"' in form


def test_extending_an_open_round_does_not_ask(client, open_event, round_organizer):
    client.force_login(round_organizer)
    body = client.get(url("round_manage", open_event)).content.decode()
    form = body[body.index(f'action="{url("round_extend", open_event)}"') :]
    assert "data-confirm" not in form[: form.index("</form>")]


def test_board_parts_have_stable_ids_and_the_swapped_board_is_not_a_live_region(
    client, open_event, team, make_finalist
):
    engineer = make_finalist("ai")
    client.force_login(engineer)
    fragment = client.get(url("board_fragment", open_event)).content.decode()
    assert f'id="ask-to-join-{team.pk}"' in fragment
    assert f'id="team-card-{team.pk}"' in fragment
    board = fragment[fragment.index('<section id="team-board"') :]
    board = board[: board.index(">")]
    assert "aria-live" not in board
    assert 'data-announce="The team board changed: 1 team."' in board


def test_leaving_and_disbanding_ask_first(client, open_event, team):
    client.force_login(team.leader)
    body = client.get(url("team_detail", open_event, team_id=team.pk)).content.decode()
    assert f'data-confirm="Disband {team.name}?' in body
    member = add_member(team, "ai")
    client.force_login(member)
    body = client.get(url("team_detail", open_event, team_id=team.pk)).content.decode()
    assert f'data-confirm="Leave {team.name}?' in body
