"""Who judges which team: the planner's result (judging.assignment) applied with the settings row locked."""

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record
from judging import selectors
from judging.assignment import plan_assignments
from judging.models import Assignment, JudgeDropout, JudgingSettings, Score
from judging.services.locks import criteria_ensure


def assignments_rebuild_locked(*, event: Event, settings: JudgingSettings, actor: User | None) -> dict[str, int]:
    """Re-plan with the settings row locked: pairs where the judge has scores are kept; conflicted pairs and
    dropped judges go; the planner fills each team up to judges_per_team."""
    judges = list(selectors.judges_of(event).values_list("pk", flat=True))
    teams = list(selectors.candidate_teams(event).values_list("pk", flat=True))
    conflicts = selectors.active_conflict_pairs(event)
    existing = set(Assignment.objects.filter(event=event).values_list("judge_id", "team_id"))
    scored = set(
        Score.objects.filter(event=event).exclude(state=Score.State.WITHDRAWN).values_list("judge_id", "team_id")
    )
    plan = plan_assignments(
        judges=judges, teams=teams, conflicts=conflicts, per_team=settings.judges_per_team, keep=existing & scored
    )
    removed = existing - plan
    added = plan - existing
    for judge_id, team_id in removed:
        Assignment.objects.filter(event=event, judge_id=judge_id, team_id=team_id).delete()
    Assignment.objects.bulk_create([Assignment(event=event, judge_id=j, team_id=t) for j, t in sorted(added)])
    if removed or added:
        audit_record(
            event=event,
            actor=actor,
            action="judging.assignments_rebuild",
            target=settings,
            added=len(added),
            removed=len(removed),
            judges_per_team=settings.judges_per_team,
        )
    return {"added": len(added), "removed": len(removed), "total": len(plan)}


@transaction.atomic
def assignments_rebuild(*, event: Event, rebuilt_by: User | None) -> dict[str, int]:
    check_organizer(rebuilt_by, event, allow_system=True)
    settings = criteria_ensure(event)
    return assignments_rebuild_locked(event=event, settings=settings, actor=rebuilt_by)


@transaction.atomic
def judge_drop(*, event: Event, judge_id: int, reason: str, dropped_by: User | None) -> dict[str, int]:
    """A judge leaves: their teams without a submitted score of theirs go to other judges; what they submitted stays
    (the organizer can see it in the export)."""
    check_organizer(dropped_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if not selectors.judges_of(event).filter(pk=judge_id).exists():
        raise DomainError(_("This person is not judging this event."))
    dropout = JudgeDropout.objects.create(event=event, judge_id=judge_id, reason=reason.strip(), dropped_by=dropped_by)
    Assignment.objects.filter(event=event, judge_id=judge_id).delete()
    audit_record(event=event, actor=dropped_by, action="judging.judge_drop", target=dropout, judge_id=judge_id)
    return assignments_rebuild_locked(event=event, settings=settings, actor=dropped_by)
