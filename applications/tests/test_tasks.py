"""Decision emails and RSVP expiry through a real Celery worker process."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.tests.factories import TEST_PASSWORD
from applications import services, tasks
from applications.models import Application, SelectionSettings, decision_email_purpose
from core.models import OutboundEmail
from core.testing import wait_for

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]
Status = Application.Status


def decide(event, organizer, scored):
    """Quota 1 in "ai": one accepted, two waitlisted; decisions sent (the emails are queued on commit)."""
    services.selection_settings_ensure(event=event)
    event.track_places.filter(track="ai").update(places=1)
    SelectionSettings.objects.filter(event=event).update(rsvp_deadline=timezone.now() + timedelta(days=2))
    applications = [scored("ai", [5]), scored("ai", [4]), scored("ai", [3])]
    services.selection_propose(event=event, proposed_by=organizer)
    services.selection_decisions_send(event=event, sent_by=organizer)
    return applications


def test_decisions_and_expiry_go_through_the_worker(
    start_worker, mail_dir, screening_event, screening_organizer, scored
):
    start_worker(queues=("default",), env={"EMAIL_FILE_PATH": str(mail_dir)})
    accepted, first_waiting, _second = decide(screening_event, screening_organizer, scored)
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(screening_event.pk))
    wait_for(
        lambda: emails.filter(status=OutboundEmail.Status.SENT).count() == 3,
        timeout=60,
        message="decision emails not sent",
    )
    written = "".join(path.read_text() for path in mail_dir.iterdir())
    assert f"To: {accepted.user.email}" in written
    assert "waitlist" in written

    # The beat task, run by the worker: the accepted applicant's deadline passed.
    Application.objects.filter(pk=accepted.pk).update(offer_expires_at=timezone.now() - timedelta(minutes=1))
    tasks.offers_expire.delay()
    wait_for(
        lambda: Application.objects.get(pk=first_waiting.pk).status == Status.ACCEPTED,
        timeout=60,
        message="not promoted",
    )
    assert Application.objects.get(pk=accepted.pk).status == Status.EXPIRED
    wait_for(
        lambda: emails.filter(status=OutboundEmail.Status.SENT).count() == 5,
        timeout=60,
        message="expiry emails not sent",
    )
    assert emails.filter(to=first_waiting.user.email, subject__icontains="opened up").exists()


def test_a_failed_send_is_retried_and_shown_to_organizers(
    start_worker, client, screening_event, screening_organizer, scored
):
    start_worker(
        queues=("default",),
        env={
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": "9",
        },
    )
    decide(screening_event, screening_organizer, scored)
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(screening_event.pk))
    wait_for(
        lambda: emails.filter(status=OutboundEmail.Status.RETRYING).count() == 3,
        timeout=60,
        message="failures not recorded",
    )
    assert all(email.last_error for email in emails)
    client.login(email=screening_organizer.email, password=TEST_PASSWORD)
    page = client.get(reverse("applications:selection", kwargs={"event_slug": screening_event.slug})).content.decode()
    assert re.search(r'data-testid="email-retrying">\s*<span class="stat-card__value">3<', page)
    assert "refused" in page.lower()
