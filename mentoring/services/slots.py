"""Mentors' slots: one at a time, or a whole shift of them.

Locking order: the MentorProfile row (serializes a mentor's slot changes, so two requests cannot create
overlapping slots), then slot rows. The (mentor, starts_at) unique constraint is the last defence.
"""

from datetime import date, datetime, time, timedelta

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import is_organizer
from hackathon.services import audit_record
from mentoring.models import SLOT_MAX_MINUTES, SLOT_MIN_MINUTES, Booking, MentorProfile, MentorSlot

MAX_SLOTS_PER_SHIFT = 48


def check_slot_author(profile: MentorProfile, user: User) -> None:
    """Mentors publish their own slots; organizers publish anyone's."""
    if profile.user_id != user.pk and not is_organizer(user, profile.event):
        raise PermissionDenied


def check_slot_times(*, event: Event, starts_at: datetime, length_minutes: int) -> None:
    if not SLOT_MIN_MINUTES <= length_minutes <= SLOT_MAX_MINUTES:
        raise DomainError(
            _("A slot lasts %(min)d to %(max)d minutes.") % {"min": SLOT_MIN_MINUTES, "max": SLOT_MAX_MINUTES},
            field="length_minutes",
        )
    ends_at = starts_at + timedelta(minutes=length_minutes)
    if starts_at < event.hacking_starts_at or ends_at > event.hacking_ends_at:
        local = {
            "start": timezone.localtime(event.hacking_starts_at, event.tz).strftime("%Y-%m-%d %H:%M"),
            "end": timezone.localtime(event.hacking_ends_at, event.tz).strftime("%Y-%m-%d %H:%M"),
        }
        raise DomainError(_("Slots must fit in the hacking time, %(start)s to %(end)s.") % local, field="starts_at")


def _check_no_overlap(profile: MentorProfile, starts_at: datetime, ends_at: datetime) -> None:
    """Call with the profile locked."""
    for slot in MentorSlot.objects.filter(
        mentor=profile, starts_at__lt=ends_at, starts_at__gt=starts_at - timedelta(minutes=SLOT_MAX_MINUTES)
    ):
        if slot.ends_at > starts_at:
            local = timezone.localtime(slot.starts_at, profile.event.tz)
            raise DomainError(
                _("This overlaps your slot at %(time)s.") % {"time": local.strftime("%m-%d %H:%M")}, field="starts_at"
            )


def _profile_lock(profile_id: int) -> MentorProfile:
    profile = MentorProfile.objects.select_for_update().select_related("event", "user").filter(pk=profile_id).first()
    if profile is None:
        raise DomainError(_("This mentor no longer exists."))
    return profile


def _create(
    *,
    profile: MentorProfile,
    starts_at: datetime,
    length_minutes: int,
    place: str,
    video_url: str,
    topic: str,
    created_by: User,
) -> MentorSlot:
    check_slot_times(event=profile.event, starts_at=starts_at, length_minutes=length_minutes)
    _check_no_overlap(profile, starts_at, starts_at + timedelta(minutes=length_minutes))
    try:
        with transaction.atomic():
            return MentorSlot.objects.create(
                event=profile.event,
                mentor=profile,
                starts_at=starts_at,
                length_minutes=length_minutes,
                place=place.strip(),
                video_url=video_url.strip(),
                topic=topic.strip(),
                created_by=created_by,
            )
    except IntegrityError as error:
        raise DomainError(_("You already have a slot at this time."), field="starts_at") from error


@transaction.atomic
def slot_create(
    *,
    profile_id: int,
    starts_at: datetime,
    length_minutes: int,
    created_by: User,
    place: str = "",
    video_url: str = "",
    topic: str = "",
) -> MentorSlot:
    profile = _profile_lock(profile_id)
    check_slot_author(profile, created_by)
    slot = _create(
        profile=profile,
        starts_at=starts_at,
        length_minutes=length_minutes,
        place=place,
        video_url=video_url,
        topic=topic,
        created_by=created_by,
    )
    audit_record(event=profile.event, actor=created_by, action="mentoring.slot_create", target=slot)
    return slot


def shift_starts(*, event: Event, day: date, start: time, end: time, length_minutes: int) -> list[datetime]:
    """Back-to-back slot starts from `start` to `end` on `day`, wall-clock times in the event's time zone."""
    if not SLOT_MIN_MINUTES <= length_minutes <= SLOT_MAX_MINUTES:
        raise DomainError(
            _("A slot lasts %(min)d to %(max)d minutes.") % {"min": SLOT_MIN_MINUTES, "max": SLOT_MAX_MINUTES},
            field="length_minutes",
        )
    first = datetime.combine(day, start, tzinfo=event.tz)
    last = datetime.combine(day, end, tzinfo=event.tz)
    if last <= first:
        raise DomainError(_("The shift must end after it starts."), field="end")
    starts = []
    current = first
    while current + timedelta(minutes=length_minutes) <= last:
        starts.append(current)
        current += timedelta(minutes=length_minutes)
    if not starts:
        raise DomainError(_("The shift is shorter than one slot."), field="end")
    if len(starts) > MAX_SLOTS_PER_SHIFT:
        raise DomainError(_("At most %(n)d slots at once.") % {"n": MAX_SLOTS_PER_SHIFT}, field="end")
    return starts


@transaction.atomic
def slots_create_shift(
    *,
    profile_id: int,
    day: date,
    start: time,
    end: time,
    length_minutes: int,
    created_by: User,
    place: str = "",
    video_url: str = "",
    topic: str = "",
) -> list[MentorSlot]:
    """A shift of back-to-back slots, all or none (e.g. 30-minute slots from 14:00 to 18:00)."""
    profile = _profile_lock(profile_id)
    check_slot_author(profile, created_by)
    starts = shift_starts(event=profile.event, day=day, start=start, end=end, length_minutes=length_minutes)
    slots = [
        _create(
            profile=profile,
            starts_at=starts_at,
            length_minutes=length_minutes,
            place=place,
            video_url=video_url,
            topic=topic,
            created_by=created_by,
        )
        for starts_at in starts
    ]
    audit_record(
        event=profile.event,
        actor=created_by,
        action="mentoring.slots_create_shift",
        target=profile,
        count=len(slots),
        first=starts[0].isoformat(),
        length_minutes=length_minutes,
    )
    return slots


@transaction.atomic
def slot_delete(*, slot_id: int, deleted_by: User) -> None:
    """Withdraw a slot nobody booked (a booked one is cancelled first, which tells the team)."""
    found = MentorSlot.objects.filter(pk=slot_id).values_list("mentor_id", flat=True).first()
    if found is None:
        raise DomainError(_("This slot no longer exists."))
    profile = _profile_lock(found)
    check_slot_author(profile, deleted_by)
    slot = MentorSlot.objects.select_for_update().get(pk=slot_id)
    if Booking.objects.filter(slot=slot).exclude(state=Booking.State.CANCELLED).exists():
        raise DomainError(_("A team booked this slot. Cancel the booking first."))
    if Booking.objects.filter(slot=slot).exists():
        raise DomainError(_("This slot has a booking history; it stays on record."))
    audit_record(
        event=profile.event,
        actor=deleted_by,
        action="mentoring.slot_delete",
        target=slot,
        starts_at=slot.starts_at.isoformat(),
    )
    slot.delete()
