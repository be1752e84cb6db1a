from django import forms
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.exceptions import DomainError


def form_add_domain_error(form: forms.BaseForm, error: DomainError) -> None:
    """Show a service's DomainError on the form: next to its field when the form has that field, else on top."""
    form.add_error(error.field if error.field in form.fields else None, error.message)


def _format(text: str, values: dict) -> str:
    return str(text) % values


_lazy_format = lazy(_format, str)


def lazy_format(text, **values):
    """`_("At most %(mb)s MB.")` filled in when shown, so it is translated into the reader's language: formatting
    a lazy string with % at import time would freeze it in the server's default language."""
    return _lazy_format(text, values)


class DesignSystemDemoForm(forms.Form):
    """Only for the design-system page: one of each field kind, to show labels, help and errors."""

    name = forms.CharField(label=_("Team name"), max_length=40, help_text=_("What the board shows."))
    track = forms.ChoiceField(label=_("Track"), choices=[("", _("Choose…")), ("pm", "PM"), ("ai", "AI")], required=True)
    agree = forms.BooleanField(label=_("I have read the rules"), required=True)
