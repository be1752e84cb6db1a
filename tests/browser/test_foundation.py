"""A new person signs up, logs in, switches to Korean and opens the event home — in a real Chromium."""

import re

import pytest
from playwright.sync_api import expect

from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_sign_up_log_in_switch_to_korean_and_open_the_event(page):
    event = EventFactory(name="FuriosaAI NPU Hackathon", timeline=timeline_at("hacking"))

    page.goto("/")
    expect(page.get_by_role("heading", name="NPU hackathons")).to_be_visible()
    page.get_by_role("link", name="Sign up").click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.get_by_label("Name").fill("김뉴비")
    page.locator("#id_password1").fill("warboy-npu-2026!")
    page.locator("#id_password2").fill("warboy-npu-2026!")
    page.get_by_role("button", name="Sign up").click()
    expect(page.get_by_test_id("profile-link")).to_have_text("김뉴비")

    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.click()
    page.get_by_label("Email").fill("newcomer@example.com")
    page.locator("#id_password").fill("warboy-npu-2026!")
    page.get_by_role("main").get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("profile-link")).to_have_text("김뉴비")

    page.get_by_label("Language").select_option("ko")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    page.get_by_role("link", name=event.name).first.click()
    expect(page.get_by_test_id("phase")).to_have_text("해킹")
    expect(page.get_by_role("heading", name="타임라인")).to_be_visible()
    # The countdown ticks in the browser (app.js), so it shows h:mm:ss, not the server's "x hours" text.
    expect(page.locator("[data-countdown]")).to_have_text(re.compile(r"\d{2}:\d{2}:\d{2}"))
