"""The design system's behaviours in a real Chromium: the confirm dialog, the phone menu, the language form, focus on
form errors, focus kept through an htmx refresh, and the 404 page."""

import re

import pytest
from playwright.sync_api import expect

from hackathon.models import EventRole
from teams.tests.factories import TeamFactory, finalist, round_event

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def active_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def test_removing_a_role_asks_first_and_cancel_keeps_it(log_in, page, event, organizer, make_user, grant):
    mentor = make_user(name="멘토김")
    role = grant(mentor, event, "mentor")
    log_in(page, organizer)
    page.goto(f"/e/{event.slug}/people/")
    remove = page.locator(f"#revoke-{role.pk}")

    remove.click()
    dialog = page.locator("#confirm-dialog")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Remove the role “Mentor” from 멘토김?")
    assert active_id(page) == "" and page.evaluate("document.activeElement.value") == "cancel"  # safe default
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    assert active_id(page) == f"revoke-{role.pk}"  # focus returns to the button
    assert EventRole.objects.filter(pk=role.pk).exists()

    remove.click()
    dialog.get_by_role("button", name="Remove the role").click()
    expect(page.get_by_text("The role was removed.")).to_be_visible()
    assert not EventRole.objects.filter(pk=role.pk).exists()


def test_form_errors_take_the_focus_and_name_their_field(log_in, page, event, organizer):
    log_in(page, organizer)
    page.goto(f"/e/{event.slug}/people/")
    page.get_by_role("button", name="Add role").click()
    email = page.locator("#id_email")
    expect(email).to_be_focused()
    expect(email).to_have_attribute("aria-invalid", "true")
    described_by = email.get_attribute("aria-describedby").split()
    assert "id_email_error" in described_by
    expect(page.locator("#id_email_error")).to_have_text("This field is required.")


def test_language_changes_only_when_asked(page, event):
    page.goto(f"/e/{event.slug}/")
    page.get_by_label("Language").select_option("ko")
    page.keyboard.press("ArrowUp")  # moving through the options must not switch the page (WCAG 3.2.2)
    page.wait_for_timeout(500)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_label("Language").select_option("ko")
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", "ko")
    expect(page).to_have_url(re.compile(rf"/e/{event.slug}/$"))


def test_phone_header_hides_the_menu_behind_an_accessible_button(new_context, event, axe_check):
    page = new_context(viewport={"width": 390, "height": 800}).new_page()
    page.goto(f"/e/{event.slug}/")
    button = page.get_by_role("button", name="Menu")
    menu = page.locator("#site-menu")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(menu).to_be_hidden()
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(menu.get_by_role("link", name="Overview")).to_be_visible()
    axe_check(page)
    page.keyboard.press("Tab")  # into the open menu
    page.keyboard.press("Escape")
    expect(button).to_have_attribute("aria-expanded", "false")
    expect(button).to_be_focused()
    page.set_viewport_size({"width": 1280, "height": 800})
    expect(button).to_be_hidden()
    expect(menu.get_by_role("link", name="Overview")).to_be_visible()


def test_keyboard_focus_survives_a_refresh_of_the_team_board(log_in, page):
    event = round_event()
    first = TeamFactory(event=event, name="Blur Squad")
    engineer = finalist(event, "ai", can_log_in=True)
    log_in(page, engineer)
    page.goto(f"/e/{event.slug}/teams/")
    target = f"ask-to-join-{first.pk}"
    for _ in range(40):  # tab from the top of the page into the board
        page.keyboard.press("Tab")
        if active_id(page) == target:
            break
    assert active_id(page) == target

    TeamFactory(event=event, name="Edge Vision")  # the next poll swaps the board
    expect(page.locator('[data-team="Edge Vision"]')).to_be_visible(timeout=10_000)
    assert active_id(page) == target
    expect(page.locator("#live-announcer")).to_have_text("The team board changed: 2 teams.")
    page.keyboard.press("Tab")  # and the next Tab goes on inside the board, not from the top of the page
    assert page.evaluate("document.getElementById('team-board').contains(document.activeElement)")


def test_404_page_in_korean(new_context, axe_check):
    page = new_context(locale="ko-KR").new_page()
    response = page.goto("/e/no-such-event/")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("페이지를 찾을 수 없습니다")
    expect(page.get_by_role("button", name="행사 목록으로")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe_check(page)


def contrast(first: str, second: str) -> float:
    def luminance(rgb: str) -> float:
        channels = [int(c) / 255 for c in re.findall(r"\d+", rgb)[:3]]
        linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
        return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]

    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_ring_is_strong_against_the_page(new_context, event, scheme):
    page = new_context(color_scheme=scheme).new_page()
    page.goto(f"/e/{event.slug}/")
    page.keyboard.press("Tab")  # the skip link
    page.keyboard.press("Tab")  # the brand link
    ring = page.evaluate(
        """() => { const s = getComputedStyle(document.activeElement);
                   return {tag: document.activeElement.tagName, width: parseFloat(s.outlineWidth),
                           style: s.outlineStyle, color: s.outlineColor,
                           page: [document.body, document.documentElement]
                                   .map(e => getComputedStyle(e).backgroundColor)
                                   .find(c => c !== "rgba(0, 0, 0, 0)")}; }"""
    )
    assert ring["tag"] == "A"
    assert ring["style"] == "solid" and ring["width"] >= 3
    assert contrast(ring["color"], ring["page"]) >= 3, ring
