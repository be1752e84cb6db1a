"""Races on PostgreSQL: the assignment row's lock and the unique constraint decide, whatever the interleaving."""

import itertools

import pytest

from core.exceptions import DomainError
from core.testing import run_concurrently
from judging import services
from judging.models import Score, ScoreChange
from judging.tests import factories

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_many_saves_of_one_score_at_once_leave_one_row_and_a_full_history(postgres_only):
    event = factories.judging_event()
    boss = factories.organizer(event)
    judge = factories.judge(event)
    (team,) = factories.teams(event, ["BlurCast"])
    services.judging_open(event=event, opened_by=boss)
    criterion = factories.criteria(event)[0]

    results = run_concurrently(
        lambda i: services.score_save(
            event=event, judge=judge, team_id=team.pk, criterion_id=criterion.pk, value=1 + i % 10
        ),
        12,
    )

    assert all(isinstance(r, Score) for r in results), results
    assert Score.objects.filter(judge=judge, team=team, criterion=criterion).count() == 1
    score = Score.objects.get(judge=judge, team=team, criterion=criterion)
    changes = list(ScoreChange.objects.filter(score=score).order_by("id"))
    # Each save saw the one before it: the history is a chain, ending at the stored value.
    assert changes[0].old_value is None
    assert all(a.new_value == b.old_value for a, b in itertools.pairwise(changes))
    assert changes[-1].new_value == score.value


def test_a_close_and_saves_at_once_no_save_lands_after_the_close(postgres_only):
    event = factories.judging_event()
    boss = factories.organizer(event)
    judges = [factories.judge(event) for _ in range(6)]
    (team,) = factories.teams(event, ["BlurCast"])
    services.judging_open(event=event, opened_by=boss)
    criterion = factories.criteria(event)[0]

    def act(i):
        if i == 0:
            return services.judging_close(event=event, closed_by=boss)
        return services.score_save(
            event=event, judge=judges[i - 1], team_id=team.pk, criterion_id=criterion.pk, value=5
        )

    results = run_concurrently(act, 7)
    assert not any(isinstance(r, Exception) and not isinstance(r, DomainError) for r in results), results
    closed_at = event.judging_settings.__class__.objects.get(event=event).closed_at
    assert all(s.updated_at <= closed_at for s in Score.objects.filter(event=event))
