"""Each role's main path in a real Chromium: apply and see the status; review, select and send decisions."""

import re

import pytest
from playwright.sync_api import expect

from accounts.tests.factories import UserFactory
from applications.models import Application
from applications.tests.factories import ApplicationFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_applicant_applies_and_sees_the_status(log_in, page):
    event = EventFactory()
    applicant = UserFactory()
    log_in(page, applicant)
    page.goto(f"/e/{event.slug}/apply/")
    page.get_by_label("Track").select_option("ai")
    page.get_by_label("Experience").select_option("junior")
    page.get_by_label("Skills").fill("PyTorch, ONNX")
    page.get_by_label("Portfolio or GitHub link").fill("https://github.com/applicant")
    page.get_by_label("Motivation").fill("Real-time vision on an NPU.")
    page.get_by_label("Completed the NPU SDK training").check()
    page.get_by_label("I have read the privacy notice").check()
    page.get_by_role("button", name="Submit application").click()
    expect(page).to_have_url(re.compile(r"/apply/status/$"))
    expect(page.locator("[data-status=submitted]")).to_be_visible()
    assert Application.objects.get(user=applicant).track == "ai"


def test_organizer_reviews_selects_and_sends_decisions(log_in, page, new_context):
    event = EventFactory(timeline=timeline_at("screening"))
    organizer = UserFactory()
    EventRole.objects.create(event=event, user=organizer, role="organizer")
    chosen = ApplicationFactory(event=event, track="ai")
    other = ApplicationFactory(event=event, track="ai")

    log_in(page, organizer)
    page.goto(f"/e/{event.slug}/apply/screening/")
    page.get_by_role("link", name=chosen.user.display_name).click()
    expect(page.get_by_test_id("blind-note")).to_be_visible()
    page.get_by_label("5", exact=True).check()
    page.get_by_label("Comment").fill("Outstanding portfolio")
    page.get_by_role("button", name="Save score", exact=True).click()
    expect(page.get_by_text("Your score was saved.")).to_be_visible()

    page.goto(f"/e/{event.slug}/apply/selection/")
    page.get_by_label("Places: AI engineer").fill("1")
    page.get_by_label("RSVP deadline").fill("2099-01-01T12:00")
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Selection settings saved.")).to_be_visible()
    page.get_by_role("button", name="Propose from scores").click()
    expect(page.get_by_text("Proposal ready")).to_be_visible()
    page.get_by_role("button", name="Send decisions").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Send decisions").click()
    expect(page.get_by_text("Decisions sent:")).to_be_visible()
    assert Application.objects.get(pk=chosen.pk).status == Application.Status.ACCEPTED
    assert Application.objects.get(pk=other.pk).status == Application.Status.WAITLISTED

    # The accepted applicant confirms and gets a check-in code.
    applicant_page = new_context().new_page()
    log_in(applicant_page, chosen.user)
    applicant_page.goto(f"/e/{event.slug}/apply/status/")
    applicant_page.get_by_role("button", name="Yes, I will attend").click()
    expect(applicant_page.locator("[data-status=confirmed]")).to_be_visible()
    expect(applicant_page.locator(".qr-code svg")).to_be_visible()
