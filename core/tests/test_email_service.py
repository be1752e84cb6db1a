import pytest

from core.models import OutboundEmail
from core.services import EMAIL_MAX_ATTEMPTS, email_queue, email_send

pytestmark = pytest.mark.django_db


def test_email_is_only_handed_to_the_worker_after_commit(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        email = email_queue(to="a@example.com", subject="Hi\nthere", body="Body")
    assert len(callbacks) == 1
    assert email.subject == "Hi there"  # header injection is impossible


def test_sending_twice_sends_once(settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email = OutboundEmail.objects.create(to="a@example.com", subject="S", body="B")
    email_send(email_id=email.pk)
    email_send(email_id=email.pk)  # a redelivered message
    assert len(mailoutbox) == 1
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.SENT
    assert email.attempts == 1


def test_last_attempt_marks_the_email_failed(settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9
    email = OutboundEmail.objects.create(to="a@example.com", subject="S", body="B", attempts=EMAIL_MAX_ATTEMPTS - 1)
    with pytest.raises(OSError):
        email_send(email_id=email.pk)
    email.refresh_from_db()
    assert email.status == OutboundEmail.Status.FAILED
    assert email.last_error


def test_a_delivery_claims_the_row_so_an_overlapping_one_sends_nothing(settings, mailoutbox):
    from datetime import timedelta

    from django.utils import timezone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email = OutboundEmail.objects.create(to="a@example.com", subject="S", body="B")
    # Another delivery holds the row (its lease is live): this one must not send.
    OutboundEmail.objects.filter(pk=email.pk).update(
        claim_token="other", lease_expires_at=timezone.now() + timedelta(seconds=60)
    )
    email_send(email_id=email.pk)
    assert mailoutbox == []
    assert OutboundEmail.objects.get(pk=email.pk).attempts == 0
    # Its lease runs out (that worker died mid-send): the next delivery takes the row and sends.
    OutboundEmail.objects.filter(pk=email.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))
    email_send(email_id=email.pk)
    assert len(mailoutbox) == 1
    assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.SENT


def test_the_sweeper_resends_only_what_is_due_and_pushes_the_schedule(settings):
    from datetime import timedelta

    from django.utils import timezone

    from core.services import emails_resend_due

    now = timezone.now()
    due = OutboundEmail.objects.create(to="a@example.com", subject="S", body="B", next_attempt_at=now)
    later = OutboundEmail.objects.create(
        to="b@example.com", subject="S", body="B", next_attempt_at=now + timedelta(minutes=5)
    )
    sent = OutboundEmail.objects.create(
        to="c@example.com", subject="S", body="B", status=OutboundEmail.Status.SENT, next_attempt_at=now
    )
    assert emails_resend_due(now=now) == 1
    due.refresh_from_db()
    assert due.next_attempt_at == now + timedelta(seconds=settings.EMAIL_RESEND_AFTER_SECONDS)
    assert emails_resend_due(now=now) == 0  # not again until its new time
    later.refresh_from_db()
    sent.refresh_from_db()
    assert later.next_attempt_at > now and sent.status == OutboundEmail.Status.SENT
