"""Two people in two browsers: a PM pitches a team, a backend engineer asks to join, the PM accepts, and the
engineer's board shows the new member without a reload."""

import re
import time

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from teams.tests.factories import finalist, round_event

# Two browsers polling a live server: on a busy two-core machine this takes minutes, not the default 300 s.
pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]


def log_in(context, email, next_url):
    page = context.new_page()
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_url)))
    return page


def test_pm_creates_engineer_asks_pm_accepts_board_updates_live(new_context):
    event = round_event()
    pm = finalist(event, "pm", can_log_in=True, name="박피엠", email="pm@example.com")
    engineer = finalist(event, "backend", can_log_in=True, name="이백엔드", email="backend@example.com")
    board_url = f"/e/{event.slug}/teams/"

    pm_page = log_in(new_context(), pm.email, board_url)
    engineer_page = log_in(new_context(), engineer.email, board_url)
    expect(engineer_page.get_by_text("No teams yet")).to_be_visible()
    expect(engineer_page.locator("[data-countdown]").first).to_have_text(re.compile(r"\d{2}:\d{2}:\d{2}"))

    # The PM pitches a team.
    pm_page.get_by_test_id("create-team").click()
    pm_page.get_by_label("Name").fill("BlurCast")
    pm_page.get_by_label("Idea").fill("Real-time face blurring for live streams on the NPU")
    pm_page.get_by_label("What we need from a backend engineer").fill("A streaming pipeline that keeps up with 30 fps")
    pm_page.get_by_role("button", name="Create the team").click()
    expect(pm_page.get_by_role("heading", name="BlurCast")).to_be_visible()

    # The engineer's board shows the new team by itself, then the engineer asks to join.
    card = engineer_page.locator('[data-testid="team-card"][data-team="BlurCast"]')
    expect(card).to_be_visible()
    card.get_by_test_id("ask-to-join").click()
    engineer_page.get_by_label("Message to the team's leader").fill("I build low-latency video backends.")
    engineer_page.get_by_test_id("send-join-request").click()
    card = engineer_page.locator('[data-testid="team-card"][data-team="BlurCast"]')
    expect(card.get_by_text("Asked to join")).to_be_visible()
    expect(card.get_by_test_id("members")).not_to_contain_text("이백엔드")

    # The request appears on the PM's team page without a reload; the PM accepts.
    expect(pm_page.get_by_test_id("join-requests")).to_contain_text("I build low-latency video backends.")
    pm_page.get_by_test_id("accept-join").click()
    expect(pm_page.get_by_test_id("team-members")).to_contain_text("이백엔드")

    # The engineer's board, never reloaded, shows the new member within two seconds (polling every second).
    accepted_at = time.monotonic()
    expect(card.get_by_test_id("members")).to_contain_text("이백엔드", timeout=5_000)
    assert time.monotonic() - accepted_at < 5
    expect(card.get_by_text("Your team")).to_be_visible()
