from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from core.models import OutboundEmail
from mentoring import selectors, services
from mentoring.models import HelpRequest, MentoringSettings, MentorShift
from mentoring.tasks import help_requests_sweep
from mentoring.tests.factories import failed_job, mentor, team_with_members

pytestmark = pytest.mark.django_db


def raise_for(team, who, topic="npu_sdk", **kwargs):
    return services.help_request_raise(team=team, raised_by=who, topic=topic, text="Compile fails", **kwargs)


def test_raise_with_a_failed_job_claim_close_rate(team, member, mentor_profile):
    job = failed_job(team)
    request = raise_for(team, member, job=job)
    assert request.state == "open" and request.attachment == job
    claimed = services.help_request_claim(request_id=request.pk, mentor=mentor_profile.user)
    assert claimed.state == "claimed" and claimed.claimed_by == mentor_profile.user
    assert OutboundEmail.objects.filter(purpose="mentoring.claim").count() == 2
    closed = services.help_request_close(request_id=request.pk, closed_by=mentor_profile.user)
    assert closed.state == "closed" and closed.closed_at
    rated = services.help_request_rate(request_id=request.pk, rated_by=member, rating=5, comment="Fixed it!")
    assert rated.rating == 5
    with pytest.raises(DomainError):
        services.help_request_rate(request_id=request.pk, rated_by=member, rating=1)


def test_a_team_cannot_attach_another_teams_job(team, member, other_team_and_members):
    other_team, _people = other_team_and_members
    with pytest.raises(DomainError):
        raise_for(team, member, job=failed_job(other_team))


def test_one_live_request_per_team(team, member):
    raise_for(team, member)
    with pytest.raises(DomainError) as error:
        raise_for(team, member)
    assert error.value.code == "already_queued"


def test_a_participant_cannot_claim(team, member, outsider):
    request = raise_for(team, member)
    for who in (member, outsider):
        with pytest.raises(PermissionDenied):
            services.help_request_claim(request_id=request.pk, mentor=who)


def test_a_mentor_holds_one_claim_at_a_time(hack_event, team, member, other_team_and_members, mentor_profile):
    other_team, (other_member, *_r) = other_team_and_members
    first, second = raise_for(team, member), raise_for(other_team, other_member)
    services.help_request_claim(request_id=first.pk, mentor=mentor_profile.user)
    with pytest.raises(DomainError) as error:
        services.help_request_claim(request_id=second.pk, mentor=mentor_profile.user)
    assert error.value.code == "holding_one"
    services.help_request_release(request_id=first.pk, released_by=mentor_profile.user)
    services.help_request_claim(request_id=second.pk, mentor=mentor_profile.user)
    # Released, the first is open again, in its old place at the head of the queue.
    assert [r.pk for r in selectors.open_requests(event=hack_event)] == [first.pk]


def test_only_the_claiming_mentor_closes(team, member, mentor_profile, hack_event):
    request = raise_for(team, member)
    services.help_request_claim(request_id=request.pk, mentor=mentor_profile.user)
    other = mentor(hack_event)
    with pytest.raises(PermissionDenied):
        services.help_request_close(request_id=request.pk, closed_by=other.user)


def test_a_claim_not_closed_in_time_returns_to_the_queue_and_the_mentor_is_told(team, member, mentor_profile):
    request = raise_for(team, member)
    services.help_request_claim(request_id=request.pk, mentor=mentor_profile.user)
    HelpRequest.objects.filter(pk=request.pk).update(claimed_at=timezone.now() - timedelta(minutes=19))
    assert help_requests_sweep() == 0
    HelpRequest.objects.filter(pk=request.pk).update(claimed_at=timezone.now() - timedelta(minutes=21))
    assert help_requests_sweep() == 1
    request.refresh_from_db()
    assert request.state == "open" and request.claimed_by is None
    told = OutboundEmail.objects.get(purpose="mentoring.claim_timeout")
    assert told.to == mentor_profile.user.email
    # Back in the queue, the expiry clock starts again: it does not expire at once.
    assert help_requests_sweep() == 0


def test_unclaimed_requests_expire_and_the_team_is_told(hack_event, team, member):
    MentoringSettings.objects.create(event=hack_event, request_expiry_minutes=30)
    request = raise_for(team, member)
    HelpRequest.objects.filter(pk=request.pk).update(queued_at=timezone.now() - timedelta(minutes=29))
    assert help_requests_sweep() == 0
    HelpRequest.objects.filter(pk=request.pk).update(queued_at=timezone.now() - timedelta(minutes=31))
    assert help_requests_sweep() == 1
    assert HelpRequest.objects.get(pk=request.pk).state == "expired"
    assert OutboundEmail.objects.filter(purpose="mentoring.expire").count() == 2  # the team's two members
    # The team can raise a new one.
    raise_for(team, member)


def test_position_and_expected_wait_on_hand_computed_data(hack_event, mentor_profile):
    now = timezone.now()
    teams = [team_with_members(hack_event, members=0) for _ in range(4)]
    # History: three requests closed in the last hour, handled in 10, 20 and 30 minutes (mean 20).
    helper = mentor(hack_event)
    for (history_team, (leader,)), minutes in zip(teams[:3], (10, 20, 30), strict=True):
        done = raise_for(history_team, leader)
        HelpRequest.objects.filter(pk=done.pk).update(
            state="closed",
            claimed_by=None,
            helped_by=helper.user,
            claimed_at=now - timedelta(minutes=40 + minutes),
            closed_at=now - timedelta(minutes=40),
        )
    # Four teams in the queue now, in order; two mentors on shift.
    waiting = [raise_for(t, people[0]) for t, people in teams]
    for profile in (mentor_profile, helper):
        MentorShift.objects.create(event=hack_event, mentor=profile, started_at=now - timedelta(hours=1))
    statuses = [selectors.queue_status_of_team(team=t, now=now) for t, _p in teams]
    assert [s.position for s in statuses] == [1, 2, 3, 4]
    assert [s.expected_wait_minutes for s in statuses] == [20, 20, 40, 40]  # ceil(p / 2) × 20
    assert statuses[0].mentors_on_shift == 2 and statuses[0].open_count == 4
    # The first one is claimed: it shows who is coming and the others move up.
    services.help_request_claim(request_id=waiting[0].pk, mentor=mentor_profile.user)
    first = selectors.queue_status_of_team(team=teams[0][0], now=now)
    assert first.position is None and first.request.claimed_by == mentor_profile.user
    assert selectors.queue_status_of_team(team=teams[3][0], now=now).position == 3


def test_queue_figures(hack_event, mentor_profile):
    now = timezone.now()
    for minutes_to_claim, (t, (leader,)) in zip(
        (2, 4, 6), [team_with_members(hack_event, members=0) for _ in range(3)], strict=True
    ):
        done = raise_for(t, leader, topic="quantization")
        HelpRequest.objects.filter(pk=done.pk).update(
            state="closed",
            created_at=now - timedelta(minutes=60),
            claimed_at=now - timedelta(minutes=60 - minutes_to_claim),
            closed_at=now - timedelta(minutes=60 - minutes_to_claim - 10),
            helped_by=mentor_profile.user,
            rating=minutes_to_claim // 2 + 2,  # 3, 4, 5
        )
    figures = selectors.queue_figures(event=hack_event)
    assert figures.claim_median == 4 and figures.close_median == 10
    assert figures.claim_p90 == pytest.approx(5.6)  # rank 1.8: 4 + 0.8 × 2
    assert figures.total == 3 and figures.by_state == {"closed": 3}
    (hour,) = figures.heat_hours
    assert figures.heat[hour] == {"quantization": 3}
    (rating,) = figures.ratings
    assert rating["average"] == 4 and rating["count"] == 3
