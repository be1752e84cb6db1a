"""Outbound email: recorded in the request's transaction, sent by a worker, retried from the database.

A delivery claims the row first (core.leased_work.row_claim), so a redelivered or doubled message never sends
twice. Retries are scheduled in the row (next_attempt_at) and the beat sweeper resends what is due, so an email
survives the loss of its broker message.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from core.leased_work import row_claim
from core.models import OutboundEmail

logger = logging.getLogger("core.email")
EMAIL_MAX_ATTEMPTS = 5
Status = OutboundEmail.Status
PENDING = (Status.QUEUED, Status.RETRYING)


def retry_delay_seconds(attempts: int) -> int:
    return int(min(300, 5 * 2**attempts))


def _dispatch(email_id: int) -> None:
    from core.tasks import email_send

    try:
        email_send.delay(email_id)
    except Exception as exc:  # the broker is down: the sweeper sends it later
        logger.warning("could not hand email #%s to the broker (%s); the sweeper resends it", email_id, exc)


def email_queue(*, to: str, subject: str, body: str, html_body: str = "", purpose: str = "") -> OutboundEmail:
    """Record an email and hand it to a worker once the surrounding transaction commits."""
    email = OutboundEmail.objects.create(
        to=to,
        subject=subject.strip().replace("\n", " ")[:255],
        body=body,
        html_body=html_body,
        purpose=purpose,
        # If the message never reaches a worker (broker down, message lost), the sweeper sends it after this.
        next_attempt_at=timezone.now() + timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS),
    )
    transaction.on_commit(lambda: _dispatch(email.pk))
    return email


def email_send(*, email_id: int) -> OutboundEmail:
    """Send one pending email. Raises on a delivery error after recording it (and when to try again)."""
    token = row_claim(
        OutboundEmail.objects.filter(pk=email_id, status__in=PENDING),
        lease_until=timezone.now() + timedelta(seconds=settings.EMAIL_SEND_LEASE_SECONDS),
        attempts=F("attempts") + 1,
    )
    email = OutboundEmail.objects.get(pk=email_id)
    if token is None:
        return email  # sent already, failed for good, or another delivery holds it
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:
        final = email.attempts >= EMAIL_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk, claim_token=token).update(
            status=Status.FAILED if final else Status.RETRYING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
            lease_expires_at=None,
            next_attempt_at=None if final else timezone.now() + timedelta(seconds=retry_delay_seconds(email.attempts)),
        )
        raise
    OutboundEmail.objects.filter(pk=email.pk, claim_token=token).update(
        status=Status.SENT, sent_at=timezone.now(), last_error="", lease_expires_at=None, next_attempt_at=None
    )
    email.refresh_from_db()
    return email


def emails_resend_due(*, now: datetime | None = None, batch: int = 500) -> int:
    """Beat: hand every pending email whose next attempt is due (and that no delivery holds) to a worker again."""
    now = now or timezone.now()
    due = (
        OutboundEmail.objects.filter(status__in=PENDING, next_attempt_at__lte=now)
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:batch]
    )
    count = 0
    for pk in due:
        # Push the schedule forward first, so the next sweep does not send it again while this message waits.
        OutboundEmail.objects.filter(pk=pk).update(
            next_attempt_at=now + timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS)
        )
        _dispatch(pk)
        count += 1
    return count
