"""Turning judges' scores into a ranking: raw, z-score and judge-bias model. Pure: no database, no Django.

Formulas, missing scores and tie-breaks are written out in judging/AGGREGATION.md; keep the two in step.
Every method ends on the same 0–100 "points" scale, so the organizer can read them side by side.
"""

from __future__ import annotations

import dataclasses
import itertools
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
    # (judge, team) pairs with a score on every criterion, one row each: judging progress without another read
    finished_pairs: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), dtype=np.int64))

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


class Scores(NamedTuple):
    """Submitted scores as parallel numpy arrays: what the ranking computes from. The database fills them without
    building a Python object per score (judging.selectors.submitted_scores); `scores_from_marks` fills them from
    rows, for tests and callers that have marks."""

    judge: np.ndarray  # int64 ids
    team: np.ndarray  # int64 ids
    criterion: np.ndarray  # int64 index into the criteria
    value: np.ndarray  # float


def scores_from_marks(marks: Iterable[MarkRow], criteria: Sequence[CriterionSpec]) -> Scores:
    """Marks on criteria not in `criteria` are dropped."""
    a = _arrays(marks, criteria)
    return Scores(a.judge, a.team, a.criterion, a.value)


class _Arrays(NamedTuple):
    marks: list[MarkRow]  # the marks on known criteria, in the order of the arrays (empty when built from Scores)
    judge: np.ndarray
    team: np.ndarray
    criterion: np.ndarray  # index into the criteria
    value: np.ndarray
    low: np.ndarray  # per criterion
    high: np.ndarray
    weight: np.ndarray


def _scales(criteria: Sequence[CriterionSpec]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    return (
        np.array([c.scale_min for c in criteria], dtype=float),
        np.array([c.scale_max for c in criteria], dtype=float),
        np.array([c.weight for c in criteria], dtype=float),
    )


def _arrays(marks: Iterable[MarkRow], criteria: Sequence[CriterionSpec]) -> _Arrays:
    """The marks as numpy arrays: rankings vectorize over thousands of scores."""
    index = {c.key: i for i, c in enumerate(criteria)}
    kept = [m for m in marks if m[2] in index]  # by position: plain (judge, team, key, value) rows work too
    size = len(kept)
    return _Arrays(
        kept,
        np.fromiter((m[0] for m in kept), dtype=np.int64, count=size),
        np.fromiter((m[1] for m in kept), dtype=np.int64, count=size),
        np.fromiter((index[m[2]] for m in kept), dtype=np.int64, count=size),
        np.fromiter((m[3] for m in kept), dtype=float, count=size),
        *_scales(criteria),
    )


def _arrays_of(scores: Scores, criteria: Sequence[CriterionSpec]) -> _Arrays:
    return _Arrays([], scores.judge, scores.team, scores.criterion, scores.value.astype(float), *_scales(criteria))


def _weighted_points_of(a: _Arrays, values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(w·points, w) of every mark: the terms of P (judging/AGGREGATION.md)."""
    span = (a.high - a.low)[a.criterion]
    share = np.divide(values - a.low[a.criterion], span, out=np.zeros_like(values), where=span != 0)
    weights = a.weight[a.criterion]
    return weights * (100.0 * np.clip(share, 0.0, 1.0)), weights


def _pair_totals(a: _Arrays, values: np.ndarray, pair_at: np.ndarray, n_pairs: int) -> np.ndarray:
    """Each (judge, team) pair's weighted points: Σ w·points / Σ w over the criteria the judge scored."""
    weighted, weights = _weighted_points_of(a, values)
    totals: np.ndarray = np.bincount(pair_at, weights=weighted, minlength=n_pairs) / np.bincount(
        pair_at, weights=weights, minlength=n_pairs
    )
    return totals


def _totals(a: _Arrays, values: np.ndarray) -> dict[tuple[int, int], float]:
    stride = int(a.team.max()) + 1
    pairs, inverse = np.unique(a.judge * stride + a.team, return_inverse=True)
    totals = _pair_totals(a, values, inverse.reshape(-1), len(pairs))
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


def _zscore_values(a: _Arrays, *, min_scores: int, judge_at: np.ndarray | None = None) -> np.ndarray:
    """`judge_at`: each mark's judge as an index into the sorted judges, if the caller has it already."""
    n_criteria = len(a.weight)
    if judge_at is None:
        judge_at = np.unique(a.judge, return_inverse=True)[1].reshape(-1)
    inverse = judge_at * n_criteria + a.criterion  # the (judge, criterion) group; groups nobody scored stay empty
    count = np.bincount(inverse)
    mean = np.bincount(inverse, weights=a.value) / np.maximum(count, 1)
    sd = np.sqrt(np.bincount(inverse, weights=(a.value - mean[inverse]) ** 2) / np.maximum(count, 1))
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
    quality_values, free = _bias_solve(counts, sums)
    quality = {int(t): float(q) for t, q in zip(teams, quality_values, strict=True)}
    return quality, _offsets_by_judge(judges, free)


def _bias_solve(counts: np.ndarray, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(quality per team row, the J − 1 free offsets) from teams × judges score counts and sums (see bias_fit)."""
    n_teams, n_judges = counts.shape
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
    return (team_sums - shift) / per_team, free


def _offsets_by_judge(judges: np.ndarray, free: np.ndarray) -> dict[int, float]:
    offsets = {int(j): float(b) for j, b in zip(judges[:-1], free, strict=True)}
    offsets[int(judges[-1])] = -sum(offsets.values())
    return offsets


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


@dataclass
class Computed:
    """All three methods for every team, before choosing the order to show: what the ranking cache holds, since
    each method's page is a cheap view of it (`rank`)."""

    results: dict[int, TeamResult]  # team id -> result; place and method_sensitive are set by `rank`
    scores: dict[str, dict[int, float]]  # method -> team -> points
    orders: dict[str, list[int]]  # method -> team ids, in that method's order
    places: dict[str, dict[int, int]]  # method -> team -> 1-based place
    judge_offsets: dict[str, dict[int, float]]
    finished_pairs: np.ndarray  # see Aggregation


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
    computed = compute(scores=scores_from_marks(marks, criteria), criteria=criteria, teams=teams, min_scores=min_scores)
    return rank(computed, method)


def _slot_totals(a: _Arrays, values: np.ndarray, slot: np.ndarray, present: np.ndarray) -> np.ndarray:
    """_pair_totals over (judge, team) slots, for the slots that have scores (in slot order)."""
    weighted, weights = _weighted_points_of(a, values)
    totals: np.ndarray = np.bincount(slot, weights=weighted)[present] / np.bincount(slot, weights=weights)[present]
    return totals


def _bias_dense(
    a: _Arrays,
    criteria: Sequence[CriterionSpec],
    judge_ids: np.ndarray,
    judge_at: np.ndarray,
    team_ids: np.ndarray,
    team_at: np.ndarray,
) -> tuple[dict[int, float], dict[str, dict[int, float]]]:
    """_bias_scores from the judge and team indexes compute() already has: per criterion, the counts and sums of
    every team × judge, cut down to the teams and judges with a score on it (the matrices bias_fit builds), and
    the weighted points of the qualities added criterion by criterion in key order, as _weighted_points adds."""
    n_judges, n_teams = len(judge_ids), len(team_ids)
    cell = team_at * n_judges + judge_at
    numerator = np.zeros(n_teams)
    weight = np.zeros(n_teams)
    offsets = {}
    for index, spec in sorted(enumerate(criteria), key=lambda pair: pair[1].key):
        on = a.criterion == index
        if not on.any():
            continue
        counts = np.bincount(cell[on], minlength=n_teams * n_judges).reshape(n_teams, n_judges).astype(float)
        sums = np.bincount(cell[on], weights=a.value[on], minlength=n_teams * n_judges).reshape(n_teams, n_judges)
        teams_on = np.flatnonzero(counts.sum(axis=1))
        judges_on = np.flatnonzero(counts.sum(axis=0))
        if len(teams_on) < n_teams or len(judges_on) < n_judges:
            counts, sums = counts[np.ix_(teams_on, judges_on)], sums[np.ix_(teams_on, judges_on)]
        quality, free = _bias_solve(counts, sums)
        offsets[spec.key] = _offsets_by_judge(judge_ids[judges_on], free)
        span = spec.scale_max - spec.scale_min
        share = (quality - spec.scale_min) / span if span else np.zeros_like(quality)
        numerator[teams_on] = numerator[teams_on] + spec.weight * (100.0 * np.minimum(1.0, np.maximum(0.0, share)))
        weight[teams_on] = weight[teams_on] + spec.weight
    scored = np.flatnonzero(weight)
    return dict(zip(team_ids[scored].tolist(), (numerator[scored] / weight[scored]).tolist(), strict=True)), offsets


def compute(
    *, scores: Scores, criteria: Sequence[CriterionSpec], teams: Sequence[TeamSpec], min_scores: int
) -> Computed:
    """Raw, z-score and bias model from the same arrays in one pass (the formulas are judging/AGGREGATION.md's)."""
    a = _arrays_of(scores, criteria)
    raw: dict[int, float] = {}
    zscore: dict[int, float] = {}
    bias: dict[int, float] = {}
    offsets: dict[str, dict[int, float]] = {}
    judge_counts: dict[int, int] = {}
    per_team: dict[int, tuple[dict[int, float], float, float]] = {}  # team -> (judge totals, spread, agreement)
    finished_pairs = np.zeros((0, 2), dtype=np.int64)
    if len(a.value):
        # Judges and teams as indexes into their sorted ids, once: every grouping below is a bincount over them.
        judge_ids, judge_at = np.unique(a.judge, return_inverse=True)
        team_ids, team_at = np.unique(a.team, return_inverse=True)
        judge_at, team_at = judge_at.reshape(-1), team_at.reshape(-1)
        n_teams = len(team_ids)
        slot = judge_at * n_teams + team_at  # the (judge, team) pair, in (judge, team) order
        per_slot = np.bincount(slot, minlength=len(judge_ids) * n_teams)
        present = np.flatnonzero(per_slot)
        pair_judge_at, pair_team_at = present // n_teams, present % n_teams
        totals = _slot_totals(a, a.value, slot, present)
        finished = per_slot[present] >= len(criteria)
        finished_pairs = np.column_stack((judge_ids[pair_judge_at[finished]], team_ids[pair_team_at[finished]]))
        judges_per_team = np.bincount(pair_team_at, minlength=n_teams)
        # Means over a team's judges: bincount adds in (judge, team) order, as Python's sum over the pairs does.
        raw_means = np.bincount(pair_team_at, weights=totals, minlength=n_teams) / judges_per_team
        zscore_values = _zscore_values(a, min_scores=min_scores, judge_at=judge_at)
        zscore_means = (
            np.bincount(pair_team_at, weights=_slot_totals(a, zscore_values, slot, present), minlength=n_teams)
            / judges_per_team
        )
        raw = dict(zip(team_ids.tolist(), raw_means.tolist(), strict=True))
        zscore = dict(zip(team_ids.tolist(), zscore_means.tolist(), strict=True))
        bias, offsets = _bias_dense(a, criteria, judge_ids, judge_at, team_ids, team_at)
        # Per team: its judges' totals in judge order (a stable sort by team keeps it), spread and agreement.
        by_team = np.argsort(pair_team_at, kind="stable")
        sorted_totals = totals[by_team]
        starts = np.cumsum(judges_per_team) - judges_per_team
        spreads = np.maximum.reduceat(sorted_totals, starts) - np.minimum.reduceat(sorted_totals, starts)
        segment = pair_team_at[by_team]
        sds = np.sqrt(np.bincount(segment, weights=(sorted_totals - raw_means[segment]) ** 2) / judges_per_team)
        judges_sorted, totals_sorted = judge_ids[pair_judge_at[by_team]].tolist(), sorted_totals.tolist()
        for team_id, start, count, spread, sd in zip(
            team_ids.tolist(), starts.tolist(), judges_per_team.tolist(), spreads.tolist(), sds.tolist(), strict=True
        ):
            end = start + count
            judge_totals_of_team = dict(zip(judges_sorted[start:end], totals_sorted[start:end], strict=True))
            per_team[team_id] = (judge_totals_of_team, spread, max(0.0, 1.0 - sd / 50.0))
            judge_counts[team_id] = count
    by_method = {RAW: raw, ZSCORE: zscore, BIAS: bias}
    orders = {m: [t.id for t in _order(teams, by_method[m], judge_counts, raw)] for m in METHODS}
    places = {m: {team_id: place for place, team_id in enumerate(order, start=1)} for m, order in orders.items()}
    results: dict[int, TeamResult] = {}
    for team in teams:
        judge_totals_of_team, spread_of_team, agreement_of_team = per_team.get(team.id, ({}, None, None))
        results[team.id] = TeamResult(
            team=team,
            judges=len(judge_totals_of_team),
            scores={m: by_method[m].get(team.id) for m in METHODS},
            ranks={m: places[m][team.id] for m in METHODS},
            judge_totals=judge_totals_of_team,
            spread=spread_of_team,
            agreement=agreement_of_team,
        )
    for m, order in orders.items():
        for current, following in itertools.pairwise(order):
            first, second = by_method[m].get(current), by_method[m].get(following)
            tied = first is not None and second is not None and abs(first - second) <= EPSILON
            results[current].tied_with_next[m] = tied
        if order:
            results[order[-1]].tied_with_next[m] = False
    return Computed(
        results=results,
        scores=by_method,
        orders=orders,
        places=places,
        judge_offsets=offsets,
        finished_pairs=finished_pairs,
    )


def rank(computed: Computed, method: str) -> Aggregation:
    """The computed methods in `method`'s order, with each team's place and the method-sensitive flags. Copies the
    rows, so the (cached) Computed is never changed."""
    if method not in METHODS:
        raise ValueError(method)
    order, places, scores = computed.orders[method], computed.places, computed.scores[method]
    results = [dataclasses.replace(computed.results[team_id], place=place) for place, team_id in enumerate(order, 1)]
    for current, following in itertools.pairwise(results):
        if scores.get(following.team.id) is None:
            break
        a, b = current.team.id, following.team.id
        if any(places[m][a] > places[m][b] for m in METHODS if m != method):
            current.method_sensitive = following.method_sensitive = True
    return Aggregation(
        method=method, results=results, judge_offsets=computed.judge_offsets, finished_pairs=computed.finished_pairs
    )


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
