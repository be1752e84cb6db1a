"""Accepted applicants answer; declines and expired offers promote the next waitlisted person of the same track.

Every path that frees or fills a place locks the track's TrackQuota row first, so promotions in one track happen
one at a time: two declines at the same moment promote two different people, each exactly once.
"""

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, SelectionSettings, TrackQuota
from applications.services.notify import decision_email_queue
from applications.services.selection import places_held, quotas_lock
from core.exceptions import DomainError
from hackathon.models import Event, EventRole
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, event_role_grant

Status = Application.Status


def promote_locked(
    *, event: Event, quota_row: TrackQuota, selection: SelectionSettings, now: datetime
) -> list[Application]:
    """Fill the track's free places from the top of its waitlist. The caller holds the lock on quota_row."""
    free = quota_row.quota - places_held(event=event, track=quota_row.track)
    if free <= 0:
        return []
    promoted = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "event")
        .filter(event=event, track=quota_row.track, status=Status.WAITLISTED)
        .order_by("waitlist_rank", "id")[:free]
    )
    answer_by = now + timedelta(hours=selection.promoted_rsvp_hours)
    if selection.rsvp_deadline and selection.rsvp_deadline > answer_by:
        answer_by = selection.rsvp_deadline
    for application in promoted:
        application.status = Status.ACCEPTED
        application.offer_expires_at = answer_by
        application.save(update_fields=["status", "offer_expires_at", "updated_at"])
        audit_record(event=event, actor=None, action="application.promote", target=application, track=application.track)
        decision_email_queue(application, promoted=True)
    return promoted


def _lock_for(application_id: int) -> tuple[Application, TrackQuota, SelectionSettings]:
    """Lock order everywhere: track row, then the application."""
    application = Application.objects.select_related("event").filter(pk=application_id).first()
    if application is None:
        raise PermissionDenied
    row = quotas_lock(event=application.event, tracks=[application.track])[application.track]
    selection = SelectionSettings.objects.get(event=application.event)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("event", "user").get(pk=application_id)
    )
    return application, row, selection


@transaction.atomic
def application_rsvp(*, application_id: int, user: User, attending: bool, now: datetime | None = None) -> Application:
    """Confirm (becomes a finalist: participant role with the track) or decline (the next waitlisted is promoted)."""
    now = now or timezone.now()
    application, row, selection = _lock_for(application_id)
    if application.user_id != user.pk:
        raise PermissionDenied
    if application.status != Status.ACCEPTED:
        if (
            application.status in (Status.CONFIRMED, Status.DECLINED)
            and (application.status == Status.CONFIRMED) == attending
        ):
            return application  # the same answer twice (a double click) is not an error
        raise DomainError(_("There is no open offer to answer."))
    if application.offer_expires_at and now >= application.offer_expires_at:
        raise DomainError(_("The deadline to answer has passed."))
    application.responded_at = now
    event = application.event
    if attending:
        application.status = Status.CONFIRMED
        application.save(update_fields=["status", "responded_at", "updated_at"])
        event_role_grant(
            event=event, user=user, role=EventRole.Role.PARTICIPANT, track=application.track, granted_by=None
        )
        audit_record(event=event, actor=user, action="application.confirm", target=application)
    else:
        application.status = Status.DECLINED
        application.save(update_fields=["status", "responded_at", "updated_at"])
        audit_record(event=event, actor=user, action="application.decline", target=application)
        promote_locked(event=event, quota_row=row, selection=selection, now=now)
    return application


@transaction.atomic
def waitlist_promote(*, event: Event, track: str, promoted_by: User) -> list[Application]:
    """Organizers: fill free places of a track now (e.g. after raising its quota)."""
    check_organizer(promoted_by, event)
    row = quotas_lock(event=event, tracks=[track])[track]
    selection = SelectionSettings.objects.get(event=event)
    if selection.decisions_sent_at is None:
        raise DomainError(_("Send the decisions first."))
    return promote_locked(event=event, quota_row=row, selection=selection, now=timezone.now())


def offers_expire(*, now: datetime | None = None) -> int:
    """Expire every overdue offer and promote in its place. One transaction per track; safe to run concurrently."""
    now = now or timezone.now()
    overdue_tracks = (
        Application.objects.filter(status=Status.ACCEPTED, offer_expires_at__lte=now)
        .values_list("event_id", "track")
        .distinct()
    )
    expired = 0
    for event_id, track in list(overdue_tracks):
        expired += _offers_expire_track(event_id=event_id, track=track, now=now)
    return expired


@transaction.atomic
def _offers_expire_track(*, event_id: int, track: str, now: datetime) -> int:
    event = Event.objects.get(pk=event_id)
    row = quotas_lock(event=event, tracks=[track])[track]
    selection = SelectionSettings.objects.get(event=event)
    # Re-read under the lock: an answer that arrived in the meantime wins.
    overdue = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "event")
        .filter(event=event, track=track, status=Status.ACCEPTED, offer_expires_at__lte=now)
    )
    for application in overdue:
        application.status = Status.EXPIRED
        application.save(update_fields=["status", "updated_at"])
        audit_record(event=event, actor=None, action="application.expire", target=application)
        decision_email_queue(application)
    if overdue:
        promote_locked(event=event, quota_row=row, selection=selection, now=now)
    return len(overdue)
