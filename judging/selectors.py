"""Reads for judging's pages and API, scoped to the person asking. A read never writes: before an organizer or a
service saves anything, criteria, settings and award categories come back as unsaved defaults."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import numpy as np
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hackathon.models import Event, EventRole
from hackathon.permissions import is_judge, is_organizer
from judging import aggregation
from judging.models import (
    DEFAULT_AWARD_CATEGORIES,
    DEFAULT_CRITERIA,
    Assignment,
    Award,
    AwardCategory,
    Conflict,
    Criterion,
    JudgeDropout,
    JudgingSettings,
    Score,
    ScoreChange,
    ScoreVersion,
)
from npu_jobs.figures import JobFigures, PairRatios, job_figures, pair_ratios
from npu_jobs.models import JobComparison, NpuJob, TeamQuota
from teams.models import JoinRequest, Team, TeamMembership

Person = User | AnonymousUser


# --- settings, criteria, categories ---------------------------------------------------------------


def judging_settings_of(event: Event) -> JudgingSettings:
    return JudgingSettings.objects.filter(event=event).first() or JudgingSettings(event=event)


def default_criteria(event: Event) -> list[Criterion]:
    return [
        Criterion(
            event=event,
            key=key,
            name_en=name_en,
            name_ko=name_ko,
            description_en=description_en,
            description_ko=description_ko,
            weight=Decimal(1),
            order=index,
        )
        for index, (key, name_en, name_ko, description_en, description_ko) in enumerate(DEFAULT_CRITERIA)
    ]


def criteria_of(event: Event) -> list[Criterion]:
    """The event's criteria in order; the five defaults (unsaved) until judging.services.criteria_ensure runs."""
    return list(Criterion.objects.filter(event=event)) or default_criteria(event)


def default_award_categories(event: Event) -> list[AwardCategory]:
    return [
        AwardCategory(event=event, key=key, name_en=name_en, name_ko=name_ko, count=count, order=index)
        for index, (key, name_en, name_ko, count) in enumerate(DEFAULT_AWARD_CATEGORIES)
    ]


def award_categories_of(event: Event) -> list[AwardCategory]:
    return list(AwardCategory.objects.filter(event=event)) or default_award_categories(event)


# --- who and what is judged -----------------------------------------------------------------------


def candidate_teams(event: Event) -> QuerySet[Team]:
    """The teams the judges score: every team of the event. Submissions can narrow this to the teams with a
    submitted final version; everything in judging reads candidates through this one function."""
    return Team.objects.filter(event=event).order_by("name", "id")


def candidate_team_specs(event: Event) -> list[aggregation.TeamSpec]:
    """The candidate teams as (id, name) in candidate_teams' order: no model instance per team."""
    return [aggregation.TeamSpec(t, n) for t, n in candidate_teams(event).values_list("id", "name")]


def judges_of(event: Event) -> QuerySet[User]:
    """People with the judge role in the event who have not dropped out."""
    dropped = JudgeDropout.objects.filter(event=event).values("judge_id")
    return (
        User.objects.filter(event_roles__event=event, event_roles__role=EventRole.Role.JUDGE)
        .exclude(pk__in=dropped)
        .distinct()
        .order_by("name", "email", "id")
    )


def conflicts_of_event(*, event: Event) -> QuerySet[Conflict]:
    return Conflict.objects.filter(event=event).select_related("judge", "team", "cleared_by", "created_by")


def conflicts_of_judge(*, event: Event, judge: Person) -> QuerySet[Conflict]:
    return conflicts_of_event(event=event).filter(judge_id=judge.pk)


def active_conflict_pairs(event: Event) -> set[tuple[int, int]]:
    return set(
        Conflict.objects.filter(event=event, cleared_at__isnull=True).values_list("judge_id", "team_id").distinct()
    )


def detected_conflict_pairs(event: Event) -> dict[tuple[int, int], str]:
    """(judge, team) -> why, from HackNPU's own data: the judge is or was a member of the team, or asked to join it."""
    judge_ids = list(judges_of(event).values_list("pk", flat=True))
    found: dict[tuple[int, int], str] = {}
    for user_id, team_id in TeamMembership.objects.filter(event=event, user_id__in=judge_ids).values_list(
        "user_id", "team_id"
    ):
        found[(user_id, team_id)] = "member"
    for user_id, team_id in JoinRequest.objects.filter(team__event=event, user_id__in=judge_ids).values_list(
        "user_id", "team_id"
    ):
        found.setdefault((user_id, team_id), "join_request")
    return found


def assignments_of_judge(*, event: Event, judge: Person) -> list[Assignment]:
    """The judge's teams, each with `.scored` (criteria with a score), `.submitted` and `.drafts` counts: 2 queries."""
    if not judge.is_authenticated:
        return []
    assignments = list(
        Assignment.objects.filter(event=event, judge_id=judge.pk).select_related("team").order_by("team__name")
    )
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Score.objects.filter(event=event, judge_id=judge.pk)
        .values("team_id", "state")
        .annotate(n=Count("id"))
        .values_list("team_id", "state", "n")
    )
    for team_id, state, n in rows:
        counts[team_id][state] += n
    for assignment in assignments:
        per_state = counts.get(assignment.team_id, {})
        assignment.submitted = per_state.get(Score.State.SUBMITTED, 0)  # type: ignore[attr-defined]
        assignment.drafts = per_state.get(Score.State.DRAFT, 0)  # type: ignore[attr-defined]
    return assignments


def assignment_of_judge(*, event: Event, judge: Person, team_id: int) -> Assignment | None:
    if not judge.is_authenticated:
        return None
    return Assignment.objects.filter(event=event, judge_id=judge.pk, team_id=team_id).select_related("team").first()


def scores_of_judge(*, event: Event, judge: Person, team_id: int | None = None) -> QuerySet[Score]:
    """A judge's own scores (every state). Nobody else's, whatever the caller passes."""
    if not judge.is_authenticated:
        return Score.objects.none()
    scores = Score.objects.filter(event=event, judge_id=judge.pk).select_related("criterion", "team")
    if team_id is not None:
        scores = scores.filter(team_id=team_id)
    return scores


def scores_visible_to(*, user: Person, event: Event) -> QuerySet[Score]:
    """Organizers see every score; a judge sees their own, and everyone's once judging has closed; others nothing."""
    if not user.is_authenticated:
        return Score.objects.none()
    base = Score.objects.filter(event=event).select_related("criterion", "team", "judge")
    if is_organizer(user, event):
        return base
    if is_judge(user, event):
        if judging_settings_of(event).is_closed:
            return base
        return base.filter(judge_id=user.pk)
    return Score.objects.none()


def score_get_visible(*, user: Person, event: Event, score_id: int) -> Score | None:
    return scores_visible_to(user=user, event=event).filter(pk=score_id).first()


def score_changes_of(*, score: Score) -> QuerySet[ScoreChange]:
    return ScoreChange.objects.filter(score=score).select_related("changed_by")


# --- progress -------------------------------------------------------------------------------------


@dataclass
class Progress:
    key: int
    label: str
    assigned: int  # teams (for a judge) or judges (for a team)
    done: int  # of those, with every criterion submitted

    @property
    def percent(self) -> int:
        return int(100 * self.done / self.assigned) if self.assigned else 0


def progress_of_judges(
    *, event: Event, ranking: aggregation.Aggregation, judges: list[User] | None = None
) -> list[Progress]:
    """Per judge (in `judges` order): assigned teams, and those with every criterion submitted, which the ranking
    already knows (its finished pairs), so this reads only the assignments: one query, two without `judges`.
    (Per team, the full ranking shows judges done against judges assigned.)"""
    assigned = np.array(
        list(Assignment.objects.filter(event=event).order_by().values_list("judge_id", "team_id")), dtype=np.int64
    ).reshape(-1, 2)
    finished = ranking.finished_pairs
    stride = int(max(assigned[:, 1].max(initial=0), finished[:, 1].max(initial=0))) + 1
    done = np.isin(assigned[:, 0] * stride + assigned[:, 1], finished[:, 0] * stride + finished[:, 1])
    judge_ids, per_judge = np.unique(assigned[:, 0], return_counts=True)
    done_ids, done_per_judge = np.unique(assigned[done, 0], return_counts=True)
    counts = dict(zip(judge_ids.tolist(), per_judge.tolist(), strict=True))
    dones = dict(zip(done_ids.tolist(), done_per_judge.tolist(), strict=True))
    return [
        Progress(u.pk, u.display_name, counts.get(u.pk, 0), dones.get(u.pk, 0)) for u in (judges or judges_of(event))
    ]


def judges_assigned_per_team(*, event: Event) -> dict[int, int]:
    return dict(
        Assignment.objects.filter(event=event).values("team_id").annotate(n=Count("id")).values_list("team_id", "n")
    )


# --- ranking --------------------------------------------------------------------------------------


def criterion_specs(criteria: list[Criterion]) -> list[aggregation.CriterionSpec]:
    return [aggregation.CriterionSpec(c.key, float(c.weight), c.scale_min, c.scale_max) for c in criteria]


RANKING_CACHE_SECONDS = 24 * 3600  # entries are never stale (the key changes with the data); this only frees memory

# One row holding every submitted score of the event packed as bytes (8-byte judge, team and criterion ids and a
# 2-byte value, big-endian), which numpy reads as arrays in one step: at 45,000 scores this is about half the time
# of fetching rows, and no Python object is built per score.
_PACKED_SCORES_SQL = """
SELECT string_agg(
    int8send("judging_score"."judge_id") || int8send("judging_score"."team_id")
    || int8send("judging_score"."criterion_id") || int2send("judging_score"."value"),
    ''::bytea)
FROM "judging_score" WHERE "judging_score"."event_id" = %s AND "judging_score"."state" = %s
"""
_PACKED_SCORE = np.dtype([("judge", ">i8"), ("team", ">i8"), ("criterion", ">i8"), ("value", ">i2")])


def submitted_scores(*, event: Event, criteria: list[Criterion], packed: bool | None = None) -> aggregation.Scores:
    """Every submitted score of the event as arrays, criteria as indexes into `criteria` (scores on other criteria
    are left out). One query. `packed` (PostgreSQL's default) reads them as one bytea; otherwise as plain rows."""
    if packed is None:
        packed = connection.vendor == "postgresql"
    if packed:
        with connection.cursor() as cursor:
            cursor.execute(_PACKED_SCORES_SQL, [event.pk, Score.State.SUBMITTED])
            blob = cursor.fetchone()[0]
        rows = np.frombuffer(blob or b"", dtype=_PACKED_SCORE)
        judge, team, criterion_id, value = (rows[name].astype(np.int64) for name in _PACKED_SCORE.names or ())
    else:
        plain = Score.objects.filter(event=event, state=Score.State.SUBMITTED).values_list(
            "judge_id", "team_id", "criterion_id", "value"
        )
        columns = np.array(list(plain), dtype=np.int64).reshape(-1, 4).T
        judge, team, criterion_id, value = columns
    index_of = {c.pk: i for i, c in enumerate(criteria) if c.pk is not None}
    lookup = np.full(max(index_of, default=0) + 1, -1, dtype=np.int64)
    lookup[list(index_of)] = list(index_of.values())
    known = criterion_id < len(lookup)
    index = np.full(len(criterion_id), -1, dtype=np.int64)
    index[known] = lookup[criterion_id[known]]
    kept = index >= 0
    return aggregation.Scores(judge[kept], team[kept], index[kept], value[kept].astype(float))


def ranking_of_event(
    *,
    event: Event,
    method: str | None = None,
    settings: JudgingSettings | None = None,
    criteria: list[Criterion] | None = None,
    teams: list[aggregation.TeamSpec] | None = None,
    cached: bool = True,
) -> aggregation.Aggregation:
    """Every submitted score through all three methods, ordered by `method` (the event's choice by default).

    The three methods are computed together and cached in Django's cache under the event's ScoreVersion (a new UUID
    in the transaction of every score write), the criteria, the normalization minimum and the candidate teams; each
    method's order is a cheap view of that entry, so the pages of all three methods share one computation per score
    change, and a reload without a change neither reads the scores nor recomputes. The version is read before the
    scores, so an entry never holds older scores than its key says. Services that decide (awards) pass cached=False.
    At most five queries (two when the caller passes settings, criteria and candidate_team_specs), whatever the
    number of teams and judges."""
    settings = settings or judging_settings_of(event)
    criteria = criteria if criteria is not None else criteria_of(event)
    method = method or settings.method
    specs = criterion_specs(criteria)
    teams = teams if teams is not None else candidate_team_specs(event)
    key = None
    if cached:
        version = ScoreVersion.objects.filter(event=event).values_list("version", flat=True).first()
        if version is not None:
            inputs = repr((specs, [c.pk for c in criteria], settings.min_scores_for_normalization, teams)).encode()
            key = f"judging:ranking:{event.pk}:{version}:{hashlib.sha256(inputs).hexdigest()}"
            hit = cache.get(key)
            if isinstance(hit, aggregation.Computed):
                return aggregation.rank(hit, method)
    computed = aggregation.compute(
        scores=submitted_scores(event=event, criteria=criteria),
        criteria=specs,
        teams=teams,
        min_scores=settings.min_scores_for_normalization,
    )
    if key is not None:
        cache.set(key, computed, RANKING_CACHE_SECONDS)
    return aggregation.rank(computed, method)


def awards_of_event(*, event: Event) -> list[Award]:
    return list(Award.objects.filter(event=event).select_related("category", "team", "proposed_team", "decided_by"))


def award_proposal(*, event: Event, ranking: aggregation.Aggregation) -> list[dict[str, Any]]:
    """[{category, place, team_id, team_name}] from the ranking: categories in order, each taking its count."""
    categories = award_categories_of(event)
    names = {r.team.id: r.team.name for r in ranking.results}
    plan = aggregation.propose_awards(
        ranking.ranked_team_ids(), [(index, c.count) for index, c in enumerate(categories)]
    )
    return [
        {"category": categories[index], "place": place, "team_id": team_id, "team_name": names[team_id]}
        for index, place, team_id in plan
    ]


# --- evidence -------------------------------------------------------------------------------------


@dataclass
class BestFigure:
    value: Any
    figures: JobFigures

    @property
    def source(self) -> str:
        """For source badges: "npu", "cpu" (a CPU run or an NPU job that fell back) or "simulated"."""
        return {"cpu_fallback": "cpu"}.get(self.figures.run_kind, self.figures.run_kind)


@dataclass
class TeamEvidence:
    jobs: int
    best_throughput: BestFigure | None
    best_p50: BestFigure | None
    best_p99: BestFigure | None
    best_cost_per_1k: BestFigure | None
    comparison: PairRatios | None
    comparison_id: int | None
    npu_seconds_used: Decimal | None
    cpu_seconds_used: Decimal | None

    @property
    def figure_rows(self) -> list[tuple[str, BestFigure]]:
        rows = [
            (_("Best throughput"), self.best_throughput),
            (_("Best latency p50"), self.best_p50),
            (_("Best latency p99"), self.best_p99),
            (_("Lowest cost per 1,000 inferences"), self.best_cost_per_1k),
        ]
        return [(str(label), best) for label, best in rows if best is not None]


def _best(figures: list[JobFigures], attribute: str, *, highest: bool) -> BestFigure | None:
    candidates = [f for f in figures if getattr(f, attribute) is not None]
    if not candidates:
        return None
    # Ties go to the earlier job (lower id), so the evidence does not jump around.
    chosen = sorted(candidates, key=lambda f: ((-1 if highest else 1) * float(getattr(f, attribute)), f.job_id))[0]
    return BestFigure(getattr(chosen, attribute), chosen)


def evidence_of_team(*, team: Team) -> TeamEvidence:
    """The team's measured figures from npu_jobs: its succeeded, non-simulated jobs only. Three queries."""
    jobs = list(NpuJob.objects.filter(team=team, state="succeeded", simulated=False).order_by("id"))
    figures = [job_figures(job) for job in jobs]
    comparison = (
        JobComparison.objects.filter(team=team, cpu_job__simulated=False, npu_job__simulated=False)
        .select_related("cpu_job", "npu_job")
        .order_by("-created_at", "-id")
        .first()
    )
    quota = TeamQuota.objects.filter(team=team).first()
    return TeamEvidence(
        jobs=len(jobs),
        best_throughput=_best(figures, "throughput_per_second", highest=True),
        best_p50=_best(figures, "latency_p50_ms", highest=False),
        best_p99=_best(figures, "latency_p99_ms", highest=False),
        best_cost_per_1k=_best(figures, "cost_per_1k", highest=False),
        comparison=pair_ratios(comparison.cpu_job, comparison.npu_job) if comparison else None,
        comparison_id=comparison.pk if comparison else None,
        npu_seconds_used=quota.device_seconds_used if quota else None,
        cpu_seconds_used=quota.cpu_seconds_used if quota else None,
    )


# --- results --------------------------------------------------------------------------------------


def results_published(event: Event) -> bool:
    return judging_settings_of(event).results_published_at is not None


def results_of_event(*, event: Event) -> list[dict[str, Any]]:
    """The awards in order, each with the winner's measured NPU evidence."""
    return [{"award": award, "evidence": evidence_of_team(team=award.team)} for award in awards_of_event(event=event)]


def export_rows(*, event: Event) -> list[list[Any]]:
    """Every score of the event (all states), one row each, for the CSV and XLSX exports."""
    header = [
        "team",
        "judge",
        "criterion",
        "weight",
        "value",
        "scale_min",
        "scale_max",
        "state",
        "comment",
        "updated_at",
    ]
    rows: list[list[Any]] = [header]
    scores = (
        Score.objects.filter(event=event)
        .select_related("team", "judge", "criterion")
        .order_by("team__name", "judge__email", "criterion__order")
    )
    for s in scores:
        rows.append(
            [
                s.team.name,
                s.judge.email,
                s.criterion.key,
                float(s.criterion.weight),
                s.value,
                s.scale_min,
                s.scale_max,
                s.state,
                s.comment,
                s.updated_at.isoformat(),
            ]
        )
    return rows


def judge_can_score(*, event: Event, judge: Person, team_id: int) -> bool:
    return (
        assignment_of_judge(event=event, judge=judge, team_id=team_id) is not None
        and not Conflict.objects.filter(
            Q(cleared_at__isnull=True), event=event, judge_id=judge.pk, team_id=team_id
        ).exists()
    )


# --- the person's home ------------------------------------------------------------------------------


def assignments_left_count(*, event: Event, criteria_count: int) -> tuple[int, int]:
    """(assigned judge-team pairs, pairs not yet scored on every criterion) for the whole event. Two queries."""
    pairs = set(Assignment.objects.filter(event=event).values_list("judge_id", "team_id"))
    done = {
        (judge_id, team_id)
        for judge_id, team_id, n in Score.objects.filter(event=event, state=Score.State.SUBMITTED)
        .values("judge_id", "team_id")
        .annotate(n=Count("id"))
        .values_list("judge_id", "team_id", "n")
        if criteria_count and n >= criteria_count
    }
    return len(pairs), len(pairs - done)
