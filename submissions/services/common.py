"""Helpers every submission service uses. Locking order, everywhere: the team row (teams.Team), then the
Submission row. Locking the team first serializes the first save of a team (which creates its Submission);
locking the Submission serializes version numbers, submits, uploads and pins. The unique constraint
(submission, number) is the last defence."""

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from submissions.models import Submission
from submissions.selectors import deadline_of_team
from teams.models import Team, TeamMembership


def submission_lock(team_id: int, *, create: bool = True) -> Submission:
    """Lock the team and its Submission (created on first use); return the locked Submission.

    With create=False a team that has no Submission yet raises Submission.DoesNotExist and nothing is written: the
    calls that only change what exists (submit, remove a file or a pin) refuse without creating a row."""
    team = Team.objects.select_for_update().select_related("event").filter(pk=team_id).first()
    if team is None:
        raise DomainError(_("This team no longer exists."))
    if create:
        Submission.objects.get_or_create(team=team, defaults={"event": team.event})
    submission = Submission.objects.select_for_update(of=("self",)).select_related("team__event").get(team=team)
    return submission


def check_member(user: User, team: Team) -> None:
    if not TeamMembership.objects.filter(team=team, user=user).exists():
        raise PermissionDenied(_("Only members of the team change its submission."))


def deadline_text(team: Team, deadline: datetime) -> str:
    local = timezone.localtime(deadline, team.event.tz)
    return f"{formats.date_format(local, 'DATETIME_FORMAT')} ({team.event.time_zone})"


def check_open(team: Team, now: datetime) -> None:
    """Refuse any change at or after the team's deadline, naming it in the event's time zone."""
    deadline = deadline_of_team(team)
    if now >= deadline:
        raise DomainError(
            _(
                "The submission deadline passed at %(deadline)s. The submission is locked; "
                "ask an organizer for an extension if something went wrong."
            )
            % {"deadline": deadline_text(team, deadline)},
            code="deadline_passed",
        )
