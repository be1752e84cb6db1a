"""The auto-matching planner, over every small leftover mix: it places everyone exactly when that is possible."""

import itertools
import random

import pytest

from teams.matching import TRACKS, Person, Rules, TeamState, explain, explain_unplaced, plan_matching


def rules(min_size=4, max_size=5, per_track=2):
    return Rules(min_team_size=min_size, max_team_size=max_size, max_per_track=dict.fromkeys(TRACKS, per_track))


def brute_force(teams, people, rules):
    """(can everyone be placed, can everyone be placed with every team at the minimum size)."""
    any_ok = min_ok = False
    for choice in itertools.product(range(len(teams)), repeat=len(people)):
        counts = [dict(t.counts) for t in teams]
        for person, index in zip(people, choice, strict=True):
            counts[index][person.track] = counts[index].get(person.track, 0) + 1
        if all(
            sum(c.values()) <= rules.max_team_size and all(c.get(t, 0) <= rules.max_per_track[t] for t in TRACKS)
            for c in counts
        ):
            any_ok = True
            if all(sum(c.values()) >= rules.min_team_size for c in counts):
                return True, True
    return any_ok, min_ok


def check_plan(teams, people, rules):
    plan = plan_matching(teams=teams, people=people, rules=rules)
    any_ok, min_ok = brute_force(teams, people, rules) if teams else (not people, not people)
    assert plan.ok == any_ok, (teams, people)
    if plan.ok:
        assert sorted(p.user_id for p in plan.placements) == sorted(p.user_id for p in people)
        counts = {t.team_id: dict(t.counts) for t in teams}
        for placement in plan.placements:
            counts[placement.team_id][placement.track] = counts[placement.team_id].get(placement.track, 0) + 1
        for team_counts in counts.values():
            assert sum(team_counts.values()) <= rules.max_team_size
            assert all(team_counts.get(t, 0) <= rules.max_per_track[t] for t in TRACKS)
        if min_ok:
            assert not plan.teams_below_min, "every team could have reached the minimum size"
            assert all(sum(c.values()) >= rules.min_team_size for c in counts.values())
        assert not plan.unplaced
    else:
        assert not plan.placements, "an impossible plan places nobody"
        assert plan.unplaced
        # The people it names are exactly as many as cannot fit.
        assert {u.user_id for u in plan.unplaced} <= {p.user_id for p in people}
    return plan


TEAM_SHAPES = [
    {"pm": 1},
    {"pm": 1, "ai": 1},
    {"pm": 1, "ai": 2},
    {"pm": 1, "frontend": 1, "backend": 1},
    {"pm": 2, "ai": 1, "backend": 1},
    {"pm": 1, "frontend": 2, "backend": 2},
]


@pytest.mark.parametrize("team_count", [1, 2, 3])
def test_every_small_leftover_mix_is_placed_exactly_when_possible(team_count):
    checked = 0
    for shapes in itertools.combinations_with_replacement(range(len(TEAM_SHAPES)), team_count):
        teams = [TeamState(i + 1, dict(TEAM_SHAPES[s])) for i, s in enumerate(shapes)]
        # Every mix of up to four leftovers over the four tracks.
        for size in range(0, 5 if team_count < 3 else 4):
            for mix in itertools.combinations_with_replacement(TRACKS, size):
                people = [Person(100 + i, track) for i, track in enumerate(mix)]
                check_plan(teams, people, rules())
                checked += 1
    assert checked > 50


def test_tight_rules_are_respected_over_many_random_mixes():
    rng = random.Random(7)
    for _ in range(300):
        r = rules(min_size=rng.randint(2, 3), max_size=rng.randint(3, 4), per_track=rng.randint(1, 2))
        teams = []
        for team_id in range(1, rng.randint(1, 3) + 1):
            counts = {"pm": 1}
            for track in rng.sample(TRACKS, rng.randint(0, 2)):
                if sum(counts.values()) < r.max_team_size and counts.get(track, 0) < r.max_per_track[track]:
                    counts[track] = counts.get(track, 0) + 1
            teams.append(TeamState(team_id, counts))
        people = [Person(100 + i, rng.choice(TRACKS)) for i in range(rng.randint(0, 5))]
        check_plan(teams, people, r)


def test_the_plan_is_deterministic_whatever_the_input_order():
    teams = [TeamState(i, {"pm": 1}) for i in range(1, 10)]
    people = [Person(100 + i, track) for i, track in enumerate(TRACKS * 7 + ("pm",))]
    first = plan_matching(teams=teams, people=people, rules=rules())
    rng = random.Random(1)
    for _ in range(5):
        shuffled_teams, shuffled_people = teams[:], people[:]
        rng.shuffle(shuffled_teams)
        rng.shuffle(shuffled_people)
        assert plan_matching(teams=shuffled_teams, people=shuffled_people, rules=rules()) == first


def test_the_model_event_leftovers_fill_nine_teams_of_four_or_five_balanced_by_role():
    # Nine PMs founded teams; the other 31 finalists are left for auto-matching.
    teams = [TeamState(i, {"pm": 1}) for i in range(1, 10)]
    people = [Person(100 + i, "pm") for i in range(1)]
    people += [Person(200 + i, track) for track in ("frontend", "backend", "ai") for i in range(10)]
    people = [Person(1000 + i, p.track) for i, p in enumerate(people)]
    plan = plan_matching(teams=teams, people=people, rules=rules())
    assert plan.ok
    sizes = {team.team_id: 1 for team in teams}
    per_track = {team.team_id: dict.fromkeys(TRACKS, 0) for team in teams}
    for placement in plan.placements:
        sizes[placement.team_id] += 1
        per_track[placement.team_id][placement.track] += 1
    assert sorted(sizes.values()) == [4] * 5 + [5] * 4
    for counts in per_track.values():
        # Every team gets at least one engineer of each kind.
        assert counts["frontend"] >= 1 and counts["backend"] >= 1 and counts["ai"] >= 1


def test_impossible_mix_names_who_is_left_over_and_why():
    teams = [TeamState(1, {"pm": 1, "ai": 2}), TeamState(2, {"pm": 1, "ai": 1})]
    people = [Person(10, "ai"), Person(11, "ai"), Person(12, "backend")]
    plan = plan_matching(teams=teams, people=people, rules=rules())
    assert not plan.ok
    assert [(u.user_id, u.reason) for u in plan.unplaced] == [(11, "no_slot_for_track")]
    message = explain_unplaced(plan.unplaced[0].reason, plan.unplaced[0].facts, track="ai")
    assert "AI engineer" in message and "1 slots" in message


def test_no_teams_and_full_teams_are_explained():
    plan = plan_matching(teams=[], people=[Person(1, "ai")], rules=rules())
    assert [u.reason for u in plan.unplaced] == ["no_teams"]
    full = [TeamState(1, {"pm": 1, "ai": 2, "backend": 2})]
    plan = plan_matching(teams=full, people=[Person(1, "frontend")], rules=rules())
    assert [u.reason for u in plan.unplaced] == ["teams_full"]
    assert "maximum size of 5" in explain_unplaced("teams_full", plan.unplaced[0].facts, track="frontend")


def test_explanation_says_why_this_team():
    plan = plan_matching(
        teams=[TeamState(1, {"pm": 1}), TeamState(2, {"pm": 1, "ai": 1})], people=[Person(5, "ai")], rules=rules()
    )
    (placement,) = plan.placements
    assert placement.team_id == 1
    text = explain(placement.facts, team_name="Blur Squad", track="ai")
    assert "Blur Squad" in text and "1 of at most 5 members" in text and "below the minimum" in text
