"""Mentoring: mentors' profiles and slots, teams' bookings, and the live help queue.

The rules the database holds (see the constraints below): one active booking per slot, one claimed help request
per mentor, one live (open or claimed) request per team, slot lengths and ratings within bounds. The per-team
session limit is held by the team row's lock (mentoring.services.booking).
"""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from npu_jobs.models import ModelQuantization, NpuJob
from teams.models import Team

SLOT_MIN_MINUTES = 10
SLOT_MAX_MINUTES = 180


class Expertise(models.TextChoices):
    NPU_SDK = "npu_sdk", _("NPU SDK")
    QUANTIZATION = "quantization", _("Quantization")
    COMPILER = "compiler", _("Compiler")
    RUNTIME = "runtime", _("Runtime")
    VISION_MODELS = "vision_models", _("Vision models")
    FRONTEND = "frontend", _("Frontend")
    BACKEND = "backend", _("Backend")
    PRODUCT = "product", _("Product")
    OTHER = "other", _("Other")


def new_token() -> str:
    return secrets.token_urlsafe(24)


class MentoringSettings(models.Model):
    """Per-event rules; unsaved defaults (mentoring.selectors.mentoring_settings_of) until an organizer changes one."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="mentoring_settings")
    sessions_per_team = models.PositiveSmallIntegerField(_("sessions per team"), default=1)
    cancel_cutoff_minutes = models.PositiveSmallIntegerField(_("cancel up to (minutes before)"), default=30)
    claim_timeout_minutes = models.PositiveSmallIntegerField(
        _("a claim returns to the queue after (minutes)"), default=20
    )
    request_expiry_minutes = models.PositiveSmallIntegerField(
        _("unclaimed requests expire after (minutes)"), default=60
    )
    reminder_minutes = models.PositiveSmallIntegerField(_("remind before a session (minutes)"), default=15)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("mentoring settings")
        verbose_name_plural = _("mentoring settings")
        constraints = [
            models.CheckConstraint(
                name="mentoringsettings_bounds",
                condition=Q(sessions_per_team__gte=1, sessions_per_team__lte=20)
                & Q(cancel_cutoff_minutes__lte=1440)
                & Q(claim_timeout_minutes__gte=5, claim_timeout_minutes__lte=240)
                & Q(request_expiry_minutes__gte=5, request_expiry_minutes__lte=1440)
                & Q(reminder_minutes__gte=1, reminder_minutes__lte=1440),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event} mentoring"


class MentorProfile(models.Model):
    """A mentor in one event: what they know, and whether they are on shift for the live queue."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mentor_profiles")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mentor_profiles")
    tags = models.JSONField(_("expertise"), default=list, blank=True)
    bio = models.TextField(_("bio"), max_length=1000, blank=True)
    photo = models.ImageField(_("photo"), upload_to="mentors/", blank=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["user__name", "user__email"]
        verbose_name = _("mentor profile")
        verbose_name_plural = _("mentor profiles")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="mentorprofile_one_per_event")]

    def __str__(self) -> str:
        return f"{self.user} ({self.event.slug})"

    @property
    def initials(self) -> str:
        name = (self.user.name or self.user.email).strip()
        parts = name.split()
        if len(parts) >= 2:
            return (parts[0][0] + parts[-1][0]).upper()
        return name[:2].upper()

    def tag_labels(self) -> list[str]:
        return [str(Expertise(tag).label) for tag in self.tags if tag in Expertise.values]


class MentorShift(models.Model):
    """A stretch of time a mentor takes requests from the live queue (the queue figures count mentors on shift)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="shifts")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["mentor"], condition=Q(ended_at__isnull=True), name="mentorshift_one_open_per_mentor"
            ),
            models.CheckConstraint(
                name="mentorshift_ends_after_start",
                condition=Q(ended_at__isnull=True) | Q(ended_at__gte=F("started_at")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.mentor} from {self.started_at:%H:%M}"


class MentorSlot(models.Model):
    """A bookable time with a mentor."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="mentor_slots")
    mentor = models.ForeignKey(MentorProfile, on_delete=models.CASCADE, related_name="slots")
    starts_at = models.DateTimeField(_("starts"))
    length_minutes = models.PositiveSmallIntegerField(_("length (minutes)"), default=30)
    place = models.CharField(_("place"), max_length=200, blank=True)
    video_url = models.URLField(_("video link"), blank=True)
    topic = models.CharField(_("topic"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name = _("mentor slot")
        verbose_name_plural = _("mentor slots")
        constraints = [
            models.CheckConstraint(
                name="mentorslot_length_bounds",
                condition=Q(length_minutes__gte=SLOT_MIN_MINUTES, length_minutes__lte=SLOT_MAX_MINUTES),
            ),
            models.UniqueConstraint(fields=["mentor", "starts_at"], name="mentorslot_unique_start_per_mentor"),
        ]
        indexes = [models.Index(fields=["event", "starts_at"])]

    def __str__(self) -> str:
        return f"{self.mentor.user} {self.starts_at:%Y-%m-%d %H:%M}"

    @property
    def ends_at(self) -> datetime:
        return self.starts_at + timedelta(minutes=self.length_minutes)


class Booking(models.Model):
    class State(models.TextChoices):
        BOOKED = "booked", _("Booked")
        CANCELLED = "cancelled", _("Cancelled")
        NO_SHOW = "no_show", _("No-show")
        DONE = "done", _("Done")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    slot = models.ForeignKey(MentorSlot, on_delete=models.PROTECT, related_name="bookings")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="mentor_bookings")
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    note = models.CharField(_("what you need"), max_length=1000, blank=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.BOOKED)
    mentor_notes = models.TextField(_("mentor's notes"), max_length=4000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reminded_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["slot__starts_at", "id"]
        verbose_name = _("booking")
        verbose_name_plural = _("bookings")
        constraints = [
            # The last defence against a double booking: at most one booking per slot that is not cancelled.
            models.UniqueConstraint(
                fields=["slot"], condition=~Q(state="cancelled"), name="booking_one_active_per_slot"
            ),
            models.CheckConstraint(
                name="booking_cancelled_iff_cancelled_at",
                condition=(Q(state="cancelled") & Q(cancelled_at__isnull=False))
                | (~Q(state="cancelled") & Q(cancelled_at__isnull=True)),
            ),
        ]
        indexes = [models.Index(fields=["team", "state"])]

    def __str__(self) -> str:
        return f"{self.team} with {self.slot} ({self.state})"


class HelpRequest(models.Model):
    """A team's call for help in the live queue. Mentors pull: they claim one request at a time."""

    class State(models.TextChoices):
        OPEN = "open", _("Waiting")
        CLAIMED = "claimed", _("A mentor is coming")
        CLOSED = "closed", _("Closed")
        EXPIRED = "expired", _("Expired")
        CANCELLED = "cancelled", _("Cancelled")

    LIVE_STATES = (State.OPEN, State.CLAIMED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="help_requests")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    topic = models.CharField(_("topic"), max_length=16, choices=Expertise.choices)
    text = models.CharField(_("what is wrong"), max_length=500)
    job = models.ForeignKey(NpuJob, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    quantization = models.ForeignKey(
        ModelQuantization, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    # When it (re)entered the queue: creation, a release or a timed-out claim. Expiry counts from here.
    queued_at = models.DateTimeField()
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Who helped, kept after close (claimed_by is cleared on release; this is what a rating is for).
    helped_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        constraints = [
            models.UniqueConstraint(
                fields=["event", "claimed_by"], condition=Q(state="claimed"), name="helprequest_one_claim_per_mentor"
            ),
            models.UniqueConstraint(
                fields=["team"], condition=Q(state__in=["open", "claimed"]), name="helprequest_one_live_per_team"
            ),
            models.CheckConstraint(
                name="helprequest_claimed_has_mentor",
                condition=~Q(state="claimed") | (Q(claimed_by__isnull=False) & Q(claimed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="helprequest_rating_1_to_5", condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5)
            ),
            models.CheckConstraint(
                name="helprequest_one_attachment", condition=Q(job__isnull=True) | Q(quantization__isnull=True)
            ),
        ]
        indexes = [models.Index(fields=["event", "state", "created_at"])]

    def __str__(self) -> str:
        return f"{self.team}: {self.text[:40]} ({self.state})"

    @property
    def attachment(self) -> NpuJob | ModelQuantization | None:
        return self.job or self.quantization


class TeamCalendar(models.Model):
    """The secret of a team's private iCalendar feed (a mentor's is on their profile)."""

    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="mentoring_calendar")
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"calendar of {self.team}"
