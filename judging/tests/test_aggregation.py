"""judging.aggregation on examples computed by hand (see judging/AGGREGATION.md), and on synthetic data."""

import math
import random

import pytest

from judging.aggregation import (
    BIAS,
    RAW,
    ZSCORE,
    CriterionSpec,
    Mark,
    TeamSpec,
    aggregate,
    bias_fit,
    judge_totals,
    propose_awards,
    raw_scores,
    zscore_marks,
    zscore_scores,
)

TEN = [CriterionSpec("c", 1, 0, 10)]  # one criterion on 0–10: points are value × 10
X, Y, Z, W = 1, 2, 3, 4
TEAMS = [TeamSpec(X, "Xeno"), TeamSpec(Y, "Yak"), TeamSpec(Z, "Zed"), TeamSpec(W, "Wren")]


def marks(rows):
    return [Mark(judge, team, criterion, value) for judge, team, criterion, value in rows]


def test_raw_is_the_weighted_mean_per_judge_then_the_mean_over_judges_with_ties_and_missing_scores():
    criteria = [CriterionSpec("a", 3, 0, 10), CriterionSpec("b", 1, 0, 10)]
    scores = marks(
        [
            (1, X, "a", 8), (1, X, "b", 4),  # (3·80 + 1·40) / 4 = 70
            (1, Y, "a", 6), (1, Y, "b", 10),  # (3·60 + 100) / 4 = 70
            (2, X, "a", 6), (2, X, "b", 6),  # 60
            (2, Y, "a", 7), (2, Y, "b", 3),  # (210 + 30) / 4 = 60
            (1, Z, "b", 10),  # judge 1 scored only b for Z: the weights renormalize over b, 100
        ]
    )  # fmt: skip
    assert judge_totals(scores, criteria) == {(1, X): 70, (1, Y): 70, (2, X): 60, (2, Y): 60, (1, Z): 100}
    assert raw_scores(scores, criteria) == {X: 65, Y: 65, Z: 100}  # W: nobody scored it, so it is absent, not 0

    result = aggregate(marks=scores, criteria=criteria, teams=TEAMS, min_scores=2, method=RAW)
    # Z first; X and Y tie at 65 with two judges each and equal raw points, so the name decides: Xeno before Yak.
    assert [r.team.id for r in result.results] == [Z, X, Y, W]
    by_team = {r.team.id: r for r in result.results}
    assert by_team[X].tied_with_next[RAW] is True and by_team[Z].tied_with_next[RAW] is False
    assert by_team[W].scores == {RAW: None, ZSCORE: None, BIAS: None} and by_team[W].judges == 0
    assert result.ranked_team_ids() == [Z, X, Y]
    assert by_team[X].spread == 10 and by_team[X].agreement == pytest.approx(1 - 5 / 50)
    assert by_team[Z].spread == 0 and by_team[Z].agreement == 1


def test_more_judges_break_a_tie_before_the_name():
    scores = marks([(1, Y, "c", 7), (2, Y, "c", 7), (1, X, "c", 7)])
    result = aggregate(marks=scores, criteria=TEN, teams=TEAMS[:2], min_scores=2, method=RAW)
    assert [r.team.id for r in result.results] == [Y, X]


def test_zscore_maps_each_judge_back_with_the_global_mean_and_spread():
    scores = marks([(1, X, "c", 2), (1, Y, "c", 4), (2, X, "c", 6), (2, Y, "c", 10), (3, X, "c", 9)])
    # Global: 2, 4, 6, 10, 9 → mean 6.2, population sd √8.96 = 2.99333. Judge 1: μ 3, σ 1; judge 2: μ 8, σ 2;
    # judge 3 has one score, below the minimum of 2, and keeps it.
    adjusted = {(m.judge, m.team): m.value for m in zscore_marks(scores, TEN, min_scores=2)}
    spread = math.sqrt(8.96)
    assert adjusted[(1, X)] == pytest.approx(6.2 - spread) and adjusted[(1, Y)] == pytest.approx(6.2 + spread)
    assert adjusted[(2, X)] == pytest.approx(6.2 - spread) and adjusted[(2, Y)] == pytest.approx(6.2 + spread)
    assert adjusted[(3, X)] == 9
    result = zscore_scores(scores, TEN, min_scores=2)
    assert result[X] == pytest.approx(10 * (2 * (6.2 - spread) + 9) / 3)  # 51.38 points
    assert result[Y] == pytest.approx(10 * (6.2 + spread))  # 91.93 points


def test_zscore_of_a_judge_who_gave_everyone_the_same_is_the_global_mean_and_values_stay_on_the_scale():
    scores = marks([(1, X, "c", 5), (1, Y, "c", 5), (2, X, "c", 0), (2, Y, "c", 10), (2, Z, "c", 10)])
    adjusted = {(m.judge, m.team): m.value for m in zscore_marks(scores, TEN, min_scores=2)}
    assert adjusted[(1, X)] == adjusted[(1, Y)] == pytest.approx(6.0)  # mean of 5, 5, 0, 10, 10
    assert all(0 <= v <= 10 for v in adjusted.values())


def test_bias_model_separates_a_harsh_judge_from_a_weak_team():
    # Judge 1 scores one point under judge 2 on X; only judge 1 scored Y. Least squares: b1 = −1, b2 = +1, so
    # Y's quality is 6 + 1 = 7, above its raw 6.
    quality, offsets = bias_fit(marks([(1, X, "c", 4), (1, Y, "c", 6), (2, X, "c", 6)]))
    assert quality == pytest.approx({X: 5, Y: 7})
    assert offsets == pytest.approx({1: -1, 2: 1})
    assert sum(offsets.values()) == pytest.approx(0)


def test_a_flag_where_the_method_decides_the_order_of_neighbours():
    scores = marks([(1, X, "c", 4), (1, Z, "c", 2), (2, X, "c", 8), (2, Y, "c", 7)])
    # raw: X 60, Y 70, Z 20 → Y, X, Z. Bias: b1 = −2, q = X 6, Y 5, Z 4 → X, Y, Z. Z-score: X 7.63, Y and Z 2.87
    # (tied; Y has the higher raw points) → X, Y, Z.
    result = aggregate(marks=scores, criteria=TEN, teams=TEAMS[:3], min_scores=2, method=BIAS)
    by_team = {r.team.id: r for r in result.results}
    assert [r.team.id for r in result.results] == [X, Y, Z]
    assert by_team[X].ranks == {RAW: 2, ZSCORE: 1, BIAS: 1} and by_team[Y].ranks == {RAW: 1, ZSCORE: 2, BIAS: 2}
    assert by_team[X].scores[BIAS] == pytest.approx(60) and by_team[Y].scores[BIAS] == pytest.approx(50)
    assert by_team[Y].tied_with_next[ZSCORE] is True
    assert by_team[X].method_sensitive and by_team[Y].method_sensitive and not by_team[Z].method_sensitive


@pytest.mark.parametrize("coverage", [1.0, 0.6])
def test_bias_model_recovers_planted_judge_offsets(coverage):
    rng = random.Random(16)
    planted = [-2.0, -1.0, -0.5, 0.0, 0.5, 1.0, 1.5, 0.5]
    planted = [b - sum(planted) / len(planted) for b in planted]  # sum to zero, as the model assumes
    quality = {team: rng.uniform(3, 8) for team in range(40)}
    rows = [
        Mark(judge, team, "c", quality[team] + offset + rng.gauss(0, 0.2))
        for judge, offset in enumerate(planted)
        for team in quality
        if rng.random() < coverage
    ]
    fitted_quality, offsets = bias_fit(rows)
    for judge, offset in enumerate(planted):
        assert offsets[judge] == pytest.approx(offset, abs=0.15)
    errors = [abs(fitted_quality[t] - q) for t, q in quality.items() if t in fitted_quality]
    assert max(errors) < 0.5


def test_the_bias_model_ranks_the_truth_where_raw_is_fooled_by_who_judged_whom():
    rng = random.Random(3)
    offsets = [-2.0, 2.0]
    truth = {team: float(team) for team in range(1, 11)}  # team 10 is best
    rows = []
    for team, q in truth.items():
        judge = 0 if team > 5 else 1  # the harsh judge sees the good teams, the lenient one the weak teams
        rows.append(Mark(judge, team, "c", q / 2 + offsets[judge] + 3))
        if team in (5, 6):  # two teams both judges saw connect the judges
            rows.append(Mark(1 - judge, team, "c", q / 2 + offsets[1 - judge] + 3))
    teams = [TeamSpec(t, f"team {t:02d}") for t in truth]
    result = aggregate(marks=rows, criteria=TEN, teams=teams, min_scores=3, method=BIAS)
    assert result.ranked_team_ids() == sorted(truth, reverse=True)
    raw_order = aggregate(marks=rows, criteria=TEN, teams=teams, min_scores=3, method=RAW).ranked_team_ids()
    assert raw_order != sorted(truth, reverse=True)
    del rng


def test_weights_and_scales_combine_into_points():
    criteria = [CriterionSpec("a", 1, 1, 10), CriterionSpec("b", 2, 1, 5)]
    scores = marks([(1, X, "a", 10), (1, X, "b", 1)])  # a: 100 points, b: 0 points → (100 + 0) / 3
    assert raw_scores(scores, criteria)[X] == pytest.approx(100 / 3)


def test_awards_proposal_takes_each_category_from_the_top():
    assert propose_awards([7, 3, 9, 1, 4, 8, 2], [(10, 1), (11, 3), (12, 2)]) == [
        (10, 1, 7), (11, 1, 3), (11, 2, 9), (11, 3, 1), (12, 1, 4), (12, 2, 8),
    ]  # fmt: skip
    assert propose_awards([5, 6], [(10, 1), (11, 3)]) == [(10, 1, 5), (11, 1, 6)]


def test_the_normal_equations_give_the_same_answer_as_the_full_design_matrix():
    import numpy as np

    rng = random.Random(5)
    rows = [
        Mark(judge, team, "c", float(rng.randint(1, 10)))
        for judge in range(6)
        for team in range(15)
        if rng.random() < 0.5
    ]
    teams, judges = sorted({m.team for m in rows}), sorted({m.judge for m in rows})
    design = np.zeros((len(rows), len(teams) + len(judges) - 1))
    for i, m in enumerate(rows):
        design[i, teams.index(m.team)] = 1
        if m.judge == judges[-1]:
            design[i, len(teams) :] = -1
        else:
            design[i, len(teams) + judges.index(m.judge)] = 1
    expected, *_ = np.linalg.lstsq(design, np.array([m.value for m in rows]), rcond=None)
    quality, offsets = bias_fit(rows)
    assert [quality[t] for t in teams] == pytest.approx(list(expected[: len(teams)]))
    assert [offsets[j] for j in judges[:-1]] == pytest.approx(list(expected[len(teams) :]))
