from django import forms
from django.utils.translation import gettext_lazy as _


class DesignSystemDemoForm(forms.Form):
    """Only for the design-system page: one of each field kind, to show labels, help and errors."""

    name = forms.CharField(label=_("Team name"), max_length=40, help_text=_("What the board shows."))
    track = forms.ChoiceField(label=_("Track"), choices=[("", _("Choose…")), ("pm", "PM"), ("ai", "AI")], required=True)
    agree = forms.BooleanField(label=_("I have read the rules"), required=True)
