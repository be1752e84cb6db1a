import zoneinfo

from django import forms
from django.utils.translation import gettext_lazy as _

from core.bounds import validate_datetime_in_range
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from hackathon import texts
from hackathon.models import Event, EventRole, Track
from hackathon.services import (
    BILINGUAL_TEXT_FIELDS,
    EVENT_FIELDS,
    MAX_TEAM_BUILDING_MINUTES,
    TIMELINE_FIELDS,
    check_timeline,
)

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
        widgets = (
            {name: DateTimeLocalInput() for name in EVENT_FIELDS if name.endswith("_at")}
            | {name: forms.Textarea(attrs={"rows": 6}) for name in BILINGUAL_TEXT_FIELDS if "tagline" not in name}
            | {"sponsors": forms.Textarea(attrs={"rows": 3})}
        )
        help_texts = {
            "description_ko": _("Markdown. Visitors read the version in their language, else the other one."),
            "description_en": _("Markdown. Visitors read the version in their language, else the other one."),
            "prizes_ko": _("Markdown: amounts and what winners get. The award categories come from judging."),
            "prizes_en": _("Markdown: amounts and what winners get. The award categories come from judging."),
            "rules_ko": _("Markdown."),
            "rules_en": _("Markdown."),
            "faq_ko": _("Each question on a line starting with “Q:”, its answer (Markdown) on the lines below."),
            "faq_en": _("Each question on a line starting with “Q:”, its answer (Markdown) on the lines below."),
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
        for name in BILINGUAL_TEXT_FIELDS:
            # Screen readers and spell checkers read each text in its own language.
            self.fields[name].widget.attrs["lang"] = name.rsplit("_", 1)[1]

    # The form's sections: the shared fields, then each language's texts (see event_form.html).
    ABOUT_FIELDS = ("name", "slug", "time_zone", "venue", "sponsors", "is_published")

    def fields_in_language(self, language: str) -> list[forms.BoundField]:
        return [self[name] for name in BILINGUAL_TEXT_FIELDS if name.endswith(f"_{language}")]

    def about_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.ABOUT_FIELDS]

    def timeline_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TIMELINE_FIELDS]

    def korean_fields(self) -> list[forms.BoundField]:
        return self.fields_in_language("ko")

    def english_fields(self) -> list[forms.BoundField]:
        return self.fields_in_language("en")

    def clean_sponsors(self) -> str:
        sponsors = texts.parse_sponsors(self.cleaned_data.get("sponsors", ""))
        if len(sponsors) > texts.SPONSORS_MAX_COUNT:
            raise forms.ValidationError(
                _("List at most %(count)d sponsors."), params={"count": texts.SPONSORS_MAX_COUNT}
            )
        too_long = [name for name in sponsors if len(name) > texts.SPONSOR_NAME_MAX]
        if too_long:
            raise forms.ValidationError(
                _("A sponsor's name has at most %(max)d characters."), params={"max": texts.SPONSOR_NAME_MAX}
            )
        return "\n".join(sponsors)

    def _clean_faq(self, name: str) -> str:
        text = self.cleaned_data.get(name, "")
        if text.strip() and not texts.parse_faq(text):
            raise forms.ValidationError(_("Start each question on its own line with “Q:”."))
        return text

    def clean_faq_ko(self) -> str:
        return self._clean_faq("faq_ko")

    def clean_faq_en(self) -> str:
        return self._clean_faq("faq_en")

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
