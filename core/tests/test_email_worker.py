"""The notification email round-trips through the real broker (Redis in CI) to a real worker process."""

import pytest
from django.db import transaction

from core.models import OutboundEmail
from core.services import email_queue
from core.testing import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_queued_email_is_sent_by_a_worker_process(start_worker, mail_dir):
    start_worker(queues=("default",), env={"EMAIL_FILE_PATH": str(mail_dir)})

    with transaction.atomic():
        email = email_queue(to="finalist@example.com", subject="You are a finalist", body="See you in Seoul.")
        # Nothing is sent before the transaction commits.
        assert OutboundEmail.objects.get(pk=email.pk).status == OutboundEmail.Status.QUEUED

    sent = wait_for(
        lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENT).first(),
        timeout=30,
        message="the worker did not send the email",
    )
    assert sent.attempts == 1
    assert sent.sent_at is not None
    written = "".join(path.read_text() for path in mail_dir.iterdir())
    assert "To: finalist@example.com" in written
    assert "See you in Seoul." in written


def test_failed_send_is_recorded_and_retried_not_silent(start_worker):
    # Nothing listens on port 9: every SMTP attempt fails.
    start_worker(
        queues=("default",),
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "9",
        },
    )
    with transaction.atomic():
        email = email_queue(to="someone@example.com", subject="Hello", body="Body")

    failed = wait_for(
        lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.RETRYING).first(),
        timeout=30,
        message="the failed send was not recorded",
    )
    assert failed.attempts >= 1
    assert "ConnectionRefusedError" in failed.last_error or "refused" in failed.last_error.lower()
    assert failed.sent_at is None


def test_an_email_whose_message_was_lost_is_sent_from_the_database(start_worker, mail_dir):
    """No broker message ever named this email (it was lost with Redis): the sweeper finds it in the database."""
    from django.utils import timezone

    from core.services import emails_resend_due

    email = OutboundEmail.objects.create(
        to="lost@example.com", subject="Lost", body="Found again.", next_attempt_at=timezone.now()
    )
    start_worker(queues=("default",), env={"EMAIL_FILE_PATH": str(mail_dir)})
    assert emails_resend_due() == 1
    wait_for(
        lambda: OutboundEmail.objects.filter(pk=email.pk, status=OutboundEmail.Status.SENT).first(),
        timeout=30,
        message="the swept email was not sent",
    )
    assert "Found again." in "".join(path.read_text() for path in mail_dir.iterdir())
