"""Accepted applicants answer; declines and expired offers promote the next waitlisted person of the same track.

Each of these locks the track's places first (see applications.services.places for the lock order).
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, SelectionSettings, TrackPlaces
from applications.services.notify import decision_email_queue
from applications.services.places import free_places_fill, track_places_lock
from core.exceptions import DomainError
from hackathon.models import Event, EventRole
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, event_role_grant

Status = Application.Status


def _application_lock(application_id: int) -> tuple[Application, TrackPlaces, SelectionSettings]:
    """Lock the application's track places, then the application."""
    application = Application.objects.select_related("event").filter(pk=application_id).first()
    if application is None:
        raise PermissionDenied
    row = track_places_lock(event=application.event, tracks=[application.track])[application.track]
    selection = SelectionSettings.objects.get(event=application.event)
    application = (
        Application.objects.select_for_update(of=("self",)).select_related("event", "user").get(pk=application_id)
    )
    return application, row, selection


@transaction.atomic
def application_rsvp(*, application_id: int, user: User, attending: bool, now: datetime | None = None) -> Application:
    """Confirm (becomes a finalist: participant role with the track) or decline (the next waitlisted is promoted)."""
    now = now or timezone.now()
    application, row, selection = _application_lock(application_id)
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
        free_places_fill(event=event, places_row=row, selection=selection, now=now)
    return application


@transaction.atomic
def waitlist_promote(*, event: Event, track: str, promoted_by: User) -> list[Application]:
    """Organizers: fill free places of a track now (e.g. after adding places)."""
    check_organizer(promoted_by, event)
    row = track_places_lock(event=event, tracks=[track])[track]
    selection = SelectionSettings.objects.get(event=event)
    if selection.decisions_sent_at is None:
        raise DomainError(_("Send the decisions first."))
    return free_places_fill(event=event, places_row=row, selection=selection, now=timezone.now())


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
    row = track_places_lock(event=event, tracks=[track])[track]
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
        free_places_fill(event=event, places_row=row, selection=selection, now=now)
    return len(overdue)
