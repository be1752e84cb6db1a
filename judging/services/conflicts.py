"""Conflicts of interest: declared by the judge, recorded by an organizer, or detected from HackNPU's data.

An active conflict takes the pair out of the assignment and withdraws the judge's scores of that team; clearing
one (organizers, with a reason) lets the planner assign the pair again. Settings row locked first.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer, is_judge
from hackathon.services import audit_record
from judging import selectors
from judging.models import Assignment, Conflict, JudgingSettings, Score, ScoreChange
from judging.services.assignments import assignments_rebuild_locked
from judging.services.locks import criteria_ensure, scores_changed

DETECTED_REASONS = {
    "member": "Member of the team",
    "join_request": "Asked to join the team",
}


def _take_out(*, event: Event, judge_id: int, team_id: int, actor: User | None) -> None:
    """The pair leaves the assignment; the judge's scores of the team no longer count."""
    Assignment.objects.filter(event=event, judge_id=judge_id, team_id=team_id).delete()
    scores = list(
        Score.objects.select_for_update()
        .filter(event=event, judge_id=judge_id, team_id=team_id)
        .exclude(state=Score.State.WITHDRAWN)
    )
    for score in scores:
        ScoreChange.objects.create(
            score=score,
            event=event,
            changed_by=actor,
            old_value=score.value,
            new_value=score.value,
            old_comment=score.comment,
            new_comment=score.comment,
            old_state=score.state,
            new_state=Score.State.WITHDRAWN,
        )
        score.state = Score.State.WITHDRAWN
        score.save(update_fields=["state", "updated_at"])
    if scores:
        scores_changed(event)


def _add(
    *,
    event: Event,
    settings: JudgingSettings,
    judge_id: int,
    team_id: int,
    source: str,
    reason: str,
    actor: User | None,
) -> Conflict:
    if not selectors.candidate_teams(event).filter(pk=team_id).exists():
        raise DomainError(_("This team is not judged in this event."), field="team")
    if not selectors.judges_of(event).filter(pk=judge_id).exists():
        raise DomainError(_("This person is not judging this event."), field="judge")
    conflict, created = Conflict.objects.get_or_create(
        event=event,
        judge_id=judge_id,
        team_id=team_id,
        source=source,
        defaults={"reason": reason, "created_by": actor},
    )
    if not created and conflict.cleared_at is not None and source != Conflict.Source.DETECTED:
        conflict.cleared_at, conflict.cleared_by, conflict.cleared_reason = None, None, ""
        conflict.reason = reason
        conflict.save(update_fields=["cleared_at", "cleared_by", "cleared_reason", "reason"])
        created = True
    if created and conflict.is_active:
        _take_out(event=event, judge_id=judge_id, team_id=team_id, actor=actor)
        audit_record(
            event=event,
            actor=actor,
            action=f"judging.conflict_{source}",
            target=conflict,
            judge_id=judge_id,
            team_id=team_id,
            reason=reason,
        )
        if settings.is_open:
            assignments_rebuild_locked(event=event, settings=settings, actor=actor)
    return conflict


@transaction.atomic
def conflict_declare(*, event: Event, judge: User, team_id: int, reason: str) -> Conflict:
    if not is_judge(judge, event):
        raise PermissionDenied
    settings = criteria_ensure(event)
    if not reason.strip():
        raise DomainError(_("Say what the conflict is."), field="reason")
    return _add(
        event=event,
        settings=settings,
        judge_id=judge.pk,
        team_id=team_id,
        source=Conflict.Source.DECLARED,
        reason=reason.strip(),
        actor=judge,
    )


@transaction.atomic
def conflict_record(*, event: Event, judge_id: int, team_id: int, reason: str, recorded_by: User | None) -> Conflict:
    check_organizer(recorded_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if not reason.strip():
        raise DomainError(_("Say what the conflict is."), field="reason")
    return _add(
        event=event,
        settings=settings,
        judge_id=judge_id,
        team_id=team_id,
        source=Conflict.Source.RECORDED,
        reason=reason.strip(),
        actor=recorded_by,
    )


def conflicts_detect_locked(*, event: Event, actor: User | None) -> list[Conflict]:
    """New detected conflicts, with the settings row locked. A detected conflict that was cleared stays cleared."""
    settings = criteria_ensure(event)
    found = []
    for (judge_id, team_id), why in sorted(selectors.detected_conflict_pairs(event).items()):
        if Conflict.objects.filter(judge_id=judge_id, team_id=team_id, source=Conflict.Source.DETECTED).exists():
            continue
        found.append(
            _add(
                event=event,
                settings=settings,
                judge_id=judge_id,
                team_id=team_id,
                source=Conflict.Source.DETECTED,
                reason=DETECTED_REASONS[why],
                actor=actor,
            )
        )
    return found


@transaction.atomic
def conflicts_detect(*, event: Event, detected_by: User | None) -> list[Conflict]:
    check_organizer(detected_by, event, allow_system=True)
    return conflicts_detect_locked(event=event, actor=detected_by)


@transaction.atomic
def conflict_clear(*, event: Event, conflict_id: int, reason: str, cleared_by: User) -> Conflict:
    check_organizer(cleared_by, event)
    settings = criteria_ensure(event)
    conflict = Conflict.objects.select_for_update().filter(event=event, pk=conflict_id).first()
    if conflict is None:
        raise DomainError(_("This conflict no longer exists."))
    if not conflict.is_active:
        raise DomainError(_("This conflict has already been cleared."), code="already_cleared")
    if not reason.strip():
        raise DomainError(_("Say why the conflict does not matter."), field="reason")
    conflict.cleared_at, conflict.cleared_by, conflict.cleared_reason = timezone.now(), cleared_by, reason.strip()
    conflict.save(update_fields=["cleared_at", "cleared_by", "cleared_reason"])
    audit_record(event=event, actor=cleared_by, action="judging.conflict_clear", target=conflict, reason=reason.strip())
    if settings.is_open:
        assignments_rebuild_locked(event=event, settings=settings, actor=cleared_by)
    return conflict
