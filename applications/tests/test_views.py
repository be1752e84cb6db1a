import re

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from applications import services
from applications.models import Application, Review, SelectionSettings, TrackPlaces
from applications.tests.factories import ApplicationFactory, ReviewFactory
from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = pytest.mark.django_db
Status = Application.Status


def url(name, event, **kwargs):
    return reverse(f"applications:{name}", kwargs={"event_slug": event.slug, **kwargs})


def login(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)
    return client


def squeeze(html: str) -> str:
    """The page with every run of whitespace as one space, and none between tags."""
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html))


ANSWERS = {
    "track": "ai",
    "experience": "junior",
    "skills": "PyTorch, ONNX",
    "portfolio_url": "https://github.com/me",
    "motivation": "Real-time vision on Warboy.",
    "sdk_training_completed": "on",
    "sdk_training_completed_on": "2026-01-10",
    "privacy_consent": "on",
}


def test_apply_then_see_the_status(client, event, make_user):
    user = make_user()
    login(client, user)
    assert client.get(url("apply", event)).status_code == 200
    response = client.post(url("apply", event), ANSWERS)
    assert response.status_code == 302
    assert response["Location"] == url("status", event)
    application = Application.objects.get(user=user, event=event)
    assert application.sdk_training_completed
    page = client.get(url("status", event))
    assert page.status_code == 200
    assert b'data-status="submitted"' in page.content


def test_apply_without_consent_shows_the_form_again(client, event, make_user):
    login(client, make_user())
    response = client.post(url("apply", event), {**ANSWERS, "privacy_consent": ""})
    assert response.status_code == 200
    assert not Application.objects.exists()


def test_second_visit_edits_the_same_application(client, event, make_user):
    user = make_user()
    login(client, user)
    client.post(url("apply", event), ANSWERS)
    response = client.post(url("apply", event), {**ANSWERS, "track": "pm"})
    assert response.status_code == 302
    assert Application.objects.get(user=user).track == "pm"
    assert Application.objects.count() == 1


def test_late_post_is_refused_server_side_with_a_message(client, make_user):
    event = EventFactory(timeline=timeline_at("screening"))
    login(client, make_user())
    response = client.post(url("apply", event), ANSWERS, follow=True)
    assert not Application.objects.exists()
    assert "Applications closed on" in response.content.decode()
    assert "Asia/Seoul" in response.content.decode()


def test_withdraw_from_the_status_page(client, event, make_user):
    user = make_user()
    application = ApplicationFactory(event=event, user=user)
    login(client, user)
    client.post(url("withdraw", event))
    application.refresh_from_db()
    assert application.status == Status.WITHDRAWN


def test_anonymous_is_sent_to_login(client, event):
    response = client.get(url("apply", event))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "name", ["screening", "reviewer_progress", "selection", "checkin", "screening_export", "checkin_counts"]
)
def test_staff_pages_are_404_for_applicants_and_outsiders(client, screening_event, outsider, make_user, name):
    applicant = make_user()
    ApplicationFactory(event=screening_event, user=applicant)
    for person in (applicant, outsider):
        login(client, person)
        assert client.get(url(name, screening_event)).status_code == 404


@pytest.mark.parametrize("name", ["selection", "checkin", "screening_export"])
def test_reviewers_do_not_see_organizer_pages(client, screening_event, reviewer, name):
    login(client, reviewer)
    assert client.get(url(name, screening_event)).status_code == 404


def test_screening_list_query_count_does_not_grow_with_rows(
    client, screening_event, screening_organizer, django_assert_max_num_queries
):
    reviewers = [screening_organizer]
    for _ in range(60):
        application = ApplicationFactory(event=screening_event)
        ReviewFactory(application=application, reviewer=reviewers[0], score=4)
    login(client, screening_organizer)
    with django_assert_max_num_queries(8):
        response = client.get(url("screening", screening_event), {"sort": "-score", "track": "ai", "training": "no"})
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 60
    assert len(response.context["page"].object_list) == 50


def test_screening_filters_and_search(client, screening_event, screening_organizer, scored):
    scored("ai", [5], skills="Rust, NPU")
    scored("pm", [2])
    login(client, screening_organizer)
    page = client.get(url("screening", screening_event), {"q": "rust"}).context["page"]
    assert page.paginator.count == 1
    page = client.get(url("screening", screening_event), {"min_score": "4"}).context["page"]
    assert [a.track for a in page] == ["ai"]


def test_csv_export_has_one_line_per_application(client, screening_event, screening_organizer, scored):
    scored("ai", [5, 4])
    scored("pm", [])
    login(client, screening_organizer)
    response = client.get(url("screening_export", screening_event))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()
    assert lines[0].startswith("id,name,email,track")
    assert len(lines) == 3
    assert any("4.50" in line for line in lines)


def test_csv_export_escapes_formulas_and_opens_korean_in_excel(client, screening_event, screening_organizer, scored):
    application = scored("ai", [5], skills='=HYPERLINK("http://evil.example","click")')
    application.user.name = "@김민수"
    application.user.save()
    login(client, screening_organizer)
    body = b"".join(client.get(url("screening_export", screening_event)).streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 with a BOM: Excel reads Korean names right
    text = body.decode("utf-8-sig")
    assert "'@김민수" in text
    assert "\"'=HYPERLINK(" in text
    assert ",=" not in text and ",@" not in text


def test_review_page_is_blind_until_scored(client, screening_event, reviewer, scored):
    application = scored("ai", [1])
    login(client, reviewer)
    page = client.get(url("application_review", screening_event, application_id=application.pk)).content.decode()
    assert 'data-testid="blind-note"' in page
    response = client.post(
        url("application_review", screening_event, application_id=application.pk),
        {"score": "4", "comment": "ok", "then": "stay"},
    )
    assert response.status_code == 302
    assert Review.objects.get(reviewer=reviewer).score == 4
    page = client.get(url("application_review", screening_event, application_id=application.pk)).content.decode()
    assert 'data-testid="blind-note"' not in page
    assert "Mean 2.50" in page


def test_review_page_of_another_events_application_is_404(client, screening_event, reviewer):
    foreign = ApplicationFactory()
    login(client, reviewer)
    assert client.get(url("application_review", screening_event, application_id=foreign.pk)).status_code == 404


def test_selection_page_query_count(
    client, screening_event, screening_organizer, scored, django_assert_max_num_queries
):
    for track in ("ai", "pm", "backend", "frontend"):
        for score in (5, 4, 3, 2):
            scored(track, [score])
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    login(client, screening_organizer)
    with django_assert_max_num_queries(14):
        response = client.get(url("selection", screening_event))
    assert response.status_code == 200
    assert len(response.context["tracks"]) == 4


def test_opening_the_selection_page_writes_nothing(client, screening_event, screening_organizer):
    login(client, screening_organizer)
    response = client.get(url("selection", screening_event))
    assert response.status_code == 200
    assert [t["places"] for t in response.context["tracks"]] == [10, 10, 10, 10]  # the defaults, unsaved
    assert response.context["form"]["places_ai"].value() == 10
    assert not SelectionSettings.objects.filter(event=screening_event).exists()
    assert not TrackPlaces.objects.filter(event=screening_event).exists()


def test_organizer_proposes_adjusts_and_sends_from_the_page(client, screening_event, screening_organizer, scored):
    top, other = scored("ai", [5]), scored("ai", [3])
    login(client, screening_organizer)
    client.post(
        url("selection", screening_event),
        {
            "rsvp_deadline": "2099-01-01T12:00",
            "promoted_rsvp_hours": "48",
            "waitlist_length": "",
            "places_pm": "10",
            "places_frontend": "10",
            "places_backend": "10",
            "places_ai": "1",
        },
    )
    client.post(url("selection_propose", screening_event))
    assert Application.objects.get(pk=top.pk).decision == "accept"
    client.post(url("selection_adjust", screening_event, application_id=top.pk), {"decision": "waitlist"})
    client.post(url("selection_adjust", screening_event, application_id=other.pk), {"decision": "accept"})
    client.post(url("selection_send", screening_event))
    assert Application.objects.get(pk=other.pk).status == Status.ACCEPTED
    assert Application.objects.get(pk=top.pk).status == Status.WAITLISTED


def test_status_page_shows_waitlist_position_and_rsvp(client, decided_track):
    waiting = decided_track["waitlist"][1]
    login(client, waiting.user)
    page = client.get(url("status", decided_track["event"])).content.decode()
    assert "number <strong>2</strong>" in page
    accepted = decided_track["accepted"][0]
    client.logout()
    login(client, accepted.user)
    client.post(url("rsvp", decided_track["event"]), {"answer": "yes"})
    page = client.get(url("status", decided_track["event"])).content.decode()
    assert "<svg" in page  # the check-in QR code
    assert accepted.checkin_token in page


def test_checkin_by_scanned_url_and_by_search(client, decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    first, second = decided_track["accepted"]
    for application in (first, second):
        services.application_rsvp(application_id=application.pk, user=application.user, attending=True)
    login(client, organizer)
    scanned = f"http://testserver{url('checkin', event)}?token={first.checkin_token}"
    response = client.post(url("checkin", event), {"code": scanned})
    assert "is checked in" in response.content.decode()
    response = client.post(url("checkin", event), {"code": scanned})
    assert "was already checked in" in response.content.decode()
    search = client.get(url("checkin", event), {"q": second.user.email})
    assert [a.pk for a in search.context["found"]] == [second.pk]
    client.post(url("checkin", event), {"application_id": str(second.pk)})
    counts = client.get(url("checkin_counts", event))
    assert {row["track"].value: row["checked_in"] for row in counts.context["counts"]}["ai"] == 2
    assert 'hx-trigger="every 2s"' in counts.content.decode()


def test_checkin_refuses_unknown_codes_and_unconfirmed(client, decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    login(client, organizer)
    assert "No finalist" in client.post(url("checkin", event), {"code": "x" * 22}).content.decode()
    waiting = decided_track["waitlist"][0]
    assert (
        "not a confirmed finalist"
        in client.post(url("checkin", event), {"code": waiting.checkin_token}).content.decode()
    )
    assert not Application.objects.filter(checked_in_at__isnull=False).exists()


# --- Issue 12: the screening and selection pages ----------------------------------------------------------------


def test_screening_filters_wrap_in_a_filter_bar_not_a_search_pill_row(client, screening_event, screening_organizer):
    login(client, screening_organizer)
    body = squeeze(client.get(url("screening", screening_event)).content.decode())
    assert 'role="search"' not in body
    bar = body[body.index('<form method="get" class="filter-bar" aria-label="Filter applications">') :]
    bar = bar[: bar.index("</form>")]
    for name in ("q", "track", "status", "training", "reviewed", "min_score", "sort"):
        assert f'<div class="filter-bar__field"><label for="id_{name}">' in bar
    assert "Export CSV" in bar


def test_reviewers_do_not_get_the_mean_score_filter(client, screening_event, reviewer):
    login(client, reviewer)
    body = client.get(url("screening", screening_event)).content.decode()
    assert 'for="id_min_score"' not in body
    assert "Export CSV" not in body


def test_selection_counts_the_places_filled_in_each_track(client, decided_track, make_user, grant):
    event = decided_track["event"]  # ai: quota 2, two accepted
    organizer = make_user()
    grant(organizer, event, "organizer")
    login(client, organizer)
    body = squeeze(client.get(url("selection", event)).content.decode())
    assert '<span data-testid="places-ai"><span class="badge badge--ok">2 / 2 places</span></span>' in body
    assert '<span data-testid="places-pm"><span class="badge badge--warn">0 / 10 places</span></span>' in body


def test_after_sending_decisions_the_send_button_is_done_and_the_date_is_clean(client, decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    login(client, organizer)
    body = client.get(url("selection", event)).content.decode()
    assert 'data-testid="decisions-sent"' in body
    assert ">Send decisions</button>" not in body  # nothing left to send: no live primary button
    assert 'data-testid="send-decisions"' not in body
    sent = body[body.index('data-testid="decisions-sent"') :]
    sent = sent[: sent.index("</p>")]
    assert "a.m." not in sent and "p.m." not in sent and ".." not in sent
    assert f"({event.time_zone})." in sent
    assert 'data-testid="no-emails"' in body  # no "0 queued / 0 sent" row of zeros


def test_after_sending_a_late_decision_can_still_be_sent_as_a_secondary_action(
    client, decided_track, scored, make_user, grant
):
    event = decided_track["event"]
    scored("ai", [4], decision="reject")  # a late application, decided but not sent
    organizer = make_user()
    grant(organizer, event, "organizer")
    login(client, organizer)
    body = client.get(url("selection", event)).content.decode()
    button = body[body.index('data-testid="send-decisions"') - 120 :]
    assert 'class="secondary"' in button[:200]
    assert "1 application still has no decision sent" in body
    assert "data-confirm=" in body[body.index(url("selection_send", event)) :][:200]


def test_sending_decisions_asks_first(client, screening_event, screening_organizer):
    login(client, screening_organizer)
    body = client.get(url("selection", screening_event)).content.decode()
    form = body[body.index(f'action="{url("selection_send", screening_event)}"') :]
    assert form.startswith(f'action="{url("selection_send", screening_event)}" data-confirm="Send the decisions')
    assert "onsubmit" not in body


def test_checkin_and_progress_tables_scroll_inside_labelled_boxes(client, decided_track, make_user, grant):
    event = decided_track["event"]
    organizer = make_user()
    grant(organizer, event, "organizer")
    login(client, organizer)
    checkin = client.get(url("checkin", event)).content.decode()
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Confirmed finalists">' in checkin
    assert 'role="search"' not in checkin
    progress = client.get(url("reviewer_progress", event)).content.decode()
    assert '<div class="table-wrap" role="region" tabindex="0" aria-label="Reviewer progress">' in progress
