"""What submissions shows on other apps' pages (registered in SubmissionsConfig.ready())."""

from typing import Any

from django.urls import reverse

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


def judging_result(*, team, request=None, **kwargs: Any) -> dict[str, Any]:
    """judging.result: a winner's project on the public results page: the title and one-line summary of its judged
    version (the frozen text), and a link to the submission when the visitor may open it (team, staff, or everyone
    once the gallery is public). Nothing when the team has no judged version: the page then shows the team's idea."""
    version = selectors.judged_version_of_team(team)
    if version is None:
        return {}
    text = dict(version.frozen.get("text") or version.text()) if version.frozen else version.text()
    user = getattr(request, "user", None)
    visible = user is not None and selectors.submissions_visible_to(user=user, event=team.event).filter(team=team)
    return {
        "title": text.get("title") or "",
        "summary": text.get("summary") or "",
        "url": reverse("submissions:view", kwargs={"event_slug": team.event.slug, "team_id": team.pk})
        if visible and visible.exists()
        else "",
    }
