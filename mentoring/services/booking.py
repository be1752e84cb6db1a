"""Teams book mentors' slots.

Locking order, everywhere:
1. the team row (teams.Team): holds the per-team session limit. Every booking of a team locks it first and only
   then counts the team's active bookings, so two bookings of one team are serialized;
2. the slot row: serializes bookings of one slot; the partial unique constraint "one active booking per slot"
   (booking_one_active_per_slot) is the last defence;
3. the booking row.
Cancelling and marking a session lock only the booking row (they never add to a count).
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.permissions import is_organizer
from hackathon.services import audit_record
from mentoring.models import Booking, MentorShift, MentorSlot
from mentoring.selectors import mentoring_settings_of
from mentoring.services import notify
from teams.models import Team, TeamMembership


def _team_lock(team_id: int) -> Team:
    team = Team.objects.select_for_update().select_related("event").filter(pk=team_id).first()
    if team is None:
        raise DomainError(_("This team no longer exists."))
    return team


def _booking_lock(booking_id: int) -> Booking:
    booking = (
        Booking.objects.select_for_update(of=("self",))
        .select_related("slot__mentor__user", "slot__event", "team__event")
        .filter(pk=booking_id)
        .first()
    )
    if booking is None:
        raise DomainError(_("This booking no longer exists."))
    return booking


@transaction.atomic
def booking_create(*, slot_id: int, team_id: int, booked_by: User, note: str = "") -> Booking:
    team = _team_lock(team_id)
    if not TeamMembership.objects.filter(team=team, user=booked_by).exists():
        raise PermissionDenied(_("Only members of the team book for it."))
    slot = MentorSlot.objects.select_for_update().select_related("mentor__user", "event").filter(pk=slot_id).first()
    if slot is None or slot.event_id != team.event_id:
        raise DomainError(_("This slot no longer exists."), field="slot")
    if slot.starts_at <= timezone.now():
        raise DomainError(_("This slot has already started. Choose a later one."), field="slot")
    limit = mentoring_settings_of(team.event).sessions_per_team
    used = Booking.objects.filter(team=team).exclude(state=Booking.State.CANCELLED).count()
    if used >= limit:
        raise DomainError(
            _("Your team has used its %(limit)d mentoring session(s). Raise a help request in the live queue instead.")
            % {"limit": limit},
            code="limit_reached",
        )
    if Booking.objects.filter(slot=slot).exclude(state=Booking.State.CANCELLED).exists():
        raise DomainError(_("Another team booked this slot just now. Choose another one."), code="slot_taken")
    try:
        with transaction.atomic():
            booking = Booking.objects.create(
                event=team.event, slot=slot, team=team, booked_by=booked_by, note=note.strip()
            )
    except IntegrityError as error:
        raise DomainError(
            _("Another team booked this slot just now. Choose another one."), code="slot_taken"
        ) from error
    audit_record(
        event=team.event,
        actor=booked_by,
        action="mentoring.book",
        target=booking,
        team=team.name,
        mentor=slot.mentor.user.email,
        starts_at=slot.starts_at.isoformat(),
    )
    notify.booking_created(booking)
    return booking


@transaction.atomic
def booking_cancel(*, booking_id: int, cancelled_by: User) -> Booking:
    """A member of the team cancels up to the cut-off; the mentor or an organizer cancels at any time before it
    starts. The slot opens again."""
    booking = _booking_lock(booking_id)
    event = booking.slot.event
    organizer = is_organizer(cancelled_by, event)
    mentor = booking.slot.mentor.user_id == cancelled_by.pk
    member = TeamMembership.objects.filter(team_id=booking.team_id, user=cancelled_by).exists()
    if not (organizer or mentor or member):
        raise PermissionDenied
    if booking.state != Booking.State.BOOKED:
        raise DomainError(_("This session is no longer booked."), code="not_booked")
    now = timezone.now()
    if booking.slot.starts_at <= now:
        raise DomainError(_("This session has started; it can no longer be cancelled."), code="started")
    cutoff = mentoring_settings_of(event).cancel_cutoff_minutes
    if not (organizer or mentor) and now > booking.slot.starts_at - timedelta(minutes=cutoff):
        raise DomainError(
            _("Sessions can be cancelled up to %(minutes)d minutes before they start. Tell your mentor instead.")
            % {"minutes": cutoff},
            code="cutoff",
        )
    booking.state, booking.cancelled_at, booking.cancelled_by = Booking.State.CANCELLED, now, cancelled_by
    booking.save(update_fields=["state", "cancelled_at", "cancelled_by", "updated_at"])
    audit_record(event=event, actor=cancelled_by, action="mentoring.cancel", target=booking, team=booking.team.name)
    notify.booking_cancelled(booking)
    return booking


def _check_session_mentor(booking: Booking, user: User) -> None:
    if booking.slot.mentor.user_id != user.pk and not is_organizer(user, booking.slot.event):
        raise PermissionDenied


@transaction.atomic
def booking_notes_save(*, booking_id: int, notes: str, written_by: User) -> Booking:
    """The mentor's notes after the session, which the team and organizers read. Marks the session done."""
    booking = _booking_lock(booking_id)
    _check_session_mentor(booking, written_by)
    if booking.state == Booking.State.CANCELLED:
        raise DomainError(_("This session was cancelled."))
    if booking.slot.starts_at > timezone.now():
        raise DomainError(_("Write the notes once the session has started."))
    changed = {"mentor_notes": [booking.mentor_notes, notes.strip()], "state": [booking.state, Booking.State.DONE]}
    booking.mentor_notes = notes.strip()
    if booking.state == Booking.State.BOOKED:
        booking.state = Booking.State.DONE
    booking.save(update_fields=["mentor_notes", "state", "updated_at"])
    audit_record(event=booking.slot.event, actor=written_by, action="mentoring.notes", target=booking, changed=changed)
    return booking


@transaction.atomic
def booking_mark_no_show(*, booking_id: int, marked_by: User) -> Booking:
    """The team did not come. Recorded; the session still counts as used. The mentor goes on shift, so the rest of
    the slot's time serves the live queue."""
    booking = _booking_lock(booking_id)
    _check_session_mentor(booking, marked_by)
    if booking.state not in (Booking.State.BOOKED, Booking.State.DONE):
        raise DomainError(_("This session is not booked."))
    now = timezone.now()
    if booking.slot.starts_at > now:
        raise DomainError(_("A no-show can be marked once the session has started."))
    booking.state = Booking.State.NO_SHOW
    booking.save(update_fields=["state", "updated_at"])
    audit_record(event=booking.slot.event, actor=marked_by, action="mentoring.no_show", target=booking)
    if booking.slot.ends_at > now:
        profile = booking.slot.mentor
        if not MentorShift.objects.filter(mentor=profile, ended_at__isnull=True).exists():
            try:
                with transaction.atomic():
                    MentorShift.objects.create(event=profile.event, mentor=profile, started_at=now)
            except IntegrityError:
                pass  # on shift already
    return booking


@transaction.atomic
def booking_remind(*, booking_id: int) -> bool:
    """Beat: email the team and the mentor before the session, once (claimed by a conditional update)."""
    now = timezone.now()
    moved = Booking.objects.filter(pk=booking_id, state=Booking.State.BOOKED, reminded_at__isnull=True).update(
        reminded_at=now
    )
    if not moved:
        return False
    booking = Booking.objects.select_related("slot__mentor__user", "slot__event", "team").get(pk=booking_id)
    notify.booking_reminder(booking)
    return True
