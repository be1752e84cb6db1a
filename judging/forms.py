"""Input validation only: the rules live in judging.services."""

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from judging.models import MAX_SCALE, MAX_WEIGHT, AwardCategory, Criterion, JudgingSettings


class ScoreForm(forms.Form):
    criterion = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.IntegerField(label=_("Score"), min_value=0, max_value=100)
    comment = forms.CharField(
        label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CriterionForm(forms.ModelForm):
    # The bounds of judging.services.setup, here too so each error shows next to its field.
    weight = forms.DecimalField(label=_("weight"), min_value=Decimal("0.01"), max_value=MAX_WEIGHT, decimal_places=2)
    scale_min = forms.IntegerField(label=_("lowest score"), min_value=0, max_value=MAX_SCALE - 1)
    scale_max = forms.IntegerField(label=_("highest score"), min_value=1, max_value=MAX_SCALE)
    order = forms.IntegerField(label=_("order"), min_value=0, max_value=100, initial=0)

    def clean(self):
        data = super().clean()
        low, high = data.get("scale_min"), data.get("scale_max")
        if low is not None and high is not None and low >= high:
            self.add_error("scale_max", _("The highest score must be above the lowest."))
        return data

    class Meta:
        model = Criterion
        fields = ["name_en", "name_ko", "description_en", "description_ko", "weight", "scale_min", "scale_max", "order"]
        widgets = {
            "description_en": forms.Textarea(attrs={"rows": 2}),
            "description_ko": forms.Textarea(attrs={"rows": 2}),
        }


class AwardCategoryForm(forms.ModelForm):
    count = forms.IntegerField(label=_("how many"), min_value=1, max_value=50)

    class Meta:
        model = AwardCategory
        fields = ["name_en", "name_ko", "count"]


class SettingsForm(forms.ModelForm):
    class Meta:
        model = JudgingSettings
        fields = ["judges_per_team", "min_scores_for_normalization", "method"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500)


class ConflictRecordForm(forms.Form):
    judge = forms.TypedChoiceField(label=_("Judge"), coerce=int)
    team = forms.TypedChoiceField(label=_("Team"), coerce=int)
    reason = forms.CharField(label=_("Reason"), max_length=500)

    def __init__(self, *args, judges=(), teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["judge"].choices = [(j.pk, j.display_name) for j in judges]
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]


class OverrideForm(forms.Form):
    team = forms.TypedChoiceField(label=_("Give this place to"), coerce=int)
    reason = forms.CharField(label=_("Why"), max_length=500)

    def __init__(self, *args, teams=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].choices = [(t.pk, t.name) for t in teams]
