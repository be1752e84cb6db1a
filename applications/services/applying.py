"""Applicants: submit, edit and withdraw their one application while applications are open."""

from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application
from core.exceptions import DomainError
from hackathon.models import Event, Track
from hackathon.services import audit_record, model_update_audited

EDITABLE_FIELDS = (
    "track",
    "experience",
    "skills",
    "portfolio_url",
    "motivation",
    "sdk_training_completed",
    "sdk_training_completed_on",
)


def _local(event: Event, moment: datetime) -> str:
    return f"{date_format(timezone.localtime(moment, event.tz), 'DATETIME_FORMAT')} ({event.time_zone})"


def check_applications_open(event: Event, now: datetime) -> None:
    """Refuse outside the application window; the message names the window in the event's time zone."""
    if now < event.applications_open_at:
        raise DomainError(
            _("Applications open on %(when)s.") % {"when": _local(event, event.applications_open_at)}, code="not_open"
        )
    if now >= event.applications_close_at:
        raise DomainError(
            _("Applications closed on %(when)s. Applications and changes are no longer accepted.")
            % {"when": _local(event, event.applications_close_at)},
            code="closed",
        )


def _check_answers(
    *, track: str, sdk_training_completed: bool, sdk_training_completed_on: date | None, now: datetime
) -> None:
    if track not in Track.values:
        raise DomainError(_("Choose one of the four tracks."), field="track")
    if sdk_training_completed_on and not sdk_training_completed:
        raise DomainError(
            _("A training date only makes sense if you completed the training."), field="sdk_training_completed_on"
        )
    if sdk_training_completed_on and sdk_training_completed_on > timezone.localdate(now):
        raise DomainError(_("The training date cannot be in the future."), field="sdk_training_completed_on")


def application_submit(
    *,
    event: Event,
    user: User,
    track: str,
    experience: str,
    skills: str,
    portfolio_url: str,
    motivation: str,
    sdk_training_completed: bool,
    sdk_training_completed_on: date | None = None,
    privacy_consent: bool,
    now: datetime | None = None,
) -> Application:
    """Insert first and let the unique constraint decide: the common case (a first application) costs one
    transaction with two INSERTs, and two racing submissions of the same person cannot both get in."""
    now = now or timezone.now()
    check_applications_open(event, now)
    if not privacy_consent:
        raise DomainError(_("Please accept the privacy notice to apply."), field="privacy_consent")
    _check_answers(
        track=track,
        sdk_training_completed=sdk_training_completed,
        sdk_training_completed_on=sdk_training_completed_on,
        now=now,
    )
    answers = {
        "track": track,
        "experience": experience,
        "skills": skills.strip(),
        "portfolio_url": portfolio_url,
        "motivation": motivation.strip(),
        "sdk_training_completed": sdk_training_completed,
        "sdk_training_completed_on": sdk_training_completed_on if sdk_training_completed else None,
    }
    try:
        return _application_insert(event=event, user=user, answers=answers, now=now)
    except IntegrityError:
        return _application_resubmit(event=event, user=user, answers=answers, now=now)


@transaction.atomic
def _application_insert(*, event: Event, user: User, answers: dict, now: datetime) -> Application:
    application = Application.objects.create(event=event, user=user, privacy_consent_at=now, **answers)
    audit_record(event=event, actor=user, action="application.submit", target=application, track=answers["track"])
    return application


@transaction.atomic
def _application_resubmit(*, event: Event, user: User, answers: dict, now: datetime) -> Application:
    """The person already has a row: refuse, unless they withdrew it, in which case it is revived."""
    existing = Application.objects.select_for_update().get(event=event, user=user)
    if existing.status != Application.Status.WITHDRAWN:
        raise DomainError(
            _("You have already applied to this event. You can edit your application instead."), code="duplicate"
        )
    for name, value in answers.items():
        setattr(existing, name, value)
    existing.status = Application.Status.SUBMITTED
    existing.privacy_consent_at = now
    existing.save()
    audit_record(event=event, actor=user, action="application.resubmit", target=existing, track=answers["track"])
    return existing


def _own_application_lock(*, application_id: int, user: User) -> Application:
    application = Application.objects.select_for_update().select_related("event").filter(pk=application_id).first()
    if application is None or application.user_id != user.pk:
        raise PermissionDenied
    return application


@transaction.atomic
def application_update(*, application_id: int, user: User, now: datetime | None = None, **fields: Any) -> Application:
    now = now or timezone.now()
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise TypeError(f"Unknown application fields: {sorted(unknown)}")
    application = _own_application_lock(application_id=application_id, user=user)
    check_applications_open(application.event, now)
    if not application.is_open:
        raise DomainError(_("This application can no longer be edited."))
    merged = {name: fields.get(name, getattr(application, name)) for name in EDITABLE_FIELDS}
    _check_answers(
        track=merged["track"],
        sdk_training_completed=merged["sdk_training_completed"],
        sdk_training_completed_on=merged["sdk_training_completed_on"],
        now=now,
    )
    if not merged["sdk_training_completed"]:
        merged["sdk_training_completed_on"] = None
    model_update_audited(
        instance=application,
        data=merged,
        fields=EDITABLE_FIELDS,
        event=application.event,
        actor=user,
        action="application.update",
    )
    return application


@transaction.atomic
def application_withdraw(*, application_id: int, user: User, now: datetime | None = None) -> Application:
    now = now or timezone.now()
    application = _own_application_lock(application_id=application_id, user=user)
    check_applications_open(application.event, now)
    if not application.is_open:
        raise DomainError(_("This application can no longer be withdrawn."))
    application.status = Application.Status.WITHDRAWN
    application.decision = Application.Decision.UNDECIDED
    application.waitlist_rank = None
    application.save(update_fields=["status", "decision", "waitlist_rank", "updated_at"])
    audit_record(event=application.event, actor=user, action="application.withdraw", target=application)
    return application
