"""Races on PostgreSQL: row locks and partial unique constraints decide, whatever the interleaving."""

import pytest

from core.exceptions import DomainError
from core.testing import run_concurrently
from mentoring import services
from mentoring.models import Booking, HelpRequest
from mentoring.tests.factories import hacking_event, mentor, slot, team_with_members

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_twenty_teams_booking_one_slot_at_once_one_gets_it():
    event = hacking_event()
    contested = slot(mentor(event))
    teams = [team_with_members(event, members=0) for _ in range(20)]

    results = run_concurrently(
        lambda i: services.booking_create(slot_id=contested.pk, team_id=teams[i][0].pk, booked_by=teams[i][1][0]), 20
    )

    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(booked) == 1, results
    assert len(refused) == 19 and all(r.code == "slot_taken" for r in refused), results
    assert Booking.objects.filter(slot=contested).count() == 1


def test_one_team_booking_two_slots_at_once_under_a_limit_of_one_gets_one():
    event = hacking_event()
    profile = mentor(event)
    for _attempt in range(3):  # a few rounds, so both orders of arrival get their chance
        slots = [slot(profile, in_minutes=120 + 60 * (2 * _attempt + k)) for k in range(2)]
        team, (leader, member) = team_with_members(event, members=1)
        people = [leader, member]  # two members of one team press "book" at the same moment

        results = run_concurrently(
            lambda i, slots=slots, team=team, people=people: services.booking_create(
                slot_id=slots[i].pk, team_id=team.pk, booked_by=people[i]
            ),
            2,
        )

        assert sum(isinstance(r, Booking) for r in results) == 1, results
        (error,) = [r for r in results if not isinstance(r, Booking)]
        assert isinstance(error, DomainError) and error.code == "limit_reached", error
        assert Booking.objects.filter(team=team).count() == 1


def test_two_mentors_claiming_one_request_one_wins():
    event = hacking_event()
    mentors = [mentor(event).user for _ in range(2)]
    for _attempt in range(3):
        team, (leader,) = team_with_members(event, members=0)
        request = services.help_request_raise(team=team, raised_by=leader, topic="npu_sdk", text="help")

        results = run_concurrently(
            lambda i, request=request: services.help_request_claim(request_id=request.pk, mentor=mentors[i]), 2
        )

        won = [r for r in results if isinstance(r, HelpRequest)]
        assert len(won) == 1, results
        (error,) = [r for r in results if not isinstance(r, HelpRequest)]
        assert isinstance(error, DomainError) and error.code == "taken", error
        request.refresh_from_db()
        assert request.state == "claimed" and request.claimed_by == won[0].claimed_by
        services.help_request_close(request_id=request.pk, closed_by=request.claimed_by)


def test_one_mentor_claiming_two_requests_at_once_gets_one():
    event = hacking_event()
    for _attempt in range(3):
        helper = mentor(event).user
        requests = []
        for _ in range(2):
            team, (leader,) = team_with_members(event, members=0)
            requests.append(services.help_request_raise(team=team, raised_by=leader, topic="npu_sdk", text="help"))

        results = run_concurrently(
            lambda i, requests=requests, helper=helper: services.help_request_claim(
                request_id=requests[i].pk, mentor=helper
            ),
            2,
        )

        assert sum(isinstance(r, HelpRequest) for r in results) == 1, results
        (error,) = [r for r in results if not isinstance(r, HelpRequest)]
        assert isinstance(error, DomainError) and error.code == "holding_one", error
        assert HelpRequest.objects.filter(claimed_by=helper, state="claimed").count() == 1
        assert HelpRequest.objects.filter(pk__in=[r.pk for r in requests], state="open").count() == 1
