"""On-site check-in of confirmed finalists, by their QR token or by picking them from a search."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record

TOKEN_RE = re.compile(r"(?:token=)?([A-Za-z0-9_-]{16,32})\s*$")


def checkin_token_parse(scanned: str) -> str:
    """A scanner types either the bare token or the whole URL the QR code encodes; take the token from either."""
    match = TOKEN_RE.search((scanned or "").strip())
    return match.group(1) if match else ""


@transaction.atomic
def checkin_record(
    *,
    event: Event,
    checked_in_by: User,
    token: str = "",
    application_id: int | None = None,
    now: datetime | None = None,
) -> tuple[Application, bool]:
    """Check a finalist in. Returns (application, newly); scanning the same code twice is harmless."""
    check_organizer(checked_in_by, event)
    applications = Application.objects.select_for_update(of=("self",)).select_related("user").filter(event=event)
    if application_id is not None:
        application = applications.filter(pk=application_id).first()
    else:
        parsed = checkin_token_parse(token)
        application = applications.filter(checkin_token=parsed).first() if parsed else None
    if application is None:
        raise DomainError(_("No finalist of this event has this code."), code="unknown_code")
    if application.status != Application.Status.CONFIRMED:
        raise DomainError(
            _("%(person)s is not a confirmed finalist (%(status)s).")
            % {"person": application.user.display_name, "status": application.get_status_display()}
        )
    if application.checked_in_at:
        return application, False
    application.checked_in_at = now or timezone.now()
    application.checked_in_by = checked_in_by
    application.save(update_fields=["checked_in_at", "checked_in_by", "updated_at"])
    audit_record(event=event, actor=checked_in_by, action="application.checkin", target=application)
    return application, True
