from datetime import date, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from core.models import OutboundEmail
from hackathon.models import AuditEntry
from mentoring import services
from mentoring.models import Booking, MentoringSettings, MentorShift
from mentoring.tests.factories import mentor, slot

pytestmark = pytest.mark.django_db


def test_a_member_books_a_slot_and_team_and_mentor_are_emailed(team, member, mentor_profile):
    open_slot = slot(mentor_profile)
    booking = services.booking_create(slot_id=open_slot.pk, team_id=team.pk, booked_by=member, note="INT8 accuracy")
    assert booking.state == "booked" and booking.note == "INT8 accuracy"
    assert AuditEntry.objects.filter(action="mentoring.book").count() == 1
    recipients = set(OutboundEmail.objects.filter(purpose="mentoring.booking").values_list("to", flat=True))
    assert mentor_profile.user.email in recipients
    assert {m.user.email for m in team.memberships.all()} <= recipients


def test_an_outsider_cannot_book_for_a_team(team, outsider, mentor_profile):
    with pytest.raises(PermissionDenied):
        services.booking_create(slot_id=slot(mentor_profile).pk, team_id=team.pk, booked_by=outsider)


def test_the_team_limit_holds_and_can_be_raised(hack_event, team, member, mentor_profile, organizer):
    first, second = slot(mentor_profile, in_minutes=120), slot(mentor_profile, in_minutes=180)
    services.booking_create(slot_id=first.pk, team_id=team.pk, booked_by=member)
    with pytest.raises(DomainError) as error:
        services.booking_create(slot_id=second.pk, team_id=team.pk, booked_by=member)
    assert error.value.code == "limit_reached"
    from hackathon.models import EventRole

    EventRole.objects.create(event=hack_event, user=organizer, role="organizer")
    services.mentoring_settings_update(event=hack_event, updated_by=organizer, sessions_per_team=2)
    services.booking_create(slot_id=second.pk, team_id=team.pk, booked_by=member)
    assert Booking.objects.filter(team=team, state="booked").count() == 2


def test_a_taken_slot_is_refused(team, member, other_team_and_members, mentor_profile):
    other_team, (other_member, *_rest) = other_team_and_members
    taken = slot(mentor_profile)
    services.booking_create(slot_id=taken.pk, team_id=other_team.pk, booked_by=other_member)
    with pytest.raises(DomainError) as error:
        services.booking_create(slot_id=taken.pk, team_id=team.pk, booked_by=member)
    assert error.value.code == "slot_taken"


def test_a_started_slot_cannot_be_booked(team, member, mentor_profile):
    with pytest.raises(DomainError):
        services.booking_create(slot_id=slot(mentor_profile, in_minutes=-5).pk, team_id=team.pk, booked_by=member)


def test_cancel_before_the_cutoff_opens_the_slot_again(team, member, other_team_and_members, mentor_profile):
    open_slot = slot(mentor_profile, in_minutes=31)  # cut-off is 30 minutes before
    booking = services.booking_create(slot_id=open_slot.pk, team_id=team.pk, booked_by=member)
    services.booking_cancel(booking_id=booking.pk, cancelled_by=member)
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"
    assert OutboundEmail.objects.filter(purpose="mentoring.cancel").exists()
    other_team, (other_member, *_rest) = other_team_and_members
    services.booking_create(slot_id=open_slot.pk, team_id=other_team.pk, booked_by=other_member)
    # The cancelled booking no longer counts against the team's limit either.
    services.booking_create(slot_id=slot(mentor_profile, in_minutes=240).pk, team_id=team.pk, booked_by=member)


def test_cancel_after_the_cutoff_is_refused_for_the_team_but_not_the_mentor(team, member, mentor_profile):
    close_slot = slot(mentor_profile, in_minutes=29)
    booking = services.booking_create(slot_id=close_slot.pk, team_id=team.pk, booked_by=member)
    with pytest.raises(DomainError) as error:
        services.booking_cancel(booking_id=booking.pk, cancelled_by=member)
    assert error.value.code == "cutoff"
    services.booking_cancel(booking_id=booking.pk, cancelled_by=mentor_profile.user)
    assert Booking.objects.get(pk=booking.pk).state == "cancelled"


def test_the_cutoff_follows_the_event_setting(hack_event, team, member, mentor_profile):
    MentoringSettings.objects.create(event=hack_event, cancel_cutoff_minutes=60)
    booking = services.booking_create(slot_id=slot(mentor_profile, in_minutes=45).pk, team_id=team.pk, booked_by=member)
    with pytest.raises(DomainError):
        services.booking_cancel(booking_id=booking.pk, cancelled_by=member)


def test_a_member_of_another_team_cannot_cancel(team, member, outsider, mentor_profile):
    booking = services.booking_create(slot_id=slot(mentor_profile).pk, team_id=team.pk, booked_by=member)
    with pytest.raises(PermissionDenied):
        services.booking_cancel(booking_id=booking.pk, cancelled_by=outsider)


def test_notes_and_no_show_are_the_mentors(team, member, mentor_profile, hack_event):
    started = slot(mentor_profile, in_minutes=5)
    booking = services.booking_create(slot_id=started.pk, team_id=team.pk, booked_by=member)
    Booking.objects.filter(pk=booking.pk).update()
    started.starts_at = timezone.now() - timedelta(minutes=5)
    started.save()
    other = mentor(hack_event)
    with pytest.raises(PermissionDenied):
        services.booking_notes_save(booking_id=booking.pk, notes="x", written_by=other.user)
    with pytest.raises(PermissionDenied):
        services.booking_mark_no_show(booking_id=booking.pk, marked_by=member)
    services.booking_mark_no_show(booking_id=booking.pk, marked_by=mentor_profile.user)
    assert Booking.objects.get(pk=booking.pk).state == "no_show"
    # The rest of the slot serves the live queue: the mentor is on shift.
    assert MentorShift.objects.filter(mentor=mentor_profile, ended_at__isnull=True).exists()


def test_notes_mark_the_session_done(team, member, mentor_profile):
    started = slot(mentor_profile, in_minutes=5)
    booking = services.booking_create(slot_id=started.pk, team_id=team.pk, booked_by=member)
    with pytest.raises(DomainError):
        services.booking_notes_save(booking_id=booking.pk, notes="early", written_by=mentor_profile.user)
    started.starts_at = timezone.now() - timedelta(minutes=30)
    started.save()
    services.booking_notes_save(booking_id=booking.pk, notes="Use per-channel INT8.", written_by=mentor_profile.user)
    booking.refresh_from_db()
    assert booking.state == "done" and booking.mentor_notes == "Use per-channel INT8."


def test_reminder_is_sent_once(team, member, mentor_profile):
    booking = services.booking_create(slot_id=slot(mentor_profile, in_minutes=10).pk, team_id=team.pk, booked_by=member)
    from mentoring import selectors

    assert selectors.bookings_to_remind(now=timezone.now()) == [booking.pk]
    assert services.booking_remind(booking_id=booking.pk) is True
    assert services.booking_remind(booking_id=booking.pk) is False
    assert selectors.bookings_to_remind(now=timezone.now()) == []
    assert OutboundEmail.objects.filter(purpose="mentoring.reminder").count() == 3  # two members and the mentor


# --- slots ----------------------------------------------------------------------------------------


def test_a_shift_of_30_minute_slots_in_the_event_time_zone(hack_event, mentor_profile):
    day = timezone.localtime(hack_event.hacking_starts_at, hack_event.tz).date() + timedelta(days=1)
    slots = services.slots_create_shift(
        profile_id=mentor_profile.pk,
        day=day,
        start=time(14, 0),
        end=time(18, 0),
        length_minutes=30,
        created_by=mentor_profile.user,
        place="Room B",
    )
    assert len(slots) == 8
    local = [timezone.localtime(s.starts_at, hack_event.tz) for s in slots]
    assert [f"{t:%H:%M}" for t in local] == ["14:00", "14:30", "15:00", "15:30", "16:00", "16:30", "17:00", "17:30"]
    assert str(local[0].tzinfo) == "Asia/Seoul"
    # The same shift again overlaps: nothing is created.
    with pytest.raises(DomainError):
        services.slots_create_shift(
            profile_id=mentor_profile.pk,
            day=day,
            start=time(17, 0),
            end=time(19, 0),
            length_minutes=30,
            created_by=mentor_profile.user,
        )
    assert mentor_profile.slots.count() == 8


def test_slots_stay_in_the_hacking_window_and_length_bounds(hack_event, mentor_profile):
    with pytest.raises(DomainError):
        services.slot_create(
            profile_id=mentor_profile.pk,
            starts_at=hack_event.hacking_ends_at - timedelta(minutes=10),
            length_minutes=30,
            created_by=mentor_profile.user,
        )
    with pytest.raises(DomainError):
        services.slot_create(
            profile_id=mentor_profile.pk,
            starts_at=hack_event.hacking_starts_at + timedelta(hours=3),
            length_minutes=5,
            created_by=mentor_profile.user,
        )
    with pytest.raises(DomainError):
        services.shift_starts(
            event=hack_event, day=date(2030, 1, 1), start=time(14), end=time(14, 20), length_minutes=30
        )


def test_only_the_mentor_or_an_organizer_publishes_slots(hack_event, mentor_profile, member, organizer):
    starts_at = hack_event.hacking_starts_at + timedelta(hours=5)
    with pytest.raises(PermissionDenied):
        services.slot_create(profile_id=mentor_profile.pk, starts_at=starts_at, length_minutes=30, created_by=member)
    from hackathon.models import EventRole

    EventRole.objects.create(event=hack_event, user=organizer, role="organizer")
    made = services.slot_create(
        profile_id=mentor_profile.pk, starts_at=starts_at, length_minutes=30, created_by=organizer
    )
    assert made.created_by == organizer


def test_organizers_invite_mentors_with_tags(hack_event, organizer):
    from hackathon.models import EventRole
    from mentoring.tests.factories import person

    EventRole.objects.create(event=hack_event, user=organizer, role="organizer")
    someone = person()
    profile = services.mentor_invite(
        event=hack_event, user=someone, tags=["quantization", "npu_sdk"], invited_by=organizer
    )
    assert profile.tags == ["npu_sdk", "quantization"]
    assert EventRole.objects.filter(event=hack_event, user=someone, role="mentor").exists()
    again = services.mentor_invite(event=hack_event, user=someone, tags=["compiler"], invited_by=organizer)
    assert again.pk == profile.pk and again.tags == ["compiler"]
    with pytest.raises(DomainError):
        services.mentor_invite(event=hack_event, user=someone, tags=["nonsense"], invited_by=organizer)
    with pytest.raises(PermissionDenied):
        services.mentor_invite(event=hack_event, user=someone, tags=[], invited_by=someone)
