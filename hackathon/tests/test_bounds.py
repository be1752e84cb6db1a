"""One event's data at the limits of every field never takes a page down; dates past the range are refused."""

import importlib
import zoneinfo
from datetime import datetime, timedelta

import pytest
from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from core.exceptions import DomainError
from hackathon import services
from hackathon.models import Event
from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def timeline_from(start: datetime, minutes: int = 1) -> dict:
    step = timedelta(minutes=minutes)
    return {
        "applications_open_at": start,
        "applications_close_at": start + step,
        "screening_ends_at": start + 2 * step,
        "team_building_starts_at": start + 3 * step,
        "team_building_minutes": 1,
        "hacking_starts_at": start + 4 * step,
        "hacking_ends_at": start + 5 * step,
        "judging_ends_at": start + 6 * step,
        "results_at": start + 7 * step,
    }


def manage_form_data(client, event) -> dict:
    url = reverse("hackathon:event_manage", kwargs={"event_slug": event.slug})
    form = client.get(url).context["form"]
    data = {name: ("" if form[name].value() is None else form[name].value()) for name in form.fields}
    for name in form.fields:
        if name.endswith("_at"):
            data[name] = form[name].field.widget.format_value(form[name].value())
    data["is_published"] = "on"
    return data


def test_manage_page_refuses_the_year_9999_in_a_zone_west_of_utc(client, event, organizer):
    client.force_login(organizer)
    url = reverse("hackathon:event_manage", kwargs={"event_slug": event.slug})
    data = manage_form_data(client, event)
    data["time_zone"] = "Etc/GMT+12"
    data["judging_ends_at"] = "9999-12-31T23:00"
    data["results_at"] = "9999-12-31T23:59"
    response = client.post(url, data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "Choose a date between 2000-01-01 and 2100-12-31." in errors["results_at"]
    event.refresh_from_db()
    assert event.results_at.year < 2100
    assert client.get("/", follow=True).status_code == 200
    assert client.get("/events/").status_code == 200


def test_manage_page_refuses_team_building_of_more_than_a_day(client, event, organizer):
    client.force_login(organizer)
    data = manage_form_data(client, event)
    data["team_building_minutes"] = "40000"
    response = client.post(reverse("hackathon:event_manage", kwargs={"event_slug": event.slug}), data)
    assert response.status_code == 200
    assert "team_building_minutes" in response.context["form"].errors


@pytest.mark.parametrize(
    ("time_zone", "start"),
    [
        ("Etc/GMT+12", datetime(2100, 12, 31, 23, 50)),  # a minute past the range at results_at
        ("Etc/GMT-14", datetime(1999, 12, 31, 23, 59)),
    ],
)
def test_service_refuses_dates_outside_the_range_in_the_event_time_zone(event, organizer, time_zone, start):
    values = timeline_from(start.replace(tzinfo=zoneinfo.ZoneInfo(time_zone)), minutes=2)
    with pytest.raises(DomainError) as error:
        services.event_update(event_id=event.pk, updated_by=organizer, time_zone=time_zone, **values)
    assert error.value.code == "out_of_range"


def test_service_accepts_the_very_edges_of_the_range(event, organizer):
    gmt12 = zoneinfo.ZoneInfo("Etc/GMT+12")
    values = timeline_from(datetime(2100, 12, 31, 23, 50, tzinfo=gmt12))
    services.event_update(event_id=event.pk, updated_by=organizer, time_zone="Etc/GMT+12", **values)
    event.refresh_from_db()
    assert event.results_at == datetime(2100, 12, 31, 23, 57, tzinfo=gmt12)
    gmt14 = zoneinfo.ZoneInfo("Etc/GMT-14")
    values = timeline_from(datetime(2000, 1, 1, 0, 0, tzinfo=gmt14))
    services.event_update(event_id=event.pk, updated_by=organizer, time_zone="Etc/GMT-14", **values)
    event.refresh_from_db()
    assert event.applications_open_at == datetime(2000, 1, 1, tzinfo=gmt14)


def test_the_database_refuses_a_timeline_past_the_range(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=event.pk).update(results_at=datetime(2101, 6, 1, tzinfo=zoneinfo.ZoneInfo("UTC")))


def test_pages_stay_up_with_one_event_at_the_limits_of_every_field(client, make_user, grant):
    """The latest and earliest timelines the range allows, the longest texts, the largest numbers: every page that
    lists or shows the event answers 200, for anyone and for the people with roles in it."""
    organizer = make_user(name="O" * 150)
    late = EventFactory(
        name="N" * 200,
        slug="s" * 80,
        venue="V" * 200,
        tagline_ko="T" * 200,
        tagline_en="T" * 200,
        description_ko="D" * 5_000,
        description_en="D" * 5_000,
        rules_en="R" * 5_000,
        prizes_en="P" * 3_000,
        faq_en=("Q: " + "q" * 90 + "\nA: " + "a" * 90 + "\n") * 26,
        sponsors="\n".join(["S" * 100] * 9),
        time_zone="Etc/GMT+12",
        **timeline_from(datetime(2100, 12, 31, 23, 50, tzinfo=zoneinfo.ZoneInfo("Etc/GMT+12"))),
    )
    Event.objects.filter(pk=late.pk).update(team_building_minutes=24 * 60)
    early = EventFactory(
        time_zone="Etc/GMT-14",
        **timeline_from(datetime(2000, 1, 1, tzinfo=zoneinfo.ZoneInfo("Etc/GMT-14")), minutes=24 * 60 * 365),
    )
    for event in (late, early):
        grant(organizer, event, "organizer")
        grant(make_user(), event, "participant", track="pm")
    pages = ["/events/", "/api/v1/events/", "/accounts/profile/", "/api/v1/me/"]
    for event in (late, early):
        pages += [
            reverse("hackathon:event_home", kwargs={"event_slug": event.slug}),
            reverse("hackathon:my_home", kwargs={"event_slug": event.slug}),
            reverse("hackathon:event_manage", kwargs={"event_slug": event.slug}),
            reverse("hackathon:event_people", kwargs={"event_slug": event.slug}),
            f"/api/v1/events/{event.slug}/",
        ]
    client.force_login(organizer)
    for page in pages:
        assert client.get(page).status_code == 200, page
    client.logout()
    assert client.get("/").status_code == 200
    assert client.get("/api/v1/events/").status_code == 200


def test_migration_pulls_stored_out_of_range_dates_back(event):
    """An older version stored year 10,000 (9999-12-31 in Etc/GMT+12): the migration repairs it without reading."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL, which stores what Python cannot read")
    migration = importlib.import_module("hackathon.migrations.0003_event_timeline_within_range")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE hackathon_event DROP CONSTRAINT event_timeline_within_range")
        cursor.execute(
            "UPDATE hackathon_event SET judging_ends_at = '10000-01-01 11:00+00', results_at = '10000-01-01 11:59+00'"
            " WHERE id = %s",
            [event.pk],
        )
    migration.clamp_out_of_range_events(apps, None)
    event.refresh_from_db()
    assert event.results_at.year == 2100
    assert event.judging_ends_at < event.results_at
    assert not event.is_published
