"""Judging: criteria, the window, conflicts, assignments, scores with their history, award categories and awards.

The rules the database holds: one score per judge × team × criterion, within the criterion's scale (the scale is
copied onto the score, since criteria are fixed once judging opens); a weight above zero; one assignment per
judge × team; one award per team and per place; the window's state matches its timestamps.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from teams.models import Team

MAX_WEIGHT = 100
MAX_SCALE = 100

# The model event's five criteria: (key, English name, Korean name, English description, Korean description).
DEFAULT_CRITERIA = [
    (
        "planning",
        "Planning",
        "기획력",
        "Clarity of the work and a tight schedule.",
        "업무가 명확하고 일정이 촘촘한가.",
    ),
    ("creativity", "Creativity", "창의성", "An original idea and approach.", "아이디어와 접근이 독창적인가."),
    ("technical", "Technical expertise", "기술력", "Depth and quality of the engineering.", "기술의 깊이와 완성도."),
    (
        "completeness",
        "Completeness",
        "완성도",
        "Finished, both technically and aesthetically.",
        "기술적·심미적으로 완성되었는가.",
    ),
    (
        "economics",
        "Economics",
        "경제성",
        "The product's output and the cost it saves, read from the measured NPU figures.",
        "제품의 산출물과 절감하는 비용 (측정된 NPU 수치 참고).",
    ),
]

# (key, English name, Korean name, how many) in the order prizes are given.
DEFAULT_AWARD_CATEGORIES = [
    ("grand", "Grand prize", "대상", 1),
    ("excellence", "Excellence prize", "최우수상", 3),
    ("merit", "Merit prize", "우수상", 2),
]


def _in_language(english: str, korean: str) -> str:
    return korean if (get_language() or "").startswith("ko") and korean else english


class Criterion(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="judging_criteria")
    key = models.SlugField(_("key"), max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    description_en = models.TextField(_("description (English)"), max_length=1000, blank=True)
    description_ko = models.TextField(_("description (Korean)"), max_length=1000, blank=True)
    weight = models.DecimalField(_("weight"), max_digits=6, decimal_places=2, default=1)
    scale_min = models.PositiveSmallIntegerField(_("lowest score"), default=1)
    scale_max = models.PositiveSmallIntegerField(_("highest score"), default=10)
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("criterion")
        verbose_name_plural = _("criteria")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="criterion_unique_key_per_event"),
            models.CheckConstraint(name="criterion_weight_bounds", condition=Q(weight__gt=0, weight__lte=MAX_WEIGHT)),
            models.CheckConstraint(
                name="criterion_scale_bounds", condition=Q(scale_min__lt=F("scale_max"), scale_max__lte=MAX_SCALE)
            ),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_ko)

    @property
    def description(self) -> str:
        return _in_language(self.description_en, self.description_ko)

    @property
    def scale_values(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


class JudgingSettings(models.Model):
    """One row per event, created by judging.services.criteria_ensure; selectors return unsaved defaults before."""

    class State(models.TextChoices):
        NOT_OPEN = "not_open", _("Not open yet")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")

    class Method(models.TextChoices):
        RAW = "raw", _("Raw mean")
        ZSCORE = "zscore", _("Z-score per judge")
        BIAS = "bias", _("Judge-bias model")

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="judging_settings")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.NOT_OPEN)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    judges_per_team = models.PositiveSmallIntegerField(
        _("judges per team"), default=0, help_text=_("0: every judge scores every team.")
    )
    min_scores_for_normalization = models.PositiveSmallIntegerField(
        _("scores a judge needs before normalization"), default=3
    )
    method = models.CharField(_("method for the awards"), max_length=10, choices=Method.choices, default=Method.BIAS)
    results_published_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("judging settings")
        verbose_name_plural = _("judging settings")
        constraints = [
            models.CheckConstraint(
                name="judgingsettings_state_matches_times",
                condition=(Q(state="not_open") & Q(opened_at__isnull=True) & Q(closed_at__isnull=True))
                | (Q(state="open") & Q(opened_at__isnull=False) & Q(closed_at__isnull=True))
                | (Q(state="closed") & Q(opened_at__isnull=False) & Q(closed_at__isnull=False)),
            ),
            models.CheckConstraint(
                name="judgingsettings_published_after_close",
                condition=Q(results_published_at__isnull=True) | Q(state="closed"),
            ),
            models.CheckConstraint(
                name="judgingsettings_bounds",
                condition=Q(judges_per_team__lte=100, min_scores_for_normalization__gte=2)
                & Q(min_scores_for_normalization__lte=100),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} judging"

    @property
    def is_open(self) -> bool:
        return self.state == self.State.OPEN

    @property
    def is_closed(self) -> bool:
        return self.state == self.State.CLOSED


class Conflict(models.Model):
    class Source(models.TextChoices):
        DECLARED = "declared", _("Declared by the judge")
        RECORDED = "recorded", _("Recorded by an organizer")
        DETECTED = "detected", _("Detected from HackNPU's data")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_conflicts")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="judging_conflicts")
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    reason = models.CharField(_("reason"), max_length=500)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cleared_reason = models.CharField(_("why it is cleared"), max_length=500, blank=True)
    cleared_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team__name", "judge__name", "id"]
        verbose_name = _("conflict of interest")
        verbose_name_plural = _("conflicts of interest")
        constraints = [
            models.UniqueConstraint(fields=["judge", "team", "source"], name="conflict_one_per_source"),
            models.CheckConstraint(
                name="conflict_cleared_with_reason",
                condition=Q(cleared_at__isnull=True) | ~Q(cleared_reason=""),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.judge} × {self.team} ({self.source})"

    @property
    def is_active(self) -> bool:
        return self.cleared_at is None


class JudgeDropout(models.Model):
    """A judge who left: their unscored teams go to other judges; their submitted scores stay."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    dropped_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    dropped_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["event", "judge"], name="judgedropout_once_per_event")]

    def __str__(self) -> str:
        return f"{self.judge} left {self.event}"


class Assignment(models.Model):
    """A judge scores a team. The row is also the lock for that judge's scores of the team."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_assignments")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="judging_assignments")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team__name", "id"]
        constraints = [models.UniqueConstraint(fields=["judge", "team"], name="assignment_one_per_judge_team")]
        indexes = [models.Index(fields=["event", "judge"])]

    def __str__(self) -> str:
        return f"{self.judge} → {self.team}"


class Score(models.Model):
    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    judge = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="judging_scores")
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="judging_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(_("score"))
    # Copied from the criterion (fixed once judging opens), so the database can check the value is on the scale.
    scale_min = models.PositiveSmallIntegerField()
    scale_max = models.PositiveSmallIntegerField()
    comment = models.TextField(_("comment"), max_length=2000, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["team__name", "criterion__order", "id"]
        constraints = [
            models.UniqueConstraint(fields=["judge", "team", "criterion"], name="score_one_per_judge_team_criterion"),
            models.CheckConstraint(
                name="score_value_on_scale", condition=Q(value__gte=F("scale_min"), value__lte=F("scale_max"))
            ),
            models.CheckConstraint(
                name="score_submitted_has_time", condition=~Q(state="submitted") | Q(submitted_at__isnull=False)
            ),
        ]
        indexes = [models.Index(fields=["event", "state"])]

    def __str__(self) -> str:
        return f"{self.judge} {self.team} {self.criterion.key}={self.value}"


class ScoreVersion(models.Model):
    """Changes in the same transaction as every write to the event's scores (judging.services.locks.scores_changed):
    the cache key of the event's ranking. A fresh UUID, not a counter, so a recreated database never meets a ranking
    cached for an earlier one. The update also serializes the tails of score writes in one event, which is brief."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="+")
    version = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return f"{self.event} scores {self.version}"


class ScoreChange(models.Model):
    """Every change of a score: value, comment or state, who made it and when. Never edited or deleted."""

    score = models.ForeignKey(Score, on_delete=models.CASCADE, related_name="changes")
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    changed_at = models.DateTimeField(auto_now_add=True)
    old_value = models.PositiveSmallIntegerField(null=True, blank=True)
    new_value = models.PositiveSmallIntegerField(null=True, blank=True)
    old_comment = models.TextField(blank=True)
    new_comment = models.TextField(blank=True)
    old_state = models.CharField(max_length=10, blank=True)
    new_state = models.CharField(max_length=10)

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.old_value}→{self.new_value} ({self.new_state})"


class AwardCategory(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="award_categories")
    key = models.SlugField(max_length=40)
    name_en = models.CharField(_("name (English)"), max_length=100)
    name_ko = models.CharField(_("name (Korean)"), max_length=100, blank=True)
    count = models.PositiveSmallIntegerField(_("how many"), default=1)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        verbose_name = _("award category")
        verbose_name_plural = _("award categories")
        constraints = [
            models.UniqueConstraint(fields=["event", "key"], name="awardcategory_unique_key_per_event"),
            models.CheckConstraint(name="awardcategory_count_bounds", condition=Q(count__gte=1, count__lte=50)),
        ]

    def __str__(self) -> str:
        return self.name_en

    @property
    def name(self) -> str:
        return _in_language(self.name_en, self.name_ko)


class Award(models.Model):
    """A confirmed award. `overridden` means the organizer chose another team than the ranking proposed."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(AwardCategory, on_delete=models.CASCADE, related_name="awards")
    place = models.PositiveSmallIntegerField()
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="judging_awards")
    proposed_team = models.ForeignKey(Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    overridden = models.BooleanField(default=False)
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    decided_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["category__order", "place"]
        constraints = [
            models.UniqueConstraint(fields=["category", "place"], name="award_one_team_per_place"),
            models.UniqueConstraint(fields=["event", "team"], name="award_one_per_team"),
            models.CheckConstraint(name="award_override_has_reason", condition=Q(overridden=False) | ~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.category} #{self.place}: {self.team}"
