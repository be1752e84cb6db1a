"""judging.assignment.plan_assignments: balanced, respects conflicts, keeps what was scored."""

import itertools
import random

import pytest

from judging.assignment import plan_assignments


def loads(plan, judges):
    return [sum(1 for j, _t in plan if j == judge) for judge in judges]


def test_zero_means_every_judge_scores_every_team_they_have_no_conflict_with():
    plan = plan_assignments(judges=[1, 2], teams=[10, 11], conflicts={(1, 10)}, per_team=0)
    assert plan == {(1, 11), (2, 10), (2, 11)}


@pytest.mark.parametrize("judges,teams,per_team", [(30, 300, 3), (7, 23, 2), (5, 9, 5), (4, 10, 3)])
def test_balanced_without_conflicts(judges, teams, per_team):
    judge_ids, team_ids = list(range(1, judges + 1)), list(range(100, 100 + teams))
    plan = plan_assignments(judges=judge_ids, teams=team_ids, conflicts=set(), per_team=per_team)
    assert all(sum(1 for _j, t in plan if t == team) == per_team for team in team_ids)
    load = loads(plan, judge_ids)
    assert max(load) - min(load) <= 1


def test_random_conflicts_are_respected_and_teams_are_filled_where_possible():
    rng = random.Random(7)
    for _case in range(200):
        judges = list(range(1, rng.randint(2, 8)))
        teams = list(range(100, 100 + rng.randint(1, 15)))
        conflicts = {(j, t) for j, t in itertools.product(judges, teams) if rng.random() < 0.15}
        per_team = rng.randint(1, len(judges))
        plan = plan_assignments(judges=judges, teams=teams, conflicts=conflicts, per_team=per_team)
        assert not plan & conflicts
        for team in teams:
            eligible = sum(1 for j in judges if (j, team) not in conflicts)
            assert sum(1 for _j, t in plan if t == team) == min(per_team, eligible)
        if not conflicts:
            load = loads(plan, judges)
            assert max(load) - min(load) <= 1


def test_a_dropped_judges_teams_go_to_the_others_and_scored_pairs_stay():
    judges, teams = [1, 2, 3, 4], list(range(100, 112))
    first = plan_assignments(judges=judges, teams=teams, conflicts=set(), per_team=2)
    scored = {pair for pair in first if pair[1] < 104}
    second = plan_assignments(judges=[1, 2, 3], teams=teams, conflicts=set(), per_team=2, keep=scored)
    assert all(j != 4 for j, _t in second)
    assert {pair for pair in scored if pair[0] != 4} <= second
    assert all(sum(1 for _j, t in second if t == team) == 2 for team in teams)


def test_deterministic():
    args = {"judges": [3, 1, 2], "teams": [12, 10, 11], "conflicts": {(1, 10)}, "per_team": 2}
    assert plan_assignments(**args) == plan_assignments(**args)
