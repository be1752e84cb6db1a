"""What utilization shows on other apps' pages (registered in UtilizationConfig.ready())."""

from typing import Any

from utilization import selectors


def team_usage_section(*, team=None, event=None, **kwargs: Any) -> dict[str, Any]:
    """The team's jobs page: its own usage, queue waits and failures (the template reads usage and event)."""
    return {"usage": selectors.team_usage(team=team), "event": event}
