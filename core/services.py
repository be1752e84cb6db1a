from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from core.models import OutboundEmail

EMAIL_MAX_ATTEMPTS = 5


def email_queue(*, to: str, subject: str, body: str, html_body: str = "", purpose: str = "") -> OutboundEmail:
    """Record an email and hand it to a worker once the surrounding transaction commits."""
    from core.tasks import email_send

    email = OutboundEmail.objects.create(
        to=to, subject=subject.strip().replace("\n", " ")[:255], body=body, html_body=html_body, purpose=purpose
    )
    transaction.on_commit(lambda: email_send.delay(email.pk))
    return email


def email_send(*, email_id: int) -> OutboundEmail:
    """Send one queued email. Raises on a delivery error after recording it, so the task can retry."""
    with transaction.atomic():
        email = OutboundEmail.objects.select_for_update().get(pk=email_id)
        if email.status == OutboundEmail.Status.SENT:
            return email  # a redelivered message must not send twice
        email.attempts += 1
        email.save(update_fields=["attempts"])
    message = EmailMultiAlternatives(subject=email.subject, body=email.body, to=[email.to])
    if email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    try:
        message.send()
    except Exception as exc:
        final = email.attempts >= EMAIL_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=email.pk).update(
            status=OutboundEmail.Status.FAILED if final else OutboundEmail.Status.RETRYING,
            last_error=f"{type(exc).__name__}: {exc}"[:2000],
        )
        raise
    OutboundEmail.objects.filter(pk=email.pk).update(
        status=OutboundEmail.Status.SENT, sent_at=timezone.now(), last_error=""
    )
    email.refresh_from_db()
    return email
