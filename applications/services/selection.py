"""Organizers: places per track, the proposal, adjustments by hand, and sending the decisions.

The proposal ranks each track's open applications by
  1. mean score, higher first (applications nobody has scored yet come last),
  2. number of reviews, more first (a 4.0 from three reviewers beats a 4.0 from one),
  3. submission time, earlier first,
  4. id, lower first (so the order is total and the proposal is reproducible).
The first `places - places already held` become "accept", the rest that track's ranked waitlist (or, when the
event limits the waitlist length, the rest beyond it "do not select").
"""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Avg, Count, F, Max, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, SelectionSettings
from applications.selectors import waitlist_positions
from applications.services.notify import decision_email_queue
from applications.services.places import free_places_fill, places_held, track_places_lock
from core.bounds import check_datetime_in_range, check_int_in_range
from core.exceptions import DomainError
from hackathon.models import Event, Track
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, model_changes_save

Status = Application.Status
Decision = Application.Decision
SELECTION_SETTINGS_FIELDS = ("rsvp_deadline", "promoted_rsvp_hours", "waitlist_length")
# The ranges the forms, the API and these services allow (the columns are smallint / integer).
MAX_TRACK_PLACES = 500
MAX_PROMOTED_RSVP_HOURS = 30 * 24
MAX_WAITLIST_LENGTH = 10_000
MAX_WAITLIST_RANK = 100_000


@transaction.atomic
def selection_settings_update(
    *,
    event: Event,
    updated_by: User,
    places: dict[str, int],
    rsvp_deadline: datetime | None,
    promoted_rsvp_hours: int,
    waitlist_length: int | None = None,
) -> SelectionSettings:
    check_organizer(updated_by, event)
    rows = track_places_lock(event=event)
    selection = SelectionSettings.objects.select_for_update().get(event=event)
    check_datetime_in_range(rsvp_deadline, tz=event.tz, field="rsvp_deadline")
    check_int_in_range(promoted_rsvp_hours, low=1, high=MAX_PROMOTED_RSVP_HOURS, field="promoted_rsvp_hours")
    check_int_in_range(waitlist_length, low=0, high=MAX_WAITLIST_LENGTH, field="waitlist_length")
    if rsvp_deadline is not None and rsvp_deadline <= event.applications_close_at:
        raise DomainError(_("The RSVP deadline must be after applications close."), field="rsvp_deadline")
    if promoted_rsvp_hours < 1:
        raise DomainError(_("Give promoted applicants at least one hour."), field="promoted_rsvp_hours")
    changed: dict[str, list] = {}
    for track, count in places.items():
        if track not in rows:
            raise DomainError(_("Unknown track or a negative number of places."))
        check_int_in_range(count, low=0, high=MAX_TRACK_PLACES, field=f"places_{track}")
        held = places_held(event=event, track=track)
        if count < held:
            raise DomainError(
                _("%(track)s already has %(held)s accepted finalists; its places cannot go below that.")
                % {"track": Track(track).label, "held": held},
                field=f"places_{track}",
            )
        if row_changes := model_changes_save(instance=rows[track], data={"places": count}, fields=["places"]):
            changed[track] = row_changes["places"]
    changed |= model_changes_save(
        instance=selection,
        data={
            "rsvp_deadline": rsvp_deadline,
            "promoted_rsvp_hours": promoted_rsvp_hours,
            "waitlist_length": waitlist_length,
        },
        fields=SELECTION_SETTINGS_FIELDS,
    )
    if changed:
        audit_record(event=event, actor=updated_by, action="selection.settings", target=selection, changed=changed)
    return selection


def ranked_open_applications(*, event: Event, track: str) -> QuerySet[Application]:
    """The proposal's order (see the module docstring); one query."""
    return (
        Application.objects.filter(event=event, track=track, status__in=Application.OPEN_STATUSES)
        .annotate(mean_score=Avg("reviews__score"), review_count=Count("reviews"))
        .order_by(F("mean_score").desc(nulls_last=True), "-review_count", "submitted_at", "id")
    )


@transaction.atomic
def selection_propose(*, event: Event, proposed_by: User | None) -> dict[str, dict[str, int]]:
    """Write a fresh proposal over every undecided-and-unsent application. Returns counts per track."""
    check_organizer(proposed_by, event, allow_system=True)
    rows = track_places_lock(event=event)
    selection = SelectionSettings.objects.get(event=event)
    summary = {}
    for track, row in rows.items():
        free = max(0, row.places - places_held(event=event, track=track))
        ranked = list(ranked_open_applications(event=event, track=track).only("id", "submitted_at"))
        accept, rest = ranked[:free], ranked[free:]
        limit = selection.waitlist_length
        waitlist = rest if limit is None else rest[:limit]
        reject = [] if limit is None else rest[limit:]
        for application in accept:
            application.decision, application.waitlist_rank = Decision.ACCEPT, None
        for rank, application in enumerate(waitlist, start=1):
            application.decision, application.waitlist_rank = Decision.WAITLIST, rank
        for application in reject:
            application.decision, application.waitlist_rank = Decision.REJECT, None
        Application.objects.bulk_update(accept + waitlist + reject, ["decision", "waitlist_rank"], batch_size=500)
        summary[track] = {"accept": len(accept), "waitlist": len(waitlist), "reject": len(reject)}
    audit_record(event=event, actor=proposed_by, action="selection.propose", summary=summary)
    return summary


@transaction.atomic
def selection_adjust(
    *, event: Event, application_id: int, decision: str, adjusted_by: User, waitlist_rank: int | None = None
) -> Application:
    """Change one proposed decision by hand. Accepting beyond the track's places is refused: move someone off first."""
    check_organizer(adjusted_by, event)
    if decision not in Decision.values:
        raise DomainError(_("Unknown decision."), field="decision")
    check_int_in_range(waitlist_rank, low=1, high=MAX_WAITLIST_RANK, field="waitlist_rank")
    application = Application.objects.filter(pk=application_id, event=event).first()
    if application is None:
        raise PermissionDenied
    row = track_places_lock(event=event, tracks=[application.track])[application.track]
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application.is_open:
        raise DomainError(_("The decision for this application has already been sent."))
    if decision == Decision.ACCEPT and application.decision != Decision.ACCEPT:
        proposed = Application.objects.filter(
            event=event, track=application.track, status__in=Application.OPEN_STATUSES, decision=Decision.ACCEPT
        ).count()
        if places_held(event=event, track=application.track) + proposed >= row.places:
            raise DomainError(
                _("The %(track)s track is full (%(places)s places). Move someone else to the waitlist first.")
                % {"track": application.get_track_display(), "places": row.places}
            )
    previous = (application.decision, application.waitlist_rank)
    if decision == Decision.WAITLIST:
        in_track = Application.objects.filter(
            event=event, track=application.track, status__in=Application.OPEN_STATUSES, decision=Decision.WAITLIST
        ).exclude(pk=application.pk)
        if waitlist_rank is None:
            if application.decision == Decision.WAITLIST and application.waitlist_rank:
                waitlist_rank = application.waitlist_rank
            else:
                waitlist_rank = (in_track.aggregate(last=Max("waitlist_rank"))["last"] or 0) + 1
        waitlist_rank = max(1, waitlist_rank)
        # Make room: everyone at or below the new rank moves down one.
        in_track.filter(waitlist_rank__gte=waitlist_rank).update(waitlist_rank=F("waitlist_rank") + 1)
    else:
        waitlist_rank = None
    application.decision = decision
    application.waitlist_rank = waitlist_rank
    application.save(update_fields=["decision", "waitlist_rank", "updated_at"])
    _waitlist_renumber(event=event, track=application.track)
    audit_record(
        event=event,
        actor=adjusted_by,
        action="selection.adjust",
        target=application,
        decision=[previous[0], decision],
        waitlist_rank=[previous[1], waitlist_rank],
    )
    return application


def _waitlist_renumber(*, event: Event, track: str) -> None:
    """Close the gaps left by moves, so the proposed ranks read 1, 2, 3..."""
    waitlist = list(
        Application.objects.filter(
            event=event, track=track, status__in=Application.OPEN_STATUSES, decision=Decision.WAITLIST
        )
        .order_by("waitlist_rank", "id")
        .only("id", "waitlist_rank")
    )
    changed = []
    for rank, application in enumerate(waitlist, start=1):
        if application.waitlist_rank != rank:
            application.waitlist_rank = rank
            changed.append(application)
    Application.objects.bulk_update(changed, ["waitlist_rank"], batch_size=500)


def _waitlist_fill_before_send(*, event: Event, track: str, free: int, sent_by: User | None) -> None:
    """Places the organizers left empty go to the top of the waitlist before anyone is told, so those people get one
    "accepted" email instead of "waitlisted" followed at once by "a place opened"."""
    moved = list(
        Application.objects.filter(
            event=event, track=track, status__in=Application.OPEN_STATUSES, decision=Decision.WAITLIST
        ).order_by("waitlist_rank", "id")[:free]
    )
    for application in moved:
        application.decision, application.waitlist_rank = Decision.ACCEPT, None
        application.save(update_fields=["decision", "waitlist_rank", "updated_at"])
        audit_record(event=event, actor=sent_by, action="selection.fill_from_waitlist", target=application, track=track)
    if moved:
        _waitlist_renumber(event=event, track=track)


@transaction.atomic
def selection_decisions_send(*, event: Event, sent_by: User | None, now: datetime | None = None) -> dict[str, int]:
    """Turn the proposal into decisions and queue one email per applicant. Only open applications are touched."""
    now = now or timezone.now()
    check_organizer(sent_by, event, allow_system=True)
    if event.applications_open(now):
        raise DomainError(_("Applications are still open; send decisions after they close."))
    rows = track_places_lock(event=event)
    selection = SelectionSettings.objects.select_for_update().get(event=event)
    if selection.rsvp_deadline is None or selection.rsvp_deadline <= now:
        raise DomainError(_("Set an RSVP deadline in the future before sending decisions."), field="rsvp_deadline")
    open_applications = Application.objects.filter(event=event, status__in=Application.OPEN_STATUSES)
    undecided = open_applications.filter(decision=Decision.UNDECIDED).count()
    if undecided:
        raise DomainError(
            _("%(count)s applications have no decision yet. Make a proposal first.") % {"count": undecided}
        )
    for track, row in rows.items():
        accepting = open_applications.filter(track=track, decision=Decision.ACCEPT).count()
        free = row.places - places_held(event=event, track=track) - accepting
        if free < 0:
            raise DomainError(
                _("The %(track)s track would exceed its %(places)s places.")
                % {"track": Track(track).label, "places": row.places}
            )
        if free:
            _waitlist_fill_before_send(event=event, track=track, free=free, sent_by=sent_by)
    to_notify = list(open_applications.select_related("user", "event").select_for_update(of=("self",)))
    new_status: dict[str, str] = {
        Decision.ACCEPT: Status.ACCEPTED,
        Decision.WAITLIST: Status.WAITLISTED,
        Decision.REJECT: Status.REJECTED,
    }
    for application in to_notify:
        application.status = new_status[application.decision]
        application.offer_expires_at = selection.rsvp_deadline if application.status == Status.ACCEPTED else None
    Application.objects.bulk_update(to_notify, ["status", "offer_expires_at"], batch_size=500)
    positions = waitlist_positions(event=event)
    for application in to_notify:
        decision_email_queue(application, waitlist_position=positions.get(application.pk))
    counts: dict[str, int] = {status: sum(1 for a in to_notify if a.status == status) for status in new_status.values()}
    selection.decisions_sent_at = now
    selection.save(update_fields=["decisions_sent_at"])
    audit_record(event=event, actor=sent_by, action="selection.send", target=selection, counts=counts)
    # Places the organizers left empty go to the waitlist straight away.
    for row in rows.values():
        free_places_fill(event=event, places_row=row, selection=selection, now=now)
    return counts
