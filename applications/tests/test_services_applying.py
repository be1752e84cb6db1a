from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError
from django.utils import timezone

from applications import services
from applications.models import Application
from applications.tests.factories import ApplicationFactory
from core.exceptions import DomainError
from hackathon.models import AuditEntry
from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db

ANSWERS = {
    "track": "backend",
    "experience": "mid",
    "skills": "Python, Django",
    "portfolio_url": "https://github.com/someone",
    "motivation": "Serve a model on an NPU.",
    "sdk_training_completed": True,
    "sdk_training_completed_on": None,
}


def submit(event, user, **overrides):
    return services.application_submit(event=event, user=user, privacy_consent=True, **{**ANSWERS, **overrides})


def test_submit_stores_the_answers_and_an_audit_entry(event, make_user):
    user = make_user()
    application = submit(event, user)
    assert application.status == Application.Status.SUBMITTED
    assert application.track == "backend"
    assert application.privacy_consent_at is not None
    assert AuditEntry.objects.filter(action="application.submit", target_id=str(application.pk)).exists()


def test_a_second_application_to_the_same_event_is_refused(event, make_user):
    user = make_user()
    submit(event, user)
    with pytest.raises(DomainError) as error:
        submit(event, user, track="ai")
    assert error.value.code == "duplicate"
    assert Application.objects.filter(event=event, user=user).count() == 1


def test_the_database_refuses_duplicates_too(event, make_user):
    user = make_user()
    ApplicationFactory(event=event, user=user)
    with pytest.raises(IntegrityError):
        ApplicationFactory(event=event, user=user)


def test_the_same_person_may_apply_to_another_event(event, make_user):
    user = make_user()
    submit(event, user)
    submit(EventFactory(), user)
    assert Application.objects.filter(user=user).count() == 2


def test_late_application_is_refused_with_the_deadline_in_the_event_time_zone(make_user):
    event = EventFactory(time_zone="Asia/Seoul")
    user = make_user()
    after_close = event.applications_close_at + timedelta(seconds=1)
    with pytest.raises(DomainError) as error:
        submit(event, user, now=after_close)
    assert error.value.code == "closed"
    local = timezone.localtime(event.applications_close_at, event.tz)
    assert "Asia/Seoul" in str(error.value)
    assert str(local.year) in str(error.value)
    assert not Application.objects.exists()


def test_application_exactly_at_the_deadline_is_late(event, make_user):
    with pytest.raises(DomainError):
        submit(event, make_user(), now=event.applications_close_at)


def test_application_before_opening_is_refused(event, make_user):
    with pytest.raises(DomainError) as error:
        submit(event, make_user(), now=event.applications_open_at - timedelta(minutes=1))
    assert error.value.code == "not_open"


def test_privacy_consent_is_required(event, make_user):
    with pytest.raises(DomainError) as error:
        services.application_submit(event=event, user=make_user(), privacy_consent=False, **ANSWERS)
    assert error.value.field == "privacy_consent"


def test_training_date_cannot_be_in_the_future(event, make_user):
    with pytest.raises(DomainError):
        submit(event, make_user(), sdk_training_completed_on=timezone.localdate() + timedelta(days=2))


def test_edit_until_close_then_refused(event, make_user):
    user = make_user()
    application = submit(event, user)
    services.application_update(application_id=application.pk, user=user, track="ai", sdk_training_completed=False)
    application.refresh_from_db()
    assert application.track == "ai"
    with pytest.raises(DomainError):
        services.application_update(
            application_id=application.pk, user=user, track="pm", now=event.applications_close_at
        )


def test_only_the_applicant_edits_or_withdraws(event, make_user):
    application = submit(event, make_user())
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        services.application_update(application_id=application.pk, user=stranger, track="pm")
    with pytest.raises(PermissionDenied):
        services.application_withdraw(application_id=application.pk, user=stranger)


def test_withdraw_then_apply_again_reuses_the_row(event, make_user):
    user = make_user()
    application = submit(event, user)
    services.application_withdraw(application_id=application.pk, user=user)
    application.refresh_from_db()
    assert application.status == Application.Status.WITHDRAWN
    again = submit(event, user, track="pm")
    assert again.pk == application.pk
    assert again.status == Application.Status.SUBMITTED
    assert again.track == "pm"


def test_withdraw_after_close_is_refused(event, make_user):
    user = make_user()
    application = submit(event, user)
    with pytest.raises(DomainError):
        services.application_withdraw(application_id=application.pk, user=user, now=event.applications_close_at)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_submissions_of_one_person_store_one_row(make_user):
    from core.testing import run_concurrently

    event = EventFactory()
    user = make_user()
    results = run_concurrently(lambda i: submit(event, user, track=["ai", "pm"][i]), 2)
    assert sum(isinstance(r, Application) for r in results) == 1
    assert [r.code for r in results if isinstance(r, DomainError)] == ["duplicate"]
    assert Application.objects.filter(event=event, user=user).count() == 1
