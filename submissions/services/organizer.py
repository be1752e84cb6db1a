"""What organizers change: one team's deadline, and whether the gallery is public."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record
from submissions.models import Submission, SubmissionExtension, SubmissionSettings
from teams.models import Team


@transaction.atomic
def submission_extension_grant(
    *, team: Team, granted_by: User, ends_at: datetime, reason: str, now: datetime | None = None
) -> SubmissionExtension:
    """Give one team a later deadline. A submission already frozen opens again until the new deadline."""
    now = now or timezone.now()
    team = Team.objects.select_for_update().select_related("event").get(pk=team.pk)
    event = team.event
    check_organizer(granted_by, event)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Say why the team gets more time; the reason is logged."), field="reason")
    if ends_at <= event.hacking_ends_at:
        raise DomainError(_("The new deadline must be later than the end of hacking."), field="ends_at")
    if ends_at <= now:
        raise DomainError(_("The new deadline must be in the future."), field="ends_at")
    extension, _created = SubmissionExtension.objects.update_or_create(
        team=team, defaults={"event": event, "ends_at": ends_at, "reason": reason, "granted_by": granted_by}
    )
    Submission.objects.filter(team=team).update(frozen_at=None)
    audit_record(
        event=event,
        actor=granted_by,
        action="submissions.extension_grant",
        target=team,
        ends_at=ends_at.isoformat(),
        reason=reason,
    )
    return extension


@transaction.atomic
def submission_settings_update(*, event: Event, changed_by: User, gallery_public: bool) -> SubmissionSettings:
    check_organizer(changed_by, event)
    settings, _created = SubmissionSettings.objects.select_for_update().get_or_create(event=event)
    if settings.gallery_public != gallery_public:
        settings.gallery_public = gallery_public
        settings.save(update_fields=["gallery_public"])
        audit_record(
            event=event, actor=changed_by, action="submissions.gallery", target=settings, public=gallery_public
        )
    return settings
