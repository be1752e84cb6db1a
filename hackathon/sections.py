"""What hackathon shows on lower apps' pages (registered in HackathonConfig.ready())."""

from typing import Any

from django.http import HttpRequest

from hackathon.selectors import roles_of_user


def profile_roles(*, request: HttpRequest, **kwargs: Any) -> dict[str, Any]:
    """The profile page lists the person's roles in every event."""
    return {"roles": roles_of_user(request.user)}
