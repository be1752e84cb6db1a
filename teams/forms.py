from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from hackathon.models import Track
from teams.models import Team
from teams.services.rounds import MAX_EXTENSION_MINUTES, MAX_TEAM_SIZE_LIMIT


class TeamForm(forms.ModelForm):
    class Meta:
        model = Team
        fields = ["name", "idea", "problem", "needs_pm", "needs_frontend", "needs_backend", "needs_ai"]
        widgets = {
            "idea": forms.Textarea(attrs={"rows": 3}),
            "problem": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "needs_pm": _("Leave empty if you do not need another PM."),
        }


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the team's leader"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Say in a line or two what you would build in this team."),
    )


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        return user.display_name


class InvitationForm(forms.Form):
    user = PersonChoiceField(label=_("Finalist"), queryset=User.objects.none())
    message = forms.CharField(label=_("Message"), max_length=500, required=False)

    def __init__(self, *args, finalists=(), **kwargs):
        super().__init__(*args, **kwargs)
        # finalists: EventRole rows of the people without a team
        self.fields["user"].queryset = User.objects.filter(pk__in=[role.user_id for role in finalists])
        labels = {role.user_id: f"{role.user.display_name} · {Track(role.track).label}" for role in finalists}
        self.fields["user"].label_from_instance = lambda user: labels.get(user.pk, user.display_name)


class LeaderTransferForm(forms.Form):
    new_leader = PersonChoiceField(label=_("New leader"), queryset=User.objects.none())

    def __init__(self, *args, team: Team, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_leader"].queryset = User.objects.filter(team_memberships__team=team).exclude(pk=team.leader_id)


class RoundRulesForm(forms.Form):
    min_team_size = forms.IntegerField(label=_("Minimum team size"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT)
    max_team_size = forms.IntegerField(label=_("Maximum team size"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT)
    max_pm = forms.IntegerField(label=_("Most PMs per team"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT)
    max_frontend = forms.IntegerField(
        label=_("Most frontend engineers per team"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT
    )
    max_backend = forms.IntegerField(
        label=_("Most backend engineers per team"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT
    )
    max_ai = forms.IntegerField(label=_("Most AI engineers per team"), min_value=1, max_value=MAX_TEAM_SIZE_LIMIT)


class RoundExtendForm(forms.Form):
    minutes = forms.IntegerField(
        label=_("Minutes"),
        min_value=1,
        max_value=MAX_EXTENSION_MINUTES,
        initial=5,
        help_text=_("An open round gets this much more time; a closed or locked round reopens for this long."),
    )


class MemberMoveForm(forms.Form):
    user = PersonChoiceField(label=_("Finalist"), queryset=User.objects.none())
    team = forms.ModelChoiceField(
        label=_("Move to"), queryset=Team.objects.none(), required=False, empty_label=_("No team")
    )

    def __init__(self, *args, event, finalists=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = User.objects.filter(event_roles__event=event, event_roles__role="participant")
        labels = {role.user_id: f"{role.user.display_name} · {Track(role.track).label}" for role in finalists}
        self.fields["user"].label_from_instance = lambda user: labels.get(user.pk, user.display_name)
        self.fields["team"].queryset = Team.objects.filter(event=event).order_by("name")
