"""A team's submission: versions of its text, private files, pinned NPU jobs as evidence, and extensions.

The team edits one Submission. Every save adds a SubmissionVersion (numbered per submission). "Submit final" marks
the current version and copies what it shows (file hashes, pinned job ids) into `snapshot`; at the team's deadline
the version last submitted is frozen: its text and snapshot are copied into `frozen`, which judges read.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hackathon.models import Event
from npu_jobs.models import NpuJob
from teams.models import Team


class Category(models.TextChoices):
    SAFETY = "safety", _("Safety and security")
    RETAIL = "retail", _("Retail")
    MOBILITY = "mobility", _("Mobility")
    AGRICULTURE = "agriculture", _("Agriculture")
    ACCESSIBILITY = "accessibility", _("Accessibility")
    HEALTH = "health", _("Health")
    ENVIRONMENT = "environment", _("Environment")
    MEDIA = "media", _("Media")
    OTHER = "other", _("Other")


class SubmissionSettings(models.Model):
    """Per event. The gallery opens to everyone only when an organizer says so (after the results)."""

    event = models.OneToOneField(Event, on_delete=models.CASCADE, related_name="submission_settings")
    gallery_public = models.BooleanField(
        _("public gallery"), default=False, help_text=_("Everyone can see the judged versions and their files.")
    )

    def __str__(self) -> str:
        return f"Submission settings of {self.event_id}"


class Submission(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="submission", verbose_name=_("team"))
    current_version = models.ForeignKey(
        "SubmissionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The version submitted last (before the deadline, which the services enforce): the one judges see.
    submitted_version = models.ForeignKey(
        "SubmissionVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    frozen_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["team__name"]

    def __str__(self) -> str:
        return f"Submission of {self.team}"


class SubmissionVersion(models.Model):
    """One save. Never changed afterwards, except to record that it was submitted and frozen."""

    TEXT_FIELDS = ("title", "summary", "description", "repository_url", "demo_video_url", "category", "claim")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    title = models.CharField(_("title"), max_length=120, blank=True)
    summary = models.CharField(_("one-line summary"), max_length=200, blank=True)
    description = models.TextField(_("description"), max_length=20000, blank=True, help_text=_("Markdown."))
    repository_url = models.URLField(_("repository URL"), blank=True)
    demo_video_url = models.URLField(_("demo video URL"), blank=True)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices, blank=True)
    claim = models.TextField(
        _("our claim"),
        max_length=2000,
        blank=True,
        help_text=_("In your own words, e.g. 'about a third of the cost'. Shown apart from the measured figures."),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # At submit: {"files": [{"id", "kind", "name", "sha256", "size", "content_type"}], "pins": [{"job_id", "role",
    # "note"}]}. At the deadline, `frozen` holds the text fields and that snapshot, frozen for judges.
    snapshot = models.JSONField(default=dict, blank=True)
    frozen = models.JSONField(default=dict, blank=True)
    frozen_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "number"], name="submissionversion_number_unique"),
            models.CheckConstraint(name="submissionversion_number_positive", condition=Q(number__gt=0)),
            models.CheckConstraint(
                name="submissionversion_frozen_only_submitted",
                condition=Q(frozen_at__isnull=True) | Q(submitted_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Version {self.number} of {self.submission_id}"

    def text(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in self.TEXT_FIELDS}


class SubmissionFile(models.Model):
    class Kind(models.TextChoices):
        SLIDES = "slides", _("Slides (PDF)")
        SCREENSHOT = "screenshot", _("Screenshot (image)")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="files")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    name = models.CharField(_("name"), max_length=200)
    path = models.CharField(max_length=500, help_text="Relative to MEDIA_ROOT.")
    sha256 = models.CharField(max_length=64)
    size_bytes = models.BigIntegerField(_("size"))
    content_type = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    # Removed by the team: kept on disk, because a submitted version may still show it to the judges.
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["kind", "uploaded_at", "id"]
        constraints = [models.CheckConstraint(name="submissionfile_size_positive", condition=Q(size_bytes__gt=0))]

    def __str__(self) -> str:
        return self.name


class EvidencePin(models.Model):
    """One of the team's own succeeded, real (not simulated) jobs, cited as evidence."""

    class Role(models.TextChoices):
        NPU_RUN = "npu_run", _("NPU run")
        CPU_BASELINE = "cpu_baseline", _("CPU baseline")
        OTHER = "other", _("Other")

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="pins")
    job = models.ForeignKey(NpuJob, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    pinned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    pinned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pinned_at", "id"]
        constraints = [models.UniqueConstraint(fields=["submission", "job"], name="evidencepin_job_once")]

    def __str__(self) -> str:
        return f"Job {self.job_id} as {self.role}"


class SubmissionExtension(models.Model):
    """An organizer moved one team's deadline. Every grant is also an audit entry."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="+")
    team = models.OneToOneField(Team, on_delete=models.CASCADE, related_name="submission_extension")
    ends_at = models.DateTimeField(_("new deadline"))
    reason = models.CharField(_("reason"), max_length=500)
    granted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    granted_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.CheckConstraint(name="submissionextension_reason", condition=~Q(reason=""))]

    def __str__(self) -> str:
        return f"Extension for {self.team} until {self.ends_at}"
