from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications import services
from applications.models import Application, decision_email_purpose
from core.exceptions import DomainError
from core.models import OutboundEmail
from core.testing import run_concurrently
from hackathon.models import EventRole

Status = Application.Status


def statuses(applications):
    return [Application.objects.get(pk=a.pk).status for a in applications]


@pytest.mark.django_db
def test_confirm_makes_the_applicant_a_participant_with_their_track(decided_track):
    application = decided_track["accepted"][0]
    services.application_rsvp(application_id=application.pk, user=application.user, attending=True)
    application.refresh_from_db()
    assert application.status == Status.CONFIRMED
    role = EventRole.objects.get(event=decided_track["event"], user=application.user, role="participant")
    assert role.track == application.track
    assert statuses(decided_track["waitlist"]) == [Status.WAITLISTED] * 3


@pytest.mark.django_db
def test_decline_promotes_the_first_waitlisted_of_the_same_track_and_tells_them(decided_track):
    declining = decided_track["accepted"][0]
    services.application_rsvp(application_id=declining.pk, user=declining.user, attending=False)
    assert statuses([declining]) == [Status.DECLINED]
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.WAITLISTED, Status.WAITLISTED]
    promoted = Application.objects.get(pk=decided_track["waitlist"][0].pk)
    assert promoted.offer_expires_at >= timezone.now() + timedelta(hours=47)
    email = OutboundEmail.objects.get(purpose=decision_email_purpose(decided_track["event"].pk), to=promoted.user.email)
    assert "opened up" in email.subject
    assert not EventRole.objects.filter(user=declining.user, role="participant").exists()


@pytest.mark.django_db
def test_other_tracks_waitlists_are_not_touched(decided_track, scored):
    pm_waiting = scored("pm", status=Status.WAITLISTED, decision="waitlist", waitlist_rank=1)
    declining = decided_track["accepted"][0]
    services.application_rsvp(application_id=declining.pk, user=declining.user, attending=False)
    assert statuses([pm_waiting]) == [Status.WAITLISTED]


@pytest.mark.django_db
def test_answering_twice_the_same_way_is_harmless_but_changing_is_refused(decided_track):
    application = decided_track["accepted"][0]
    services.application_rsvp(application_id=application.pk, user=application.user, attending=False)
    services.application_rsvp(application_id=application.pk, user=application.user, attending=False)
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.WAITLISTED, Status.WAITLISTED]
    with pytest.raises(DomainError):
        services.application_rsvp(application_id=application.pk, user=application.user, attending=True)


@pytest.mark.django_db
def test_someone_else_cannot_answer(decided_track, outsider):
    application = decided_track["accepted"][0]
    with pytest.raises(PermissionDenied):
        services.application_rsvp(application_id=application.pk, user=outsider, attending=False)


@pytest.mark.django_db
def test_answer_after_the_deadline_is_refused(decided_track):
    application = decided_track["accepted"][0]
    with pytest.raises(DomainError):
        services.application_rsvp(
            application_id=application.pk, user=application.user, attending=True, now=application.offer_expires_at
        )


@pytest.mark.django_db
def test_expiry_expires_overdue_offers_and_promotes_exactly_once(decided_track):
    first, second = decided_track["accepted"]
    services.application_rsvp(application_id=second.pk, user=second.user, attending=True)
    after_deadline = decided_track["settings"].rsvp_deadline + timedelta(seconds=1)
    assert services.offers_expire(now=after_deadline) == 1
    assert statuses([first, second]) == [Status.EXPIRED, Status.CONFIRMED]
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.WAITLISTED, Status.WAITLISTED]
    # Running again at the same moment changes nothing: the promoted person has a fresh deadline.
    assert services.offers_expire(now=after_deadline) == 0
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.WAITLISTED, Status.WAITLISTED]


@pytest.mark.django_db
def test_empty_waitlist_leaves_the_place_free(decided_track):
    Application.objects.filter(pk__in=[a.pk for a in decided_track["waitlist"]]).update(
        status=Status.REJECTED, waitlist_rank=None, decision="reject"
    )
    declining = decided_track["accepted"][0]
    services.application_rsvp(application_id=declining.pk, user=declining.user, attending=False)
    assert Application.objects.filter(status=Status.ACCEPTED).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_declines_promote_two_different_people_once_each(decided_track):
    accepted = decided_track["accepted"]

    def decline(index):
        return services.application_rsvp(application_id=accepted[index].pk, user=accepted[index].user, attending=False)

    results = run_concurrently(decline, 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert statuses(accepted) == [Status.DECLINED, Status.DECLINED]
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.ACCEPTED, Status.WAITLISTED]
    promotions = OutboundEmail.objects.filter(subject__icontains="opened up")
    assert sorted(promotions.values_list("to", flat=True)) == sorted(
        a.user.email for a in decided_track["waitlist"][:2]
    )


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_decline_racing_the_expiry_job_promotes_once_per_freed_place(decided_track):
    first, second = decided_track["accepted"]
    Application.objects.filter(pk=first.pk).update(offer_expires_at=timezone.now() - timedelta(seconds=1))

    def act(index):
        if index == 0:
            return services.offers_expire()
        return services.application_rsvp(application_id=second.pk, user=second.user, attending=False)

    results = run_concurrently(act, 2)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert statuses([first, second]) == [Status.EXPIRED, Status.DECLINED]
    assert statuses(decided_track["waitlist"]) == [Status.ACCEPTED, Status.ACCEPTED, Status.WAITLISTED]
    assert Application.objects.filter(track="ai", status=Status.ACCEPTED).count() == 2
