from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from core.sections import person_event_ids
from hackathon.models import Event, EventRole
from hackathon.permissions import event_visible_to


def events_visible_to(user: User | AnonymousUser) -> QuerySet[Event]:
    if user.is_authenticated:
        return Event.objects.filter(Q(is_published=True) | Q(roles__user=user)).distinct()
    return Event.objects.filter(is_published=True)


def event_get_visible(*, user: User | AnonymousUser, slug: str) -> Event:
    """The event at this slug, or 404 if it does not exist or the person may not see it yet."""
    event = Event.objects.filter(slug=slug).first()
    if event is None or not event_visible_to(user, event):
        raise Http404
    return event


def roles_of_user(user: User | AnonymousUser) -> list[EventRole]:
    if not user.is_authenticated:
        return []
    return list(EventRole.objects.filter(user=user).select_related("event").order_by("event__name", "role"))


def event_people(*, event: Event, role: str | None = None) -> QuerySet[EventRole]:
    roles = EventRole.objects.filter(event=event).select_related("user").order_by("role", "track", "user__email")
    if role:
        roles = roles.filter(role=role)
    return roles


def event_role_counts(*, event: Event) -> dict[str, dict[str, int]]:
    counts = dict.fromkeys(EventRole.Role.values, 0)
    tracks: dict[str, int] = {}
    for role, track in EventRole.objects.filter(event=event).values_list("role", "track"):
        counts[role] += 1
        if track:
            tracks[track] = tracks.get(track, 0) + 1
    return {"roles": counts, "tracks": tracks}


def events_of_person(*, user: User | AnonymousUser) -> list[Event]:
    """The events the person takes part in: a role, or what an upper app says (an application), nearest first.

    Nearest: events whose timeline (applications open → results) includes now, then by how far now is from it.
    One query, plus one per app registered in core.sections.person_events_register.
    """
    if not user.is_authenticated:
        return []
    ids = person_event_ids(user)
    events = list(Event.objects.filter(Q(roles__user=user) | Q(pk__in=ids, is_published=True)).distinct())
    now = timezone.now()

    def distance(event: Event) -> tuple[float, str]:
        if event.applications_open_at <= now <= event.results_at:
            return (0.0, event.slug)
        gap = min(abs(now - event.applications_open_at), abs(now - event.results_at))
        return (gap.total_seconds(), event.slug)

    return sorted(events, key=distance)


def open_events(*, now: datetime | None = None) -> QuerySet[Event]:
    """Published events whose applications are open now, closing soonest first."""
    now = now or timezone.now()
    return Event.objects.filter(
        is_published=True, applications_open_at__lte=now, applications_close_at__gt=now
    ).order_by("applications_close_at", "pk")
