"""The dashboard, its JSON and CSV, the team view, /metrics, and who may see them."""

import csv
import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from core.templatetags.figures import duration, hours
from npu_jobs.models import ComputeDevice, TeamQuota
from utilization import services
from utilization.models import Source
from utilization.services import Reading
from utilization.tests.test_services import make_job

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_event(event, device, second_device, team, other_team, model):
    """Two devices with counters and job intervals, two teams with jobs and quotas."""
    now = timezone.now()
    TeamQuota.objects.create(
        team=team, event=event, device_seconds_granted=Decimal(1000), device_seconds_used=Decimal(950)
    )
    TeamQuota.objects.create(
        team=other_team, event=event, device_seconds_granted=Decimal(1000), device_seconds_used=Decimal(100)
    )
    services.device_samples_record(
        readings=[
            Reading(
                device_id=device.pk,
                at=now - timedelta(minutes=3, seconds=s),
                busy_ratio=0.5,
                temperature_c=45,
                power_w=20,
                core_status={"0": {"status": "occupied", "busy": 0.6}, "1": {"status": "occupied", "busy": 0.4}},
            )
            for s in (0, 5, 10)
        ]
        + [Reading(device_id=second_device.pk, at=now - timedelta(minutes=2), busy_ratio=0.25)]
    )
    services.device_rollups_update()
    make_job(team, model, device, now - timedelta(minutes=10), now - timedelta(minutes=8), now - timedelta(minutes=7))
    make_job(
        team,
        model,
        device,
        now - timedelta(minutes=6),
        now - timedelta(minutes=5),
        now - timedelta(minutes=4),
        state="failed",
    )
    services.job_interval_rollups_update(now=now)
    services.queue_rollups_update(now=now)
    return event


def test_dashboard_shows_every_figure_with_its_source(
    client, organizer, busy_event, team, django_assert_max_num_queries
):
    client.force_login(organizer)
    url = reverse("utilization:dashboard", kwargs={"event_slug": busy_event.slug})
    with django_assert_max_num_queries(20):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for text in (
        "Device counters",
        "Job intervals",
        "Near limit",
        "chart-pools",
        "chart-teams",
        "chart-queue",
        "chart-outcomes",
        "Worker health",
        'hx-trigger="every 15s"',
    ):
        assert text in html, text
    live = client.get(reverse("utilization:dashboard_live", kwargs={"event_slug": busy_event.slug}) + "?window=6h")
    assert live.status_code == 200 and "<html" not in live.content.decode()


def test_query_count_does_not_grow_with_devices_or_teams(
    client, organizer, busy_event, device, django_assert_max_num_queries
):
    from npu_jobs.tests.factories import TeamFactory

    client.force_login(organizer)
    url = reverse("utilization:dashboard", kwargs={"event_slug": busy_event.slug}) + "?window=event"
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        client.get(url)
    now = timezone.now()
    for i in range(2, 8):
        extra = ComputeDevice.objects.create(
            worker=device.worker, pool=device.pool, kind="npu", index=i, spec=f"npu:{i}:0-1"
        )
        services.device_samples_record(
            readings=[Reading(device_id=extra.pk, at=now - timedelta(minutes=1), busy_ratio=0.1)]
        )
        TeamFactory(event=busy_event, name=f"Team {i}")
    services.device_rollups_update()
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(after) == len(before)


def test_json_csv_and_page_agree(client, organizer, busy_event, team, device):
    client.force_login(organizer)
    kwargs = {"event_slug": busy_event.slug}
    data = client.get(reverse("utilization_api:figures", kwargs=kwargs) + "?window=15m").json()
    page = client.get(reverse("utilization:dashboard", kwargs=kwargs) + "?window=15m").content.decode()
    teams_csv = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("utilization:figures_csv", kwargs=kwargs) + "?table=teams&window=15m"
                ).content.decode()
            )
        )
    )
    devices_csv = list(
        csv.DictReader(
            io.StringIO(
                client.get(
                    reverse("utilization:figures_csv", kwargs=kwargs) + "?table=devices&window=15m"
                ).content.decode()
            )
        )
    )
    blue = next(t for t in data["teams"] if t["team_id"] == team.pk)
    blue_csv = next(t for t in teams_csv if int(t["team_id"]) == team.pk)
    assert blue["npu_seconds_used"] == float(blue_csv["npu_seconds_used"]) == 950.0
    assert blue["waiting_seconds"] == float(blue_csv["waiting_seconds"]) == 180.0
    assert blue["failed_jobs"] == int(blue_csv["failed_jobs"]) == 1 and blue["near_limit"]
    # The page shows the same figures in the unit people read: hours of quota, minutes of waiting.
    assert hours(blue["npu_seconds_used"]) == "0.3" and duration(blue["waiting_seconds"]) == "3.0 min"
    assert f'data-team-used="{team.pk}">0.3<' in page
    assert f'data-team-waiting="{team.pk}">3.0 min<' in page
    counters = next(d for d in data["devices"] if d["device_id"] == device.pk and d["source"] == Source.DEVICE_COUNTERS)
    counters_csv = next(
        d for d in devices_csv if int(d["device_id"]) == device.pk and d["source"] == Source.DEVICE_COUNTERS
    )
    assert counters["mean_busy_pct"] == float(counters_csv["mean_busy_pct"]) == 50.0
    assert f'data-device="{device.pk}-device_counters">50.0 %<' in page


def test_outsiders_are_refused(client, busy_event, member, judge, other_event_organizer, make_user, grant):
    mentor = make_user()
    grant(mentor, busy_event, "mentor")
    kwargs = {"event_slug": busy_event.slug}
    urls = [
        reverse(name, kwargs=kwargs)
        for name in (
            "utilization:dashboard",
            "utilization:dashboard_live",
            "utilization:figures_csv",
            "utilization_api:figures",
        )
    ]
    for who in (member, mentor, judge, other_event_organizer):
        client.force_login(who)
        for url in urls:
            assert client.get(url).status_code in (403, 404), (who, url)


def test_team_view_shows_the_team_its_own_figures_only(client, busy_event, member, other_member, organizer, team):
    kwargs = {"event_slug": busy_event.slug}
    client.force_login(member)
    page = client.get(reverse("utilization:team_usage", kwargs=kwargs))
    assert page.status_code == 200 and "Blue: usage" in page.content.decode() and "Red" not in page.content.decode()
    data = client.get(reverse("utilization_api:team_usage", kwargs=kwargs)).json()
    assert data["team"]["team"] == "Blue" and len(data["recent_failures"]) == 1
    client.force_login(organizer)  # not in a team
    assert client.get(reverse("utilization:team_usage", kwargs=kwargs)).status_code == 404


def test_metrics_needs_the_token_and_parses_back(client, busy_event, device, settings):
    url = reverse("metrics")
    settings.UTILIZATION_METRICS_TOKEN = ""
    assert client.get(url, HTTP_AUTHORIZATION="Bearer ").status_code == 401
    settings.UTILIZATION_METRICS_TOKEN = "s3cret"
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    response = client.get(url, HTTP_AUTHORIZATION="Bearer s3cret")
    assert response.status_code == 200
    families = {f.name: f for f in text_string_to_metric_families(response.content.decode())}
    cores = {
        s.labels["core"]: s.value
        for s in families["furiosa_npu_core_utilization"].samples
        if s.labels["device"] == "npu0"
    }
    assert cores == {"0": pytest.approx(60.0), "1": pytest.approx(40.0)}
    temperature = families["furiosa_npu_hw_temperature"].samples[0]
    assert temperature.value == 45 and temperature.labels["source"] == "device_counters"
    assert {s.labels["device"] for s in families["furiosa_npu_alive"].samples} == {"npu0", "npu1"}
    states = {(s.labels["state"]): s.value for s in families["hacknpu_jobs"].samples}
    assert states == {"succeeded": 1, "failed": 1}
    assert families["hacknpu_worker_heartbeat_age_seconds"].samples[0].labels["worker"] == "celery@npu-1"
