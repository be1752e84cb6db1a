"""The ranking is cached per event under its ScoreVersion: a reload without a change reads no scores, and every kind
of score change shows on the very next read (page and selector), never a stale ranking."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from judging import selectors, services
from judging.models import Criterion, ScoreVersion
from judging.tests import factories

pytestmark = pytest.mark.django_db


def _reads_scores(captured) -> bool:
    return any('FROM "judging_score"' in q["sql"] and '"judging_score"."value"' in q["sql"] for q in captured)


def _raw(event, team):
    result = selectors.ranking_of_event(event=event, method="raw")
    return next(r for r in result.results if r.team.id == team.pk).scores["raw"]


def test_a_reload_without_a_change_reads_no_scores(opened, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [9] * 5)
    first = selectors.ranking_of_event(event=opened, method="bias")
    with CaptureQueriesContext(connection) as captured:
        again = selectors.ranking_of_event(event=opened, method="bias")
    assert not _reads_scores(captured)
    assert [r.team.id for r in again.results] == [r.team.id for r in first.results]
    assert again.results[0].scores == first.results[0].scores
    with CaptureQueriesContext(connection) as captured:
        selectors.ranking_of_event(event=opened, method="bias", cached=False)
    assert _reads_scores(captured)


def test_every_score_change_shows_on_the_next_read(opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [9] * 5)
    assert _raw(opened, jteams[0]) == pytest.approx(100 * 8 / 9)
    economics = Criterion.objects.get(event=opened, key="economics")

    # a submitted score changed
    services.score_save(event=opened, judge=judges[0], team_id=jteams[0].pk, criterion_id=economics.pk, value=1)
    assert _raw(opened, jteams[0]) == pytest.approx((4 * 100 * 8 / 9) / 5)
    # a second judge submits
    factories.score_all(opened, judges[1], jteams[0], [10] * 5)
    assert _raw(opened, jteams[0]) == pytest.approx(((4 * 100 * 8 / 9) / 5 + 100) / 2)
    # withdrawn
    services.scores_withdraw(event=opened, judge=judges[1], team_id=jteams[0].pk)
    assert _raw(opened, jteams[0]) == pytest.approx((4 * 100 * 8 / 9) / 5)
    # a conflict takes the first judge's scores out: nobody has scored the team now
    services.conflict_record(
        event=opened, judge_id=judges[0].pk, team_id=jteams[0].pk, reason="Former colleague", recorded_by=boss
    )
    assert _raw(opened, jteams[0]) is None


def test_the_ranking_page_shows_a_score_change_immediately(client, opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [9] * 5)
    factories.score_all(opened, judges[0], jteams[1], [5] * 5)
    client.force_login(boss)
    url = reverse("judging:ranking", kwargs={"event_slug": opened.slug}) + "?method=raw"
    rows = client.get(url).context["page_rows"]
    assert [r.team.id for r in rows][:2] == [jteams[0].pk, jteams[1].pk]
    for criterion in Criterion.objects.filter(event=opened):
        services.score_save(event=opened, judge=judges[0], team_id=jteams[1].pk, criterion_id=criterion.pk, value=10)
    rows = client.get(url).context["page_rows"]
    assert [r.team.id for r in rows][:2] == [jteams[1].pk, jteams[0].pk]
    assert rows[0].scores["raw"] == pytest.approx(100)


def test_a_criterion_or_team_change_is_a_new_key_too(opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [9] * 5)
    before = selectors.ranking_of_event(event=opened, method="raw")
    version = ScoreVersion.objects.get(event=opened).version
    jteams[0].name = "Renamed"
    jteams[0].save(update_fields=["name"])
    after = selectors.ranking_of_event(event=opened, method="raw")
    assert ScoreVersion.objects.get(event=opened).version == version  # no score changed
    assert before.results[0].team.name != "Renamed" and after.results[0].team.name == "Renamed"
