from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from hackathon.models import Event, EventRole
from hackathon.services import default_timeline
from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_home_lists_published_events_for_anyone(client, event):
    draft = EventFactory(is_published=False, name="Secret draft")
    response = client.get("/")
    assert response.status_code == 200
    assert event.name in response.content.decode()
    assert draft.name not in response.content.decode()


def test_event_home_shows_phase_and_countdown(client, event):
    response = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug}))
    body = response.content.decode()
    assert response.status_code == 200
    assert 'data-testid="phase">Applications open<' in body
    assert f'data-countdown="{event.applications_close_at.isoformat()}"' in body


def test_korean_ui_with_accept_language(client, event):
    response = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug}), HTTP_ACCEPT_LANGUAGE="ko")
    body = response.content.decode()
    assert '<html lang="ko">' in body
    assert "지원 접수 중" in body  # "Applications open"
    assert "타임라인" in body


def test_draft_event_is_404_for_outsiders_and_visible_to_its_organizer(client, make_user, grant):
    draft = EventFactory(is_published=False)
    url = reverse("hackathon:event_home", kwargs={"event_slug": draft.slug})
    assert client.get(url).status_code == 404
    outsider = make_user()
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    organizer = make_user()
    grant(organizer, draft, "organizer")
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_manage_page_is_for_organizers_only(client, event, organizer, make_user, grant):
    url = reverse("hackathon:event_manage", kwargs={"event_slug": event.slug})
    assert client.get(url).status_code == 302  # anonymous: to the login page
    participant = make_user()
    grant(participant, event, "participant", track="backend")
    client.force_login(participant)
    assert client.get(url).status_code == 404
    other_event_organizer = make_user()
    grant(other_event_organizer, EventFactory(), "organizer")
    client.force_login(other_event_organizer)
    assert client.get(url).status_code == 404
    client.force_login(organizer)
    assert client.get(url).status_code == 200


def test_organizer_edits_timeline_in_the_event_time_zone(client, event, organizer):
    client.force_login(organizer)
    url = reverse("hackathon:event_manage", kwargs={"event_slug": event.slug})
    form = client.get(url).context["form"]
    data = {name: form[name].value() for name in form.fields}
    data = {key: ("" if value is None else value) for key, value in data.items()}
    for name in form.fields:
        if name.endswith("_at"):
            data[name] = form[name].field.widget.format_value(form[name].value())
    data["is_published"] = "on"
    data["hacking_starts_at"] = "2030-01-01T09:00"  # after everything earlier, before hacking ends? no: see below
    response = client.post(url, data)
    assert response.status_code == 200  # hacking would start after it ends: re-rendered with the error
    assert "must come after" in response.content.decode(), response.context["form"].errors

    data["hacking_starts_at"] = form["hacking_starts_at"].field.widget.format_value(form["hacking_starts_at"].value())
    data["venue"] = "Pangyo Techno Valley"
    response = client.post(url, data)
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.venue == "Pangyo Techno Valley"


def test_create_event_page(client, make_user):
    user = make_user()
    client.force_login(user)
    assert client.get(reverse("event_create")).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    user = type(user).objects.get(pk=user.pk)
    client.force_login(user)
    form = client.get(reverse("event_create")).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    for name in form.fields:
        if name.endswith("_at"):
            data[name] = form[name].field.widget.format_value(form[name].value())
    data.update(name="Busan NPU Jam", slug="busan-npu-jam", time_zone="Asia/Seoul")
    response = client.post(reverse("event_create"), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    event = Event.objects.get(slug="busan-npu-jam")
    assert EventRole.objects.filter(event=event, user=user, role="organizer").exists()


def test_people_page_grants_roles(client, event, organizer, make_user):
    mentor = make_user(email="mentor@example.com")
    client.force_login(organizer)
    url = reverse("hackathon:event_people", kwargs={"event_slug": event.slug})
    response = client.post(url, {"email": "MENTOR@example.com", "role": "mentor", "track": ""})
    assert response.status_code == 302
    assert EventRole.objects.filter(event=event, user=mentor, role="mentor").exists()
    response = client.post(url, {"email": "nobody@example.com", "role": "judge", "track": ""})
    assert "Nobody has signed up" in response.content.decode()


def test_people_page_query_count_does_not_grow_with_people(
    client, event, organizer, make_user, grant, django_assert_max_num_queries
):
    for _ in range(30):
        grant(make_user(), event, "participant", track="ai")
    client.force_login(organizer)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("hackathon:event_people", kwargs={"event_slug": event.slug}))
    assert response.status_code == 200


def test_login_with_email(client, make_user):
    make_user(email="pm@example.com")
    response = client.post(reverse("account_login"), {"login": "pm@example.com", "password": TEST_PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("accounts:profile")).status_code == 200


def test_healthz(client):
    assert client.get("/healthz").json() == {"status": "ok"}


# --- Issue 12: what the pages say -------------------------------------------------------------------------------


def test_event_home_labels_each_role_by_its_name(client, event, make_user, grant):
    reviewer = make_user()
    grant(reviewer, event, "reviewer")
    client.force_login(reviewer)
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert 'data-role="reviewer">Application reviewer</span>' in body
    assert ">Organizer<" not in body


def test_open_event_hides_zero_people_counts_until_there_are_people(client, event, make_user, grant):
    url = reverse("hackathon:event_home", kwargs={"event_slug": event.slug})
    body = client.get(url).content.decode()
    assert 'data-testid="people-later"' in body
    assert 'data-testid="people-counts"' not in body
    assert "Finalists</span>" not in body
    grant(make_user(), event, "judge")
    body = client.get(url).content.decode()
    assert 'data-testid="count-judges"' in body
    assert 'data-testid="count-finalists"' not in body  # still none


def test_open_event_says_the_next_step_to_visitors(client, event):
    """(test_landing.py follows the Apply button through sign-up.)"""
    body = client.get(reverse("hackathon:event_home", kwargs={"event_slug": event.slug})).content.decode()
    assert 'data-testid="apply-cta">Apply</a>' in body


def test_timeline_uses_the_one_date_format_of_each_language(client):
    start = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Seoul"))
    event = EventFactory(timeline=default_timeline(applications_open_at=start))
    url = reverse("hackathon:event_home", kwargs={"event_slug": event.slug})
    assert ">Mon 2 Mar 2026, 09:00</time>" in client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert ">2026년 3월 2일 (월요일) 09:00</time>" in client.get(url, HTTP_ACCEPT_LANGUAGE="ko").content.decode()


def test_granting_a_role_names_it_without_a_wrong_article(client, event, organizer, make_user):
    make_user(email="reviewer@example.com", name="김리뷰")
    client.force_login(organizer)
    url = reverse("hackathon:event_people", kwargs={"event_slug": event.slug})
    response = client.post(url, {"email": "reviewer@example.com", "role": "reviewer", "track": ""}, follow=True)
    body = response.content.decode()
    assert "김리뷰 now has the role “Application reviewer”." in body
    assert "is now a" not in body


def test_removing_a_role_asks_first_and_the_filter_waits_for_its_button(client, event, organizer):
    client.force_login(organizer)
    body = client.get(reverse("hackathon:event_people", kwargs={"event_slug": event.slug})).content.decode()
    role = EventRole.objects.get(event=event, user=organizer)
    revoke_url = reverse("hackathon:event_role_revoke", kwargs={"event_slug": event.slug, "role_id": role.pk})
    form = body[body.index(f'action="{revoke_url}"') - 200 :]
    form = form[: form.index("</form>")]
    assert 'data-confirm="Remove the role “Organizer” from' in form
    assert 'data-confirm-button="Remove the role"' in form
    assert "onchange" not in body
    assert 'role="search"' not in body
    assert '<form method="get" class="filter-bar" aria-label="Filter people by role">' in body


def test_language_changes_only_when_its_button_is_pressed(client):
    body = client.get("/").content.decode()
    form = body[body.index('class="lang-switch"') :]
    form = form[: form.index("</form>")]
    assert "onchange" not in form
    assert '<button type="submit"' in form
