"""What npu_jobs shows on other apps' pages (registered in NpuJobsConfig.ready())."""

from datetime import datetime, timedelta
from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hackathon.models import Event, EventRole
from hackathon.sections import attention_item
from npu_jobs import selectors
from teams.selectors import team_of_user

Role = EventRole.Role
FAILURE_WINDOW = timedelta(hours=24)


def home_compute(*, request, event: Event, roles: set[str], **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: the team's NPU and CPU time left and its latest jobs (team members only)."""
    if Role.PARTICIPANT not in roles:
        return None
    team = team_of_user(user=request.user, event=event)
    if team is None:
        return None
    jobs = selectors.latest_jobs_of_team(team=team)
    return {
        "event": event,
        "quota": selectors.quota_of_team(team=team),
        "jobs": jobs,
        "next_url": reverse("npu_jobs:job_submit", kwargs={"event_slug": event.slug}),
        "next_label": _("Run a job") if jobs else _("Run your first job"),
    }


def home_failing_jobs(*, event: Event, roles: set[str], now: datetime, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): jobs that failed in the last 24 hours."""
    if Role.ORGANIZER not in roles:
        return None
    count = selectors.failed_jobs_count(event=event, since=now - FAILURE_WINDOW)
    return attention_item(
        event,
        key="failing-jobs",
        count=count,
        text=_("jobs failed, timed out or found no worker in the last 24 hours"),
        url_name="npu_jobs:organizer_overview",
        next_label=_("See compute"),
    )
