"""Who judges which team: a pure planner (no database), applied under the settings lock by judging.services.

With judges_per_team = 0 every judge scores every team they have no conflict with. With N > 0 each team gets up
to N judges, greedily by load: the team with the fewest eligible judges is served first, and it takes the judges
with the fewest teams so far (ties: the judge with the lower id). Pairs kept from an earlier plan (a judge's
scores already exist) are kept and count towards the load. Without conflicts, max load − min load ≤ 1.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence


def plan_assignments(
    *,
    judges: Sequence[int],
    teams: Sequence[int],
    conflicts: Iterable[tuple[int, int]],
    per_team: int,
    keep: Iterable[tuple[int, int]] = (),
) -> set[tuple[int, int]]:
    """A set of (judge, team) pairs. Conflicted pairs never appear, even among `keep`."""
    blocked = set(conflicts)
    judge_set, team_set = set(judges), set(teams)
    ordered_judges = sorted(judge_set)
    if per_team <= 0:
        return {(j, t) for j in ordered_judges for t in sorted(team_set) if (j, t) not in blocked}
    plan = {(j, t) for j, t in keep if j in judge_set and t in team_set and (j, t) not in blocked}
    load = dict.fromkeys(ordered_judges, 0)
    for j, _t in plan:
        load[j] += 1
    eligible = {t: [j for j in ordered_judges if (j, t) not in blocked] for t in team_set}
    for team in sorted(team_set, key=lambda t: (len(eligible[t]), t)):
        have = {j for j, t in plan if t == team}
        for judge in sorted((j for j in eligible[team] if j not in have), key=lambda j: (load[j], j)):
            if len(have) >= per_team:
                break
            plan.add((judge, team))
            have.add(judge)
            load[judge] += 1
    return plan
