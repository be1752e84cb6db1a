from django import forms
from django.utils.translation import gettext_lazy as _

from mentoring.models import SLOT_MAX_MINUTES, SLOT_MIN_MINUTES, Expertise, MentoringSettings, MentorProfile
from mentoring.services.profiles import SETTINGS_FIELDS


class MentorChoiceMixin:
    """Organizers choose whose slots they publish; a mentor publishes their own (no field)."""

    def __init__(self, *args, mentors=None, **kwargs):
        super().__init__(*args, **kwargs)
        if mentors is not None:
            self.fields["mentor"] = forms.ModelChoiceField(label=_("Mentor"), queryset=mentors)
            self.order_fields(["mentor"])


class SlotForm(MentorChoiceMixin, forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}), help_text=_("Event time.")
    )
    length_minutes = forms.IntegerField(
        label=_("Length (minutes)"), min_value=SLOT_MIN_MINUTES, max_value=SLOT_MAX_MINUTES, initial=30
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class ShiftForm(MentorChoiceMixin, forms.Form):
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("From"), widget=forms.TimeInput(attrs={"type": "time"}), initial="14:00")
    end = forms.TimeField(label=_("Until"), widget=forms.TimeInput(attrs={"type": "time"}), initial="18:00")
    length_minutes = forms.IntegerField(
        label=_("Each slot (minutes)"), min_value=SLOT_MIN_MINUTES, max_value=SLOT_MAX_MINUTES, initial=30
    )
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    video_url = forms.URLField(label=_("Video link"), required=False, assume_scheme="https")
    topic = forms.CharField(label=_("Topic"), max_length=200, required=False)


class BookingForm(forms.Form):
    note = forms.CharField(
        label=_("What do you need?"),
        max_length=1000,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("e.g. our INT8 model loses 10% accuracy")}),
    )


class NotesForm(forms.Form):
    notes = forms.CharField(label=_("Notes for the team"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class HelpRequestForm(forms.Form):
    topic = forms.ChoiceField(label=_("Topic"), choices=Expertise.choices)
    text = forms.CharField(label=_("What is wrong?"), max_length=500)
    attachment = forms.ChoiceField(label=_("Attach a failed run"), required=False)

    def __init__(self, *args, failed_work=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("Nothing"))]
        for item in failed_work:
            kind = "quantization" if item.__class__.__name__ == "ModelQuantization" else "job"
            name = item.source.name if kind == "quantization" else item.model.name
            label = _("Quantization") if kind == "quantization" else _("Job")
            choices.append((f"{kind}:{item.pk}", f"{label} #{item.pk} · {name} · {item.get_state_display()}"))
        self.fields["attachment"].choices = choices


class RatingForm(forms.Form):
    rating = forms.TypedChoiceField(
        label=_("How much did it help?"), choices=[(n, str(n)) for n in range(5, 0, -1)], coerce=int
    )
    comment = forms.CharField(label=_("Comment"), max_length=500, required=False)


class ProfileForm(forms.ModelForm):
    tags = forms.MultipleChoiceField(
        label=_("Expertise"), choices=Expertise.choices, widget=forms.CheckboxSelectMultiple, required=False
    )

    class Meta:
        model = MentorProfile
        fields = ["tags", "bio", "photo"]


class MentorInviteForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    tags = forms.MultipleChoiceField(
        label=_("Expertise"), choices=Expertise.choices, widget=forms.CheckboxSelectMultiple, required=False
    )


class SettingsForm(forms.ModelForm):
    class Meta:
        model = MentoringSettings
        fields = list(SETTINGS_FIELDS)
