"""The places of each track, and filling free ones from the waitlist.

Every path that frees or fills a place locks the track's TrackPlaces row first (track_places_lock), so promotions
in one track happen one at a time: two declines at the same moment promote two different people, each exactly
once. Lock order everywhere: the track rows (in track order), then the applications.

This module is the bottom of applications.services: selection and rsvp both build on it, it imports neither.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from applications.models import Application, SelectionSettings, TrackPlaces
from applications.services.notify import decision_email_queue
from hackathon.models import Event, Track
from hackathon.services import audit_record

Status = Application.Status


def selection_settings_ensure(*, event: Event) -> SelectionSettings:
    """Create the event's selection settings and a places row per track with the defaults, if missing.

    Called by every write that locks the places (track_places_lock); pages read the defaults unsaved instead.
    """
    selection, _created = SelectionSettings.objects.get_or_create(event=event)
    if TrackPlaces.objects.filter(event=event).count() < len(Track.values):
        TrackPlaces.objects.bulk_create(
            [TrackPlaces(event=event, track=track) for track in Track.values], ignore_conflicts=True
        )
    return selection


def track_places_lock(*, event: Event, tracks: Iterable[str] | None = None) -> dict[str, TrackPlaces]:
    """Lock the track rows (in track order, so two callers never deadlock) and return them by track."""
    selection_settings_ensure(event=event)
    rows = TrackPlaces.objects.select_for_update().filter(event=event).order_by("track")
    if tracks is not None:
        rows = rows.filter(track__in=list(tracks))
    return {row.track: row for row in rows}


def places_held(*, event: Event, track: str) -> int:
    return Application.objects.filter(event=event, track=track, status__in=Application.PLACE_STATUSES).count()


def free_places_fill(
    *, event: Event, places_row: TrackPlaces, selection: SelectionSettings, now: datetime
) -> list[Application]:
    """Fill the track's free places from the top of its waitlist. The caller holds the lock on places_row."""
    free = places_row.places - places_held(event=event, track=places_row.track)
    if free <= 0:
        return []
    promoted = list(
        Application.objects.select_for_update(of=("self",))
        .select_related("user", "event")
        .filter(event=event, track=places_row.track, status=Status.WAITLISTED)
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
