from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.profile_rules import (
    AVATAR_MAX_BYTES,
    MAX_CONTACT_CHARS,
    MAX_SKILL_CHARS,
    MAX_SKILLS,
    github_username_parse,
    skills_parse,
)
from core.exceptions import DomainError
from core.forms import lazy_format


class SignupExtraForm(forms.Form):
    """Extra fields on allauth's sign-up form."""

    name = forms.CharField(label=_("Name"), max_length=150, required=True)

    def signup(self, request, user):
        user.name = self.cleaned_data["name"]
        user.save(update_fields=["name"])


class ProfileForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    skills = forms.CharField(
        label=_("Skills"),
        required=False,
        max_length=MAX_SKILLS * (MAX_SKILL_CHARS + 2),
        widget=forms.TextInput(attrs={"placeholder": "PyTorch, ONNX, React"}),
        help_text=lazy_format(
            _("Separate them with commas: at most %(n)s, each up to %(chars)s characters."),
            n=MAX_SKILLS,
            chars=MAX_SKILL_CHARS,
        ),
    )
    github_username = forms.CharField(
        label=_("GitHub username"),
        required=False,
        max_length=100,  # a pasted profile URL is shortened to the name (at most 39 characters)
        widget=forms.TextInput(attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}),
        help_text=_("The name in https://github.com/<name>, or that whole link."),
    )
    contact = forms.CharField(
        label=_("How to reach me"),
        required=False,
        max_length=MAX_CONTACT_CHARS,
        widget=forms.TextInput(attrs={"placeholder": _("Slack @name, Discord, phone …")}),
        help_text=_("Only your teammates see this."),
    )
    show_email_to_team = forms.BooleanField(label=_("Show my email address to my teammates"), required=False)
    avatar = forms.FileField(
        label=_("Avatar"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg,image/webp"}),
        help_text=lazy_format(
            _("A PNG, JPEG or WebP image up to %(mb)s MB. Without one, your initials are shown."),
            mb=AVATAR_MAX_BYTES // 2**20,
        ),
    )
    remove_avatar = forms.BooleanField(label=_("Remove my avatar"), required=False)

    def clean_skills(self) -> list[str]:
        try:
            return skills_parse(self.cleaned_data["skills"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error

    def clean_github_username(self) -> str:
        try:
            return github_username_parse(self.cleaned_data["github_username"])
        except DomainError as error:
            raise forms.ValidationError(error.message) from error
