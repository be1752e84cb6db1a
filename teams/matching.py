"""Auto-matching: a pure, deterministic plan for putting every unassigned finalist into a team.

No database here: `plan_matching` takes plain values and returns plain values, so it can be tested over many
leftover mixes. teams.services.matching applies a plan under locks.

How it decides:
1. Feasibility is a flow problem (people of a track -> teams with an open slot for that track -> team size
   limit). A tiny max-flow answers "can everyone still be placed?", with or without every team reaching the
   minimum size (lower bounds, solved as a circulation).
2. People are placed one by one, scarcest track first, then by id. Each person goes to the best team by
   (below the minimum size first, fewest members, fewest of their track, team id) among the teams for which
   the rest of the plan stays feasible. So the plan balances sizes and roles and never paints itself into a corner.
3. If not everyone can be placed, nothing is placed: the plan names who is left over and why.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hackathon.models import Track

TRACKS: tuple[str, ...] = tuple(Track.values)


@dataclass(frozen=True)
class Rules:
    min_team_size: int
    max_team_size: int
    max_per_track: dict[str, int]


@dataclass(frozen=True)
class TeamState:
    team_id: int
    counts: dict[str, int]  # track -> members now

    @property
    def size(self) -> int:
        return sum(self.counts.values())


@dataclass(frozen=True)
class Person:
    user_id: int
    track: str


@dataclass(frozen=True)
class Placement:
    user_id: int
    track: str
    team_id: int
    facts: dict  # what the planner saw: enough to explain the choice later


@dataclass(frozen=True)
class Unplaced:
    user_id: int
    track: str
    reason: str  # "no_teams" | "no_slot_for_track" | "teams_full"
    facts: dict


@dataclass
class Plan:
    placements: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    teams_below_min: list[tuple[int, int]] = field(default_factory=list)  # (team_id, size after the plan)

    @property
    def ok(self) -> bool:
        return not self.unplaced


# --- max flow ---------------------------------------------------------------------------------


class _Flow:
    def __init__(self, nodes: int):
        self.graph: list[list[list[int]]] = [[] for _ in range(nodes)]  # edge = [to, capacity, reverse index]

    def add(self, source: int, target: int, capacity: int) -> None:
        if capacity <= 0:
            return
        self.graph[source].append([target, capacity, len(self.graph[target])])
        self.graph[target].append([source, 0, len(self.graph[source]) - 1])

    def max_flow(self, source: int, sink: int) -> int:
        total = 0
        while True:
            parent: list[tuple[int, int] | None] = [None] * len(self.graph)
            parent[source] = (source, -1)
            queue = deque([source])
            while queue and parent[sink] is None:
                node = queue.popleft()
                for index, (target, capacity, _reverse) in enumerate(self.graph[node]):
                    if capacity > 0 and parent[target] is None:
                        parent[target] = (node, index)
                        queue.append(target)
            if parent[sink] is None:
                return total
            pushed, node = None, sink
            while node != source:
                previous, index = parent[node]
                capacity = self.graph[previous][index][1]
                pushed = capacity if pushed is None else min(pushed, capacity)
                node = previous
            node = sink
            while node != source:
                previous, index = parent[node]
                edge = self.graph[previous][index]
                edge[1] -= pushed
                self.graph[node][edge[2]][1] += pushed
                node = previous
            total += pushed


def _feasible(demand: dict[str, int], teams: list[TeamState], rules: Rules, *, with_minimum: bool) -> bool:
    """Can `demand` people per track all be placed (and, with_minimum, every team reach the minimum size)?"""
    people = sum(demand.values())
    tracks = [t for t in TRACKS if demand.get(t)]
    # Nodes: 0 source, 1 sink, then tracks, then teams, then (for lower bounds) a super source and super sink.
    source, sink = 0, 1
    track_node = {t: 2 + i for i, t in enumerate(tracks)}
    team_node = {team.team_id: 2 + len(tracks) + i for i, team in enumerate(teams)}
    super_source, super_sink = 2 + len(tracks) + len(teams), 3 + len(tracks) + len(teams)
    flow = _Flow(super_sink + 1)
    for track in tracks:
        for team in teams:
            flow.add(track_node[track], team_node[team.team_id], rules.max_per_track[track] - team.counts.get(track, 0))
    if not with_minimum:
        for track in tracks:
            flow.add(source, track_node[track], demand[track])
        for team in teams:
            flow.add(team_node[team.team_id], sink, rules.max_team_size - team.size)
        return flow.max_flow(source, sink) == people
    # Lower bounds as a circulation: each edge with bound [low, high] becomes capacity high - low, plus
    # super-source -> head (low) and tail -> super-sink (low). Feasible iff every super-source edge saturates.
    required = 0
    for track in tracks:  # source -> track carries exactly demand[track]
        flow.add(super_source, track_node[track], demand[track])
        flow.add(source, super_sink, demand[track])
        required += demand[track]
    for team in teams:
        low = max(0, rules.min_team_size - team.size)
        high = rules.max_team_size - team.size
        if low > high:
            return False
        flow.add(team_node[team.team_id], sink, high - low)
        flow.add(super_source, sink, low)
        flow.add(team_node[team.team_id], super_sink, low)
        required += low
    flow.add(sink, source, people + 1)  # close the circulation
    return flow.max_flow(super_source, super_sink) == required


# --- the plan -----------------------------------------------------------------------------------


def _track_slots(teams: list[TeamState], rules: Rules, track: str) -> int:
    return sum(
        min(rules.max_per_track[track] - team.counts.get(track, 0), rules.max_team_size - team.size)
        for team in teams
        if rules.max_team_size > team.size
    )


def _unplaced_reason(person: Person, teams: list[TeamState], rules: Rules) -> tuple[str, dict]:
    if not teams:
        return "no_teams", {}
    open_teams = [team for team in teams if team.size < rules.max_team_size]
    if not open_teams:
        return "teams_full", {"teams": len(teams), "max_team_size": rules.max_team_size}
    return "no_slot_for_track", {
        "teams": len(teams),
        "open_teams": len(open_teams),
        "max_per_track": rules.max_per_track[person.track],
        "track_slots": _track_slots(teams, rules, person.track),
    }


def plan_matching(*, teams: list[TeamState], people: list[Person], rules: Rules) -> Plan:
    """Place every person in a team with an open slot for their track, or explain who cannot be placed."""
    teams = sorted(teams, key=lambda t: t.team_id)
    people = sorted(people, key=lambda p: (p.track, p.user_id))
    demand = {track: sum(1 for p in people if p.track == track) for track in TRACKS}
    plan = Plan()

    if not _feasible(demand, teams, rules, with_minimum=False):
        # Place as many as possible in thought, then name the rest: they are who could not be placed.
        placeable = _largest_placeable(demand, teams, rules)
        left = dict(demand)
        for person in reversed(people):
            if left[person.track] > placeable[person.track]:
                left[person.track] -= 1
                reason, facts = _unplaced_reason(person, teams, rules)
                plan.unplaced.append(Unplaced(person.user_id, person.track, reason, facts))
        plan.unplaced.sort(key=lambda u: (u.track, u.user_id))
        return plan

    with_minimum = _feasible(demand, teams, rules, with_minimum=True)
    # Scarcest track first: the fewer slots per person a track has, the earlier its people choose.
    scarcity = {t: _track_slots(teams, rules, t) / demand[t] if demand[t] else 0 for t in TRACKS}
    people.sort(key=lambda p: (scarcity[p.track], TRACKS.index(p.track), p.user_id))
    state = {team.team_id: dict(team.counts) for team in teams}

    for person in people:
        track = person.track
        demand[track] -= 1
        candidates = []
        for team in teams:
            counts = state[team.team_id]
            size = sum(counts.values())
            if size >= rules.max_team_size or counts.get(track, 0) >= rules.max_per_track[track]:
                continue
            below_min = size < rules.min_team_size
            candidates.append(((0 if below_min else 1, size, counts.get(track, 0), team.team_id), team.team_id))
        candidates.sort()
        chosen = None
        for _key, team_id in candidates:
            state[team_id][track] = state[team_id].get(track, 0) + 1
            after = [TeamState(t.team_id, state[t.team_id]) for t in teams]
            if _feasible(demand, after, rules, with_minimum=with_minimum):
                chosen = team_id
                break
            state[team_id][track] -= 1
        if chosen is None:  # cannot happen once the whole plan was feasible; fail loudly rather than misplace
            raise AssertionError("matching plan became infeasible")
        before = dict(state[chosen])
        before[track] -= 1
        plan.placements.append(
            Placement(
                user_id=person.user_id,
                track=track,
                team_id=chosen,
                facts={
                    "size_before": sum(before.values()),
                    "track_before": before.get(track, 0),
                    "max_per_track": rules.max_per_track[track],
                    "max_team_size": rules.max_team_size,
                    "min_team_size": rules.min_team_size,
                    "candidates": len(candidates),
                    "first_choice": candidates[0][1] == chosen,
                },
            )
        )
    plan.placements.sort(key=lambda p: (p.team_id, p.track, p.user_id))
    plan.teams_below_min = [
        (team.team_id, sum(state[team.team_id].values()))
        for team in teams
        if sum(state[team.team_id].values()) < rules.min_team_size
    ]
    return plan


def _largest_placeable(demand: dict[str, int], teams: list[TeamState], rules: Rules) -> dict[str, int]:
    """How many of each track fit at most: reduce the largest surplus first, so the leftovers are fair to name."""
    placeable = dict(demand)
    while not _feasible(placeable, teams, rules, with_minimum=False):
        # Drop one person from the track whose slots are most oversubscribed.
        track = max(
            (t for t in TRACKS if placeable[t]),
            key=lambda t: (placeable[t] - _track_slots(teams, rules, t), -TRACKS.index(t)),
        )
        placeable[track] -= 1
    return placeable


# --- explanations -------------------------------------------------------------------------------


def explain(facts: dict, *, team_name: str, track: str) -> str:
    """One sentence, in the reader's language, on why auto-matching chose this team."""
    track_label = Track(track).label
    text = _(
        "Placed in %(team)s as %(track)s: it had %(size)d of at most %(max_size)d members and "
        "%(track_count)d of at most %(track_max)d in your track."
    ) % {
        "team": team_name,
        "track": track_label,
        "size": facts.get("size_before", 0),
        "max_size": facts.get("max_team_size", 0),
        "track_count": facts.get("track_before", 0),
        "track_max": facts.get("max_per_track", 0),
    }
    if facts.get("size_before", 0) < facts.get("min_team_size", 0):
        text += " " + _("It was below the minimum team size, so it was filled first.")
    if facts.get("first_choice", True):
        text += " " + _("Among %(count)d teams with an open slot for your track, it had the fewest members.") % {
            "count": facts.get("candidates", 1)
        }
    else:
        text += " " + _("A team with fewer members was passed over so that everyone else could still be placed.")
    return text


def explain_unplaced(reason: str, facts: dict, *, track: str) -> str:
    track_label = Track(track).label
    if reason == "no_teams":
        return _("There are no teams to join. A PM has to create a team first.")
    if reason == "teams_full":
        return _("All %(teams)d teams have reached the maximum size of %(max)d.") % {
            "teams": facts.get("teams", 0),
            "max": facts.get("max_team_size", 0),
        }
    return _(
        "Not enough open slots for %(track)s: teams take at most %(max)d each, and only %(slots)d slots are left "
        "across %(open)d teams that are not full."
    ) % {
        "track": track_label,
        "max": facts.get("max_per_track", 0),
        "slots": facts.get("track_slots", 0),
        "open": facts.get("open_teams", 0),
    }
