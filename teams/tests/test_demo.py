from collections import Counter

import pytest

from hackathon import demo as hackathon_demo
from teams import demo
from teams.models import Team, TeamBuildingRound, TeamMembership

pytestmark = pytest.mark.django_db


def test_seed_forms_the_nine_teams_of_the_model_event_and_is_idempotent():
    ctx = hackathon_demo.build_context()
    hackathon_demo.seed(ctx)
    demo.seed(ctx)

    teams = list(Team.objects.filter(event=ctx.event).prefetch_related("memberships"))
    assert len(teams) == 9
    assert sorted(len(t.memberships.all()) for t in teams) == [4] * 5 + [5] * 4
    for team in teams:
        tracks = Counter(m.track for m in team.memberships.all())
        assert max(tracks.values()) <= 2 and set(tracks) == {"pm", "frontend", "backend", "ai"}
        leader = next(m for m in team.memberships.all() if m.user_id == team.leader_id)
        assert leader.track == "pm"
    finalists = {u.pk for users in ctx.finalists.values() for u in users}
    assert set(TeamMembership.objects.filter(event=ctx.event).values_list("user_id", flat=True)) == finalists

    winner = Team.objects.get(event=ctx.event, leader=ctx.finalists["pm"][0])
    assert "face blurring for live streams" in winner.idea and "NPU" in winner.idea
    assert TeamBuildingRound.objects.get(event=ctx.event).locked_at is not None

    before = (Team.objects.count(), TeamMembership.objects.count())
    again = hackathon_demo.build_context()
    hackathon_demo.seed(again)
    demo.seed(again)
    assert (Team.objects.count(), TeamMembership.objects.count()) == before
    # Same plan from the same seed: a rebuild of the demo forms the same teams.
    assert [[u.pk for u, _ in team] for team in demo.plan_teams(hackathon_demo.build_context())] == [
        [u.pk for u, _ in team] for team in demo.plan_teams(hackathon_demo.build_context())
    ]
