"""The landing page's Apply button survives sign-up, in a real Chromium: an anonymous visitor presses Apply, signs
up, and lands on that event's application form (not on the home page)."""

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from hackathon.tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("language", ["en", "ko"])
def test_anonymous_visitor_applies_through_sign_up(new_context, axe_check, language):
    EventFactory(slug="other-event")  # the form must be this event's, not any
    event = EventFactory(
        tagline_ko="지금 지원하세요",
        tagline_en="Apply now",
        faq_en="Q: Fee?\nA: None.",
        faq_ko="Q: 참가비?\nA: 없습니다.",
    )
    page = new_context(locale="ko-KR" if language == "ko" else "en-US").new_page()
    page.goto(f"/e/{event.slug}/")
    expect(page.get_by_test_id("tagline")).to_have_text("지금 지원하세요" if language == "ko" else "Apply now")
    axe_check(page, where=f"landing {language}")

    page.get_by_test_id("apply-cta").click()
    expect(page).to_have_url(re.compile(r"/accounts/signup/\?next=%2Fe%2F" + event.slug + r"%2Fapply%2F$"))
    email = f"newcomer-{language}@example.com"
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=name]").fill("New Comer")
    page.locator("input[name=password1]").fill("a-long-passphrase-1")
    page.locator("input[name=password2]").fill("a-long-passphrase-1")
    page.locator("main form button[type=submit]").click()

    expect(page).to_have_url(re.compile(rf"/e/{event.slug}/apply/$"))
    expect(page.locator("select[name=track]")).to_be_visible()  # the application form itself
    assert User.objects.filter(email=email).exists()

    # Back on the landing page, the signed-in person is offered the form directly.
    page.goto(f"/e/{event.slug}/")
    expect(page.get_by_test_id("apply-cta")).to_have_attribute("href", f"/e/{event.slug}/apply/")
