"""Races on PostgreSQL: the team row and the one-team-per-person constraint decide, whatever the interleaving."""

import random
from collections import Counter

import pytest

from core.exceptions import DomainError
from core.testing import run_concurrently
from hackathon.models import EventRole
from teams import services
from teams.models import JoinRequest, Team, TeamBuildingRound, TeamMembership
from teams.tests.factories import TeamFactory, add_member, finalist, round_event

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_thirty_simultaneous_accepts_into_one_open_slot_add_exactly_one_member():
    event = round_event()
    team = TeamFactory(event=event)
    add_member(team, "backend")  # one backend slot left (at most two per team)
    requests = [services.join_request_create(team_id=team.pk, user=finalist(event, "backend")).pk for _ in range(30)]

    results = run_concurrently(
        lambda i: services.join_request_accept(request_id=requests[i], accepted_by=team.leader), 30
    )

    accepted = [r for r in results if isinstance(r, TeamMembership)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(accepted) == 1, results
    assert len(refused) == 29 and all("no open slot" in str(r) for r in refused)
    assert team.memberships.filter(track="backend").count() == 2
    assert JoinRequest.objects.filter(status="accepted").count() == 1


def test_a_person_accepted_by_two_teams_at_once_ends_up_in_exactly_one():
    event = round_event()
    for _attempt in range(4):  # a few rounds, so both orders of arrival get their chance
        teams = [TeamFactory(event=event) for _ in range(2)]
        person = finalist(event, "ai")
        requests = [services.join_request_create(team_id=t.pk, user=person).pk for t in teams]
        results = run_concurrently(
            lambda i, teams=teams, requests=requests: services.join_request_accept(
                request_id=requests[i], accepted_by=teams[i].leader
            ),
            2,
        )
        assert sum(isinstance(r, TeamMembership) for r in results) == 1, results
        (error,) = [r for r in results if not isinstance(r, TeamMembership)]
        assert isinstance(error, DomainError), error
        assert TeamMembership.objects.filter(event=event, user=person).count() == 1
        # The other team's request was cancelled when the person joined.
        assert not JoinRequest.objects.filter(user=person, status="pending").exists()


def test_an_invitation_and_a_join_request_accepted_at_once_place_the_person_once():
    event = round_event()
    first, second = TeamFactory(event=event), TeamFactory(event=event)
    person = finalist(event, "frontend")
    join = services.join_request_create(team_id=first.pk, user=person)
    invitation = services.invitation_create(team_id=second.pk, user_id=person.pk, invited_by=second.leader)
    results = run_concurrently(
        lambda i: (
            services.join_request_accept(request_id=join.pk, accepted_by=first.leader)
            if i == 0
            else services.invitation_accept(invitation_id=invitation.pk, accepted_by=person)
        ),
        2,
    )
    assert sum(isinstance(r, TeamMembership) for r in results) == 1, results
    assert TeamMembership.objects.filter(event=event, user=person).count() == 1


def assert_rules_hold(event):
    round_ = TeamBuildingRound.objects.filter(event=event).first() or TeamBuildingRound(event=event)
    for team in Team.objects.filter(event=event).prefetch_related("memberships"):
        tracks = Counter(m.track for m in team.memberships.all())
        assert sum(tracks.values()) <= round_.max_team_size, (team, tracks)
        for track, count in tracks.items():
            assert count <= round_.max_for(track), (team, tracks)
        if team.leader_id is not None:
            assert team.memberships.filter(user_id=team.leader_id).exists()
    people = Counter(TeamMembership.objects.filter(event=event).values_list("user_id", flat=True))
    assert all(count == 1 for count in people.values())
    assert JoinRequest.objects.filter(event=event, status="pending", user_id__in=list(people)).count() == 0


def test_no_rule_is_broken_by_any_interleaving():
    """Many people ask, leaders accept, members leave, PMs found teams and the organizer moves people, all at once."""
    event = round_event()
    organizer = finalist(event, "pm")
    EventRole.objects.create(event=event, user=organizer, role="organizer")
    teams = [TeamFactory(event=event) for _ in range(3)]
    people = [finalist(event, track) for track in ("frontend", "backend", "ai") for _ in range(6)]
    pms = [finalist(event, "pm") for _ in range(3)]
    requests = []
    for person in people:
        for team in random.Random(person.pk).sample(teams, 2):
            requests.append(services.join_request_create(team_id=team.pk, user=person).pk)

    def act(i):
        rng = random.Random(i)
        outcomes = []
        for _ in range(6):
            choice = rng.random()
            try:
                if choice < 0.55:
                    request_id = rng.choice(requests)
                    team_id = JoinRequest.objects.values_list("team_id", flat=True).get(pk=request_id)
                    leader = Team.objects.get(pk=team_id).leader
                    outcomes.append(services.join_request_accept(request_id=request_id, accepted_by=leader))
                elif choice < 0.7:
                    person = rng.choice(people)
                    membership = TeamMembership.objects.filter(user=person).first()
                    if membership:
                        services.team_member_leave(team_id=membership.team_id, user=person)
                elif choice < 0.8:
                    services.team_create(event=event, created_by=rng.choice(pms), name=f"Team of {i}")
                else:
                    services.team_member_move(
                        event=event, user_id=rng.choice(people).pk, to_team_id=rng.choice(teams).pk, moved_by=organizer
                    )
            except (DomainError, Team.DoesNotExist):
                pass
        return outcomes

    results = run_concurrently(act, 12)
    assert not [r for r in results if isinstance(r, Exception)], results
    assert_rules_hold(event)
    assert TeamMembership.objects.filter(event=event).count() > 3  # something did happen


def test_two_teams_renamed_to_one_name_at_once_one_wins_the_other_gets_a_clear_error():
    event = round_event()
    for attempt in range(4):
        teams = [TeamFactory(event=event) for _ in range(2)]
        names = [f"Vision Crew {attempt}", f"VISION crew {attempt}"]  # differing only in case
        results = run_concurrently(
            lambda i, teams=teams, names=names: services.team_pitch_update(
                team_id=teams[i].pk, updated_by=teams[i].leader, name=names[i]
            ),
            2,
        )
        assert sum(isinstance(r, Team) for r in results) == 1, results
        (error,) = [r for r in results if not isinstance(r, Team)]
        assert isinstance(error, DomainError) and error.field == "name", error
        assert "already exists" in str(error)
        assert Team.objects.filter(event=event, name__iexact=names[0]).count() == 1


def test_two_teams_founded_with_one_name_at_once():
    event = round_event()
    founders = [finalist(event, "pm") for _ in range(2)]
    results = run_concurrently(
        lambda i: services.team_create(event=event, created_by=founders[i], name=["Edge", "EDGE"][i]), 2
    )
    assert sum(isinstance(r, Team) for r in results) == 1, results
    assert all(isinstance(r, Team | DomainError) for r in results), results
