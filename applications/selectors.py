"""Reads for pages and the API, scoped to the person asking."""

from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, F, Max, Q, QuerySet
from django.db.models.expressions import Combinable
from django.http import Http404

from accounts.models import User
from applications.models import (
    DEFAULT_TRACK_PLACES,
    Application,
    Review,
    SelectionSettings,
    TrackPlaces,
    decision_email_purpose,
)
from applications.permissions import REVIEWER_ROLES, is_reviewer
from core.models import OutboundEmail
from hackathon.models import Event, EventRole, Track
from hackathon.permissions import is_organizer

Status = Application.Status
Decision = Application.Decision

SORTS: dict[str, tuple[str | Combinable, ...]] = {
    "submitted": ("submitted_at", "id"),
    "-submitted": ("-submitted_at", "-id"),
    "score": (F("mean_score").asc(nulls_first=True), "id"),
    "-score": (F("mean_score").desc(nulls_last=True), "-review_count", "submitted_at", "id"),
    "reviews": ("review_count", "id"),
    "-reviews": ("-review_count", "id"),
    "name": ("user__name", "user__email", "id"),
}


def application_of_user(*, user: User | AnonymousUser, event: Event) -> Application | None:
    if not user.is_authenticated:
        return None
    return Application.objects.filter(event=event, user=user).select_related("event").first()


def waitlist_positions(*, event: Event, track: str | None = None) -> dict[int, int]:
    """{application id: 1-based position} among the waitlisted of each track."""
    queryset = Application.objects.filter(event=event, status=Status.WAITLISTED)
    if track:
        queryset = queryset.filter(track=track)
    positions: dict[int, int] = {}
    counters: dict[str, int] = {}
    for pk, app_track in queryset.order_by("track", "waitlist_rank", "id").values_list("pk", "track"):
        counters[app_track] = counters.get(app_track, 0) + 1
        positions[pk] = counters[app_track]
    return positions


def waitlist_position(application: Application) -> int | None:
    if application.status != Status.WAITLISTED:
        return None
    ahead = Application.objects.filter(
        event_id=application.event_id, track=application.track, status=Status.WAITLISTED
    ).filter(
        Q(waitlist_rank__lt=application.waitlist_rank)
        | Q(waitlist_rank=application.waitlist_rank, id__lt=application.pk)
    )
    return ahead.count() + 1


@dataclass
class ScreeningFilters:
    track: str = ""
    status: str = ""
    training: str = ""  # "yes" / "no" / ""
    min_score: float | None = None
    reviewed: str = ""  # "mine" (scored by me) / "not_mine" / ""
    q: str = ""
    sort: str = "submitted"


def screening_applications_visible_to(*, event: Event, user: User, filters: ScreeningFilters) -> QuerySet[Application]:
    """The screening list in one query: mean score, review count and the user's own score are annotated.

    Only reviewers and organizers of the event get rows; anyone else gets 404.
    """
    if not is_reviewer(user, event):
        raise Http404
    applications = (
        Application.objects.filter(event=event)
        .select_related("user")
        .annotate(
            mean_score=Avg("reviews__score"),
            review_count=Count("reviews"),
            my_score=Max("reviews__score", filter=Q(reviews__reviewer=user)),
        )
    )
    if filters.track in Track.values:
        applications = applications.filter(track=filters.track)
    if filters.status in Status.values:
        applications = applications.filter(status=filters.status)
    else:
        applications = applications.exclude(status=Status.WITHDRAWN)
    if filters.training == "yes":
        applications = applications.filter(sdk_training_completed=True)
    elif filters.training == "no":
        applications = applications.filter(sdk_training_completed=False)
    if filters.reviewed == "mine":
        applications = applications.filter(my_score__isnull=False)
    elif filters.reviewed == "not_mine":
        applications = applications.filter(my_score__isnull=True).exclude(user=user)
    # Filtering or sorting by others' scores would reveal them: organizers only.
    if is_organizer(user, event):
        if filters.min_score is not None:
            applications = applications.filter(mean_score__gte=filters.min_score)
        order = SORTS.get(filters.sort, SORTS["submitted"])
    else:
        order = SORTS[filters.sort if filters.sort in ("submitted", "-submitted", "name") else "submitted"]
    if filters.q:
        q = filters.q.strip()
        applications = applications.filter(
            Q(user__name__icontains=q) | Q(user__email__icontains=q) | Q(skills__icontains=q)
        )
    return applications.order_by(*order)


def application_review_get_visible(*, event: Event, user: User, application_id: int) -> dict[str, Any]:
    """One application for a reviewer. Others' scores stay hidden until the user has scored it (blind review)."""
    if not is_reviewer(user, event):
        raise Http404
    application = Application.objects.filter(event=event, pk=application_id).select_related("user").first()
    if application is None:
        raise Http404
    reviews = list(Review.objects.filter(application=application).select_related("reviewer"))
    mine = next((r for r in reviews if r.reviewer_id == user.pk), None)
    others_visible = mine is not None
    others = [r for r in reviews if r.reviewer_id != user.pk] if others_visible else None
    mean = sum(r.score for r in reviews) / len(reviews) if reviews and others_visible else None
    return {
        "application": application,
        "my_review": mine,
        "other_reviews": others,
        "others_visible": others_visible,
        "hidden_review_count": 0 if others_visible else len(reviews) - (1 if mine else 0),
        "mean_score": mean,
        "review_count": len(reviews),
    }


def reviewer_progress(*, event: Event) -> list[dict[str, Any]]:
    """Per reviewer: how many of the event's reviewable applications they have scored. Two queries."""
    total = Application.objects.filter(event=event).exclude(status=Status.WITHDRAWN).count()
    reviewers = (
        User.objects.filter(event_roles__event=event, event_roles__role__in=REVIEWER_ROLES)
        .distinct()
        .annotate(
            reviewed=Count(
                "application_reviews",
                filter=Q(application_reviews__application__event=event)
                & ~Q(application_reviews__application__status=Status.WITHDRAWN),
                distinct=True,
            ),
            mean_given=Avg("application_reviews__score", filter=Q(application_reviews__application__event=event)),
        )
        .order_by("-reviewed", "email")
    )
    return [
        {
            "reviewer": reviewer,
            "reviewed": reviewer.reviewed,
            "total": total,
            "percent": round(100 * reviewer.reviewed / total) if total else 0,
            "mean_given": reviewer.mean_given,
        }
        for reviewer in reviewers
    ]


def selection_settings_of_event(*, event: Event) -> SelectionSettings:
    """The event's selection settings; unsaved defaults until the first write creates them (a read never writes)."""
    return SelectionSettings.objects.filter(event=event).first() or SelectionSettings(event=event)


def selection_board_visible_to(*, event: Event, user: User) -> dict[str, Any]:
    """Per track: its places, places held, the proposed/accepted list and the ranked waitlist."""
    if not is_organizer(user, event):
        raise Http404
    selection = selection_settings_of_event(event=event)
    places = {row.track: row.places for row in TrackPlaces.objects.filter(event=event)}
    rows = list(
        Application.objects.filter(event=event)
        .filter(
            Q(status__in=Application.OPEN_STATUSES, decision__in=[Decision.ACCEPT, Decision.WAITLIST])
            | Q(status__in=[Status.ACCEPTED, Status.CONFIRMED, Status.WAITLISTED])
        )
        .select_related("user")
        .annotate(mean_score=Avg("reviews__score"), review_count=Count("reviews"))
        .order_by(
            "track", "waitlist_rank", F("mean_score").desc(nulls_last=True), "-review_count", "submitted_at", "id"
        )
    )
    counts = {
        (row["track"], row["status"], row["decision"]): row["n"]
        for row in Application.objects.filter(event=event).values("track", "status", "decision").annotate(n=Count("id"))
    }
    tracks = []
    for track in Track:
        in_track = [a for a in rows if a.track == track.value]
        held = [a for a in in_track if a.status in Application.PLACE_STATUSES]
        proposed = [a for a in in_track if a.is_open and a.decision == Decision.ACCEPT]
        waitlist = [
            a for a in in_track if a.status == Status.WAITLISTED or (a.is_open and a.decision == Decision.WAITLIST)
        ]
        waitlist.sort(key=lambda a: (a.waitlist_rank or 0, a.pk))
        tracks.append(
            {
                "track": track,
                "places": places.get(track.value, DEFAULT_TRACK_PLACES),
                "held": held,
                "proposed": proposed,
                "filled": len(held) + len(proposed),
                "waitlist": waitlist,
                "open_count": sum(
                    n for (t, s, _d), n in counts.items() if t == track.value and s in Application.OPEN_STATUSES
                ),
                "undecided": sum(
                    n
                    for (t, s, d), n in counts.items()
                    if t == track.value and s in Application.OPEN_STATUSES and not d
                ),
                "confirmed": sum(1 for a in held if a.status == Status.CONFIRMED),
            }
        )
    return {
        "selection": selection,
        "tracks": tracks,
        "open_remaining": sum(t["open_count"] for t in tracks),
    }


def decision_email_stats(*, event: Event) -> dict[str, Any]:
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(event.pk))
    by_status = dict(emails.values_list("status").annotate(n=Count("id")))
    problems = list(
        emails.filter(status__in=[OutboundEmail.Status.RETRYING, OutboundEmail.Status.FAILED]).order_by("-created_at")[
            :20
        ]
    )
    return {
        "by_status": {s: by_status.get(s, 0) for s in OutboundEmail.Status.values},
        "total": sum(by_status.values()),
        "problems": problems,
    }


def checkin_counts(*, event: Event) -> list[dict[str, Any]]:
    """Per track: confirmed finalists and how many are checked in. One query."""
    counts: dict[str, tuple[int, int]] = {
        track: (confirmed, checked_in)
        for track, confirmed, checked_in in Application.objects.filter(event=event, status=Status.CONFIRMED)
        .values("track")
        .annotate(confirmed=Count("id"), checked_in=Count("id", filter=Q(checked_in_at__isnull=False)))
        .values_list("track", "confirmed", "checked_in")
    }
    return [
        {
            "track": track,
            "confirmed": counts.get(track.value, (0, 0))[0],
            "checked_in": counts.get(track.value, (0, 0))[1],
        }
        for track in Track
    ]


def checkin_finalists_visible_to(*, event: Event, user: User, q: str, limit: int = 20) -> list[Application]:
    if not is_organizer(user, event):
        raise Http404
    finalists = Application.objects.filter(event=event, status=Status.CONFIRMED).select_related("user")
    q = (q or "").strip()
    if q:
        finalists = finalists.filter(Q(user__name__icontains=q) | Q(user__email__icontains=q))
    return list(finalists.order_by("checked_in_at", "user__name")[:limit])


def reviewers_of_event(*, event: Event) -> QuerySet[EventRole]:
    return EventRole.objects.filter(event=event, role__in=REVIEWER_ROLES)


# --- the person's home ------------------------------------------------------------------------------


def event_ids_applied_to(user: User | AnonymousUser) -> list[int]:
    """The events the person has an application in (core.sections.person_events_register)."""
    if not user.is_authenticated:
        return []
    return list(Application.objects.filter(user=user).values_list("event_id", flat=True))


def applications_left_to_review(*, event: Event, user: User) -> int:
    """Open applications the reviewer has not scored yet. One query."""
    return (
        Application.objects.filter(event=event, status__in=Application.OPEN_STATUSES)
        .exclude(reviews__reviewer=user)
        .count()
    )
