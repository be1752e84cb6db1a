"""404, 403 and 500 in the site's design and language, each with the next step."""

import pytest
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from accounts.tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_404_speaks_korean_to_a_korean_visitor_and_offers_the_way_back(client):
    response = client.get("/e/no-such-event/", HTTP_ACCEPT_LANGUAGE="ko")
    body = response.content.decode()
    assert response.status_code == 404
    assert '<html lang="ko">' in body
    assert "페이지를 찾을 수 없습니다" in body  # Page not found
    assert f'href="{reverse("home")}" role="button">행사 목록으로<' in body  # Back to the events
    assert f'href="{reverse("account_login")}?next=/e/no-such-event/"' in body
    assert "Not Found" not in body


def test_404_of_an_event_page_for_an_outsider_is_the_same_page(client, event, make_user):
    outsider = make_user()
    client.login(email=outsider.email, password=TEST_PASSWORD)
    response = client.get(reverse("applications:screening", kwargs={"event_slug": event.slug}))
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert 'href="/accounts/login/' not in response.content.decode()  # already signed in


def test_403_says_which_account_lacks_the_role_and_what_to_do(client, make_user):
    person = make_user(name="김해커")
    client.login(email=person.email, password=TEST_PASSWORD)
    response = client.get(reverse("event_create"), HTTP_ACCEPT_LANGUAGE="en")
    body = response.content.decode()
    assert response.status_code == 403
    assert "You cannot do this" in body
    assert "You are logged in as 김해커" in body
    assert f'href="{reverse("accounts:profile")}"' in body


def test_500_renders_without_the_database_or_a_request_context(django_assert_num_queries):
    request = RequestFactory().get("/broken/")
    with translation.override("ko"), django_assert_num_queries(0):
        response = server_error(request)
    body = response.content.decode()
    assert response.status_code == 500
    assert '<html lang="ko">' in body
    assert "문제가 발생했습니다" in body  # Something went wrong
    assert f'href="{reverse("home")}" role="button">' in body
    assert "/static/css/app.css" in body
