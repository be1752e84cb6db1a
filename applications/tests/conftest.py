from datetime import timedelta

import pytest
from django.utils import timezone

from applications.models import Application, SelectionSettings
from applications.services.places import selection_settings_ensure
from applications.tests.factories import ApplicationFactory, ReviewFactory
from hackathon.tests.factories import EventFactory, timeline_at


@pytest.fixture
def screening_event(db):
    """An event whose applications have closed: reviews, selection and decisions happen now."""
    return EventFactory(timeline=timeline_at("screening"))


@pytest.fixture
def reviewer(screening_event, make_user, grant):
    user = make_user(email="reviewer@example.com")
    grant(user, screening_event, "reviewer")
    return user


@pytest.fixture
def screening_organizer(screening_event, make_user, grant):
    user = make_user(email="boss@example.com")
    grant(user, screening_event, "organizer")
    return user


@pytest.fixture
def outsider(make_user, grant):
    """An organizer of another event: a stranger to every event under test."""
    user = make_user(email="outsider@example.com")
    grant(user, EventFactory(), "organizer")
    return user


@pytest.fixture
def scored(screening_event, make_user):
    """scored(track, [scores], **fields) -> an application with one review per score."""

    def make(track="ai", scores=(), **fields):
        application = ApplicationFactory(event=screening_event, track=track, **fields)
        for score in scores:
            ReviewFactory(application=application, reviewer=make_user(), score=score)
        return application

    return make


@pytest.fixture
def decided_track(screening_event, scored):
    """Track "ai" after decisions were sent with quota 2: two accepted, three waitlisted (ranks 1-3)."""
    selection_settings_ensure(event=screening_event)
    settings_row = SelectionSettings.objects.get(event=screening_event)
    settings_row.rsvp_deadline = timezone.now() + timedelta(days=3)
    settings_row.decisions_sent_at = timezone.now()
    settings_row.save()
    screening_event.track_places.filter(track="ai").update(places=2)
    accepted = [
        scored(status=Application.Status.ACCEPTED, decision="accept", offer_expires_at=settings_row.rsvp_deadline)
        for _ in range(2)
    ]
    waitlist = [
        scored(status=Application.Status.WAITLISTED, decision="waitlist", waitlist_rank=rank) for rank in (1, 2, 3)
    ]
    return {"event": screening_event, "accepted": accepted, "waitlist": waitlist, "settings": settings_row}
