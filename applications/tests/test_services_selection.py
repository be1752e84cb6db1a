from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from applications import services
from applications.models import Application, SelectionSettings, decision_email_purpose
from core.exceptions import DomainError
from core.models import OutboundEmail
from hackathon.models import EventRole

pytestmark = pytest.mark.django_db
Decision = Application.Decision
Status = Application.Status


def set_quota(event, track, quota):
    services.selection_settings_ensure(event=event)
    event.track_places.filter(track=track).update(places=quota)


def ready_to_send(event, organizer, **fields):
    services.selection_settings_update(
        event=event,
        updated_by=organizer,
        places={
            row.track: row.places for row in services.selection_settings_ensure(event=event).event.track_places.all()
        },
        rsvp_deadline=timezone.now() + timedelta(days=3),
        promoted_rsvp_hours=48,
        **fields,
    )


def test_default_quota_is_ten_per_track(screening_event):
    services.selection_settings_ensure(event=screening_event)
    assert sorted(screening_event.track_places.values_list("track", "places")) == [
        ("ai", 10),
        ("backend", 10),
        ("frontend", 10),
        ("pm", 10),
    ]


def test_proposal_fills_each_track_up_to_its_quota_from_the_top_means(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 2)
    set_quota(screening_event, "pm", 1)
    ai = [scored("ai", [5, 5]), scored("ai", [4, 4]), scored("ai", [3]), scored("ai", [2, 2])]
    pm = [scored("pm", [4]), scored("pm", [5])]
    summary = services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    assert summary["ai"] == {"accept": 2, "waitlist": 2, "reject": 0}
    assert summary["pm"] == {"accept": 1, "waitlist": 1, "reject": 0}
    for a in ai + pm:
        a.refresh_from_db()
    assert [a.decision for a in ai] == [Decision.ACCEPT, Decision.ACCEPT, Decision.WAITLIST, Decision.WAITLIST]
    assert [a.waitlist_rank for a in ai] == [None, None, 1, 2]
    assert (pm[1].decision, pm[0].decision, pm[0].waitlist_rank) == (Decision.ACCEPT, Decision.WAITLIST, 1)


def test_ties_more_reviews_then_earlier_submission_then_lower_id(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 2)
    late_three_reviews = scored("ai", [4, 4, 4])
    early_one_review = scored("ai", [4])
    late_one_review = scored("ai", [4])
    Application.objects.filter(pk=early_one_review.pk).update(submitted_at=timezone.now() - timedelta(days=2))
    Application.objects.filter(pk=late_one_review.pk).update(submitted_at=timezone.now() - timedelta(days=1))
    Application.objects.filter(pk=late_three_reviews.pk).update(submitted_at=timezone.now())
    unscored = scored("ai", [])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    decisions = {a.pk: (a.decision, a.waitlist_rank) for a in Application.objects.all()}
    assert decisions[late_three_reviews.pk] == (Decision.ACCEPT, None)  # more reviews wins the tie
    assert decisions[early_one_review.pk] == (Decision.ACCEPT, None)  # earlier submission wins the rest
    assert decisions[late_one_review.pk] == (Decision.WAITLIST, 1)
    assert decisions[unscored.pk] == (Decision.WAITLIST, 2)  # nobody scored it: last


def test_same_mean_same_reviews_same_time_falls_back_to_id(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 1)
    first, second = scored("ai", [3]), scored("ai", [3])
    same = timezone.now() - timedelta(hours=1)
    Application.objects.filter(pk__in=[first.pk, second.pk]).update(submitted_at=same)
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.decision, second.decision) == (Decision.ACCEPT, Decision.WAITLIST)


def test_waitlist_length_limits_the_waitlist_and_rejects_the_rest(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 1)
    SelectionSettings.objects.filter(event=screening_event).update(waitlist_length=1)
    apps = [scored("ai", [5]), scored("ai", [4]), scored("ai", [3])]
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    assert [Application.objects.get(pk=a.pk).decision for a in apps] == [
        Decision.ACCEPT,
        Decision.WAITLIST,
        Decision.REJECT,
    ]


def test_withdrawn_applications_are_left_out(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 1)
    withdrawn = scored("ai", [5], status=Status.WITHDRAWN)
    other = scored("ai", [2])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    assert Application.objects.get(pk=withdrawn.pk).decision == Decision.UNDECIDED
    assert Application.objects.get(pk=other.pk).decision == Decision.ACCEPT


def test_adjust_by_hand_respects_the_quota(screening_event, screening_organizer, scored):
    set_quota(screening_event, "ai", 1)
    top, second, third = scored("ai", [5]), scored("ai", [4]), scored("ai", [3])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    with pytest.raises(DomainError):
        services.selection_adjust(
            event=screening_event, application_id=second.pk, decision="accept", adjusted_by=screening_organizer
        )
    services.selection_adjust(
        event=screening_event,
        application_id=top.pk,
        decision="waitlist",
        waitlist_rank=1,
        adjusted_by=screening_organizer,
    )
    services.selection_adjust(
        event=screening_event, application_id=second.pk, decision="accept", adjusted_by=screening_organizer
    )
    ranks = {a.pk: (a.decision, a.waitlist_rank) for a in Application.objects.all()}
    assert ranks[second.pk] == (Decision.ACCEPT, None)
    assert ranks[top.pk] == (Decision.WAITLIST, 1)
    assert ranks[third.pk] == (Decision.WAITLIST, 2)  # moved down to make room


def test_only_organizers_of_this_event_propose_or_adjust(screening_event, reviewer, outsider, scored):
    application = scored("ai", [4])
    for person in (reviewer, outsider):
        with pytest.raises(PermissionDenied):
            services.selection_propose(event=screening_event, proposed_by=person)
        with pytest.raises(PermissionDenied):
            services.selection_adjust(
                event=screening_event, application_id=application.pk, decision="accept", adjusted_by=person
            )


def test_send_decisions_sets_statuses_and_queues_one_email_each(
    screening_event, screening_organizer, scored, django_capture_on_commit_callbacks
):
    set_quota(screening_event, "ai", 1)
    ready_to_send(screening_event, screening_organizer, waitlist_length=1)
    accepted, waitlisted, rejected = scored("ai", [5]), scored("ai", [4]), scored("ai", [3])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    with django_capture_on_commit_callbacks() as callbacks:
        counts = services.selection_decisions_send(event=screening_event, sent_by=screening_organizer)
    assert counts == {Status.ACCEPTED: 1, Status.WAITLISTED: 1, Status.REJECTED: 1}
    statuses = {a.pk: a.status for a in Application.objects.all()}
    assert statuses == {accepted.pk: Status.ACCEPTED, waitlisted.pk: Status.WAITLISTED, rejected.pk: Status.REJECTED}
    assert Application.objects.get(pk=accepted.pk).offer_expires_at is not None
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(screening_event.pk))
    assert emails.count() == 3
    assert "number 1 on its waitlist" in emails.get(to=waitlisted.user.email).body
    assert len(callbacks) == 3  # one send task per email, after commit
    # Accepting does not make anyone a participant yet: that is the applicant's confirmation.
    assert not EventRole.objects.filter(event=screening_event, role="participant").exists()


def test_send_refuses_undecided_applications_and_missing_deadline(screening_event, screening_organizer, scored):
    scored("ai", [4])
    with pytest.raises(DomainError):
        services.selection_decisions_send(event=screening_event, sent_by=screening_organizer)  # no RSVP deadline
    ready_to_send(screening_event, screening_organizer)
    with pytest.raises(DomainError) as error:
        services.selection_decisions_send(event=screening_event, sent_by=screening_organizer)
    assert "no decision" in str(error.value)


def test_send_refused_while_applications_are_open(event, organizer):
    services.selection_settings_ensure(event=event)
    with pytest.raises(DomainError):
        services.selection_decisions_send(event=event, sent_by=organizer)


def test_quota_cannot_drop_below_places_held(decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    with pytest.raises(DomainError):
        services.selection_settings_update(
            event=event, updated_by=organizer, places={"ai": 1}, rsvp_deadline=None, promoted_rsvp_hours=48
        )


def test_places_left_empty_go_to_the_waitlist_before_anyone_is_told_one_email_each(
    screening_event, screening_organizer, scored
):
    set_quota(screening_event, "ai", 2)
    ready_to_send(screening_event, screening_organizer, waitlist_length=3)
    first, second, third, fourth = scored("ai", [5]), scored("ai", [4]), scored("ai", [3]), scored("ai", [2])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    # The organizers leave one of the two places empty by waitlisting the second.
    services.selection_adjust(
        event=screening_event, application_id=second.pk, decision="waitlist", adjusted_by=screening_organizer
    )
    counts = services.selection_decisions_send(event=screening_event, sent_by=screening_organizer)

    statuses = {a.pk: (a.status, a.waitlist_rank) for a in Application.objects.all()}
    assert counts[Status.ACCEPTED] == 2
    assert statuses[first.pk][0] == Status.ACCEPTED
    # The top of the waitlist fills the empty place; the rest keep their order without a gap.
    waitlist = sorted((rank, pk) for pk, (status, rank) in statuses.items() if status == Status.WAITLISTED)
    accepted_second = next(pk for pk in (second.pk, third.pk) if statuses[pk][0] == Status.ACCEPTED)
    assert [rank for rank, _pk in waitlist] == list(range(1, len(waitlist) + 1))
    assert accepted_second not in [pk for _rank, pk in waitlist] and fourth.pk in [pk for _rank, pk in waitlist]
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(screening_event.pk))
    assert sorted(emails.values_list("to", flat=True)) == sorted({a.user.email for a in Application.objects.all()})
