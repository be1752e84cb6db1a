from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event, Track

# Defaults for the model event: 10 finalists per track form nine or ten teams of four or five.
# One PM leads each team; with ten PMs and nine teams, the tenth PM joins a team as a second PM,
# so every track allows two per team.
DEFAULT_MIN_TEAM_SIZE = 4
DEFAULT_MAX_TEAM_SIZE = 5
DEFAULT_MAX_PER_TRACK = 2


class Team(models.Model):
    """A team in one event. Quotas, jobs, mentoring, submissions and scores all hang off this row.

    The team row is the lock for its membership: every change to who is in the team locks it first.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="teams", verbose_name=_("event"))
    name = models.CharField(_("name"), max_length=100)
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("leader"),
    )
    idea = models.TextField(_("idea"), max_length=2000, blank=True, help_text=_("What will you build?"))
    problem = models.TextField(_("problem it solves"), max_length=2000, blank=True)
    needs_pm = models.CharField(_("what we need from a PM"), max_length=300, blank=True)
    needs_frontend = models.CharField(_("what we need from a frontend engineer"), max_length=300, blank=True)
    needs_backend = models.CharField(_("what we need from a backend engineer"), max_length=300, blank=True)
    needs_ai = models.CharField(_("what we need from an AI engineer"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        constraints = [
            # Case-insensitive: "Blur Squad" and "blur squad" are one name on the board.
            models.UniqueConstraint(Lower("name"), "event", name="team_name_ci_unique_per_event"),
        ]

    def __str__(self) -> str:
        return self.name

    def needs_for(self, track: str) -> str:
        return getattr(self, f"needs_{track}", "")


class TeamMembership(models.Model):
    class Source(models.TextChoices):
        FOUNDED = "founded", _("Founded the team")
        JOIN_REQUEST = "join_request", _("Join request accepted")
        INVITATION = "invitation", _("Accepted an invitation")
        MOVED = "moved", _("Moved by an organizer")
        AUTO_MATCHED = "auto_matched", _("Placed by auto-matching")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("team"))
    # Copied from the team so the database itself can say "one team per person per event".
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="team_memberships", verbose_name=_("person")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    source = models.CharField(_("how they joined"), max_length=16, choices=Source.choices, blank=True)
    joined_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["joined_at"]
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="teammembership_one_team_per_event")]
        indexes = [models.Index(fields=["team", "track"])]

    def __str__(self) -> str:
        return f"{self.user} in {self.team}"


class TeamBuildingRound(models.Model):
    """Per-event rules and state of the team-building round; the event's timeline gives the default window.

    This row is the lock for the round's state (open, extended, matched, locked) and for team creation.
    """

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="team_round", verbose_name=_("event"))
    min_team_size = models.PositiveSmallIntegerField(_("minimum team size"), default=DEFAULT_MIN_TEAM_SIZE)
    max_team_size = models.PositiveSmallIntegerField(_("maximum team size"), default=DEFAULT_MAX_TEAM_SIZE)
    max_pm = models.PositiveSmallIntegerField(_("most PMs per team"), default=DEFAULT_MAX_PER_TRACK)
    max_frontend = models.PositiveSmallIntegerField(
        _("most frontend engineers per team"), default=DEFAULT_MAX_PER_TRACK
    )
    max_backend = models.PositiveSmallIntegerField(_("most backend engineers per team"), default=DEFAULT_MAX_PER_TRACK)
    max_ai = models.PositiveSmallIntegerField(_("most AI engineers per team"), default=DEFAULT_MAX_PER_TRACK)
    # Set when an organizer extends or reopens the round; otherwise the event's timeline decides.
    closes_at_override = models.DateTimeField(_("round closes (override)"), null=True, blank=True)
    locked_at = models.DateTimeField(_("teams locked"), null=True, blank=True)
    matching_attempted_at = models.DateTimeField(_("auto-matching last ran"), null=True, blank=True)
    matching_report = models.JSONField(_("auto-matching report"), default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("team-building round")
        verbose_name_plural = _("team-building rounds")
        constraints = [
            models.CheckConstraint(
                name="teamround_sizes_valid",
                condition=Q(min_team_size__gte=1) & Q(max_team_size__gte=F("min_team_size")),
            ),
            models.CheckConstraint(
                name="teamround_track_limits_positive",
                condition=Q(max_pm__gte=1) & Q(max_frontend__gte=1) & Q(max_backend__gte=1) & Q(max_ai__gte=1),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} team building"

    @property
    def starts_at(self) -> datetime:
        return self.event.team_building_starts_at

    @property
    def closes_at(self) -> datetime:
        return self.closes_at_override or self.event.team_building_ends_at

    def is_open(self, now: datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.locked_at is None and self.starts_at <= now < self.closes_at

    def has_started(self, now: datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.starts_at

    def matching_due(self, now: datetime | None = None) -> bool:
        """Past the deadline, not locked, and not yet tried since the deadline moved."""
        now = now or timezone.now()
        return (
            self.locked_at is None
            and now >= self.closes_at
            and (self.matching_attempted_at is None or self.matching_attempted_at < self.closes_at)
        )

    def max_for(self, track: str) -> int:
        return getattr(self, f"max_{track}")

    @property
    def track_limits(self) -> dict[str, int]:
        return {track: self.max_for(track) for track in Track.values}

    def extended_by(self) -> timedelta:
        return self.closes_at - self.event.team_building_ends_at


class Invite(models.Model):
    """Shared shape of a join request (person -> team) and an invitation (team -> person)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        DECLINED = "declined", _("Declined")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    class ClosedReason(models.TextChoices):
        """Why the system, not a person, cancelled it."""

        TEAM_FULL = "team_full", _("The team is full.")
        ROLE_FULL = "role_full", _("The team has no open slot left for this role.")
        JOINED_ANOTHER_TEAM = "joined_another_team", _("Joined another team.")

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="+", verbose_name=_("team"))
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    message = models.CharField(_("message"), max_length=500, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    closed_reason = models.CharField(_("why it was closed"), max_length=32, choices=ClosedReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["created_at", "id"]

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class JoinRequest(Invite):
    """A participant asks to join a team; the team's leader accepts or declines."""

    class Meta(Invite.Meta):
        verbose_name = _("join request")
        verbose_name_plural = _("join requests")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(status="pending"), name="joinrequest_one_pending_per_team"
            )
        ]
        indexes = [models.Index(fields=["event", "user", "status"]), models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.user} -> {self.team} ({self.status})"


class Invitation(Invite):
    """A team's leader invites a participant; the participant accepts or declines."""

    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )

    class Meta(Invite.Meta):
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"], condition=Q(status="pending"), name="invitation_one_pending_per_team"
            )
        ]
        indexes = [models.Index(fields=["event", "user", "status"]), models.Index(fields=["team", "status"])]

    def __str__(self) -> str:
        return f"{self.team} -> {self.user} ({self.status})"


class Placement(models.Model):
    """Why auto-matching put a person in a team: readable by organizers and by the person placed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="placements", verbose_name=_("team"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("person")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    # What the planner saw when it chose: see teams.matching.Placement.
    facts = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("auto-matching placement")
        verbose_name_plural = _("auto-matching placements")
        constraints = [models.UniqueConstraint(fields=["event", "user"], name="placement_one_per_person_per_event")]

    def __str__(self) -> str:
        return f"{self.user} -> {self.team}"

    def explanation(self) -> str:
        from teams.matching import explain

        return explain(self.facts, team_name=self.team.name, track=self.track)
