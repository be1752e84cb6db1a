"""What hackathon shows on lower apps' pages (registered in HackathonConfig.ready())."""

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from hackathon.selectors import roles_of_user


def profile_roles(*, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
    """The profile page lists the person's roles in every event."""
    return {"roles": roles_of_user(request.user)}


def attention_item(event, *, key: str, count: int, text: str, url_name: str, next_label: str) -> dict[str, Any] | None:
    """One line of "needs attention now" on an organizer's or reviewer's home (page "hackathon:my_home_attention"):
    how many, what, and the event page where it is handled. None when there is nothing to do."""
    if not count:
        return None
    return {
        "key": key,
        "count": count,
        "text": text,
        "next_url": reverse(url_name, kwargs={"event_slug": event.slug}),
        "next_label": next_label,
    }
