"""The live help queue, on HELPq's pull model: teams raise requests, mentors claim them one at a time.

Every move of a request is a conditional update on its state (`filter(pk=..., state=OPEN).update(...)`): zero rows
means someone else moved it first. Two partial unique constraints hold the rest when requests race:
one claimed request per mentor (helprequest_one_claim_per_mentor) and one live request per team
(helprequest_one_live_per_team). Nothing here takes a row lock, so nothing here can deadlock.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import is_mentor, is_organizer
from hackathon.services import audit_record
from mentoring.models import Expertise, HelpRequest
from mentoring.selectors import mentoring_settings_of
from mentoring.services import notify
from npu_jobs.models import ModelQuantization, NpuJob
from teams.models import Team, TeamMembership

State = HelpRequest.State


def _request(request_id: int) -> HelpRequest:
    request = HelpRequest.objects.select_related("team", "event").filter(pk=request_id).first()
    if request is None:
        raise DomainError(_("This request no longer exists."))
    return request


@transaction.atomic
def help_request_raise(
    *,
    team: Team,
    raised_by: User,
    topic: str,
    text: str,
    job: NpuJob | None = None,
    quantization: ModelQuantization | None = None,
) -> HelpRequest:
    if not TeamMembership.objects.filter(team=team, user=raised_by).exists():
        raise PermissionDenied
    if topic not in Expertise.values:
        raise DomainError(_("Choose a topic."), field="topic")
    text = text.strip()
    if not text:
        raise DomainError(_("Say in a sentence what is wrong."), field="text")
    if job is not None and quantization is not None:
        raise DomainError(_("Attach one job or one quantization, not both."), field="job")
    if (job is not None and job.team_id != team.pk) or (quantization is not None and quantization.team_id != team.pk):
        raise DomainError(_("Attach one of your team's own jobs."), field="job")
    now = timezone.now()
    try:
        with transaction.atomic():
            request = HelpRequest.objects.create(
                event=team.event,
                team=team,
                raised_by=raised_by,
                topic=topic,
                text=text,
                job=job,
                quantization=quantization,
                queued_at=now,
            )
    except IntegrityError as error:
        raise DomainError(
            _("Your team already has a request in the queue. Cancel it to raise another."), code="already_queued"
        ) from error
    audit_record(event=team.event, actor=raised_by, action="mentoring.help_raise", target=request, topic=topic)
    return request


def check_can_claim(user: User, event: Event) -> None:
    if not is_mentor(user, event):
        raise PermissionDenied(_("Only mentors take requests."))


@transaction.atomic
def help_request_claim(*, request_id: int, mentor: User) -> HelpRequest:
    request = _request(request_id)
    check_can_claim(mentor, request.event)
    if HelpRequest.objects.filter(event=request.event, claimed_by=mentor, state=State.CLAIMED).exists():
        raise DomainError(_("Close or release the request you hold first."), code="holding_one")
    now = timezone.now()
    try:
        with transaction.atomic():
            moved = HelpRequest.objects.filter(pk=request.pk, state=State.OPEN).update(
                state=State.CLAIMED, claimed_by=mentor, claimed_at=now, helped_by=mentor, updated_at=now
            )
    except IntegrityError as error:  # another claim of this mentor committed first
        raise DomainError(_("Close or release the request you hold first."), code="holding_one") from error
    if not moved:
        raise DomainError(_("Another mentor took this request, or the team withdrew it."), code="taken")
    request.refresh_from_db()
    audit_record(event=request.event, actor=mentor, action="mentoring.help_claim", target=request)
    notify.help_claimed(request, mentor)
    return request


def _finish_claim(*, request_id: int, mentor: User, to_state: str, action: str) -> HelpRequest:
    request = _request(request_id)
    organizer = is_organizer(mentor, request.event)
    if request.claimed_by_id != mentor.pk and not organizer:
        raise PermissionDenied
    now = timezone.now()
    changes: dict = {"state": to_state, "updated_at": now}
    if to_state == State.CLOSED:
        changes["closed_at"] = now
    else:  # back to the queue, in its old place (the queue is ordered by creation)
        changes.update(claimed_by=None, claimed_at=None, queued_at=now)
    moved = HelpRequest.objects.filter(pk=request.pk, state=State.CLAIMED, claimed_by=request.claimed_by_id).update(
        **changes
    )
    if not moved:
        raise DomainError(_("This request is no longer yours."), code="not_claimed")
    request.refresh_from_db()
    audit_record(event=request.event, actor=mentor, action=action, target=request)
    return request


@transaction.atomic
def help_request_close(*, request_id: int, closed_by: User) -> HelpRequest:
    return _finish_claim(request_id=request_id, mentor=closed_by, to_state=State.CLOSED, action="mentoring.help_close")


@transaction.atomic
def help_request_release(*, request_id: int, released_by: User) -> HelpRequest:
    return _finish_claim(
        request_id=request_id, mentor=released_by, to_state=State.OPEN, action="mentoring.help_release"
    )


@transaction.atomic
def help_request_cancel(*, request_id: int, cancelled_by: User) -> HelpRequest:
    """The team withdraws its request while nobody has claimed it."""
    request = _request(request_id)
    if not TeamMembership.objects.filter(team=request.team, user=cancelled_by).exists():
        raise PermissionDenied
    now = timezone.now()
    moved = HelpRequest.objects.filter(pk=request.pk, state=State.OPEN).update(
        state=State.CANCELLED, closed_at=now, updated_at=now
    )
    if not moved:
        raise DomainError(_("A mentor already took this request."), code="not_open")
    request.refresh_from_db()
    audit_record(event=request.event, actor=cancelled_by, action="mentoring.help_cancel", target=request)
    return request


@transaction.atomic
def help_request_rate(*, request_id: int, rated_by: User, rating: int, comment: str = "") -> HelpRequest:
    """After close, a member of the team rates the help once, 1 to 5."""
    request = _request(request_id)
    if not TeamMembership.objects.filter(team=request.team, user=rated_by).exists():
        raise PermissionDenied
    if not 1 <= rating <= 5:
        raise DomainError(_("Rate from 1 to 5."), field="rating")
    moved = HelpRequest.objects.filter(pk=request.pk, state=State.CLOSED, rating__isnull=True).update(
        rating=rating, rating_comment=comment.strip()[:500], updated_at=timezone.now()
    )
    if not moved:
        raise DomainError(_("Only a closed request can be rated, once."), code="not_ratable")
    request.refresh_from_db()
    audit_record(event=request.event, actor=rated_by, action="mentoring.help_rate", target=request, rating=rating)
    return request


@transaction.atomic
def help_request_claim_time_out(*, request_id: int) -> bool:
    """Beat: a claim past the event's timeout returns to the queue and the mentor is told. Idempotent."""

    request = HelpRequest.objects.select_related("event", "team", "claimed_by").filter(pk=request_id).first()
    if request is None or request.state != State.CLAIMED or request.claimed_by is None or request.claimed_at is None:
        return False
    limit = mentoring_settings_of(request.event).claim_timeout_minutes
    now = timezone.now()
    if request.claimed_at + timedelta(minutes=limit) > now:
        return False
    mentor = request.claimed_by
    moved = HelpRequest.objects.filter(pk=request.pk, state=State.CLAIMED, claimed_at=request.claimed_at).update(
        state=State.OPEN, claimed_by=None, claimed_at=None, queued_at=now, updated_at=now
    )
    if not moved:
        return False
    audit_record(
        event=request.event, actor=None, action="mentoring.help_claim_timeout", target=request, mentor=mentor.email
    )
    notify.help_claim_timed_out(request, mentor)
    return True


@transaction.atomic
def help_request_expire(*, request_id: int) -> bool:
    """Beat: an open request nobody claimed within the event's expiry time expires and the team is told."""

    request = HelpRequest.objects.select_related("event", "team").filter(pk=request_id).first()
    if request is None or request.state != State.OPEN:
        return False
    limit = mentoring_settings_of(request.event).request_expiry_minutes
    now = timezone.now()
    if request.queued_at + timedelta(minutes=limit) > now:
        return False
    moved = HelpRequest.objects.filter(pk=request.pk, state=State.OPEN, queued_at=request.queued_at).update(
        state=State.EXPIRED, closed_at=now, updated_at=now
    )
    if not moved:
        return False
    audit_record(event=request.event, actor=None, action="mentoring.help_expire", target=request)
    notify.help_expired(request)
    return True
