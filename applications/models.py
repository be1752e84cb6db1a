"""Registration and finalist selection: applications, blind reviews, the places of each track and the waitlist.

"Places" are how many finalists a track takes (TrackPlaces). "Quota" means NPU time, in npu_jobs, and nothing here.
"""

import secrets

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event, Track

DEFAULT_TRACK_PLACES = 10


def new_checkin_token() -> str:
    return secrets.token_urlsafe(16)


def decision_email_purpose(event_id: int) -> str:
    """All of one event's decision emails share a purpose, so the selection page can show their delivery."""
    return f"applications.decision.e{event_id}"


class SelectionSettings(models.Model):
    """Per-event selection settings: the RSVP deadline and when decisions went out."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="selection_settings")
    rsvp_deadline = models.DateTimeField(
        _("RSVP deadline"), null=True, blank=True, help_text=_("Accepted applicants must confirm before this time.")
    )
    promoted_rsvp_hours = models.PositiveSmallIntegerField(
        _("hours to answer after a waitlist promotion"),
        default=48,
        help_text=_("Someone promoted from the waitlist late gets at least this long to answer."),
    )
    waitlist_length = models.PositiveSmallIntegerField(
        _("waitlist length per track"),
        null=True,
        blank=True,
        help_text=_("Empty: everyone not accepted is waitlisted in rank order. Otherwise the rest are not selected."),
    )
    decisions_sent_at = models.DateTimeField(_("decisions sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("selection settings")
        verbose_name_plural = _("selection settings")
        constraints = [
            models.CheckConstraint(name="selection_promoted_hours_positive", condition=Q(promoted_rsvp_hours__gt=0))
        ]

    def __str__(self) -> str:
        return f"{self.event}"


class TrackPlaces(models.Model):
    """How many finalists one track takes. Its row is the lock that serializes promotions in that track."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="track_places")
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    places = models.PositiveSmallIntegerField(_("places"), default=DEFAULT_TRACK_PLACES)

    class Meta:
        ordering = ["event", "track"]
        verbose_name = _("track places")
        verbose_name_plural = _("track places")
        constraints = [models.UniqueConstraint(fields=["event", "track"], name="trackplaces_unique_per_event")]

    def __str__(self) -> str:
        return f"{self.event.slug} · {self.get_track_display()}: {self.places}"


class Application(models.Model):
    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        UNDER_REVIEW = "under_review", _("Under review")
        ACCEPTED = "accepted", _("Accepted: please confirm")
        CONFIRMED = "confirmed", _("Confirmed finalist")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Not selected")
        DECLINED = "declined", _("Declined by applicant")
        EXPIRED = "expired", _("Offer expired")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Decision(models.TextChoices):
        """The organizers' proposal before decisions are sent."""

        UNDECIDED = "", _("Undecided")
        ACCEPT = "accept", _("Accept")
        WAITLIST = "waitlist", _("Waitlist")
        REJECT = "reject", _("Do not select")

    class Experience(models.TextChoices):
        STUDENT = "student", _("Student")
        JUNIOR = "junior", _("0–2 years")
        MID = "mid", _("3–5 years")
        SENIOR = "senior", _("6+ years")

    # Statuses in which the applicant still counts towards the pool being decided.
    OPEN_STATUSES = (Status.SUBMITTED, Status.UNDER_REVIEW)
    # Statuses that hold one of the track's places.
    PLACE_STATUSES = (Status.ACCEPTED, Status.CONFIRMED)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="applications", verbose_name=_("event"))
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="applications", verbose_name=_("applicant")
    )
    track = models.CharField(_("track"), max_length=16, choices=Track.choices)
    experience = models.CharField(_("experience"), max_length=16, choices=Experience.choices)
    skills = models.CharField(_("skills"), max_length=300, help_text=_("Comma-separated, e.g. Python, PyTorch, React."))
    portfolio_url = models.URLField(_("portfolio or GitHub link"), max_length=300)
    motivation = models.TextField(_("motivation"), max_length=2000)
    sdk_training_completed = models.BooleanField(_("completed the NPU SDK training"), default=False)
    sdk_training_completed_on = models.DateField(_("training completed on"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("privacy notice accepted"))

    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.SUBMITTED)
    decision = models.CharField(_("proposed decision"), max_length=16, choices=Decision.choices, blank=True, default="")
    waitlist_rank = models.PositiveIntegerField(_("waitlist rank"), null=True, blank=True)
    offer_expires_at = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    checkin_token = models.CharField(max_length=32, unique=True, default=new_checkin_token, editable=False)
    checked_in_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="application_one_per_person_per_event"),
            models.CheckConstraint(
                name="application_training_date_only_if_completed",
                condition=Q(sdk_training_completed=True) | Q(sdk_training_completed_on__isnull=True),
            ),
            models.CheckConstraint(
                name="application_waitlist_rank_only_if_waitlisted",
                condition=Q(waitlist_rank__isnull=True) | Q(status="waitlisted") | Q(decision="waitlist"),
            ),
            models.CheckConstraint(
                name="application_checked_in_only_if_confirmed",
                condition=Q(checked_in_at__isnull=True) | Q(status="confirmed"),
            ),
        ]
        indexes = [
            models.Index(fields=["event", "track", "status"], name="application_event_track_status"),
            models.Index(fields=["event", "status"], name="application_event_status"),
            models.Index(fields=["event", "sdk_training_completed"], name="application_event_training"),
            models.Index(fields=["event", "submitted_at"], name="application_event_submitted"),
            models.Index(fields=["status", "offer_expires_at"], name="application_offer_expiry"),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_track_display()} · {self.event.slug}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def awaiting_rsvp(self) -> bool:
        return self.status == self.Status.ACCEPTED


class Review(models.Model):
    """One reviewer's 1–5 score of one application. Several reviewers score each application."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="reviews")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_reviews")
    score = models.PositiveSmallIntegerField(_("score"), validators=[MinValueValidator(1), MaxValueValidator(5)])
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        constraints = [
            models.UniqueConstraint(fields=["application", "reviewer"], name="review_one_per_reviewer"),
            models.CheckConstraint(name="review_score_1_to_5", condition=Q(score__gte=1) & Q(score__lte=5)),
        ]
        indexes = [models.Index(fields=["reviewer", "application"], name="review_reviewer_application")]

    def __str__(self) -> str:
        return f"{self.reviewer} → #{self.application_id}: {self.score}"
