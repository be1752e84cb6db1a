import pytest
from rest_framework.test import APIClient

from hackathon.models import EventRole
from teams.models import Invitation, JoinRequest, Team, TeamMembership
from teams.tests.factories import TeamFactory, add_member, finalist, round_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def api():
    return APIClient()


def base(event):
    return f"/api/v1/events/{event.slug}/teams/"


def test_team_list_is_the_board_with_slots_and_a_pinned_query_count(
    api, open_event, make_finalist, django_assert_max_num_queries
):
    for _ in range(10):
        team = TeamFactory(event=open_event)
        add_member(team, "ai")
        add_member(team, "ai")
    TeamFactory(event=open_event, name="Has AI room")
    api.force_authenticate(make_finalist("ai"))
    with django_assert_max_num_queries(6):
        body = api.get(base(open_event)).json()
    assert len(body) == 11
    assert body[0]["open_slots"] == {"pm": 1, "frontend": 2, "backend": 2, "ai": 2}
    filtered = api.get(base(open_event), {"track": "ai"}).json()
    assert [t["name"] for t in filtered] == ["Has AI room"]


def test_outsiders_get_404(api, open_event, team, make_user):
    assert api.get(base(open_event)).status_code in (401, 403)
    api.force_authenticate(make_user())
    assert api.get(base(open_event)).status_code == 404
    api.force_authenticate(finalist(round_event(), "ai"))
    assert api.get(base(open_event)).status_code == 404
    # A finalist of this event in another team cannot read this team's detail.
    other = TeamFactory(event=open_event)
    api.force_authenticate(other.leader)
    assert api.get(f"{base(open_event)}{team.pk}/").status_code == 404
    assert api.post(f"{base(open_event)}{team.pk}/disband/").status_code == 404


def test_create_join_accept_leave_through_the_api(api, open_event, make_finalist):
    pm, engineer = make_finalist("pm"), make_finalist("backend")
    api.force_authenticate(pm)
    created = api.post(f"{base(open_event)}create/", {"name": "Blur Live", "idea": "Blur faces"}, format="json")
    assert created.status_code == 201, created.json()
    team_id = created.json()["id"]
    assert created.json()["leader"]["id"] == pm.pk

    api.force_authenticate(engineer)
    response = api.post(f"{base(open_event)}{team_id}/join-requests/", {"message": "Hi"}, format="json")
    assert response.status_code == 201
    request_id = response.json()["id"]
    # The requester cannot accept their own request: the service says 403.
    assert api.post(f"{base(open_event)}join-requests/{request_id}/accept/").status_code == 403

    api.force_authenticate(pm)
    assert [r["id"] for r in api.get(f"{base(open_event)}join-requests/").json()] == [request_id]
    accepted = api.post(f"{base(open_event)}join-requests/{request_id}/accept/")
    assert accepted.status_code == 200 and accepted.json()["status"] == "accepted"
    members = api.get(f"{base(open_event)}members/", {"team": team_id}).json()
    assert {m["user"]["id"] for m in members} == {pm.pk, engineer.pk}

    api.force_authenticate(engineer)
    assert api.post(f"{base(open_event)}{team_id}/leave/").status_code == 204
    assert not TeamMembership.objects.filter(user=engineer).exists()


def test_domain_errors_are_400_with_a_message(api, open_event, team, make_finalist):
    api.force_authenticate(make_finalist("ai"))
    response = api.post(f"{base(open_event)}create/", {"name": "Nope"}, format="json")
    assert response.status_code == 400 and "Only PM" in response.json()["detail"]


def test_invitations_through_the_api(api, open_event, team, make_finalist):
    invitee, stranger = make_finalist("ai"), make_finalist("frontend")
    api.force_authenticate(team.leader)
    created = api.post(f"{base(open_event)}{team.pk}/invitations/", {"user": invitee.pk}, format="json")
    assert created.status_code == 201
    invitation_id = created.json()["id"]
    api.force_authenticate(stranger)
    assert api.post(f"{base(open_event)}invitations/{invitation_id}/accept/").status_code == 404
    api.force_authenticate(invitee)
    assert [i["id"] for i in api.get(f"{base(open_event)}invitations/").json()] == [invitation_id]
    assert api.post(f"{base(open_event)}invitations/{invitation_id}/accept/").json()["status"] == "accepted"
    assert Invitation.objects.get(pk=invitation_id).status == "accepted"


def test_round_endpoints_for_organizers(api, open_event, team, round_organizer, make_finalist):
    stuck = make_finalist("ai")
    add_member(team, "ai")
    add_member(team, "ai")
    api.force_authenticate(team.leader)
    assert api.get(f"{base(open_event)}round/").json()["max_team_size"] == 5
    assert api.post(f"{base(open_event)}round/match/").status_code == 404

    api.force_authenticate(round_organizer)
    failed = api.post(f"{base(open_event)}round/match/")
    assert failed.status_code == 409
    assert failed.json()["unplaced"][0]["user"] == stuck.pk and "AI engineer" in failed.json()["unplaced"][0]["why"]
    assert api.post(f"{base(open_event)}round/rules/", {"max_ai": 3}, format="json").json()["max_ai"] == 3
    assert api.post(f"{base(open_event)}round/extend/", {"minutes": 5}, format="json").json()["is_open"]
    matched = api.post(f"{base(open_event)}round/match/")
    assert matched.status_code == 200 and matched.json()["locked"]
    assert "Placed in" in matched.json()["placed"][0]["why"]


def test_organizer_moves_people(api, open_event, team, round_organizer, make_finalist):
    person = make_finalist("frontend")
    api.force_authenticate(round_organizer)
    moved = api.post(f"{base(open_event)}members/move/", {"user": person.pk, "team": team.pk}, format="json")
    assert moved.status_code == 200 and moved.json()["user"]["id"] == person.pk
    assert (
        api.post(f"{base(open_event)}members/move/", {"user": person.pk, "team": None}, format="json").status_code
        == 204
    )
    api.force_authenticate(team.leader)
    assert (
        api.post(f"{base(open_event)}members/move/", {"user": person.pk, "team": team.pk}, format="json").status_code
        == 404
    )


def test_pitch_update_and_leader_transfer(api, open_event, team):
    member = add_member(team, "backend")
    api.force_authenticate(team.leader)
    assert (
        api.post(f"{base(open_event)}{team.pk}/pitch/", {"needs_ai": "ONNX"}, format="json").json()["needs"]["ai"]
        == "ONNX"
    )
    assert (
        api.post(f"{base(open_event)}{team.pk}/leader/", {"new_leader": member.pk}, format="json").json()["leader"][
            "id"
        ]
        == member.pk
    )
    api.force_authenticate(member)
    assert api.post(f"{base(open_event)}{team.pk}/disband/").status_code == 204
    assert not Team.objects.filter(pk=team.pk).exists()
    assert not JoinRequest.objects.exists()
    assert EventRole.objects.filter(user=member).exists()


def test_unknown_or_foreign_ids_in_a_move_answer_404_not_500(api, open_event, team, round_organizer, make_finalist):
    """Regression: an unknown user id made the move API answer 500 (User.DoesNotExist)."""
    person = make_finalist("frontend")
    other_event = round_event()
    stranger = finalist(other_event, "ai")  # a finalist of another event
    foreign_team = TeamFactory(event=other_event)
    url = f"{base(open_event)}members/move/"
    api.force_authenticate(round_organizer)
    for body in (
        {"user": 999_999_999, "team": team.pk},
        {"user": 999_999_999, "team": None},
        {"user": stranger.pk, "team": team.pk},
        {"user": round_organizer.pk, "team": team.pk},  # signed up, but not a finalist
        {"user": person.pk, "team": 999_999_999},
        {"user": person.pk, "team": foreign_team.pk},
    ):
        assert api.post(url, body, format="json").status_code == 404, body
    assert not TeamMembership.objects.filter(user__in=[person, stranger]).exists()
    assert api.post(url, {"user": person.pk, "team": team.pk}, format="json").status_code == 200


def test_unknown_or_foreign_people_in_a_leader_transfer_or_an_invitation_answer_404(
    api, open_event, team, make_finalist
):
    outsider_in_event = make_finalist("ai")  # a finalist, but not in this team
    stranger = finalist(round_event(), "ai")
    api.force_authenticate(team.leader)
    for new_leader in (999_999_999, outsider_in_event.pk, stranger.pk):
        response = api.post(f"{base(open_event)}{team.pk}/leader/", {"new_leader": new_leader}, format="json")
        assert response.status_code == 404
    for user_id in (999_999_999, stranger.pk):
        assert (
            api.post(f"{base(open_event)}{team.pk}/invitations/", {"user": user_id}, format="json").status_code == 404
        )
    # Everyone found, but a rule says no: 400 with the reason.
    busy = add_member(TeamFactory(event=open_event), "ai")
    refused = api.post(f"{base(open_event)}{team.pk}/invitations/", {"user": busy.pk}, format="json")
    assert refused.status_code == 400 and refused.json()["code"] == "already_in_team"
    team.refresh_from_db()
    assert team.leader_id != outsider_in_event.pk and not Invitation.objects.exists()
