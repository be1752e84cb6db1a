"""Judging pages: who sees what, autosave, the evidence, exports and the results page; pinned query counts."""

import pytest
from django.urls import reverse

from judging import services
from judging.models import Score
from judging.tests import factories
from teams.tests.factories import add_member

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs):
    return reverse(f"judging:{name}", kwargs={"event_slug": event.slug, **kwargs})


def results_url(event):
    return reverse("judging_results:results", kwargs={"event_slug": event.slug})


def test_the_judge_sees_their_teams_and_an_outsider_gets_404(client, opened, judges, jteams, boss):
    client.force_login(judges[0])
    body = client.get(url("dashboard", opened)).content.decode()
    assert all(team.name in body for team in jteams) and "0/5" in body
    participant = add_member(jteams[0], "ai")  # finalists are participants of the event
    client.force_login(participant)
    assert client.get(url("dashboard", opened)).status_code == 404
    assert client.get(url("score_team", opened, team_id=jteams[0].pk)).status_code == 404
    assert client.get(url("manage", opened)).status_code == 404


@pytest.fixture
def no_team_sections():
    """Judging's own page without what other apps register for it (submissions does), restored afterwards."""
    from core import sections

    saved = sections._sections.pop("judging.team", None)
    yield sections
    sections._sections.pop("judging.team", None)
    if saved is not None:
        sections._sections["judging.team"] = saved


def test_the_scoring_page_shows_an_empty_submission_and_the_evidence(client, opened, judges, jteams, no_team_sections):
    client.force_login(judges[0])
    response = client.get(url("score_team", opened, team_id=jteams[0].pk))
    body = response.content.decode()
    assert 'data-testid="submission-empty"' in body and "once the team submits" in body
    assert 'data-testid="npu-evidence"' in body and "No measured run yet" in body
    assert 'data-testid="score-economics"' in body


def test_a_section_registered_for_the_team_shows_on_the_scoring_page(client, opened, judges, jteams, no_team_sections):
    sections = no_team_sections
    # Any template does: the submissions app registers its own.
    sections.page_section_register(
        "judging.team",
        template="judging/_event_criteria.html",
        context=lambda **kw: {"criteria": [{"name": f"Submission of {kw['team'].name}"}]},
    )
    client.force_login(judges[0])
    body = client.get(url("score_team", opened, team_id=jteams[0].pk)).content.decode()
    assert "<li><strong>Submission of BlurCast</strong>" in body and "submission-empty" not in body


def test_autosave_returns_the_row_and_submit_then_counts(client, opened, judges, jteams):
    client.force_login(judges[0])
    criteria = factories.criteria(opened)
    for criterion in criteria:
        response = client.post(
            url("score_save", opened, team_id=jteams[0].pk),
            {"criterion": criterion.pk, "value": 8, "comment": "Solid"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200 and "Draft, saved" in response.content.decode()
    bad = client.post(
        url("score_save", opened, team_id=jteams[0].pk),
        {"criterion": criteria[0].pk, "value": 11},
        HTTP_HX_REQUEST="true",
    )
    assert "from 1 to 10" in bad.content.decode()
    client.post(url("scores_submit", opened, team_id=jteams[0].pk))
    assert set(Score.objects.filter(judge=judges[0]).values_list("state", flat=True)) == {"submitted"}


def test_a_judge_cannot_reach_a_team_they_are_not_assigned_to(client, jevent, boss):
    judges = [factories.judge(jevent) for _ in range(2)]
    teams = factories.teams(jevent, ["A", "B"])
    services.judging_settings_update(event=jevent, updated_by=boss, judges_per_team=1)
    services.judging_open(event=jevent, opened_by=boss)
    client.force_login(judges[0])
    mine = {a.team_id for a in judges[0].judging_assignments.all()}
    other = next(t for t in teams if t.pk not in mine)
    assert client.get(url("score_team", jevent, team_id=other.pk)).status_code == 404
    criterion = factories.criteria(jevent)[0]
    assert (
        client.post(url("score_save", jevent, team_id=other.pk), {"criterion": criterion.pk, "value": 5}).status_code
        == 404
    )


def test_exports_for_organizers_only(client, opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [7, 7, 7, 7, 7])
    client.force_login(boss)
    csv_body = client.get(url("export_csv", opened)).content.decode()
    assert csv_body.splitlines()[0].startswith("team,judge,criterion") and csv_body.count("BlurCast") == 5
    xlsx = client.get(url("export_xlsx", opened))
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
    client.force_login(judges[0])
    assert client.get(url("export_csv", opened)).status_code == 404


def test_results_are_404_until_published_then_public_in_korean(client, opened, boss, judges, jteams):
    for judge in judges:
        for team, base in zip(jteams, (9, 6, 4), strict=True):
            factories.score_all(opened, judge, team, [base] * 5)
    services.judging_close(event=opened, closed_by=boss)
    client.force_login(boss)
    assert 'data-testid="proposal"' in client.get(url("manage", opened)).content.decode()
    services.awards_confirm(event=opened, confirmed_by=boss)
    body = client.get(url("manage", opened)).content.decode()
    assert 'data-testid="awards"' in body and 'data-testid="publish"' in body
    assert client.get(results_url(opened)).status_code == 200  # organizers preview
    participant = add_member(jteams[0], "ai")
    client.force_login(participant)
    assert client.get(results_url(opened)).status_code == 404
    client.logout()
    assert client.get(results_url(opened)).status_code == 404
    services.results_publish(event=opened, published_by=boss)
    body = client.get(results_url(opened), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "대상" in body and "BlurCast" in body and 'data-testid="winner-grand-1"' in body


def test_the_organizer_page_shows_the_ranking_side_by_side(client, opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[1], [9] * 5)
    client.force_login(boss)
    body = client.get(url("manage", opened) + "?method=zscore").content.decode()
    assert 'data-testid="ranking"' in body and "Z-score" in body and "Bias model" in body
    assert 'data-testid="rank-shelfsight"' in body
    full = client.get(url("ranking", opened) + "?method=bias").content.decode()
    assert 'data-testid="rank-blurcast"' in full and "Judge offsets from the bias model" in full


def _bigger_event(teams: int, judges: int):
    event = factories.judging_event()
    boss = factories.organizer(event)
    judge_users = [factories.judge(event) for _ in range(judges)]
    team_rows = factories.teams(event, [f"Team {i:03d}" for i in range(teams)])
    services.judging_open(event=event, opened_by=boss)
    for judge in judge_users:
        for team in team_rows[:3]:
            factories.score_all(event, judge, team, [5, 6, 7, 8, 9])
    return event, boss, judge_users, team_rows


@pytest.mark.parametrize("teams,judges", [(4, 2), (12, 5)])
def test_query_counts_do_not_grow_with_teams_or_judges(client, django_assert_max_num_queries, teams, judges, settings):
    event, boss, judge_users, team_rows = _bigger_event(teams, judges)
    # Without Redis (the SQLite demo), the ranking's cache is a database table: its get and set are queries too.
    cache_sql = 3 if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache") else 0
    client.force_login(judge_users[0])
    with django_assert_max_num_queries(10):
        assert client.get(url("dashboard", event)).status_code == 200
    with django_assert_max_num_queries(18):
        assert client.get(url("score_team", event, team_id=team_rows[0].pk)).status_code == 200
    client.force_login(boss)
    for method in ("raw", "zscore", "bias"):
        with django_assert_max_num_queries(20 + cache_sql):
            assert client.get(url("manage", event) + f"?method={method}").status_code == 200
        with django_assert_max_num_queries(12 + cache_sql):
            assert client.get(url("ranking", event) + f"?method={method}").status_code == 200


def test_the_scoring_page_in_korean(client, opened, judges, jteams):
    client.force_login(judges[0])
    body = client.get(url("score_team", opened, team_id=jteams[0].pk), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "내 점수" in body and "경제성" in body and "측정된 NPU 근거" in body


def test_the_event_page_links_the_results_once_published(client, opened, boss, judges, jteams):
    home = reverse("hackathon:event_home", kwargs={"event_slug": opened.slug})
    assert 'data-testid="results-link"' not in client.get(home).content.decode()
    factories.score_all(opened, judges[0], jteams[0], [8] * 5)
    services.judging_close(event=opened, closed_by=boss)
    services.awards_confirm(event=opened, confirmed_by=boss)
    services.results_publish(event=opened, published_by=boss)
    assert 'data-testid="results-link"' in client.get(home).content.decode()
