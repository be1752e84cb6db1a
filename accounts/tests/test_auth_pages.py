"""allauth's pages in the site's layout and words: a narrow column, "Log in" on the page as in the header."""

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("url_name", ["account_login", "account_signup", "account_reset_password"])
def test_entrance_pages_render_in_the_narrow_column(client, url_name):
    body = client.get(reverse(url_name)).content.decode()
    assert '<main id="main" class="container auth-page">' in body
    assert 'class="site-header"' in body  # the site's own header, not allauth's bare page


def test_log_in_page_says_log_in_like_the_header_in_both_languages(client):
    body = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<h1>Log in</h1>" in body
    assert "Sign In" not in body
    assert ">Log in</button>" in body.replace("\n", "")
    ko = client.get(reverse("account_login"), HTTP_ACCEPT_LANGUAGE="ko").content.decode()
    assert "<h1>로그인</h1>" in ko


def test_sign_up_page_says_sign_up_like_the_header(client):
    body = client.get(reverse("account_signup")).content.decode()
    assert "<h1>Sign up</h1>" in body
    assert "Sign Up" not in body


def test_log_in_fields_use_the_design_system_and_mark_errors(client, make_user):
    make_user(email="someone@example.com")
    response = client.post(reverse("account_login"), {"login": "someone@example.com", "password": "wrong"})
    body = response.content.decode()
    assert response.status_code == 200
    assert '<label for="id_login">' in body
    assert 'class="form-errors" role="alert" tabindex="-1" data-form-errors' in body


def test_logging_in_still_works(client, make_user):
    person = make_user(email="someone@example.com")
    response = client.post(reverse("account_login"), {"login": person.email, "password": TEST_PASSWORD})
    assert response.status_code == 302
