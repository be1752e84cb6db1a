import pytest

from hackathon import demo as hackathon_demo
from mentoring import demo
from mentoring.models import Booking, HelpRequest, MentorProfile, MentorSlot
from teams import demo as teams_demo

pytestmark = pytest.mark.django_db


def counts(event):
    return (
        MentorProfile.objects.filter(event=event).count(),
        MentorSlot.objects.filter(event=event).count(),
        Booking.objects.filter(event=event).count(),
        HelpRequest.objects.filter(event=event).count(),
    )


def test_seed_makes_mentors_slots_bookings_and_history_and_is_idempotent():
    ctx = hackathon_demo.build_context()
    hackathon_demo.seed(ctx)
    teams_demo.seed(ctx)
    demo.seed(ctx)
    first = counts(ctx.event)
    profiles, slots, bookings, requests = first
    assert profiles == 5 and slots >= 12 and bookings == 3 and requests == 4
    assert all(r.closed_at < r.closed_at.__class__.now(r.closed_at.tzinfo) for r in HelpRequest.objects.all())
    demo.seed(ctx)
    assert counts(ctx.event) == first
