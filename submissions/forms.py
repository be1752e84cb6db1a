from django import forms
from django.utils.translation import gettext_lazy as _

from submissions.models import EvidencePin, SubmissionFile, SubmissionVersion


class SubmissionForm(forms.ModelForm):
    repository_url = forms.URLField(label=_("Repository URL"), required=False, assume_scheme="https")
    demo_video_url = forms.URLField(label=_("Demo video URL"), required=False, assume_scheme="https")

    class Meta:
        model = SubmissionVersion
        fields = list(SubmissionVersion.TEXT_FIELDS)
        widgets = {"description": forms.Textarea(attrs={"rows": 10}), "claim": forms.Textarea(attrs={"rows": 3})}


class FileUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=SubmissionFile.Kind.choices)
    file = forms.FileField(
        label=_("File"), help_text=_("Slides: a PDF up to 20 MB. Screenshots: PNG, JPEG, WebP or GIF up to 5 MB.")
    )


class PinForm(forms.Form):
    job = forms.ModelChoiceField(label=_("Job"), queryset=None)  # type: ignore[arg-type]
    role = forms.ChoiceField(
        label=_("Role"),
        required=False,
        choices=[("", _("What it ran on")), *EvidencePin.Role.choices],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def __init__(self, *args, jobs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["job"].queryset = jobs
        self.fields["job"].label_from_instance = lambda j: f"#{j.pk} · {j.model.name} · {j.run_label} · {j.backend}"


class ExtensionForm(forms.Form):
    team = forms.ModelChoiceField(label=_("Team"), queryset=None)  # type: ignore[arg-type]
    ends_at = forms.DateTimeField(
        label=_("New deadline"),
        help_text=_("In the event's time zone."),
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    reason = forms.CharField(
        label=_("Reason"), max_length=500, help_text=_("Logged, and shown to the team and the judges.")
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams


class GalleryForm(forms.Form):
    gallery_public = forms.BooleanField(
        label=_("Public gallery"), required=False, help_text=_("Everyone can see the judged versions and their files.")
    )
