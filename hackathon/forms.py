import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_datetime_in_range
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from hackathon.models import Event, EventRole, Track
from hackathon.services import EVENT_FIELDS, MAX_TEAM_BUILDING_MINUTES, TIMELINE_FIELDS, check_timeline

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format=DATETIME_FORMAT, **kwargs)


class EventForm(forms.ModelForm):
    """Times are entered in the event's own time zone (the view activates it)."""

    class Meta:
        model = Event
        fields = list(EVENT_FIELDS)
        widgets = {name: DateTimeLocalInput() for name in EVENT_FIELDS if name.endswith("_at")} | {
            "description": forms.Textarea(attrs={"rows": 4})
        }

    time_zone = forms.ChoiceField(
        label=_("time zone"),
        choices=[(name, name) for name in sorted(zoneinfo.available_timezones())],
        initial="Asia/Seoul",
    )

    team_building_minutes = forms.IntegerField(
        label=_("team building (minutes)"), min_value=1, max_value=MAX_TEAM_BUILDING_MINUTES
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in TIMELINE_FIELDS:
            field = self.fields[name]
            if isinstance(field, forms.DateTimeField):
                field.validators.append(validate_datetime_in_range)

    def clean(self):
        cleaned = super().clean()
        if all(cleaned.get(name) is not None for name in TIMELINE_FIELDS) and cleaned.get("time_zone"):
            try:
                check_timeline(cleaned, time_zone=cleaned["time_zone"])
            except DomainError as error:
                form_add_domain_error(self, error)
        return cleaned


class RoleGrantForm(forms.Form):
    email = forms.EmailField(label=_("Email"))
    role = forms.ChoiceField(label=_("Role"), choices=EventRole.Role.choices)
    track = forms.ChoiceField(label=_("Track"), choices=[("", _("— none —")), *Track.choices], required=False)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == EventRole.Role.PARTICIPANT and not cleaned.get("track"):
            self.add_error("track", _("A participant needs a track."))
        return cleaned
