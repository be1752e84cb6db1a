"""Decision emails. Queued inside the caller's transaction; a worker sends them (core.OutboundEmail records it)."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from applications.models import Application, decision_email_purpose
from core.i18n import in_language_of
from core.models import OutboundEmail
from core.services import email_queue


def _status_url(application: Application) -> str:
    base = getattr(settings, "HACKNPU_BASE_URL", "").rstrip("/")
    return base + reverse("applications:status", kwargs={"event_slug": application.event.slug})


def _answer_by(application: Application) -> str:
    moment = timezone.localtime(application.offer_expires_at, application.event.tz)
    return f"{date_format(moment, 'DATETIME_FORMAT')} ({application.event.time_zone})"


def decision_email_queue(
    application: Application, *, waitlist_position: int | None = None, promoted: bool = False
) -> OutboundEmail | None:
    """The decision email, written in the applicant's language (beat sends some of them: no request's language)."""
    with in_language_of(application.user):
        return _decision_email(application, waitlist_position=waitlist_position, promoted=promoted)


def _decision_email(application: Application, *, waitlist_position: int | None, promoted: bool) -> OutboundEmail | None:
    event = application.event
    name = application.user.display_name
    track = application.get_track_display()
    status = application.status
    context: dict[str, object] = {"name": name, "event": event.name, "track": track, "url": _status_url(application)}
    if status == Application.Status.ACCEPTED:
        context["deadline"] = _answer_by(application)
        if promoted:
            subject = _("A place opened up for you at %(event)s") % context
            intro = _("Good news, %(name)s: a place in the %(track)s track of %(event)s opened up and it is yours.")
        else:
            subject = _("You are a finalist of %(event)s") % context
            intro = _("Congratulations, %(name)s: you were selected as a %(track)s finalist of %(event)s.")
        body = "\n\n".join(
            [
                intro % context,
                _("Please confirm or decline by %(deadline)s on your status page: %(url)s") % context,
                _("If you do not answer in time, your place goes to the next person on the waitlist."),
            ]
        )
    elif status == Application.Status.WAITLISTED:
        context["position"] = waitlist_position
        subject = _("You are on the waitlist for %(event)s") % context
        body = "\n\n".join(
            [
                _(
                    "Thank you, %(name)s. The %(track)s track of %(event)s is full for now, and you are number %(position)s on its waitlist."
                )
                % context,
                _("If a place opens up, we will email you at once. Your status page: %(url)s") % context,
            ]
        )
    elif status == Application.Status.REJECTED:
        subject = _("Your application to %(event)s") % context
        body = _("Thank you for applying, %(name)s. We could not offer you a place at %(event)s this time.") % context
    elif status == Application.Status.EXPIRED:
        subject = _("Your offer for %(event)s has expired") % context
        body = (
            _(
                "%(name)s, we did not hear from you before the deadline, so your place at %(event)s went to the next person on the waitlist."
            )
            % context
        )
    else:
        return None
    return email_queue(to=application.user.email, subject=subject, body=body, purpose=decision_email_purpose(event.pk))
