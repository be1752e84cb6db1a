"""A mentor publishes a shift, a team books a slot, the mentor sees it on their day; then a team raises a help
request and a mentor claims and closes it while the team's page updates by itself."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from mentoring.tests.factories import hacking_event, mentor, team_with_members
from teams.models import TeamMembership

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]


def log_in(context, email, next_url):
    page = context.new_page()
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url(re.compile(re.escape(next_url)))
    return page


def test_mentor_publishes_team_books_and_the_queue_updates_live(new_context):
    event = hacking_event()
    profile = mentor(event, tags=["npu_sdk"], can_log_in=True, name="김멘토", email="mentor@example.com")
    team, (leader,) = team_with_members(event, name="BlurCast", members=0)
    leader.set_password(TEST_PASSWORD)
    leader.save()
    assert TeamMembership.objects.filter(team=team, user=leader).exists()
    base = f"/e/{event.slug}/mentoring"

    mentor_page = log_in(new_context(), profile.user.email, f"{base}/mentor/")
    expect(mentor_page.get_by_test_id("no-sessions")).to_be_visible()
    mentor_page.get_by_test_id("publish-slots").click()
    day = timezone.localtime(event.hacking_starts_at, event.tz).date() + timedelta(days=1)
    shift = mentor_page.get_by_test_id("shift-form")
    shift.get_by_label("Day").fill(day.isoformat())
    shift.get_by_label("From").fill("14:00")
    shift.get_by_label("Until").fill("16:00")
    shift.get_by_test_id("publish-shift").click()
    expect(mentor_page.get_by_text("4 slots are published")).to_be_visible()

    team_page = log_in(new_context(), leader.email, f"{base}/team/")
    first = team_page.get_by_test_id("slot").first
    first.get_by_label("What do you need?").fill("Our INT8 model loses accuracy")
    first.get_by_test_id("book-slot").click()
    expect(team_page.get_by_test_id("my-bookings")).to_contain_text("김멘토")

    mentor_page.goto(f"{base}/mentor/")
    session = mentor_page.locator('[data-testid="session"][data-team="BlurCast"]')
    expect(session).to_contain_text("Our INT8 model loses accuracy")

    # The live queue: the team raises a request; the mentor claims it; the team's page shows who is coming.
    team_page.get_by_label("What is wrong?").fill("Compiler rejects GridSample")
    team_page.get_by_test_id("raise-help").click()
    expect(team_page.get_by_test_id("queue-status")).to_contain_text("number 1")
    mentor_page.goto(f"{base}/queue/")
    mentor_page.locator('[data-testid="open-request"][data-team="BlurCast"]').get_by_test_id("claim-request").click()
    expect(team_page.get_by_test_id("who-is-coming")).to_contain_text("김멘토", timeout=10_000)
    mentor_page.get_by_test_id("close-request").click()
    expect(team_page.get_by_test_id("help-history")).to_contain_text("Closed", timeout=10_000)
