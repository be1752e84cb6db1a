"""The judging API: judges see and write only their own scores; rankings for organizers; results public once
published; an outsider gets 404."""

import pytest
from rest_framework.test import APIClient

from judging import services
from judging.models import Score
from judging.tests import factories
from teams.tests.factories import add_member

pytestmark = pytest.mark.django_db


def api(event, path):
    return f"/api/v1/events/{event.slug}/judging/{path}"


def as_user(user):
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_a_judge_saves_submits_and_sees_only_their_own_scores(opened, judges, jteams, boss):
    criteria = factories.criteria(opened)
    mine = as_user(judges[0])
    for criterion in criteria:
        response = mine.post(
            api(opened, "scores/save/"), {"team": jteams[0].pk, "criterion": criterion.pk, "value": 6}, format="json"
        )
        assert response.status_code == 200, response.content
        assert response.json()["state"] == "draft" and response.json()["team"]["name"] == "BlurCast"
    assert mine.post(api(opened, "scores/submit/"), {"team": jteams[0].pk}, format="json").status_code == 200
    factories.score_all(opened, judges[1], jteams[0], [9] * 5)

    listed = mine.get(api(opened, "scores/")).json()
    assert len(listed) == 5 and {s["judge"]["id"] for s in listed} == {judges[0].pk}
    theirs = Score.objects.filter(judge=judges[1]).first()
    assert mine.get(api(opened, f"scores/{theirs.pk}/")).status_code == 404
    assert as_user(boss).get(api(opened, f"scores/{theirs.pk}/")).status_code == 200

    bad = mine.post(api(opened, "scores/save/"), {"team": jteams[0].pk, "criterion": criteria[0].pk, "value": 11})
    assert bad.status_code == 400 and bad.json()["code"] == "out_of_scale"


def test_after_close_judges_see_everyones_scores(opened, judges, jteams, boss):
    factories.score_all(opened, judges[1], jteams[0], [9] * 5)
    services.judging_close(event=opened, closed_by=boss)
    assert len(as_user(judges[0]).get(api(opened, "scores/")).json()) == 5
    refused = as_user(judges[0]).post(
        api(opened, "scores/save/"),
        {"team": jteams[0].pk, "criterion": factories.criteria(opened)[0].pk, "value": 5},
    )
    assert refused.status_code == 400 and refused.json()["code"] == "judging_closed"


def test_participants_and_outsiders_get_404_for_scores_and_rankings(opened, judges, jteams):
    participant = add_member(jteams[0], "ai")
    for path in ("scores/", "ranking/", "conflicts/", "window/"):
        assert as_user(participant).get(api(opened, path)).status_code == 404, path
    other_event_judge = factories.judge(factories.judging_event())
    assert as_user(other_event_judge).get(api(opened, "scores/")).status_code == 404
    assert as_user(judges[0]).get(api(opened, "ranking/")).status_code == 404
    assert as_user(None).get(api(opened, "scores/")).status_code in (401, 403)


def test_organizers_run_the_window_rank_award_and_publish(jevent, boss, judges, jteams):
    organizer = as_user(boss)
    assert (
        organizer.post(api(jevent, "settings/update/"), {"method": "zscore"}, format="json").json()["method"]
        == "zscore"
    )
    assert organizer.post(api(jevent, "window/open/")).json()["state"] == "open"
    assert len(organizer.get(api(jevent, "assignments/")).json()) == 9
    assert len(as_user(judges[0]).get(api(jevent, "assignments/")).json()) == 3
    for judge in judges:
        for team, base in zip(jteams, (9, 6, 4), strict=True):
            factories.score_all(jevent, judge, team, [base] * 5)
    ranking = organizer.get(api(jevent, "ranking/") + "?method=bias").json()
    assert ranking["method"] == "bias" and ranking["results"][0]["team"]["name"] == "BlurCast"
    assert set(ranking["results"][0]["scores"]) == {"raw", "zscore", "bias"}
    assert as_user(None).get(api(jevent, "results/")).status_code == 404
    assert organizer.post(api(jevent, "window/close/")).json()["state"] == "closed"
    awards = organizer.post(api(jevent, "awards/confirm/")).json()
    assert [a["team"]["name"] for a in awards] == ["BlurCast", "ShelfSight", "SafeSite"]
    assert organizer.post(api(jevent, "results/publish/")).status_code == 200
    public = as_user(None).get(api(jevent, "results/"))
    assert public.status_code == 200 and public.json()[0]["award"]["category"] == "grand"


def test_conflicts_declared_recorded_and_cleared_through_the_api(opened, boss, judges, jteams):
    declared = as_user(judges[0]).post(
        api(opened, "conflicts/declare/"), {"team": jteams[1].pk, "reason": "Former colleague"}, format="json"
    )
    assert declared.status_code == 201 and declared.json()["source"] == "declared"
    recorded = as_user(boss).post(
        api(opened, "conflicts/record/"), {"judge": judges[1].pk, "team": jteams[2].pk, "reason": "Investor"}
    )
    assert recorded.status_code == 201
    assert len(as_user(judges[0]).get(api(opened, "conflicts/")).json()) == 1
    cleared = as_user(boss).post(api(opened, f"conflicts/{recorded.json()['id']}/clear/"), {"reason": "Sold the stake"})
    assert cleared.status_code == 200 and cleared.json()["is_active"] is False
    assert (
        as_user(judges[0]).post(api(opened, f"conflicts/{recorded.json()['id']}/clear/"), {"reason": "x"}).status_code
        == 404
    )
