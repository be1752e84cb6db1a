"""Reads for mentoring's pages and API, scoped to the person asking. A read never writes."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Avg, Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import get_language

from accounts.models import User
from hackathon.models import Event
from hackathon.permissions import is_mentor, is_organizer
from mentoring import stats
from mentoring.models import (
    Booking,
    Expertise,
    HelpRequest,
    MentoringSettings,
    MentorProfile,
    MentorShift,
    MentorSlot,
    TeamCalendar,
)
from npu_jobs.models import ModelQuantization, NpuJob
from teams.models import Team, TeamMembership
from teams.selectors import team_of_user

Person = User | AnonymousUser
FAILED_STATES = ("failed", "timed_out", "no_worker")


def mentoring_settings_of(event: Event) -> MentoringSettings:
    """The event's rules; unsaved defaults until an organizer changes one."""
    return MentoringSettings.objects.filter(event=event).first() or MentoringSettings(event=event)


def mentor_profile_of(*, user: Person, event: Event) -> MentorProfile | None:
    if not user.is_authenticated:
        return None
    return MentorProfile.objects.filter(event=event, user=user).select_related("user").first()


def mentor_profiles_of_event(*, event: Event) -> QuerySet[MentorProfile]:
    return MentorProfile.objects.filter(event=event).select_related("user")


def mentors_on_shift(*, event: Event) -> QuerySet[MentorProfile]:
    return mentor_profiles_of_event(event=event).filter(shifts__ended_at__isnull=True)


def mentor_is_on_shift(profile: MentorProfile) -> bool:
    return MentorShift.objects.filter(mentor=profile, ended_at__isnull=True).exists()


# --- slots and bookings ---------------------------------------------------------------------------

ACTIVE_BOOKING = ~Q(state=Booking.State.CANCELLED)


def _active_bookings() -> Prefetch:
    return Prefetch(
        "bookings", queryset=Booking.objects.filter(ACTIVE_BOOKING).select_related("team"), to_attr="active_bookings"
    )


def slots_of_event(*, event: Event, upcoming_only: bool = True, now: datetime | None = None) -> QuerySet[MentorSlot]:
    """Every slot with its mentor and its active booking (as slot.active_bookings): three queries."""
    slots = MentorSlot.objects.filter(event=event).select_related("mentor__user").prefetch_related(_active_bookings())
    if upcoming_only:
        slots = slots.filter(starts_at__gt=now or timezone.now())
    return slots.order_by("starts_at", "id")


def slots_of_mentor(*, profile: MentorProfile) -> QuerySet[MentorSlot]:
    return (
        MentorSlot.objects.filter(mentor=profile)
        .select_related("mentor__user")
        .prefetch_related(_active_bookings())
        .order_by("starts_at")
    )


def bookings_of_team(*, team: Team) -> QuerySet[Booking]:
    return Booking.objects.filter(team=team).select_related("slot__mentor__user", "team").order_by("slot__starts_at")


def sessions_used(*, team: Team) -> int:
    return Booking.objects.filter(team=team).filter(ACTIVE_BOOKING).count()


def bookings_visible_to(*, user: Person, event: Event) -> QuerySet[Booking]:
    """Organizers: all. A mentor: bookings of their slots. A team member: their team's bookings."""
    bookings = Booking.objects.filter(event=event).select_related("slot__mentor__user", "team", "booked_by")
    if not user.is_authenticated:
        return bookings.none()
    if is_organizer(user, event):
        return bookings
    team = team_of_user(user=user, event=event)
    mine = Q(slot__mentor__user=user)
    if team is not None:
        mine |= Q(team=team)
    return bookings.filter(mine)


def booking_get_visible(*, user: Person, event: Event, booking_id: int) -> Booking | None:
    return bookings_visible_to(user=user, event=event).filter(pk=booking_id).first()


@dataclass
class Session:
    """A booking as the mentor's day shows it: the team's pitch, members and recent NPU work, failures first."""

    booking: Booking
    members: list[TeamMembership]
    recent_work: list[NpuJob | ModelQuantization] = field(default_factory=list)


def recent_work_of_team(*, team: Team, limit: int = 5) -> list[NpuJob | ModelQuantization]:
    """The team's latest jobs and quantizations, failed ones first, then the newest."""
    jobs = list(NpuJob.objects.filter(team=team).select_related("model").order_by("-created_at")[:limit])
    quantizations = list(
        ModelQuantization.objects.filter(team=team).select_related("source").order_by("-created_at")[:limit]
    )
    work: list[NpuJob | ModelQuantization] = [*jobs, *quantizations]
    work.sort(key=lambda item: (item.state not in FAILED_STATES, -item.created_at.timestamp()))
    return work[:limit]


def sessions_of_mentor(*, profile: MentorProfile, since: datetime | None = None) -> list[Session]:
    """The mentor's sessions from `since` (default: the start of today in the event's time zone)."""
    if since is None:
        local = timezone.localtime(timezone.now(), profile.event.tz)
        since = local.replace(hour=0, minute=0, second=0, microsecond=0)
    bookings = list(
        Booking.objects.filter(slot__mentor=profile, slot__starts_at__gte=since)
        .filter(ACTIVE_BOOKING)
        .select_related("slot", "team", "booked_by")
        .prefetch_related(
            Prefetch(
                "team__memberships",
                queryset=TeamMembership.objects.select_related("user").order_by("joined_at"),
            )
        )
        .order_by("slot__starts_at")
    )
    return [
        Session(
            booking=booking,
            members=list(booking.team.memberships.all()),
            recent_work=recent_work_of_team(team=booking.team),
        )
        for booking in bookings
    ]


def failed_work_of_team(*, team: Team, limit: int = 10) -> list[NpuJob | ModelQuantization]:
    """What a team can attach to a help request with one click: its latest failed jobs and quantizations."""
    jobs = list(
        NpuJob.objects.filter(team=team, state__in=FAILED_STATES)
        .select_related("model")
        .order_by("-created_at")[:limit]
    )
    quantizations = list(
        ModelQuantization.objects.filter(team=team, state__in=FAILED_STATES)
        .select_related("source")
        .order_by("-created_at")[:limit]
    )
    work: list[NpuJob | ModelQuantization] = [*jobs, *quantizations]
    work.sort(key=lambda item: -item.created_at.timestamp())
    return work[:limit]


def teams_without_session(*, event: Event) -> QuerySet[Team]:
    used = Booking.objects.filter(event=event, state__in=[Booking.State.DONE]).values("team_id")
    return (
        Team.objects.filter(event=event)
        .exclude(pk__in=used)
        .annotate(booked=Count("mentor_bookings", filter=Q(mentor_bookings__state=Booking.State.BOOKED)))
    )


def mentor_load(*, event: Event) -> QuerySet[MentorProfile]:
    """Per mentor: slots, booked sessions, done, no-shows, requests helped and average rating."""
    return mentor_profiles_of_event(event=event).annotate(
        slot_count=Count("slots", distinct=True),
        booked_count=Count("slots__bookings", filter=Q(slots__bookings__state=Booking.State.BOOKED), distinct=True),
        done_count=Count("slots__bookings", filter=Q(slots__bookings__state=Booking.State.DONE), distinct=True),
        no_show_count=Count("slots__bookings", filter=Q(slots__bookings__state=Booking.State.NO_SHOW), distinct=True),
    )


# --- the live queue -------------------------------------------------------------------------------


def open_requests(*, event: Event) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.filter(event=event, state=HelpRequest.State.OPEN)
        .select_related("team", "raised_by", "job__model", "quantization__source")
        .order_by("created_at", "id")
    )


def queue_for_mentor(*, profile: MentorProfile, all_topics: bool = False) -> list[HelpRequest]:
    """Open requests that match the mentor's tags (all of them with all_topics), oldest first."""
    requests = open_requests(event=profile.event)
    if not all_topics and profile.tags:
        requests = requests.filter(topic__in=profile.tags)
    return list(requests)


def claim_of_mentor(*, user: User, event: Event) -> HelpRequest | None:
    return (
        HelpRequest.objects.filter(event=event, claimed_by=user, state=HelpRequest.State.CLAIMED)
        .select_related("team", "raised_by", "job__model", "quantization__source")
        .first()
    )


def help_requests_of_team(*, team: Team, limit: int = 10) -> QuerySet[HelpRequest]:
    return (
        HelpRequest.objects.filter(team=team)
        .select_related("claimed_by", "helped_by", "job__model", "quantization__source")
        .order_by("-created_at")[:limit]
    )


def help_requests_visible_to(*, user: Person, event: Event) -> QuerySet[HelpRequest]:
    """Organizers and mentors: every request of the event. A team member: their team's."""
    requests = HelpRequest.objects.filter(event=event).select_related(
        "team", "raised_by", "claimed_by", "helped_by", "job__model", "quantization__source"
    )
    if not user.is_authenticated:
        return requests.none()
    if is_organizer(user, event) or is_mentor(user, event):
        return requests
    team = team_of_user(user=user, event=event)
    return requests.filter(team=team) if team else requests.none()


def handling_minutes_recent(*, event: Event, now: datetime) -> list[float]:
    """claimed_at → closed_at, in minutes, of the last stats.RECENT_CLOSED requests closed in stats.RECENT_WINDOW."""
    rows = (
        HelpRequest.objects.filter(
            event=event,
            state=HelpRequest.State.CLOSED,
            closed_at__gte=now - stats.RECENT_WINDOW,
            claimed_at__isnull=False,
        )
        .order_by("-closed_at")
        .values_list("claimed_at", "closed_at")[: stats.RECENT_CLOSED]
    )
    return [(closed - claimed).total_seconds() / 60 for claimed, closed in rows if claimed and closed]


@dataclass
class QueueStatus:
    """What a team sees of the live queue."""

    request: HelpRequest | None
    position: int | None  # 1 = next; None unless the request is open
    expected_wait_minutes: int | None
    mentors_on_shift: int
    open_count: int


def queue_status_of_team(*, team: Team, now: datetime | None = None) -> QueueStatus:
    now = now or timezone.now()
    request = (
        HelpRequest.objects.filter(team=team, state__in=HelpRequest.LIVE_STATES)
        .select_related("claimed_by", "job__model", "quantization__source")
        .first()
    )
    on_shift = MentorShift.objects.filter(event_id=team.event_id, ended_at__isnull=True).count()
    open_requests_ = HelpRequest.objects.filter(event_id=team.event_id, state=HelpRequest.State.OPEN)
    open_count = open_requests_.count()
    position = None
    wait = None
    if request is not None and request.state == HelpRequest.State.OPEN:
        position = (
            open_requests_.filter(
                Q(created_at__lt=request.created_at) | Q(created_at=request.created_at, pk__lt=request.pk)
            ).count()
            + 1
        )
        wait = stats.expected_wait_minutes(
            position=position,
            mentors_on_shift=on_shift,
            handling_minutes=handling_minutes_recent(event=team.event, now=now),
        )
    return QueueStatus(
        request=request, position=position, expected_wait_minutes=wait, mentors_on_shift=on_shift, open_count=open_count
    )


def _state(*parts: object) -> str:
    import hashlib

    return hashlib.sha1(repr(parts).encode(), usedforsecurity=False).hexdigest()[:16]


def queue_version(*, event: Event, user: Person) -> str:
    """Changes whenever the queue, a booking or a shift of the event changes: polls answer 204 when it does not."""
    requests = HelpRequest.objects.filter(event=event).aggregate(n=Count("id"), changed=Max("updated_at"))
    bookings = Booking.objects.filter(event=event).aggregate(n=Count("id"), changed=Max("updated_at"))
    shifts = MentorShift.objects.filter(event=event).aggregate(
        n=Count("id"), open=Count("id", filter=Q(ended_at__isnull=True))
    )
    slots = MentorSlot.objects.filter(event=event).aggregate(n=Count("id"), last=Max("id"))
    return _state(user.pk, get_language(), requests, bookings, shifts, slots)


# --- organizers' figures --------------------------------------------------------------------------


@dataclass
class QueueFigures:
    total: int
    by_state: dict[str, int]
    claim_median: float | None
    claim_p90: float | None
    close_median: float | None
    close_p90: float | None
    heat_hours: list[str]  # "MM-DD HH:00" in the event's time zone
    heat_topics: list[tuple[str, str]]
    heat: dict[str, dict[str, int]]  # hour -> topic -> requests
    mentors_per_hour: dict[str, int]
    ratings: list[dict[str, Any]]

    @property
    def heat_rows(self) -> list[tuple[str, list[int], int]]:
        """(hour, requests per topic in heat_topics' order, mentors on shift) for a table."""
        return [
            (hour, [self.heat[hour].get(topic, 0) for topic, _label in self.heat_topics], self.mentors_per_hour[hour])
            for hour in self.heat_hours
        ]


def queue_figures(*, event: Event) -> QueueFigures:
    """Minutes to claim (created → claimed) and to close (claimed → closed), requests per topic per hour (in the
    event's time zone) against the mentors on shift in that hour, and ratings per mentor."""
    rows = list(
        HelpRequest.objects.filter(event=event).values_list("state", "topic", "created_at", "claimed_at", "closed_at")
    )
    to_claim = [(claimed - created).total_seconds() / 60 for _s, _t, created, claimed, _c in rows if claimed]
    to_close = [
        (closed - claimed).total_seconds() / 60
        for state, _t, _cr, claimed, closed in rows
        if state == HelpRequest.State.CLOSED and claimed and closed
    ]
    by_state: dict[str, int] = defaultdict(int)
    heat: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    hour_starts: dict[str, datetime] = {}
    for state, topic, created, _claimed, _closed in rows:
        by_state[state] += 1
        local = timezone.localtime(created, event.tz).replace(minute=0, second=0, microsecond=0)
        label = f"{local:%m-%d %H}:00"
        hour_starts[label] = local
        heat[label][topic] += 1
    shifts = list(MentorShift.objects.filter(event=event).values_list("started_at", "ended_at"))
    now = timezone.now()
    mentors_per_hour = {}
    for label, start in hour_starts.items():
        end = start + timedelta(hours=1)
        mentors_per_hour[label] = sum(1 for s, e in shifts if s < end and (e or now) > start)
    hours = sorted(hour_starts, key=lambda label: hour_starts[label])
    topics = [(value, str(label)) for value, label in Expertise.choices if any(heat[h].get(value) for h in hours)]
    ratings = list(
        HelpRequest.objects.filter(event=event, rating__isnull=False, helped_by__isnull=False)
        .values("helped_by__name", "helped_by__email")
        .annotate(average=Avg("rating"), count=Count("id"))
        .order_by("-average", "helped_by__email")
    )
    return QueueFigures(
        total=len(rows),
        by_state=dict(by_state),
        claim_median=stats.median(to_claim),
        claim_p90=stats.percentile(to_claim, 0.9),
        close_median=stats.median(to_close),
        close_p90=stats.percentile(to_close, 0.9),
        heat_hours=hours,
        heat_topics=topics,
        heat={h: dict(heat[h]) for h in hours},
        mentors_per_hour=mentors_per_hour,
        ratings=[dict(row) for row in ratings],
    )


# --- calendars ------------------------------------------------------------------------------------


def mentor_by_calendar_token(token: str) -> MentorProfile | None:
    return MentorProfile.objects.filter(calendar_token=token).select_related("event", "user").first() if token else None


def team_by_calendar_token(token: str) -> Team | None:
    calendar = TeamCalendar.objects.filter(token=token).select_related("team__event").first() if token else None
    return calendar.team if calendar else None


def team_calendar_of(*, team: Team) -> TeamCalendar | None:
    return TeamCalendar.objects.filter(team=team).first()


# --- the beat's work lists ------------------------------------------------------------------------


def claims_timed_out(*, now: datetime) -> list[int]:
    """Claimed requests past their event's claim timeout."""
    due = []
    for request_id, claimed_at, minutes in HelpRequest.objects.filter(state=HelpRequest.State.CLAIMED).values_list(
        "pk", "claimed_at", "event__mentoring_settings__claim_timeout_minutes"
    ):
        limit = minutes if minutes is not None else MentoringSettings._meta.get_field("claim_timeout_minutes").default
        if claimed_at is not None and claimed_at + timedelta(minutes=limit) <= now:
            due.append(request_id)
    return due


def requests_expired(*, now: datetime) -> list[int]:
    """Open requests that waited in the queue longer than their event's expiry time."""
    due = []
    for request_id, queued_at, minutes in HelpRequest.objects.filter(state=HelpRequest.State.OPEN).values_list(
        "pk", "queued_at", "event__mentoring_settings__request_expiry_minutes"
    ):
        limit = minutes if minutes is not None else MentoringSettings._meta.get_field("request_expiry_minutes").default
        if queued_at + timedelta(minutes=limit) <= now:
            due.append(request_id)
    return due


def bookings_to_remind(*, now: datetime) -> list[int]:
    """Booked sessions starting within their event's reminder time that were not reminded yet."""
    due = []
    for booking_id, starts_at, minutes in Booking.objects.filter(
        state=Booking.State.BOOKED, reminded_at__isnull=True, slot__starts_at__gt=now
    ).values_list("pk", "slot__starts_at", "event__mentoring_settings__reminder_minutes"):
        limit = minutes if minutes is not None else MentoringSettings._meta.get_field("reminder_minutes").default
        if starts_at - timedelta(minutes=limit) <= now:
            due.append(booking_id)
    return due


# --- the person's home ------------------------------------------------------------------------------


def day_bounds(event: Event, now: datetime) -> tuple[datetime, datetime]:
    """Today in the event's time zone, as [start, end)."""
    start = timezone.localtime(now, event.tz).replace(hour=0, minute=0, second=0, microsecond=0)
    return start, start + timedelta(days=1)


def bookings_of_mentor_today(*, profile: MentorProfile, now: datetime) -> list[Booking]:
    """The mentor's booked sessions today (event time zone), with their teams. One query."""
    start, end = day_bounds(profile.event, now)
    return list(
        Booking.objects.filter(slot__mentor=profile, slot__starts_at__gte=start, slot__starts_at__lt=end)
        .filter(ACTIVE_BOOKING)
        .select_related("slot", "team")
        .order_by("slot__starts_at", "id")
    )


def queue_count_for_mentor(*, profile: MentorProfile) -> int:
    """Open requests that match the mentor's tags (all of them without tags). One query."""
    requests = HelpRequest.objects.filter(event_id=profile.event_id, state=HelpRequest.State.OPEN)
    if profile.tags:
        requests = requests.filter(topic__in=profile.tags)
    return requests.count()


def next_booking_of_team(*, team: Team, now: datetime) -> Booking | None:
    """The team's next booked session that has not ended. One query."""
    return (
        Booking.objects.filter(team=team, state=Booking.State.BOOKED, slot__starts_at__gte=now - timedelta(hours=2))
        .select_related("slot__mentor__user")
        .order_by("slot__starts_at", "id")
        .first()
    )


def live_request_of_team(*, team: Team) -> HelpRequest | None:
    return HelpRequest.objects.filter(team=team, state__in=HelpRequest.LIVE_STATES).order_by("-created_at").first()


def open_requests_count(*, event: Event) -> int:
    return HelpRequest.objects.filter(event=event, state=HelpRequest.State.OPEN).count()
