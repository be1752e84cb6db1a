"""What utilization shows on other apps' pages (registered in UtilizationConfig.ready())."""

from typing import Any

from django.utils.translation import gettext as _

from hackathon.models import EventRole
from hackathon.sections import attention_item
from utilization import selectors


def team_usage_section(*, team=None, event=None, **kwargs: Any) -> dict[str, Any]:
    """The team's jobs page: its own usage, queue waits and failures (the template reads usage and event)."""
    return {"usage": selectors.team_usage(team=team), "event": event}


def home_stale_workers(*, event=None, roles: set[str] = frozenset(), **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): workers seen today whose heartbeat went stale without a stop."""
    if EventRole.Role.ORGANIZER not in roles or event is None:
        return None
    count = selectors.stale_workers_count(event=event)
    return attention_item(
        event,
        key="stale-workers",
        count=count,
        text=_("workers stopped sending heartbeats"),
        url_name="utilization:dashboard",
        next_label=_("See utilization"),
    )
