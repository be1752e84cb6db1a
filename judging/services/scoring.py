"""Judges' scores: drafts saved as they type, then submitted; changed or withdrawn until judging closes.

Locks: the settings row FOR SHARE (the window), then the judge × team Assignment row, then the scores. Every change
of value, comment or state writes a ScoreChange in the same transaction.
"""

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.services import audit_record
from judging.models import Assignment, Conflict, Criterion, Score, ScoreChange
from judging.services.locks import scores_changed, settings_share_lock


def _assignment_lock(*, event: Event, judge: User, team_id: int) -> Assignment:
    assignment = Assignment.objects.select_for_update().filter(event=event, judge_id=judge.pk, team_id=team_id).first()
    if assignment is None:
        raise PermissionDenied(_("You are not assigned to this team."))
    if Conflict.objects.filter(event=event, judge_id=judge.pk, team_id=team_id, cleared_at__isnull=True).exists():
        raise DomainError(_("You have a conflict of interest with this team."), code="conflict")
    return assignment


def _record(score: Score, *, actor: User, old: tuple | None) -> None:
    old_value, old_comment, old_state = old if old else (None, "", "")
    ScoreChange.objects.create(
        score=score,
        event_id=score.event_id,
        changed_by=actor,
        old_value=old_value,
        new_value=score.value,
        old_comment=old_comment,
        new_comment=score.comment,
        old_state=old_state,
        new_state=score.state,
    )


@transaction.atomic
def score_save(*, event: Event, judge: User, team_id: int, criterion_id: int, value: int, comment: str = "") -> Score:
    """Save one score. A new score is a draft; a submitted one stays submitted with its new value (the change is
    kept); a withdrawn one becomes a draft again."""
    settings_share_lock(event)
    _assignment_lock(event=event, judge=judge, team_id=team_id)
    criterion = Criterion.objects.filter(event=event, pk=criterion_id).first()
    if criterion is None:
        raise DomainError(_("This criterion no longer exists."), field="criterion")
    if not criterion.scale_min <= value <= criterion.scale_max:
        raise DomainError(
            _("Score %(name)s from %(low)d to %(high)d.")
            % {"name": criterion.name, "low": criterion.scale_min, "high": criterion.scale_max},
            field="value",
            code="out_of_scale",
        )
    comment = comment.strip()
    score = Score.objects.select_for_update().filter(judge=judge, team_id=team_id, criterion=criterion).first()
    if score is None:
        try:
            with transaction.atomic():
                score = Score.objects.create(
                    event=event,
                    judge=judge,
                    team_id=team_id,
                    criterion=criterion,
                    value=value,
                    comment=comment,
                    scale_min=criterion.scale_min,
                    scale_max=criterion.scale_max,
                )
        except IntegrityError:  # the assignment lock makes this unreachable; the constraint stays the last word
            score = Score.objects.select_for_update().get(judge=judge, team_id=team_id, criterion=criterion)
        else:
            _record(score, actor=judge, old=None)
            scores_changed(event)
            return score
    old = (score.value, score.comment, score.state)
    new_state = Score.State.DRAFT if score.state == Score.State.WITHDRAWN else score.state
    if old == (value, comment, new_state):
        return score
    score.value, score.comment, score.state = value, comment, new_state
    score.save(update_fields=["value", "comment", "state", "updated_at"])
    _record(score, actor=judge, old=old)
    scores_changed(event)
    return score


@transaction.atomic
def scores_submit(*, event: Event, judge: User, team_id: int) -> list[Score]:
    """Submit the judge's scores of one team: every criterion needs a score."""
    settings_share_lock(event)
    _assignment_lock(event=event, judge=judge, team_id=team_id)
    criteria = list(Criterion.objects.filter(event=event))
    scores = {s.criterion_id: s for s in Score.objects.select_for_update().filter(judge=judge, team_id=team_id)}
    missing = [c.name for c in criteria if c.pk not in scores or scores[c.pk].state == Score.State.WITHDRAWN]
    if missing:
        raise DomainError(
            _("Score every criterion before you submit. Missing: %(names)s") % {"names": ", ".join(missing)},
            code="incomplete",
        )
    now = timezone.now()
    changed = []
    for score in scores.values():
        if score.state == Score.State.SUBMITTED:
            continue
        old = (score.value, score.comment, score.state)
        score.state, score.submitted_at = Score.State.SUBMITTED, now
        score.save(update_fields=["state", "submitted_at", "updated_at"])
        _record(score, actor=judge, old=old)
        changed.append(score)
    if changed:
        scores_changed(event)
    audit_record(event=event, actor=judge, action="judging.scores_submit", team_id=team_id, scores=len(changed))
    return list(scores.values())


@transaction.atomic
def scores_withdraw(*, event: Event, judge: User, team_id: int) -> int:
    """Withdraw the judge's scores of one team (they stop counting; history is kept). Returns how many changed."""
    settings_share_lock(event)
    _assignment_lock(event=event, judge=judge, team_id=team_id)
    count = 0
    for score in (
        Score.objects.select_for_update().filter(judge=judge, team_id=team_id).exclude(state=Score.State.WITHDRAWN)
    ):
        old = (score.value, score.comment, score.state)
        score.state = Score.State.WITHDRAWN
        score.save(update_fields=["state", "updated_at"])
        _record(score, actor=judge, old=old)
        count += 1
    if count:
        scores_changed(event)
    audit_record(event=event, actor=judge, action="judging.scores_withdraw", team_id=team_id, scores=count)
    return count
