"""Every URL that changes something (cancel, decline, withdraw, revoke, ...) answers GET with 405: a link, a
prefetch or a crawler must never change state. npu_jobs keeps its own list."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

EVENT = {"event_slug": "any-event"}
ACTIONS = [
    ("hackathon:event_role_revoke", {"role_id": 1}),
    ("applications:withdraw", {}),
    ("applications:rsvp", {}),
    ("applications:selection_propose", {}),
    ("applications:selection_send", {}),
    ("applications:waitlist_promote", {"track": "ai"}),
    ("applications:selection_adjust", {"application_id": 1}),
    *[("teams:join_request_answer", {"request_id": 1, "action": a}) for a in ("accept", "decline", "withdraw")],
    *[("teams:invitation_answer", {"invitation_id": 1, "action": a}) for a in ("accept", "decline", "cancel")],
    ("teams:invitation_create", {"team_id": 1}),
    ("teams:member_leave", {"team_id": 1}),
    ("teams:leader_transfer", {"team_id": 1}),
    ("teams:team_disband", {"team_id": 1}),
    ("teams:round_rules", {}),
    ("teams:round_extend", {}),
    ("teams:round_match", {}),
    ("teams:member_move", {}),
]


@pytest.mark.parametrize(("name", "kwargs"), ACTIONS)
def test_actions_refuse_get(client, organizer, name, kwargs):
    client.force_login(organizer)
    assert client.get(reverse(name, kwargs={**EVENT, **kwargs})).status_code == 405


def test_token_rotation_refuses_get(client, organizer):
    client.force_login(organizer)
    assert client.get(reverse("accounts:api_token_rotate")).status_code == 405
