"""judging.services against the real database: the window, criteria, scores and their history, conflicts,
assignment, awards and the audit trail."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from core.exceptions import DomainError
from hackathon.models import AuditEntry
from judging import selectors, services
from judging.models import (
    Assignment,
    Award,
    AwardCategory,
    Conflict,
    Criterion,
    JudgingSettings,
    Score,
    ScoreChange,
)
from judging.tests import factories
from teams.tests.factories import add_member

pytestmark = pytest.mark.django_db


def actions(event):
    return list(AuditEntry.objects.filter(event=event).order_by("id").values_list("action", flat=True))


def test_the_five_default_criteria_with_equal_weights_and_two_kinds_of_award(jevent):
    services.criteria_ensure(jevent)
    services.criteria_ensure(jevent)  # idempotent
    criteria = list(Criterion.objects.filter(event=jevent))
    assert [c.key for c in criteria] == ["planning", "creativity", "technical", "completeness", "economics"]
    assert {c.weight for c in criteria} == {Decimal(1)} and {(c.scale_min, c.scale_max) for c in criteria} == {(1, 10)}
    assert [(c.key, c.count) for c in AwardCategory.objects.filter(event=jevent)] == [
        ("grand", 1),
        ("excellence", 3),
        ("merit", 2),
    ]


def test_organizers_edit_criteria_until_judging_opens(jevent, boss, judges, jteams):
    planning = factories.criteria(jevent)[0]
    services.criterion_update(event=jevent, criterion_id=planning.pk, updated_by=boss, weight="2.5", name_ko="기획")
    planning.refresh_from_db()
    assert planning.weight == Decimal("2.5") and planning.name_ko == "기획"
    assert "judging.criterion_update" in actions(jevent)
    with pytest.raises(DomainError):
        services.criterion_update(event=jevent, criterion_id=planning.pk, updated_by=boss, weight=0)
    with pytest.raises(PermissionDenied):
        services.criterion_update(event=jevent, criterion_id=planning.pk, updated_by=judges[0], weight=3)
    services.judging_open(event=jevent, opened_by=boss)
    with pytest.raises(DomainError) as error:
        services.criterion_update(event=jevent, criterion_id=planning.pk, updated_by=boss, weight=3)
    assert error.value.code == "criteria_fixed"


def test_scoring_is_refused_outside_the_window_with_a_clear_message(jevent, boss, judges, jteams):
    planning = factories.criteria(jevent)[0]
    save = lambda: services.score_save(  # noqa: E731
        event=jevent, judge=judges[0], team_id=jteams[0].pk, criterion_id=planning.pk, value=7
    )
    with pytest.raises(DomainError) as error:
        save()
    assert error.value.code == "judging_not_open" and "not opened yet" in error.value.message
    services.judging_open(event=jevent, opened_by=boss)
    save()
    services.judging_close(event=jevent, closed_by=boss)
    with pytest.raises(DomainError) as error:
        save()
    assert error.value.code == "judging_closed" and "closed" in error.value.message
    assert [a for a in actions(jevent) if a in ("judging.open", "judging.close")] == ["judging.open", "judging.close"]
    with pytest.raises(PermissionDenied):
        services.judging_open(event=jevent, opened_by=judges[0])


def test_draft_submit_change_withdraw_and_every_change_kept(opened, judges, jteams):
    event, judge, team = opened, judges[0], jteams[0]
    criteria = factories.criteria(event)
    services.score_save(event=event, judge=judge, team_id=team.pk, criterion_id=criteria[0].pk, value=7)
    with pytest.raises(DomainError) as error:
        services.scores_submit(event=event, judge=judge, team_id=team.pk)
    assert error.value.code == "incomplete" and "Creativity" in error.value.message
    factories.score_all(event, judge, team, [7, 8, 6, 9, 10])
    assert set(Score.objects.filter(judge=judge).values_list("state", flat=True)) == {"submitted"}

    changed = services.score_save(
        event=event, judge=judge, team_id=team.pk, criterion_id=criteria[0].pk, value=5, comment="Schedule slipped"
    )
    assert changed.state == "submitted" and changed.value == 5
    # Saving the same again changes nothing and records nothing.
    services.score_save(
        event=event, judge=judge, team_id=team.pk, criterion_id=criteria[0].pk, value=5, comment="Schedule slipped"
    )
    history = list(ScoreChange.objects.filter(score=changed).values_list("old_value", "new_value", "new_state"))
    assert history == [(None, 7, "draft"), (7, 7, "submitted"), (7, 5, "submitted")]

    assert services.scores_withdraw(event=event, judge=judge, team_id=team.pk) == 5
    assert set(Score.objects.filter(judge=judge).values_list("state", flat=True)) == {"withdrawn"}
    assert {"judging.scores_submit", "judging.scores_withdraw"} <= set(actions(event))
    assert Score.objects.filter(judge=judge).count() == 5  # one row per criterion, whatever happened


def test_values_stay_on_the_scale_in_the_service_and_in_the_database(opened, judges, jteams):
    criterion = factories.criteria(opened)[0]
    for value in (0, 11):
        with pytest.raises(DomainError) as error:
            services.score_save(
                event=opened, judge=judges[0], team_id=jteams[0].pk, criterion_id=criterion.pk, value=value
            )
        assert error.value.code == "out_of_scale"
    with pytest.raises(IntegrityError), transaction.atomic():
        Score.objects.create(
            event=opened, judge=judges[0], team=jteams[0], criterion=criterion, value=11, scale_min=1, scale_max=10
        )


def test_a_judge_not_assigned_to_a_team_cannot_score_it(opened, judges, jteams):
    outsider_team = factories.teams(factories.judging_event(), ["Elsewhere"])[0]
    criterion = factories.criteria(opened)[0]
    with pytest.raises(PermissionDenied):
        services.score_save(event=opened, judge=judges[0], team_id=outsider_team.pk, criterion_id=criterion.pk, value=5)


def test_a_detected_conflict_keeps_the_judge_off_the_team_until_an_organizer_clears_it(jevent, boss, judges, jteams):
    add_member(jteams[1], "ai", user=judges[1])  # judge 2 was a member of ShelfSight
    services.judging_open(event=jevent, opened_by=boss)
    conflict = Conflict.objects.get(judge=judges[1], team=jteams[1])
    assert conflict.source == "detected" and conflict.reason == "Member of the team"
    assert not Assignment.objects.filter(judge=judges[1], team=jteams[1]).exists()
    assert Assignment.objects.filter(event=jevent).count() == 3 * 3 - 1
    criterion = factories.criteria(jevent)[0]
    with pytest.raises(PermissionDenied):
        services.score_save(event=jevent, judge=judges[1], team_id=jteams[1].pk, criterion_id=criterion.pk, value=5)

    with pytest.raises(DomainError):
        services.conflict_clear(event=jevent, conflict_id=conflict.pk, reason=" ", cleared_by=boss)
    with pytest.raises(PermissionDenied):
        services.conflict_clear(event=jevent, conflict_id=conflict.pk, reason="ok", cleared_by=judges[0])
    services.conflict_clear(event=jevent, conflict_id=conflict.pk, reason="Left after an hour", cleared_by=boss)
    assert Assignment.objects.filter(judge=judges[1], team=jteams[1]).exists()
    services.conflicts_detect(event=jevent, detected_by=boss)  # a cleared detection is not raised again
    assert not Conflict.objects.get(pk=conflict.pk).is_active
    assert "judging.conflict_clear" in actions(jevent)


def test_a_declared_conflict_withdraws_the_judges_scores_of_that_team(opened, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [5, 5, 5, 5, 5])
    services.conflict_declare(event=opened, judge=judges[0], team_id=jteams[0].pk, reason="My cousin is the PM")
    assert set(Score.objects.filter(judge=judges[0], team=jteams[0]).values_list("state", flat=True)) == {"withdrawn"}
    assert not Assignment.objects.filter(judge=judges[0], team=jteams[0]).exists()
    assert "judging.conflict_declared" in actions(opened)


def test_n_judges_per_team_balanced_and_a_dropout_reassigned(jevent, boss):
    judges = [factories.judge(jevent, name=f"J{i}") for i in range(5)]
    teams = factories.teams(jevent, [f"Team {i}" for i in range(7)])
    services.judging_settings_update(event=jevent, updated_by=boss, judges_per_team=2)
    services.judging_open(event=jevent, opened_by=boss)
    pairs = list(Assignment.objects.filter(event=jevent).values_list("judge_id", "team_id"))
    assert all(sum(1 for _j, t in pairs if t == team.pk) == 2 for team in teams)
    loads = [sum(1 for j, _t in pairs if j == judge.pk) for judge in judges]
    assert max(loads) - min(loads) <= 1

    services.judge_drop(event=jevent, judge_id=judges[0].pk, reason="Flight", dropped_by=boss)
    pairs = list(Assignment.objects.filter(event=jevent).values_list("judge_id", "team_id"))
    assert all(j != judges[0].pk for j, _t in pairs)
    assert all(sum(1 for _j, t in pairs if t == team.pk) == 2 for team in teams)
    loads = [sum(1 for j, _t in pairs if j == judge.pk) for judge in judges[1:]]
    assert max(loads) - min(loads) <= 1


def _judged(event, boss, judges, teams):
    for judge, offset in zip(judges, (0, 1, -1), strict=True):
        for team, base in zip(teams, (9, 7, 5), strict=True):
            factories.score_all(event, judge, team, [base + offset] * 5)
    services.judging_close(event=event, closed_by=boss)


def test_awards_proposed_confirmed_overridden_with_a_reason_and_published(opened, boss, judges, jteams):
    _judged(opened, boss, judges, jteams)
    extra = factories.teams(opened, ["Latecomer"])[0]
    awards = services.awards_confirm(event=opened, confirmed_by=boss)
    assert [(a.category.key, a.place, a.team.name) for a in awards] == [
        ("grand", 1, "BlurCast"),
        ("excellence", 1, "ShelfSight"),
        ("excellence", 2, "SafeSite"),
    ]
    third = Award.objects.get(category__key="excellence", place=2)
    with pytest.raises(DomainError):
        services.award_override(event=opened, award_id=third.pk, team_id=extra.pk, reason="", overridden_by=boss)
    with pytest.raises(DomainError) as error:
        services.award_override(event=opened, award_id=third.pk, team_id=jteams[0].pk, reason="x", overridden_by=boss)
    assert error.value.code == "already_awarded"
    services.award_override(
        event=opened, award_id=third.pk, team_id=extra.pk, reason="SafeSite broke the rules", overridden_by=boss
    )
    third.refresh_from_db()
    assert third.team == extra and third.proposed_team == jteams[2] and third.overridden
    entry = AuditEntry.objects.get(event=opened, action="judging.award_override")
    assert entry.data["old_team"] == "SafeSite" and entry.data["new_team"] == "Latecomer"
    assert entry.actor == boss

    assert not selectors.results_published(opened)
    services.results_publish(event=opened, published_by=boss)
    assert selectors.results_published(opened)
    with pytest.raises(DomainError) as error:
        services.awards_confirm(event=opened, confirmed_by=boss)
    assert error.value.code == "published"


def test_awards_wait_for_judging_to_close_and_the_method_is_fixed_after(opened, boss, judges, jteams):
    with pytest.raises(DomainError) as error:
        services.awards_confirm(event=opened, confirmed_by=boss)
    assert error.value.code == "not_closed"
    services.judging_settings_update(event=opened, updated_by=boss, method="zscore")
    services.judging_close(event=opened, closed_by=boss)
    with pytest.raises(DomainError):
        services.judging_settings_update(event=opened, updated_by=boss, method="raw")
    assert JudgingSettings.objects.get(event=opened).method == "zscore"


def test_the_ranking_counts_only_submitted_scores(opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [9] * 5)
    factories.score_all(opened, judges[0], jteams[1], [10] * 5, submit=False)  # drafts do not count
    ranking = selectors.ranking_of_event(event=opened, method="raw")
    assert ranking.ranked_team_ids() == [jteams[0].pk]
    assert ranking.results[0].scores["raw"] == pytest.approx(100 * 8 / 9)
