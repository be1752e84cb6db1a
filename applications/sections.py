"""What applications shows on other apps' pages (registered in ApplicationsConfig.ready())."""

from datetime import datetime
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from applications import selectors
from applications.models import Application
from applications.permissions import REVIEWER_ROLES
from hackathon.models import Event, Milestone
from hackathon.sections import attention_item

Status = Application.Status


def home_application(*, request, event: Event, roles: set[str], now: datetime, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: the applicant's status and what to do next. Shown to people without a role too (their
    step is to apply), and not to staff who never applied."""
    application = selectors.application_of_user(user=request.user, event=event)
    if application is None and roles:
        return None
    slug = {"event_slug": event.slug}
    apply_url = reverse("applications:apply", kwargs=slug)
    status_url = reverse("applications:status", kwargs=slug)
    window_open = event.applications_open(now)
    section: dict[str, Any] = {"application": application, "event": event, "now": now, "deadline": None}
    if application is None or (application.status == Status.WITHDRAWN and window_open):
        if window_open:
            section.update(
                text=_("You have not applied yet. Applications are open."),
                next_url=apply_url,
                next_label=_("Apply now"),
                deadline=Milestone("applications_close", _("Applications close"), event.applications_close_at),
            )
        elif now < event.applications_open_at:
            section.update(
                text=_("Applications are not open yet. Come back when they open."),
                deadline=Milestone("applications_open", _("Applications open"), event.applications_open_at),
            )
        else:
            section.update(
                text=_("Applications for this event are closed. Look for another event that is open."),
                next_url=reverse("event_list"),
                next_label=_("See open events"),
            )
        return section
    status = application.status
    if status in Application.OPEN_STATUSES and window_open:
        section.update(
            text=_("Your application is in. You can still change it until applications close."),
            next_url=apply_url,
            next_label=_("Edit your application"),
            deadline=Milestone("applications_close", _("Applications close"), event.applications_close_at),
        )
    elif status in Application.OPEN_STATUSES:
        section.update(
            text=_("Screening is under way: wait for the decision, which comes by email and on your status page."),
            next_url=status_url,
            next_label=_("See your application"),
            deadline=Milestone("finalists", _("Finalists announced"), event.screening_ends_at),
        )
    elif status == Status.ACCEPTED:
        section.update(
            text=_("You were selected as a finalist. Accept your place before the offer expires."),
            next_url=status_url,
            next_label=_("Answer the offer"),
            deadline=Milestone("offer", _("Answer the finalist offer"), application.offer_expires_at)
            if application.offer_expires_at
            else None,
        )
    elif status == Status.CONFIRMED:
        section.update(
            text=_("You are a confirmed finalist. Show your check-in code at the venue."),
            next_url=status_url,
            next_label=_("Your check-in code"),
        )
    elif status == Status.WAITLISTED:
        position = selectors.waitlist_position(application)
        section.update(
            text=_("You are number %(position)s on the waitlist. We email you if a place opens.")
            % {"position": position or "–"},
            next_url=status_url,
            next_label=_("See your application"),
        )
    else:
        section.update(
            text=_("This application is closed. You can apply to another event that is open."),
            next_url=reverse("event_list"),
            next_label=_("See open events"),
        )
    return section


def home_screening(*, request, event: Event, roles: set[str], **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention: applications the reviewer or organizer has not scored yet."""
    if not roles & set(REVIEWER_ROLES):
        return None
    left = selectors.applications_left_to_review(event=event, user=request.user)
    return attention_item(
        event,
        key="screening",
        count=left,
        text=_("applications you have not scored yet"),
        url_name="applications:screening",
        next_label=_("Screen applications"),
    )


def event_home_cta(**kwargs: Any) -> dict[str, Any]:
    """The landing page's next step for someone who applied: their application (to confirm a place, if offered).
    Empty for anyone else, and after a withdrawal while applications are still open (they may apply again)."""
    event, request = kwargs["event"], kwargs["request"]
    application = selectors.application_of_user(user=request.user, event=event)
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
