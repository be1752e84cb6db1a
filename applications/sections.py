"""What applications shows on other apps' pages (registered in ApplicationsConfig.ready())."""

from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications.models import Application
from applications.selectors import application_of_user


def event_home_cta(**kwargs: Any) -> dict[str, Any]:
    """The landing page's next step for someone who applied: their application (to confirm a place, if offered).
    Empty for anyone else, and after a withdrawal while applications are still open (they may apply again)."""
    event, request = kwargs["event"], kwargs["request"]
    application = application_of_user(user=request.user, event=event)
    if application is None:
        return {}
    if application.status == Application.Status.WITHDRAWN and event.applications_open(timezone.now()):
        return {}
    label = _("Confirm your place") if application.status == Application.Status.ACCEPTED else _("See your application")
    return {
        "url": reverse("applications:status", kwargs={"event_slug": event.slug}),
        "label": label,
        "testid": "cta-application",
        "hint": application.get_status_display(),
    }
