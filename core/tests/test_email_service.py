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
