"""Mentors, their shifts and the event's mentoring settings.

Locking order: the MentorProfile row, then its shift rows. Settings lock their own row.
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event, EventRole
from hackathon.permissions import check_organizer, is_mentor, is_organizer
from hackathon.services import audit_record, event_role_grant, model_update_audited
from mentoring.models import Expertise, MentoringSettings, MentorProfile, MentorShift, TeamCalendar
from teams.models import Team

SETTINGS_FIELDS = (
    "sessions_per_team",
    "cancel_cutoff_minutes",
    "claim_timeout_minutes",
    "request_expiry_minutes",
    "reminder_minutes",
)
PROFILE_FIELDS = ("tags", "bio", "photo")


def check_tags(tags: list[str]) -> list[str]:
    unknown = [tag for tag in tags if tag not in Expertise.values]
    if unknown:
        raise DomainError(_("Unknown expertise: %(tags)s") % {"tags": ", ".join(unknown)}, field="tags")
    return sorted(set(tags), key=Expertise.values.index)


@transaction.atomic
def mentoring_settings_update(*, event: Event, updated_by: User, **values: Any) -> MentoringSettings:
    check_organizer(updated_by, event)
    MentoringSettings.objects.get_or_create(event=event)
    current = MentoringSettings.objects.select_for_update().get(event=event)
    model_update_audited(
        instance=current,
        data=values,
        fields=SETTINGS_FIELDS,
        event=event,
        actor=updated_by,
        action="mentoring.settings_update",
    )
    return current


@transaction.atomic
def mentor_invite(
    *, event: Event, user: User, tags: list[str], invited_by: User | None, bio: str = ""
) -> MentorProfile:
    """Organizers make someone a mentor of the event (the mentor role) and set their expertise.

    invited_by=None is the system (demo data). Inviting a mentor again updates their tags.
    """
    check_organizer(invited_by, event, allow_system=True)
    tags = check_tags(tags)
    event_role_grant(event=event, user=user, role=EventRole.Role.MENTOR, granted_by=invited_by)
    profile = MentorProfile.objects.select_for_update().filter(event=event, user=user).first()
    if profile is None:
        try:
            with transaction.atomic():
                profile = MentorProfile.objects.create(event=event, user=user, tags=tags, bio=bio)
        except IntegrityError:
            profile = MentorProfile.objects.select_for_update().get(event=event, user=user)
        else:
            audit_record(event=event, actor=invited_by, action="mentoring.mentor_invite", target=profile, tags=tags)
            return profile
    model_update_audited(
        instance=profile,
        data={"tags": tags},
        fields=PROFILE_FIELDS,
        event=event,
        actor=invited_by,
        action="mentoring.profile_update",
    )
    return profile


def _profile_lock(profile_id: int) -> MentorProfile:
    profile = MentorProfile.objects.select_for_update().select_related("event", "user").filter(pk=profile_id).first()
    if profile is None:
        raise DomainError(_("This mentor no longer exists."))
    return profile


@transaction.atomic
def mentor_profile_update(*, profile_id: int, updated_by: User, **values: Any) -> MentorProfile:
    """The mentor edits their own profile; organizers edit anyone's."""
    profile = _profile_lock(profile_id)
    if profile.user_id != updated_by.pk and not is_organizer(updated_by, profile.event):
        raise PermissionDenied
    if "tags" in values:
        values["tags"] = check_tags(values["tags"])
    if "photo" in values and values["photo"] is None:
        values.pop("photo")  # no new file: keep the current one
    model_update_audited(
        instance=profile,
        data=values,
        fields=PROFILE_FIELDS,
        event=profile.event,
        actor=updated_by,
        action="mentoring.profile_update",
    )
    return profile


@transaction.atomic
def mentor_shift_set(*, profile_id: int, on_shift: bool, changed_by: User) -> MentorProfile:
    """Start or end the mentor's shift in the live queue. Idempotent."""
    profile = _profile_lock(profile_id)
    if profile.user_id != changed_by.pk and not is_organizer(changed_by, profile.event):
        raise PermissionDenied
    if on_shift and not is_mentor(profile.user, profile.event):
        raise DomainError(_("Only mentors of this event take requests."))
    now = timezone.now()
    current = MentorShift.objects.select_for_update().filter(mentor=profile, ended_at__isnull=True).first()
    if on_shift and current is None:
        MentorShift.objects.create(event=profile.event, mentor=profile, started_at=now)
        audit_record(event=profile.event, actor=changed_by, action="mentoring.shift_start", target=profile)
    elif not on_shift and current is not None:
        current.ended_at = now
        current.save(update_fields=["ended_at"])
        audit_record(event=profile.event, actor=changed_by, action="mentoring.shift_end", target=profile)
    return profile


@transaction.atomic
def team_calendar_create(*, team: Team, created_by: User) -> TeamCalendar:
    """The private feed of a team's sessions: for its members. Calling it again keeps the existing link."""
    if not team.memberships.filter(user=created_by).exists():
        raise PermissionDenied
    calendar, created = TeamCalendar.objects.get_or_create(team=team)
    if created:
        audit_record(event=team.event, actor=created_by, action="mentoring.team_calendar", target=team)
    return calendar


@transaction.atomic
def calendar_token_rotate(*, profile_id: int | None = None, team: Team | None = None, rotated_by: User) -> str:
    """A new secret for a feed: the old URL stops working at once."""
    from mentoring.models import new_token

    if profile_id is not None:
        profile = _profile_lock(profile_id)
        if profile.user_id != rotated_by.pk:
            raise PermissionDenied
        profile.calendar_token = new_token()
        profile.save(update_fields=["calendar_token", "updated_at"])
        audit_record(event=profile.event, actor=rotated_by, action="mentoring.calendar_rotate", target=profile)
        return profile.calendar_token
    if team is None:
        raise TypeError("profile_id or team")
    calendar = team_calendar_create(team=team, created_by=rotated_by)
    calendar.token = new_token()
    calendar.save(update_fields=["token"])
    audit_record(event=team.event, actor=rotated_by, action="mentoring.calendar_rotate", target=team)
    return calendar.token
