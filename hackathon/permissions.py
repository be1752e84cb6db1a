"""Role checks. Each reads the roles once per (user, event) and caches them on the user object."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from rest_framework.permissions import BasePermission

from hackathon.models import Event, EventRole

Role = EventRole.Role


def roles_in_event(user, event: Event) -> set[str]:
    if not user or not user.is_authenticated:
        return set()
    cache = user.__dict__.setdefault("_event_roles_cache", {})
    if event.pk not in cache:
        cache[event.pk] = set(EventRole.objects.filter(event=event, user=user).values_list("role", flat=True))
    return cache[event.pk]


def forget_roles(user) -> None:
    user.__dict__.pop("_event_roles_cache", None)


def is_organizer(user, event: Event) -> bool:
    return Role.ORGANIZER in roles_in_event(user, event)


def check_organizer(user, event: Event, *, allow_system: bool = False) -> None:
    """Services: raise PermissionDenied unless `user` organizes the event.

    user=None is the system itself (demo data, beat tasks, selection); it passes only where the caller says
    allow_system=True, so a forgotten actor never slips through as "the system".
    """
    if user is None:
        if allow_system:
            return
        raise PermissionDenied
    if not is_organizer(user, event):
        raise PermissionDenied


def is_judge(user, event: Event) -> bool:
    return Role.JUDGE in roles_in_event(user, event)


def is_mentor(user, event: Event) -> bool:
    return Role.MENTOR in roles_in_event(user, event)


def is_participant(user, event: Event) -> bool:
    return Role.PARTICIPANT in roles_in_event(user, event)


def participant_track(user, event: Event) -> str:
    if not user.is_authenticated:
        return ""
    return (
        EventRole.objects.filter(event=event, user=user, role=Role.PARTICIPANT).values_list("track", flat=True).first()
        or ""
    )


def event_visible_to(user, event: Event) -> bool:
    return event.is_published or bool(roles_in_event(user, event))


def check_event_role(user, event: Event, *roles: str) -> None:
    """Raise 404 rather than 403, so that an outsider cannot tell a page from a missing one."""
    if not roles_in_event(user, event) & set(roles):
        raise Http404


class EventRolePermission(BasePermission):
    """DRF: the view sets `event_roles = (...)`; the caller must hold one of them in the URL's event."""

    def has_permission(self, request, view) -> bool:
        if not request.user or not request.user.is_authenticated:
            return False  # 401/403: sign in first
        event = view.get_event() if hasattr(view, "get_event") else None
        if event is None:
            return False
        allowed = set(getattr(view, "event_roles", ()))
        if not roles_in_event(request.user, event) & allowed:
            raise Http404
        return True
