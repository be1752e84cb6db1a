"""A team fills in its submission, uploads slides, pins two jobs, submits, and sees it locked after the deadline."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.tests.factories import TEST_PASSWORD
from hackathon.models import Event
from submissions.tests.factories import PDF_BYTES, TEXT, hacking_event, npu_and_cpu_jobs, team_with_members

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]


def test_a_team_submits_and_sees_it_locked_after_the_deadline(new_context, log_in, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    event = hacking_event()
    team, (leader,) = team_with_members(event, name="BlurCast", members=0)
    leader.set_password(TEST_PASSWORD)
    leader.save()
    cpu, npu = npu_and_cpu_jobs(team)
    url = f"/e/{event.slug}/submissions/team/"

    page = new_context().new_page()
    log_in(page, leader)
    page.goto(url)

    form = page.get_by_test_id("submission-form")
    for name in ("title", "summary", "description", "repository_url", "claim"):
        form.locator(f"[name={name}]").fill(TEXT[name])
    form.locator("[name=category]").select_option("media")
    page.get_by_test_id("save").click()
    expect(page.get_by_test_id("submission-banner")).to_have_attribute("data-state", "draft")

    page.locator("input[name=file]").set_input_files(
        {"name": "slides.pdf", "mimeType": "application/pdf", "buffer": PDF_BYTES}
    )
    page.get_by_test_id("upload").click()
    expect(page.get_by_test_id("files")).to_contain_text("slides.pdf")

    for job in (npu, cpu):
        page.get_by_test_id("pin-form").locator("[name=job]").select_option(str(job.pk))
        page.get_by_test_id("pin").click()
    expect(page.locator("[data-testid=evidence-row]")).to_have_count(2)
    expect(page.get_by_test_id("speedup")).to_contain_text("25")

    expect(page.get_by_test_id("checks-ok")).to_be_visible()
    page.get_by_test_id("submit-final").click()
    page.locator("#confirm-dialog").get_by_role("button", name="Submit final").click()
    expect(page.get_by_test_id("submission-banner")).to_have_attribute("data-state", "submitted")

    past = timezone.now() - timedelta(minutes=1)
    Event.objects.filter(pk=event.pk).update(hacking_ends_at=past, judging_ends_at=past + timedelta(hours=3))
    page.reload()
    expect(page.get_by_test_id("submission-banner")).to_have_attribute("data-state", "locked")
    expect(page.get_by_test_id("submission-form")).to_have_count(0)
    expect(page.get_by_test_id("submission-banner")).to_contain_text("Judges see version 1")
