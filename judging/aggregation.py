"""Turning judges' scores into a ranking: raw, z-score and judge-bias model. Pure: no database, no Django.

Formulas, missing scores and tie-breaks are written out in judging/AGGREGATION.md; keep the two in step.
Every method ends on the same 0–100 "points" scale, so the organizer can read them side by side.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np

RAW, ZSCORE, BIAS = "raw", "zscore", "bias"
METHODS = (RAW, ZSCORE, BIAS)
# Scores closer than this are equal (floating-point noise must not decide a prize).
EPSILON = 1e-9


@dataclass(frozen=True)
class CriterionSpec:
    key: str
    weight: float
    scale_min: float
    scale_max: float

    def points(self, value: float) -> float:
        """A value on this criterion's scale as 0–100, clamped to the scale."""
        span = self.scale_max - self.scale_min
        share = (value - self.scale_min) / span if span else 0.0
        return 100.0 * min(1.0, max(0.0, share))


@dataclass(frozen=True)
class TeamSpec:
    id: int
    name: str


@dataclass(frozen=True)
class Mark:
    """One submitted score: judge × team × criterion."""

    judge: int
    team: int
    criterion: str
    value: float


@dataclass
class TeamResult:
    team: TeamSpec
    judges: int  # judges with at least one submitted score for the team
    scores: dict[str, float | None]  # method -> points (None: nobody scored the team)
    ranks: dict[str, int]  # method -> 1-based place
    judge_totals: dict[int, float]  # judge -> their raw weighted points for this team
    spread: float | None  # max − min of the judges' raw points
    agreement: float | None  # 1 − sd(judges' raw points) / 50: 1 = all agree, 0 = as split as possible
    tied_with_next: dict[str, bool] = field(default_factory=dict)  # method -> equal score to the next place
    method_sensitive: bool = False  # a neighbour's order (in the chosen method) flips under another method


@dataclass
class Aggregation:
    method: str
    results: list[TeamResult]  # in the chosen method's order
    judge_offsets: dict[str, dict[int, float]]  # criterion -> judge -> fitted offset (bias model)

    def ranked_team_ids(self) -> list[int]:
        return [r.team.id for r in self.results if r.scores[self.method] is not None]


def _by_criterion(criteria: Sequence[CriterionSpec]) -> dict[str, CriterionSpec]:
    return {c.key: c for c in criteria}


def _weighted_points(values: dict[str, float], criteria: dict[str, CriterionSpec]) -> float | None:
    """Σ w·points / Σ w over the criteria present: a missing criterion drops out and the weights renormalize."""
    weight = sum(criteria[key].weight for key in values)
    if not weight:
        return None
    return sum(criteria[key].weight * criteria[key].points(value) for key, value in values.items()) / weight


def judge_totals(marks: Iterable[Mark], criteria: Sequence[CriterionSpec]) -> dict[tuple[int, int], float]:
    """(judge, team) -> that judge's weighted points for the team, over the criteria the judge scored."""
    specs = _by_criterion(criteria)
    per_pair: dict[tuple[int, int], dict[str, float]] = defaultdict(dict)
    for mark in marks:
        if mark.criterion in specs:
            per_pair[(mark.judge, mark.team)][mark.criterion] = mark.value
    totals = {}
    for pair, values in per_pair.items():
        total = _weighted_points(values, specs)
        if total is not None:
            totals[pair] = total
    return totals


def mean_of_judges(totals: dict[tuple[int, int], float]) -> dict[int, float]:
    """team -> mean over the judges who scored it; a team nobody scored is absent (not zero)."""
    per_team: dict[int, list[float]] = defaultdict(list)
    for (_judge, team), total in sorted(totals.items()):
        per_team[team].append(total)
    return {team: sum(values) / len(values) for team, values in per_team.items()}


def raw_scores(marks: Sequence[Mark], criteria: Sequence[CriterionSpec]) -> dict[int, float]:
    return mean_of_judges(judge_totals(marks, criteria))


def _mean_sd(values: Sequence[float]) -> tuple[float, float]:
    mean = sum(values) / len(values)
    return mean, math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))


def zscore_marks(marks: Sequence[Mark], criteria: Sequence[CriterionSpec], *, min_scores: int) -> list[Mark]:
    """Each judge's scores on a criterion standardized, then mapped back with the criterion's global mean and spread.

    x' = G_c + S_c · (x − μ_jc) / σ_jc, clamped to the scale. A judge with fewer than `min_scores` scores on the
    criterion keeps their raw values; a judge who gave everyone the same value (σ_jc = 0) maps to G_c.
    """
    specs = _by_criterion(criteria)
    by_criterion: dict[str, list[float]] = defaultdict(list)
    by_judge: dict[tuple[int, str], list[float]] = defaultdict(list)
    for mark in marks:
        by_criterion[mark.criterion].append(mark.value)
        by_judge[(mark.judge, mark.criterion)].append(mark.value)
    global_stats = {key: _mean_sd(values) for key, values in by_criterion.items()}
    judge_stats = {key: _mean_sd(values) for key, values in by_judge.items() if len(values) >= min_scores}
    adjusted = []
    for mark in marks:
        stats = judge_stats.get((mark.judge, mark.criterion))
        spec = specs.get(mark.criterion)
        if stats is None or spec is None:
            adjusted.append(mark)
            continue
        judge_mean, judge_sd = stats
        global_mean, global_sd = global_stats[mark.criterion]
        z = (mark.value - judge_mean) / judge_sd if judge_sd > EPSILON else 0.0
        value = min(spec.scale_max, max(spec.scale_min, global_mean + global_sd * z))
        adjusted.append(Mark(mark.judge, mark.team, mark.criterion, value))
    return adjusted


def zscore_scores(marks: Sequence[Mark], criteria: Sequence[CriterionSpec], *, min_scores: int) -> dict[int, float]:
    return raw_scores(zscore_marks(marks, criteria, min_scores=min_scores), criteria)


def bias_fit(marks: Sequence[Mark]) -> tuple[dict[int, float], dict[int, float]]:
    """Least squares for x_jt = q_t + b_j + ε on one criterion, with Σ_j b_j = 0. Returns (q by team, b by judge).

    The constraint is built into the unknowns: b_last = −Σ b_others, so numpy.linalg.lstsq solves an unconstrained
    problem. Where the data cannot separate quality from offset (judges who share no team), lstsq's minimum-norm
    solution is returned, which is deterministic.
    """
    teams = sorted({m.team for m in marks})
    judges = sorted({m.judge for m in marks})
    if not marks:
        return {}, {}
    team_col = {t: i for i, t in enumerate(teams)}
    judge_col = {j: len(teams) + i for i, j in enumerate(judges[:-1])}
    design = np.zeros((len(marks), len(teams) + len(judges) - 1))
    target = np.zeros(len(marks))
    for row, mark in enumerate(marks):
        design[row, team_col[mark.team]] = 1.0
        if mark.judge in judge_col:
            design[row, judge_col[mark.judge]] = 1.0
        else:  # the last judge: minus every other offset
            design[row, len(teams) :] = -1.0
        target[row] = mark.value
    solution, *_ = np.linalg.lstsq(design, target, rcond=None)
    quality = {t: float(solution[team_col[t]]) for t in teams}
    offsets = {j: float(solution[judge_col[j]]) for j in judges[:-1]}
    offsets[judges[-1]] = -sum(offsets.values())
    return quality, offsets


def bias_scores(
    marks: Sequence[Mark], criteria: Sequence[CriterionSpec]
) -> tuple[dict[int, float], dict[str, dict[int, float]]]:
    """team -> weighted points of its fitted qualities (clamped to each scale); criterion -> judge -> offset."""
    specs = _by_criterion(criteria)
    per_criterion: dict[str, list[Mark]] = defaultdict(list)
    for mark in marks:
        if mark.criterion in specs:
            per_criterion[mark.criterion].append(mark)
    qualities: dict[int, dict[str, float]] = defaultdict(dict)
    offsets = {}
    for key, criterion_marks in sorted(per_criterion.items()):
        quality, offsets[key] = bias_fit(criterion_marks)
        for team, value in quality.items():
            qualities[team][key] = value
    scores = {}
    for team, values in qualities.items():
        total = _weighted_points(values, specs)
        if total is not None:
            scores[team] = total
    return scores, offsets


def _order(
    teams: Sequence[TeamSpec], scores: dict[int, float], judges: dict[int, int], raw: dict[int, float]
) -> list[TeamSpec]:
    """Higher score first; ties: more judges, then higher raw points, then name, then id. Unscored teams last."""

    def key(team: TeamSpec) -> tuple:
        score = scores.get(team.id)
        return (
            score is None,
            -round(score, 9) if score is not None else 0.0,
            -judges.get(team.id, 0),
            -round(raw.get(team.id, -1.0), 9),
            team.name.casefold(),
            team.id,
        )

    return sorted(teams, key=key)


def aggregate(
    *,
    marks: Sequence[Mark],
    criteria: Sequence[CriterionSpec],
    teams: Sequence[TeamSpec],
    min_scores: int,
    method: str = RAW,
) -> Aggregation:
    """All three methods at once, ordered by `method`."""
    if method not in METHODS:
        raise ValueError(method)
    specs = _by_criterion(criteria)
    marks = [m for m in marks if m.criterion in specs]
    totals = judge_totals(marks, criteria)
    raw = mean_of_judges(totals)
    bias, offsets = bias_scores(marks, criteria)
    by_method = {RAW: raw, ZSCORE: zscore_scores(marks, criteria, min_scores=min_scores), BIAS: bias}
    judges_per_team: dict[int, dict[int, float]] = defaultdict(dict)
    for (judge_id, team_id), total in totals.items():
        judges_per_team[team_id][judge_id] = total
    judge_counts = {team_id: len(per_judge) for team_id, per_judge in judges_per_team.items()}

    orders = {m: _order(teams, by_method[m], judge_counts, raw) for m in METHODS}
    places = {m: {team.id: place for place, team in enumerate(order, start=1)} for m, order in orders.items()}
    results: dict[int, TeamResult] = {}
    for team in teams:
        per_judge = judges_per_team.get(team.id, {})
        values = list(per_judge.values())
        spread: float | None = None
        agreement: float | None = None
        if values:
            spread = max(values) - min(values)
            agreement = max(0.0, 1.0 - _mean_sd(values)[1] / 50.0)
        results[team.id] = TeamResult(
            team=team,
            judges=len(values),
            scores={m: by_method[m].get(team.id) for m in METHODS},
            ranks={m: places[m][team.id] for m in METHODS},
            judge_totals=dict(sorted(per_judge.items())),
            spread=spread,
            agreement=agreement,
        )
    for m, order in orders.items():
        for current, following in itertools.pairwise(order):
            a, b = by_method[m].get(current.id), by_method[m].get(following.id)
            results[current.id].tied_with_next[m] = a is not None and b is not None and abs(a - b) <= EPSILON
        if order:
            results[order[-1].id].tied_with_next[m] = False
    chosen = orders[method]
    for current, following in itertools.pairwise(chosen):
        if by_method[method].get(following.id) is None:
            break
        flips = any(places[m][current.id] > places[m][following.id] for m in METHODS if m != method)
        if flips:
            results[current.id].method_sensitive = results[following.id].method_sensitive = True
    return Aggregation(method=method, results=[results[t.id] for t in chosen], judge_offsets=offsets)


def propose_awards(ranked_team_ids: Sequence[int], categories: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """[(category id, place within category, team id)]: categories in order, each taking its count from the top."""
    proposal: list[tuple[int, int, int]] = []
    remaining = list(ranked_team_ids)
    for category_id, count in categories:
        for place in range(1, count + 1):
            if not remaining:
                return proposal
            proposal.append((category_id, place, remaining.pop(0)))
    return proposal
