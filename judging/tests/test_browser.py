"""Two judges score a team on a tablet; the organizer closes judging, sees the ranking, confirms the awards and
publishes; an anonymous visitor reads the results in Korean."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from hackathon.models import EventRole
from judging import services
from judging.tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

TABLET = {"width": 820, "height": 1180}


def log_in(context, email, next_url):
    page = context.new_page()
    page.goto(f"/accounts/login/?next={next_url}")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(TEST_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(re.compile(re.escape(next_url)))
    return page


def confirm(page):
    page.locator("#confirm-dialog [data-confirm-ok]").click()


def test_judges_score_on_a_tablet_and_the_organizer_publishes_the_results(new_context):
    event = factories.judging_event()
    organizer = UserFactory(email="organizer@example.com", name="Olivia Organizer")
    EventRole.objects.create(event=event, user=organizer, role=EventRole.Role.ORGANIZER)
    judges = []
    for n in (1, 2):
        judge = UserFactory(email=f"judge{n}@example.com", name=f"Judge {n}")
        EventRole.objects.create(event=event, user=judge, role=EventRole.Role.JUDGE)
        judges.append(judge)
    _blurcast, shelfsight = factories.teams(event, ["BlurCast", "ShelfSight"])
    services.judging_open(event=event, opened_by=organizer)
    base = f"/e/{event.slug}/judging"

    for judge, value in zip(judges, ("9", "8"), strict=True):
        page = log_in(new_context(viewport=TABLET), judge.email, f"{base}/judge/")
        expect(page.get_by_test_id("judge-teams")).to_contain_text("BlurCast")
        page.get_by_role("link", name="BlurCast").click()
        # The submissions app shows the team's submission (none yet) through the judging.team section.
        expect(page.get_by_test_id("judging-team-submission")).to_be_visible()
        expect(page.get_by_test_id("npu-evidence")).to_be_visible()
        for key in ("planning", "creativity", "technical", "completeness", "economics"):
            row = page.get_by_test_id(f"score-{key}")
            row.get_by_label("Score").select_option(value)
            expect(page.get_by_test_id(f"score-{key}")).to_contain_text("Draft, saved")
        page.get_by_test_id("score-economics").get_by_label("Comment").fill("Measured on the NPU, cheap per frame")
        page.get_by_test_id("score-economics").get_by_label("Comment").blur()
        page.get_by_test_id("submit-scores").click()
        expect(page.get_by_text("Submitted. You can still change a score")).to_be_visible()
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        factories.score_all(event, judge, shelfsight, [6, 6, 6, 6, 6])

    page = log_in(new_context(), organizer.email, f"{base}/manage/")
    page.get_by_test_id("close-judging").click()
    confirm(page)
    expect(page.get_by_test_id("judging-state")).to_contain_text("Closed")
    expect(page.get_by_test_id("ranking").locator("tbody tr").first).to_contain_text("BlurCast")
    page.get_by_test_id("full-ranking").click()
    expect(page.get_by_test_id("rank-blurcast")).to_contain_text("83.3")  # scores 9 and 8: (8.5 − 1) / 9 × 100
    page.go_back()
    page.get_by_test_id("confirm-awards").click()
    expect(page.get_by_test_id("awards")).to_contain_text("BlurCast")
    page.get_by_test_id("publish").click()
    confirm(page)
    expect(page.get_by_text("Results published.")).to_be_visible()

    visitor = new_context(locale="ko-KR").new_page()
    visitor.goto(f"/e/{event.slug}/results/")
    expect(visitor.get_by_test_id("winner-grand-1")).to_contain_text("BlurCast")
    expect(visitor.get_by_test_id("winner-grand-1")).to_contain_text("대상")
    expect(visitor.locator("h1")).to_have_text("결과")
