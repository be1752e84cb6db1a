import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hackathon import texts

# Dates between 2000 and 2100 in any time zone (core.bounds); the timeline's order bounds the fields in between.
TIMELINE_DB_MIN = datetime(1999, 12, 31, 10, 0, tzinfo=UTC)
TIMELINE_DB_MAX = datetime(2101, 1, 1, 12, 0, tzinfo=UTC)


def validate_time_zone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


class Track(models.TextChoices):
    """The four roles a finalist competes in."""

    PM = "pm", _("Product manager")
    FRONTEND = "frontend", _("Frontend engineer")
    BACKEND = "backend", _("Backend engineer")
    AI = "ai", _("AI engineer")


class Phase(models.TextChoices):
    DRAFT = "draft", _("Not yet open")
    APPLICATIONS = "applications", _("Applications open")
    SCREENING = "screening", _("Screening")
    WAITING = "waiting", _("Finalists announced")
    TEAM_BUILDING = "team_building", _("Team building")
    HACKING = "hacking", _("Hacking")
    JUDGING = "judging", _("Judging")
    RESULTS_PENDING = "results_pending", _("Awaiting results")
    RESULTS = "results", _("Results published")


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    at: datetime


class Event(models.Model):
    """One hackathon and its timeline. All times are stored in UTC and shown in the event's time zone."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("short name"), max_length=80, unique=True, help_text=_("Used in the event's web address.")
    )
    time_zone = models.CharField(_("time zone"), max_length=64, default="Asia/Seoul", validators=[validate_time_zone])
    venue = models.CharField(_("venue"), max_length=200, blank=True)
    # The texts of the landing page, in Korean and English (hackathon.texts picks the visitor's, with a fallback).
    tagline_ko = models.CharField(_("tagline (Korean)"), max_length=texts.TAGLINE_MAX, blank=True)
    tagline_en = models.CharField(_("tagline (English)"), max_length=texts.TAGLINE_MAX, blank=True)
    description_ko = models.TextField(_("description (Korean)"), max_length=texts.DESCRIPTION_MAX, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=texts.DESCRIPTION_MAX, blank=True)
    prizes_ko = models.TextField(_("prizes (Korean)"), max_length=texts.PRIZES_MAX, blank=True)
    prizes_en = models.TextField(_("prizes (English)"), max_length=texts.PRIZES_MAX, blank=True)
    rules_ko = models.TextField(_("rules (Korean)"), max_length=texts.RULES_MAX, blank=True)
    rules_en = models.TextField(_("rules (English)"), max_length=texts.RULES_MAX, blank=True)
    faq_ko = models.TextField(_("FAQ (Korean)"), max_length=texts.FAQ_MAX, blank=True)
    faq_en = models.TextField(_("FAQ (English)"), max_length=texts.FAQ_MAX, blank=True)
    sponsors = models.TextField(
        _("sponsors"), max_length=texts.SPONSORS_MAX, blank=True, help_text=_("One name per line.")
    )
    is_published = models.BooleanField(_("published"), default=False, help_text=_("Visible to everyone."))

    applications_open_at = models.DateTimeField(_("applications open"))
    applications_close_at = models.DateTimeField(_("applications close"))
    screening_ends_at = models.DateTimeField(_("finalists announced"))
    team_building_starts_at = models.DateTimeField(_("team building starts"))
    team_building_minutes = models.PositiveSmallIntegerField(
        _("team building (minutes)"), default=settings.HACKNPU_DEFAULT_TEAM_BUILDING_MINUTES
    )
    hacking_starts_at = models.DateTimeField(_("hacking starts"))
    hacking_ends_at = models.DateTimeField(_("hacking ends"))
    judging_ends_at = models.DateTimeField(_("judging ends"))
    results_at = models.DateTimeField(_("results published"))

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-hacking_starts_at"]
        verbose_name = _("event")
        verbose_name_plural = _("events")
        constraints = [
            models.CheckConstraint(
                name="event_timeline_in_order",
                condition=Q(applications_open_at__lt=F("applications_close_at"))
                & Q(applications_close_at__lte=F("screening_ends_at"))
                & Q(screening_ends_at__lte=F("team_building_starts_at"))
                & Q(team_building_starts_at__lt=F("hacking_starts_at"))
                & Q(hacking_starts_at__lt=F("hacking_ends_at"))
                & Q(hacking_ends_at__lte=F("judging_ends_at"))
                & Q(judging_ends_at__lte=F("results_at")),
            ),
            models.CheckConstraint(
                name="event_team_building_minutes_positive", condition=Q(team_building_minutes__gt=0)
            ),
            # The last defence behind the forms and services (core.bounds): a date past year 9999 in UTC cannot be
            # read back, and would take down every page that lists the event.
            models.CheckConstraint(
                name="event_team_building_minutes_at_most_a_day", condition=Q(team_building_minutes__lte=24 * 60)
            ),
            models.CheckConstraint(
                name="event_timeline_within_range",
                condition=Q(applications_open_at__gte=TIMELINE_DB_MIN) & Q(results_at__lte=TIMELINE_DB_MAX),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def text(self, name: str, language: str | None = None) -> str:
        """The visitor's version of a bilingual text ("tagline", "description", ...), else the other language's."""
        return texts.pick_language(ko=getattr(self, f"{name}_ko"), en=getattr(self, f"{name}_en"), language=language)

    @property
    def tagline(self) -> str:
        return self.text("tagline")

    @property
    def description(self) -> str:
        return self.text("description")

    @property
    def prizes(self) -> str:
        return self.text("prizes")

    @property
    def rules(self) -> str:
        return self.text("rules")

    @property
    def faq(self) -> list[texts.FaqItem]:
        return texts.parse_faq(self.text("faq"))

    @property
    def sponsor_names(self) -> list[str]:
        return texts.parse_sponsors(self.sponsors)

    @property
    def tz(self) -> zoneinfo.ZoneInfo:
        return zoneinfo.ZoneInfo(self.time_zone)

    @property
    def hacking_hours(self) -> int | float:
        """How long hacking lasts, in hours: whole when it is whole (36), else to a tenth (36.5)."""
        hours = round((self.hacking_ends_at - self.hacking_starts_at).total_seconds() / 3600, 1)
        return int(hours) if hours.is_integer() else hours

    @property
    def team_building_ends_at(self) -> datetime:
        return self.team_building_starts_at + timedelta(minutes=self.team_building_minutes)

    def milestones(self) -> list[Milestone]:
        """The timeline in order; each milestone starts the phase named by its key."""
        return [
            Milestone(Phase.APPLICATIONS, _("Applications open"), self.applications_open_at),
            Milestone(Phase.SCREENING, _("Applications close"), self.applications_close_at),
            Milestone(Phase.WAITING, _("Finalists announced"), self.screening_ends_at),
            Milestone(Phase.TEAM_BUILDING, _("Team building starts"), self.team_building_starts_at),
            Milestone(Phase.HACKING + "_gap", _("Team building ends"), self.team_building_ends_at),
            Milestone(Phase.HACKING, _("Hacking starts"), self.hacking_starts_at),
            Milestone(Phase.JUDGING, _("Hacking ends"), self.hacking_ends_at),
            Milestone(Phase.RESULTS_PENDING, _("Judging ends"), self.judging_ends_at),
            Milestone(Phase.RESULTS, _("Results published"), self.results_at),
        ]

    def phase_at(self, now: datetime | None = None) -> Phase:
        now = now or timezone.now()
        phase = Phase.DRAFT
        for milestone in self.milestones():
            if now < milestone.at:
                break
            # Between the end of team building and the start of hacking, teams are waiting to start.
            phase = Phase.WAITING if milestone.key == Phase.HACKING + "_gap" else Phase(milestone.key)
        return phase

    @property
    def phase(self) -> Phase:
        return self.phase_at()

    def next_milestone(self, now: datetime | None = None) -> Milestone | None:
        now = now or timezone.now()
        return next((m for m in self.milestones() if m.at > now), None)

    def applications_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.applications_open_at <= now < self.applications_close_at

    def team_building_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.team_building_starts_at <= now < self.team_building_ends_at

    def hacking_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.hacking_starts_at <= now < self.hacking_ends_at


class EventRole(models.Model):
    """What one person is in one event. A person may hold several roles, in one event or many."""

    class Role(models.TextChoices):
        PARTICIPANT = "participant", _("Participant")
        MENTOR = "mentor", _("Mentor")
        JUDGE = "judge", _("Judge")
        REVIEWER = "reviewer", _("Application reviewer")
        ORGANIZER = "organizer", _("Organizer")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="roles", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="event_roles", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    track = models.CharField(_("track"), max_length=16, choices=Track.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("event role")
        verbose_name_plural = _("event roles")
        constraints = [
            models.UniqueConstraint(fields=["event", "user", "role"], name="eventrole_unique_per_event"),
            # A participant (finalist) always has a track; nobody else has one.
            models.CheckConstraint(
                name="eventrole_track_iff_participant",
                condition=(Q(role="participant") & ~Q(track="")) | (~Q(role="participant") & Q(track="")),
            ),
        ]
        indexes = [models.Index(fields=["event", "role", "track"])]

    def __str__(self) -> str:
        label = self.get_role_display()
        if self.track:
            label = f"{label} ({self.get_track_display()})"
        return f"{self.user} · {label} · {self.event.slug}"


class AuditEntry(models.Model):
    """Who changed what, written in the same transaction as the change."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="audit_entries", null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.CharField(max_length=64, blank=True)
    target_id = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.target_type}#{self.target_id}"
