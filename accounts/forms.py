from django import forms
from django.utils.translation import gettext_lazy as _


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(label=_("Name"), max_length=150, required=True)

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
