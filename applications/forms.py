from django import forms
from django.utils.translation import gettext_lazy as _

from applications.models import Application
from applications.services.selection import (
    MAX_PROMOTED_RSVP_HOURS,
    MAX_TRACK_PLACES,
    MAX_WAITLIST_LENGTH,
    MAX_WAITLIST_RANK,
)
from core.bounds import validate_datetime_in_range
from hackathon.models import Track


class ApplicationForm(forms.ModelForm):
    portfolio_url = forms.URLField(
        label=_("portfolio or GitHub link"),
        max_length=300,
        assume_scheme="https",
        widget=forms.URLInput(attrs={"placeholder": "https://github.com/…"}),
    )
    privacy_consent = forms.BooleanField(
        label=_("I have read the privacy notice and agree that the organizers process my application."),
        required=True,
    )

    class Meta:
        model = Application
        fields = [
            "track",
            "experience",
            "skills",
            "portfolio_url",
            "motivation",
            "sdk_training_completed",
            "sdk_training_completed_on",
        ]
        widgets = {
            "motivation": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
            "sdk_training_completed_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "motivation": _("Why this hackathon, and what would you like to build on an NPU? (up to 2,000 characters)"),
            "sdk_training_completed_on": _("Only if you completed the NPU SDK training."),
        }

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # Consent was given when applying.
            del self.fields["privacy_consent"]


class ReviewForm(forms.Form):
    score = forms.TypedChoiceField(
        label=_("Score"),
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        widget=forms.RadioSelect,
        help_text=_("1 = weak, 5 = outstanding."),
    )
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )


class SelectionSettingsForm(forms.Form):
    rsvp_deadline = forms.DateTimeField(
        label=_("RSVP deadline"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        validators=[validate_datetime_in_range],
    )
    promoted_rsvp_hours = forms.IntegerField(
        label=_("Hours to answer after a promotion"), min_value=1, max_value=MAX_PROMOTED_RSVP_HOURS
    )
    waitlist_length = forms.IntegerField(
        label=_("Waitlist length per track"),
        required=False,
        min_value=0,
        max_value=MAX_WAITLIST_LENGTH,
        help_text=_("Empty: everyone not accepted is waitlisted."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for track in Track:
            self.fields[f"places_{track.value}"] = forms.IntegerField(
                label=_("Places: %(track)s") % {"track": track.label}, min_value=0, max_value=MAX_TRACK_PLACES
            )

    def places(self) -> dict[str, int]:
        return {track: self.cleaned_data[f"places_{track}"] for track in Track.values}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Application.Decision.choices)
    waitlist_rank = forms.IntegerField(
        label=_("Waitlist rank"), required=False, min_value=1, max_value=MAX_WAITLIST_RANK
    )


class ScreeningFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Name, email or skill")}),
    )
    track = forms.ChoiceField(label=_("Track"), required=False, choices=[("", _("All tracks")), *Track.choices])
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("All (not withdrawn)")), *Application.Status.choices]
    )
    training = forms.ChoiceField(
        label=_("NPU SDK training"),
        required=False,
        choices=[("", _("Any")), ("yes", _("Completed")), ("no", _("Not completed"))],
    )
    reviewed = forms.ChoiceField(
        label=_("My reviews"),
        required=False,
        choices=[("", _("Any")), ("not_mine", _("Not yet scored by me")), ("mine", _("Scored by me"))],
    )
    min_score = forms.FloatField(label=_("Mean score at least"), required=False, min_value=1, max_value=5)
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("submitted", _("Oldest first")),
            ("-submitted", _("Newest first")),
            ("-score", _("Highest mean score")),
            ("score", _("Lowest mean score")),
            ("reviews", _("Fewest reviews")),
            ("-reviews", _("Most reviews")),
            ("name", _("Name")),
        ],
    )


class CheckinScanForm(forms.Form):
    code = forms.CharField(
        label=_("Scan or type the finalist's code"),
        max_length=500,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "off", "inputmode": "text"}),
        help_text=_("A USB scanner types the QR code's content here and presses Enter."),
    )
