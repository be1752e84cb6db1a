from django.conf import settings

from hackathon.navigation import event_nav
from hackathon.permissions import roles_in_event


def event_navigation(request):
    """Puts the event menu in every page that set request.event (see hackathon.decorators.event_page)."""
    context = {"GITHUB_LOGIN_ENABLED": settings.GITHUB_LOGIN_ENABLED}
    event = getattr(request, "event", None)
    if event is None:
        return context
    roles = roles_in_event(request.user, event)
    context.update(
        {
            "event": event,
            "event_roles": roles,
            "event_nav": event_nav(event=event, user=request.user, roles=roles, current_path=request.path),
        }
    )
    return context
