"""The ranking as judging/aggregation.py computed it before the array fast path (wave 3, issue 16), kept verbatim
below this docstring as the reference that test_aggregation_fast_path.py checks the fast path against.
Do not edit it to follow the fast path: a difference between the two is what the tests exist to find.
"""

from __future__ import annotations

import itertools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

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


class Mark(NamedTuple):
    """One submitted score: judge × team × criterion. A tuple: rankings build thousands of them."""

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
    place: int = 0  # 1-based place in the chosen method's order


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


MarkRow = tuple[int, int, str, float]  # a Mark, or the same row straight from the database


class _Arrays(NamedTuple):
    marks: list[MarkRow]  # the marks on known criteria, in the order of the arrays
    judge: np.ndarray
    team: np.ndarray
    criterion: np.ndarray  # index into the criteria
    value: np.ndarray
    low: np.ndarray  # per criterion
    high: np.ndarray
    weight: np.ndarray


def _arrays(marks: Iterable[MarkRow], criteria: Sequence[CriterionSpec]) -> _Arrays:
    """The marks as numpy arrays: rankings vectorize over thousands of scores."""
    index = {c.key: i for i, c in enumerate(criteria)}
    kept = [m for m in marks if m[2] in index]  # by position: plain (judge, team, key, value) rows work too
    size = len(kept)
    return _Arrays(
        marks=kept,
        judge=np.fromiter((m[0] for m in kept), dtype=np.int64, count=size),
        team=np.fromiter((m[1] for m in kept), dtype=np.int64, count=size),
        criterion=np.fromiter((index[m[2]] for m in kept), dtype=np.int64, count=size),
        value=np.fromiter((m[3] for m in kept), dtype=float, count=size),
        low=np.array([c.scale_min for c in criteria], dtype=float),
        high=np.array([c.scale_max for c in criteria], dtype=float),
        weight=np.array([c.weight for c in criteria], dtype=float),
    )


def _totals(a: _Arrays, values: np.ndarray) -> dict[tuple[int, int], float]:
    span = (a.high - a.low)[a.criterion]
    share = np.divide(values - a.low[a.criterion], span, out=np.zeros_like(values), where=span != 0)
    points = 100.0 * np.clip(share, 0.0, 1.0)
    weights = a.weight[a.criterion]
    stride = int(a.team.max()) + 1
    pairs, inverse = np.unique(a.judge * stride + a.team, return_inverse=True)
    inverse = inverse.reshape(-1)
    totals = np.bincount(inverse, weights=weights * points) / np.bincount(inverse, weights=weights)
    return {(int(pair // stride), int(pair % stride)): float(total) for pair, total in zip(pairs, totals, strict=True)}


def judge_totals(marks: Iterable[Mark], criteria: Sequence[CriterionSpec]) -> dict[tuple[int, int], float]:
    """(judge, team) -> that judge's weighted points for the team, over the criteria the judge scored."""
    a = _arrays(marks, criteria)
    return _totals(a, a.value) if a.marks else {}


def mean_of_judges(totals: dict[tuple[int, int], float]) -> dict[int, float]:
    """team -> mean over the judges who scored it; a team nobody scored is absent (not zero)."""
    per_team: dict[int, list[float]] = defaultdict(list)
    for (_judge, team), total in totals.items():  # in (judge, team) order, as _totals builds it
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
    criterion keeps their raw values; a judge who gave everyone the same value (σ_jc = 0) maps to G_c. Marks on
    unknown criteria are dropped.
    """
    a = _arrays(marks, criteria)
    if not a.marks:
        return []
    values = _zscore_values(a, min_scores=min_scores)
    return [Mark(m[0], m[1], m[2], float(v)) for m, v in zip(a.marks, values, strict=True)]


def _zscore_values(a: _Arrays, *, min_scores: int) -> np.ndarray:
    n_criteria = len(a.weight)
    _groups, inverse = np.unique(a.judge * n_criteria + a.criterion, return_inverse=True)
    inverse = inverse.reshape(-1)
    count = np.bincount(inverse)
    mean = np.bincount(inverse, weights=a.value) / count
    sd = np.sqrt(np.bincount(inverse, weights=(a.value - mean[inverse]) ** 2) / count)
    global_count = np.bincount(a.criterion, minlength=n_criteria)
    safe_count = np.maximum(global_count, 1)
    global_mean = np.bincount(a.criterion, weights=a.value, minlength=n_criteria) / safe_count
    global_sd = np.sqrt(
        np.bincount(a.criterion, weights=(a.value - global_mean[a.criterion]) ** 2, minlength=n_criteria) / safe_count
    )
    judge_sd = sd[inverse]
    z = np.divide(a.value - mean[inverse], judge_sd, out=np.zeros_like(a.value), where=judge_sd > EPSILON)
    mapped = np.clip(global_mean[a.criterion] + global_sd[a.criterion] * z, a.low[a.criterion], a.high[a.criterion])
    return np.where(count[inverse] >= min_scores, mapped, a.value)


def zscore_scores(marks: Sequence[Mark], criteria: Sequence[CriterionSpec], *, min_scores: int) -> dict[int, float]:
    a = _arrays(marks, criteria)
    return mean_of_judges(_totals(a, _zscore_values(a, min_scores=min_scores))) if a.marks else {}


def bias_fit(marks: Sequence[Mark]) -> tuple[dict[int, float], dict[int, float]]:
    """Least squares for x_jt = q_t + b_j + ε on one criterion, with Σ_j b_j = 0. Returns (q by team, b by judge).

    The constraint is built into the unknowns: b_last = −Σ b_others. The normal equations of that problem are built
    from per-(team, judge) counts and sums, in O(scores). Their team block is diagonal (a score names one team), so
    the teams are eliminated exactly (Schur complement) and numpy.linalg.lstsq solves only for the J − 1 free
    offsets; each quality is then its team's mean of (score − offset). 300 teams × 30 judges is a 29 × 29 solve.
    Where the data cannot separate offsets (judges who share no team), lstsq returns the minimum-norm offsets, so
    the answer is still deterministic.
    """
    if not marks:
        return {}, {}
    return _bias_fit_arrays(
        np.fromiter((m.judge for m in marks), dtype=np.int64, count=len(marks)),
        np.fromiter((m.team for m in marks), dtype=np.int64, count=len(marks)),
        np.fromiter((m.value for m in marks), dtype=float, count=len(marks)),
    )


def _bias_fit_arrays(
    judge: np.ndarray, team: np.ndarray, value: np.ndarray
) -> tuple[dict[int, float], dict[int, float]]:
    teams, team_at = np.unique(team, return_inverse=True)
    judges, judge_at = np.unique(judge, return_inverse=True)
    team_at, judge_at = team_at.reshape(-1), judge_at.reshape(-1)
    n_teams, n_judges = len(teams), len(judges)
    cell = team_at * n_judges + judge_at
    counts = np.bincount(cell, minlength=n_teams * n_judges).reshape(n_teams, n_judges).astype(float)
    sums = np.bincount(cell, weights=value, minlength=n_teams * n_judges).reshape(n_teams, n_judges)
    per_team, per_judge = counts.sum(axis=1), counts.sum(axis=0)
    team_sums, judge_sums = sums.sum(axis=1), sums.sum(axis=0)
    free = np.zeros(0)
    shift = np.zeros(n_teams)
    if n_judges > 1:
        last = n_judges - 1
        # Columns of the offsets: judge j < last, with the last judge's scores putting −1 in every column.
        cross = counts[:, :last] - counts[:, [last]]  # teams × free offsets
        judge_block = np.diag(per_judge[:last]) + per_judge[last]
        judge_rhs = judge_sums[:last] - judge_sums[last]
        scaled = cross / per_team[:, None]  # D⁻¹C, D = the diagonal team block
        reduced = judge_block - cross.T @ scaled
        reduced_rhs = judge_rhs - scaled.T @ team_sums
        free, *_ = np.linalg.lstsq(reduced, reduced_rhs, rcond=None)
        shift = cross @ free
    quality_values = (team_sums - shift) / per_team
    quality = {int(t): float(q) for t, q in zip(teams, quality_values, strict=True)}
    offsets = {int(j): float(b) for j, b in zip(judges[:-1], free, strict=True)}
    offsets[int(judges[-1])] = -sum(offsets.values())
    return quality, offsets


def bias_scores(
    marks: Sequence[MarkRow], criteria: Sequence[CriterionSpec]
) -> tuple[dict[int, float], dict[str, dict[int, float]]]:
    """team -> weighted points of its fitted qualities (clamped to each scale); criterion -> judge -> offset."""
    return _bias_scores(_arrays(marks, criteria), criteria)


def _bias_scores(a: _Arrays, criteria: Sequence[CriterionSpec]) -> tuple[dict[int, float], dict[str, dict[int, float]]]:
    specs = _by_criterion(criteria)
    qualities: dict[int, dict[str, float]] = defaultdict(dict)
    offsets = {}
    for index, spec in sorted(enumerate(criteria), key=lambda pair: pair[1].key):
        on = a.criterion == index
        if not on.any():
            continue
        quality, offsets[spec.key] = _bias_fit_arrays(a.judge[on], a.team[on], a.value[on])
        for team, value in quality.items():
            qualities[team][spec.key] = value
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
    marks: Sequence[MarkRow],
    criteria: Sequence[CriterionSpec],
    teams: Sequence[TeamSpec],
    min_scores: int,
    method: str = RAW,
) -> Aggregation:
    """All three methods at once, ordered by `method`."""
    if method not in METHODS:
        raise ValueError(method)
    a = _arrays(marks, criteria)
    marks = a.marks
    totals = _totals(a, a.value) if marks else {}
    raw = mean_of_judges(totals)
    zscore = mean_of_judges(_totals(a, _zscore_values(a, min_scores=min_scores))) if marks else {}
    bias, offsets = _bias_scores(a, criteria)
    by_method = {RAW: raw, ZSCORE: zscore, BIAS: bias}
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
            first, second = by_method[m].get(current.id), by_method[m].get(following.id)
            tied = first is not None and second is not None and abs(first - second) <= EPSILON
            results[current.id].tied_with_next[m] = tied
        if order:
            results[order[-1].id].tied_with_next[m] = False
    chosen = orders[method]
    for place, team in enumerate(chosen, start=1):
        results[team.id].place = place
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
