"""Demo: the model event judged. Five judges score the nine teams on the five criteria; BlurCast (the team led by
the best-ranked PM) wins the grand prize, three excellence and two merit prizes follow; results are published.

Scores are the judges' opinions, not measurements, so the demo writes them. Each judge has a habit (harsh or
lenient by up to a point), which the bias model then calibrates away. Idempotent: once the event has judging
settings, nothing changes.
"""

from judging import services
from judging.models import Criterion, JudgingSettings
from teams.models import Team

# Each team's quality per criterion (planning, creativity, technical, completeness, economics), best first.
# The order is the seed story: BlurCast first; ShelfSight, SafeSite and SignBridge for excellence; FallAlert and
# CrossGuard for merit.
QUALITY = {
    "BlurCast": (9, 9, 10, 9, 9),
    "ShelfSight": (8, 7, 9, 8, 9),
    "SafeSite": (8, 7, 8, 8, 8),
    "SignBridge": (7, 9, 8, 7, 6),
    "FallAlert": (7, 7, 7, 7, 7),
    "CrossGuard": (6, 7, 7, 6, 6),
    "ParkFinder": (6, 5, 6, 6, 6),
    "FarmEye": (5, 6, 5, 5, 5),
    "WasteSort": (5, 5, 5, 4, 5),
}
JUDGE_HABITS = (-1, 0, 1, 0, -1)  # harsh … lenient, in points
COMMENTS = {
    "BlurCast": "Live 1080p30 blur on the NPU, and the economics are measured, not guessed.",
    "ShelfSight": "Clear store value; would like to see more than one camera at once.",
}


def seed(ctx) -> None:
    event = ctx.event
    if JudgingSettings.objects.filter(event=event).exists():
        return
    teams = {team.name: team for team in Team.objects.filter(event=event)}
    winner = Team.objects.filter(event=event, leader=ctx.finalists["pm"][0]).first()
    if not teams or winner is None or winner.name != "BlurCast":
        return
    services.judging_open(event=event, opened_by=None)
    criteria = list(Criterion.objects.filter(event=event))
    judges = [judge for judge in ctx.judges if judge.judging_assignments.filter(event=event).exists()]
    for index, judge in enumerate(judges):
        habit = JUDGE_HABITS[index % len(JUDGE_HABITS)]
        for assignment in judge.judging_assignments.filter(event=event).select_related("team"):
            quality = QUALITY.get(assignment.team.name, (4, 4, 4, 4, 4))
            for criterion, value in zip(criteria, quality, strict=False):
                services.score_save(
                    event=event,
                    judge=judge,
                    team_id=assignment.team_id,
                    criterion_id=criterion.pk,
                    value=max(criterion.scale_min, min(criterion.scale_max, value + habit)),
                    comment=COMMENTS.get(assignment.team.name, "") if criterion.key == "economics" else "",
                )
            services.scores_submit(event=event, judge=judge, team_id=assignment.team_id)
    services.judging_close(event=event, closed_by=None)
    services.awards_confirm(event=event, confirmed_by=None)
    services.results_publish(event=event, published_by=None)
    ctx.notes.append("Judging: five judges scored the nine teams; BlurCast won the grand prize; results published.")
