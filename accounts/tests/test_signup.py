import pytest
from django.urls import reverse

from accounts.models import User
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_signup_queues_the_confirmation_email_instead_of_sending_in_the_request(
    client, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(
            reverse("account_signup"),
            {
                "email": "New@Example.com",
                "name": "김해커",
                "password1": "npu-warboy-2026!",
                "password2": "npu-warboy-2026!",
            },
        )
    assert response.status_code == 302
    user = User.objects.get(email__iexact="new@example.com")
    assert user.name == "김해커"
    assert mailoutbox == []  # nothing sent inside the request
    email = OutboundEmail.objects.get(to__iexact="new@example.com")
    assert email.status == OutboundEmail.Status.QUEUED
    assert "confirm" in email.body.lower()
    assert len(callbacks) == 1


def test_signup_rejects_a_duplicate_email(client, make_user):
    make_user(email="taken@example.com")
    response = client.post(
        reverse("account_signup"),
        {"email": "taken@example.com", "name": "X", "password1": "npu-warboy-2026!", "password2": "npu-warboy-2026!"},
    )
    assert response.status_code == 200
    assert User.objects.filter(email__iexact="taken@example.com").count() == 1


def test_profile_and_token_rotation(client, make_user):
    user = make_user()
    client.force_login(user)
    client.post(reverse("accounts:api_token_rotate"))
    first = user.auth_token.key
    client.post(reverse("accounts:api_token_rotate"))
    user.refresh_from_db()
    assert user.auth_token.key != first
    response = client.post(reverse("accounts:profile"), {"name": "새 이름"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.name == "새 이름"


def test_profile_needs_login(client):
    response = client.get(reverse("accounts:profile"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
