"""What submissions shows on other apps' pages (registered in SubmissionsConfig.ready())."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hackathon.models import EventRole, Milestone
from hackathon.sections import attention_item
from submissions import selectors
from teams.selectors import team_of_user


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


def home_submission(*, request, event, roles: set[str], now, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: the team's submission and its deadline (the team's extension included)."""
    if EventRole.Role.PARTICIPANT not in roles:
        return None
    team = team_of_user(user=request.user, event=event)
    if team is None:
        return None
    status = selectors.status_of_team(team, now=now)
    texts = {
        "nothing": _("Nothing saved yet. Start your submission: the write-up, files and measured evidence."),
        "draft": _("Your draft is not submitted yet. Submit it before the deadline."),
        "submitted": _("Submitted. You can still change it and submit again until the deadline."),
        "locked": _("The deadline has passed. The judges see the version you submitted last."),
    }
    label = _("Submission deadline (extended)") if status.extension else _("Submission deadline")
    return {
        "event": event,
        "now": now,
        "status": status,
        "text": texts[status.state],
        "deadline": Milestone("submission", label, status.deadline),
        "next_url": reverse("submissions:team", kwargs={"event_slug": event.slug}),
        "next_label": _("Submit your work") if status.state in ("nothing", "draft") else _("See your submission"),
    }


def home_missing_submissions(*, event, roles: set[str], now, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): teams with nothing submitted, once hacking has started."""
    if EventRole.Role.ORGANIZER not in roles or now < event.hacking_starts_at:
        return None
    count = selectors.teams_without_submission_count(event=event)
    return attention_item(
        event,
        key="missing-submissions",
        count=count,
        text=_("teams have not submitted yet"),
        url_name="submissions:overview",
        next_label=_("See submissions"),
    )


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


def job_next_step(*, request, event, job, **kwargs: Any) -> dict[str, Any]:
    """npu_jobs:job_detail: once a team member's job has succeeded for real, the next step is to pin it as evidence
    in the team's submission (or it says where it is pinned already). Nothing after the deadline or for others."""
    if job.state != "succeeded" or job.simulated:
        return {}
    team = team_of_user(user=request.user, event=event)
    if team is None or team.pk != job.team_id:
        return {}
    status = selectors.status_of_team(team)
    if status.state == "locked":
        return {}
    return {
        "pinned_as": selectors.pin_roles_of_job(submission=status.submission, job_id=job.pk),
        "url": reverse("submissions:team", kwargs={"event_slug": event.slug}) + "#evidence-heading",
    }
