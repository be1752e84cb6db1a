"""The array fast path (judging.aggregation.compute/rank, fed by judging.selectors.submitted_scores) gives the same
ranking as the implementation before it (judging/tests/reference_aggregation.py) on random events: same order,
places, ties and flags in every method, and the same figures."""

import random

import pytest

from judging import aggregation, selectors, services
from judging.models import Score
from judging.tests import factories
from judging.tests import reference_aggregation as reference


def random_event(seed: int):
    """Random criteria (weights, scales), teams (some never scored), judges who score a random subset of teams, some
    only on some criteria, on small scales so that exact ties happen, plus marks on a criterion nobody defined."""
    rng = random.Random(seed)
    criteria = [
        aggregation.CriterionSpec(f"c{i}", rng.choice([0.5, 1, 2, 3]), lo, lo + rng.choice([1, 2, 4, 9]))
        for i, lo in enumerate(rng.choice([0, 1]) for _ in range(rng.randint(1, 5)))
    ]
    teams = [aggregation.TeamSpec(100 + i, rng.choice(["Ant", "bee", "Cat", "dog"]) + str(i % 7)) for i in range(60)]
    judges = [10 + j for j in range(rng.randint(1, 12))]
    scored = rng.sample(teams, rng.randint(0, len(teams)))
    marks = []
    for team in scored:
        for judge in rng.sample(judges, rng.randint(1, len(judges))):
            keys = criteria if rng.random() < 0.9 else rng.sample(criteria, rng.randint(1, len(criteria)))
            for c in keys:
                marks.append(aggregation.Mark(judge, team.id, c.key, rng.randint(int(c.scale_min), int(c.scale_max))))
    marks.append(aggregation.Mark(judges[0], teams[0].id, "withdrawn-criterion", 3))
    rng.shuffle(marks)
    return marks, criteria, teams, rng.randint(1, 6)


def assert_same(fast: aggregation.Aggregation, slow: reference.Aggregation) -> None:
    assert [r.team.id for r in fast.results] == [r.team.id for r in slow.results]
    for f, s in zip(fast.results, slow.results, strict=True):
        assert (f.team, f.judges, f.ranks, f.place, f.tied_with_next, f.method_sensitive) == (
            s.team,
            s.judges,
            s.ranks,
            s.place,
            s.tied_with_next,
            s.method_sensitive,
        )
        assert f.judge_totals == s.judge_totals
        assert f.spread == s.spread
        assert f.agreement == pytest.approx(s.agreement, abs=1e-12)
        assert f.scores == pytest.approx(s.scores, abs=1e-9)
    assert fast.judge_offsets.keys() == slow.judge_offsets.keys()
    for key, offsets in slow.judge_offsets.items():
        assert fast.judge_offsets[key] == pytest.approx(offsets, abs=1e-9)


@pytest.mark.parametrize("seed", range(40))
def test_the_fast_path_equals_the_reference_on_random_events(seed):
    marks, criteria, teams, min_scores = random_event(seed)
    computed = aggregation.compute(
        scores=aggregation.scores_from_marks(marks, criteria), criteria=criteria, teams=teams, min_scores=min_scores
    )
    for method in aggregation.METHODS:
        slow = reference.aggregate(marks=marks, criteria=criteria, teams=teams, min_scores=min_scores, method=method)
        assert_same(aggregation.rank(computed, method), slow)
        assert_same(
            aggregation.aggregate(marks=marks, criteria=criteria, teams=teams, min_scores=min_scores, method=method),
            slow,
        )


def test_ranking_one_method_does_not_change_the_computed_ranking_another_reads():
    marks, criteria, teams, min_scores = random_event(7)
    computed = aggregation.compute(
        scores=aggregation.scores_from_marks(marks, criteria), criteria=criteria, teams=teams, min_scores=min_scores
    )
    first = [(r.place, r.method_sensitive) for r in aggregation.rank(computed, "bias").results]
    for method in aggregation.METHODS:
        aggregation.rank(computed, method)
    assert [(r.place, r.method_sensitive) for r in aggregation.rank(computed, "bias").results] == first


@pytest.mark.django_db
def test_the_ranking_read_from_the_database_equals_the_reference(opened, judges, jteams):
    """Scores read as packed arrays (PostgreSQL) or as plain rows give the reference's ranking of the submitted
    scores read the way it read them; drafts and withdrawn scores count in neither."""
    rng = random.Random(16)
    for judge in judges[:2]:
        for team in jteams:
            factories.score_all(opened, judge, team, [rng.randint(1, 10) for _ in range(5)])
    factories.score_all(opened, judges[2], jteams[0], [1] * 5, submit=False)  # drafts
    factories.score_all(opened, judges[2], jteams[1], [1] * 5)
    services.scores_withdraw(event=opened, judge=judges[2], team_id=jteams[1].pk)
    criteria = selectors.criteria_of(opened)
    packed = selectors.submitted_scores(event=opened, criteria=criteria)
    plain = selectors.submitted_scores(event=opened, criteria=criteria, packed=False)

    def rows(scores):
        return sorted(zip(*(array.tolist() for array in scores), strict=True))

    assert len(rows(packed)) == 2 * 3 * 5 and rows(packed) == rows(plain)
    marks = list(
        Score.objects.filter(event=opened, state=Score.State.SUBMITTED).values_list(
            "judge_id", "team_id", "criterion__key", "value"
        )
    )
    specs = selectors.criterion_specs(criteria)
    teams = [aggregation.TeamSpec(t.pk, t.name) for t in selectors.candidate_teams(opened)]
    min_scores = selectors.judging_settings_of(opened).min_scores_for_normalization
    for method in aggregation.METHODS:
        slow = reference.aggregate(marks=marks, criteria=specs, teams=teams, min_scores=min_scores, method=method)
        assert_same(selectors.ranking_of_event(event=opened, method=method, cached=False), slow)
        assert_same(selectors.ranking_of_event(event=opened, method=method), slow)
