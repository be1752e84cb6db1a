"""The person's home (hackathon:my_home, issue 12): each role sees its panel, its next step and its next deadline,
in the event's time zone; `/` lands a signed-in person there. The panels come from the upper apps through
core.sections, so these tests sit outside the apps and use each app's real parts."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from accounts.tests.factories import TEST_PASSWORD, UserFactory
from applications.models import Application
from applications.tests.factories import ApplicationFactory
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from judging import services as judging_services
from mentoring import services as mentoring_services
from mentoring.models import Booking
from mentoring.tests.factories import mentor, slot
from npu_jobs.models import TeamQuota
from teams.tests.factories import TeamFactory, add_member, finalist

pytestmark = pytest.mark.django_db
Role = EventRole.Role


def home_url(event) -> str:
    return reverse("hackathon:my_home", kwargs={"event_slug": event.slug})


def text_of(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def shown_at(event, at) -> str:
    """How the page writes a moment: DATETIME_FORMAT in the event's time zone (English)."""
    with translation.override("en"):
        return formats.date_format(timezone.localtime(at, event.tz), "DATETIME_FORMAT")


def next_step(response) -> str:
    match = re.search(
        r'<a href="([^"]+)" role="button" data-testid="home-next-step">([^<]+)</a>', response.content.decode()
    )
    assert match, "the page header has no next step"
    return match.group(2).strip()


def get_home(client, user, event):
    client.force_login(user)
    response = client.get(home_url(event), HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    return response


def organizer_of(event):
    user = UserFactory()
    EventRole.objects.create(event=event, user=user, role=Role.ORGANIZER)
    return user


# --- who lands where --------------------------------------------------------------------------------------------


def test_anonymous_sees_the_public_event_list_and_is_sent_to_log_in_from_a_home(client):
    event = EventFactory()
    response = client.get("/")
    assert response.status_code == 200
    assert event.name in text_of(response)
    response = client.get(home_url(event))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_signed_in_person_without_a_role_sees_open_events_with_an_apply_button(client):
    open_event = EventFactory(name="Open Hack")
    busy = EventFactory(name="Busy Hack", timeline=timeline_at("hacking"))
    client.force_login(UserFactory())
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    body = response.content.decode()
    apply_url = reverse("applications:apply", kwargs={"event_slug": open_event.slug})
    assert f'href="{apply_url}" role="button" data-testid="apply-{open_event.slug}"' in body
    assert "Apply to Open Hack" in text_of(response)
    assert f'data-testid="apply-{busy.slug}"' not in body


def test_the_home_of_an_event_without_a_role_says_how_to_apply(client):
    event = EventFactory()
    response = get_home(client, UserFactory(), event)
    text = text_of(response)
    assert "You have not applied yet" in text
    assert next_step(response) == "Apply now"
    assert f"Applications close: {shown_at(event, event.applications_close_at)}" in text


def test_log_in_lands_on_the_home_of_the_persons_event(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    user = UserFactory(email="judge@example.com")
    EventRole.objects.create(event=event, user=user, role=Role.JUDGE)
    response = client.post(
        reverse("account_login"), {"login": "judge@example.com", "password": TEST_PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == home_url(event)
    assert response.status_code == 200


def test_the_nearest_event_wins_and_the_page_links_the_others(client):
    old = EventFactory(name="Old Hack", timeline=timeline_at("applications", now=timezone.now() - timedelta(days=400)))
    current = EventFactory(name="Current Hack", timeline=timeline_at("hacking"))
    user = UserFactory()
    for event in (old, current):
        EventRole.objects.create(event=event, user=user, role=Role.MENTOR)
    client.force_login(user)
    response = client.get("/")
    assert response["Location"] == home_url(current)
    response = client.get(home_url(current), HTTP_ACCEPT_LANGUAGE="en")
    assert f'href="{home_url(old)}"' in response.content.decode()


# --- applicants -------------------------------------------------------------------------------------------------


def test_applicant_whose_application_is_open_can_still_edit_it_until_applications_close(client):
    event = EventFactory()
    application = ApplicationFactory(event=event)
    client.force_login(application.user)
    assert client.get("/")["Location"] == home_url(event)
    response = get_home(client, application.user, event)
    text = text_of(response)
    assert next_step(response) == "Edit your application"
    assert "Next deadline: Applications close" in text
    assert shown_at(event, event.applications_close_at) in text


def test_applicant_after_the_window_waits_for_screening(client):
    event = EventFactory(timeline=timeline_at("screening"))
    application = ApplicationFactory(event=event)
    response = get_home(client, application.user, event)
    text = text_of(response)
    assert "wait for the decision" in text
    assert next_step(response) == "See your application"
    assert f"Finalists announced: {shown_at(event, event.screening_ends_at)}" in text


def test_selected_applicant_is_asked_to_accept_the_offer_before_it_expires(client):
    event = EventFactory(timeline=timeline_at("screening"))
    expires = timezone.now() + timedelta(hours=20)
    application = ApplicationFactory(event=event, status=Application.Status.ACCEPTED, offer_expires_at=expires)
    response = get_home(client, application.user, event)
    text = text_of(response)
    assert next_step(response) == "Answer the offer"
    assert "Next deadline: Answer the finalist offer" in text
    assert shown_at(event, expires) in text


# --- finalists --------------------------------------------------------------------------------------------------


def test_finalist_with_a_team_sees_the_team_quota_and_the_submission_deadline(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    team = TeamFactory(event=event, name="BlurCast")
    add_member(team, "ai")
    TeamQuota.objects.create(team=team, event=event, device_seconds_granted=7200, cpu_seconds_granted=3600)
    response = get_home(client, team.leader, event)
    text = text_of(response)
    assert "Your team: BlurCast" in text
    assert 'data-testid="home-npu-left"' in response.content.decode()
    assert "2.0 h" in text and "1.0 h" in text
    assert "No jobs yet" in text
    assert next_step(response) == "Submit your work"
    assert "Next deadline: Submission deadline" in text
    assert f"Submission deadline: {shown_at(event, event.hacking_ends_at)}" in text
    assert "(times in Asia/Seoul)" in text


def test_finalist_without_a_team_is_told_to_find_one_before_team_building_ends(client):
    event = EventFactory(timeline=timeline_at("team_building"))
    user = finalist(event, "ai", can_log_in=True)
    response = get_home(client, user, event)
    text = text_of(response)
    assert "You have no team yet" in text
    assert next_step(response) == "Find a team"
    assert f"Team building ends: {shown_at(event, event.team_building_ends_at)}" in text
    assert 'data-testid="home-panel-compute"' not in response.content.decode()


def test_finalists_booked_mentoring_session_is_their_next_deadline(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    team = TeamFactory(event=event)
    profile = mentor(event)
    booked = slot(profile, in_minutes=45)
    Booking.objects.create(event=event, slot=booked, team=team, booked_by=team.leader)
    response = get_home(client, team.leader, event)
    text = text_of(response)
    assert next_step(response) == "See your session"
    assert "Next deadline: Your mentoring session" in text
    assert shown_at(event, booked.starts_at) in text


# --- mentors, judges, organizers --------------------------------------------------------------------------------


def test_mentor_sees_todays_sessions_and_the_help_queue(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    profile = mentor(event, can_log_in=True, tags=["npu_sdk"])
    team = TeamFactory(event=event, name="ShelfSight")
    session = slot(profile, in_minutes=30)
    Booking.objects.create(event=event, slot=session, team=team, booked_by=team.leader)
    mentoring_services.help_request_raise(team=team, raised_by=team.leader, topic="npu_sdk", text="Compile fails")
    response = get_home(client, profile.user, event)
    text = text_of(response)
    assert "ShelfSight" in text
    assert next_step(response) == "Open the help queue"
    assert "Next deadline: Session with team ShelfSight" in text
    assert re.search(r'data-testid="home-queue-count">\s*<span class="stat-card__value">1', response.content.decode())


def test_mentor_without_sessions_is_asked_to_offer_slots(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    profile = mentor(event, can_log_in=True)
    response = get_home(client, profile.user, event)
    assert "No sessions today" in text_of(response)
    assert next_step(response) == "Offer session slots"


def test_judge_sees_what_is_left_to_score_and_when_scores_are_due(client):
    event = EventFactory(timeline=timeline_at("judging"))
    boss = organizer_of(event)
    judge = UserFactory()
    EventRole.objects.create(event=event, user=judge, role=Role.JUDGE)
    TeamFactory(event=event, name="SafeSite")
    judging_services.judging_open(event=event, opened_by=boss)
    response = get_home(client, judge, event)
    text = text_of(response)
    assert next_step(response) == "Score the next team"
    assert re.search(r'data-testid="home-judge-left">\s*<span class="stat-card__value">1', response.content.decode())
    assert f"Scores due: {shown_at(event, event.judging_ends_at)}" in text


def test_organizer_sees_the_phase_live_counts_and_what_needs_attention(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    boss = organizer_of(event)
    TeamFactory(event=event)
    finalist(event, "ai")  # without a team
    response = get_home(client, boss, event)
    body, text = response.content.decode(), text_of(response)
    assert "Hacking" in text
    assert 'data-testid="home-live-counts"' in body
    assert 'data-testid="attention-unassigned"' in body
    assert 'data-testid="attention-missing-submissions"' in body
    assert next_step(response) in {"Place them", "See submissions"}


def test_organizer_with_nothing_to_do_sees_an_empty_state_that_says_so(client):
    event = EventFactory()
    response = get_home(client, organizer_of(event), event)
    assert "Nothing needs your attention" in text_of(response)


def test_a_person_with_several_roles_sees_each_panel(client):
    event = EventFactory(timeline=timeline_at("hacking"))
    profile = mentor(event, can_log_in=True)
    EventRole.objects.create(event=event, user=profile.user, role=Role.JUDGE)
    EventRole.objects.create(event=event, user=profile.user, role=Role.ORGANIZER)
    body = get_home(client, profile.user, event).content.decode()
    for panel in ("home-panel-mentor", "home-panel-judge", "home-panel-staff"):
        assert f'data-testid="{panel}"' in body


def test_outsider_cannot_open_the_home_of_an_unpublished_event(client):
    event = EventFactory(is_published=False)
    client.force_login(UserFactory())
    assert client.get(home_url(event)).status_code == 404


# --- query counts -----------------------------------------------------------------------------------------------


def test_participant_home_query_count_is_fixed(client, django_assert_max_num_queries):
    event = EventFactory(timeline=timeline_at("hacking"))
    team = TeamFactory(event=event)
    for track in ("ai", "backend", "frontend"):
        add_member(team, track)
    TeamQuota.objects.create(team=team, event=event, device_seconds_granted=7200)
    client.force_login(team.leader)
    with django_assert_max_num_queries(22):
        assert client.get(home_url(event)).status_code == 200


def test_organizer_home_query_count_is_fixed(client, django_assert_max_num_queries):
    event = EventFactory(timeline=timeline_at("hacking"))
    boss = organizer_of(event)
    for _ in range(3):
        TeamFactory(event=event)
    client.force_login(boss)
    with django_assert_max_num_queries(18):
        assert client.get(home_url(event)).status_code == 200
