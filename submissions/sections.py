"""What submissions shows on other apps' pages (registered in SubmissionsConfig.ready())."""

from typing import Any

from submissions import selectors


def judging_team(*, team, **kwargs: Any) -> dict[str, Any]:
    """judging.team: the team's judged version (frozen at the deadline), its files and measured evidence.

    Keyword context: `team` (required), plus whatever the page passes (`request`, `user`, ...), which is ignored.
    Judging's page has already decided that the caller may see the team.
    """
    version = selectors.judged_version_of_team(team)
    return {
        "team": team,
        "display": selectors.version_display(version) if version else None,
        "status": selectors.status_of_team(team),
    }
