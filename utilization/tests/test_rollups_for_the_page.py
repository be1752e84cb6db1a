"""The rollups that keep the dashboard fast give the same figures the page computed directly from every job and
every minute before (issue 13): per-team job time from TeamJobHour, the 6-hour view from DeviceSixMinutes."""

import random
from datetime import timedelta

import pytest
from django.db.models import (
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    Max,
    Q,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce

from npu_jobs.models import NpuJob
from utilization import selectors, services
from utilization.models import DeviceMinute, DeviceSixMinutes, Source, TeamJobHour
from utilization.tests.conftest import T0
from utilization.tests.test_services import make_job

pytestmark = pytest.mark.django_db
FIGURES = ("jobs", "failed_jobs", "waiting_seconds", "running_seconds", "idle", "source")


def direct_team_figures(event, now):
    """The page's computation before the rollup: one aggregate over every job of the event (kept as the reference)."""
    at_now = Value(now, output_field=DateTimeField())
    rows = NpuJob.objects.filter(event=event).values("team_id").annotate(
        jobs=Count("id"),
        failed=Count("id", filter=Q(state__in=selectors.FAILED)),
        last=Max("created_at"),
        waiting=Sum(ExpressionWrapper(Coalesce("started_at", "finished_at", at_now) - F("created_at"),
                                      output_field=DurationField())),
        running=Sum(ExpressionWrapper(Coalesce("finished_at", at_now) - F("started_at"), output_field=DurationField()),
                    filter=Q(started_at__isnull=False)),
    )  # fmt: skip
    return {
        r["team_id"]: {
            "jobs": r["jobs"],
            "failed_jobs": r["failed"],
            "waiting_seconds": round(r["waiting"].total_seconds(), 1) if r["waiting"] else 0.0,
            "running_seconds": round(r["running"].total_seconds(), 1) if r["running"] else 0.0,
            "idle": r["last"] < now - selectors.IDLE_AFTER,
        }
        for r in rows
    }


def figures(event, now):
    return {t["team_id"]: t for t in selectors.team_figures(event=event, now=now)}


def test_team_job_hours_give_the_hand_computed_figures_before_and_after_each_pass(team, model, device):
    s = timedelta(seconds=1)
    make_job(team, model, device, T0, T0 + 60 * s, T0 + 160 * s)  # waited 60, ran 100
    make_job(team, model, device, T0 + 10 * s, T0 + 40 * s, T0 + 50 * s, state="failed")  # 30, 10
    make_job(team, model, None, T0 + 100 * s, None, T0 + 400 * s, state="cancelled")  # 300 waiting, never ran
    now = T0 + timedelta(hours=2, minutes=30)
    make_job(team, model, device, now - 50 * s, now - 20 * s, None, state="running")  # 30, 20 so far
    make_job(team, model, None, now - 5 * s, None, None, state="queued")  # 5 so far
    expected = {"jobs": 5, "failed_jobs": 1, "waiting_seconds": 425.0, "running_seconds": 130.0, "idle": False}

    before = figures(team.event, now)[team.pk]  # no pass yet: every job read directly
    assert {k: before[k] for k in expected} == expected
    assert services.team_job_rollups_update(now=now) == 1  # the hour of 10:00 holds the three finished jobs
    hour = TeamJobHour.objects.get(team=team)
    assert (hour.bucket_start, hour.jobs, hour.failed, hour.waiting_seconds, hour.running_seconds) == (
        T0,
        3,
        1,
        390.0,
        110.0,
    )
    after = figures(team.event, now)[team.pk]
    assert {k: after[k] for k in expected} == expected

    # The running job finishes after the pass: the page reads it directly until the next pass, then from the hour.
    NpuJob.objects.filter(state="running").update(
        state="succeeded", finished_at=now, claim_token="", lease_expires_at=None
    )
    later = now + timedelta(minutes=10)
    expected |= {"waiting_seconds": 425.0 + 10 * 60, "running_seconds": 130.0}
    assert {k: figures(team.event, later)[team.pk][k] for k in expected} == expected
    assert services.team_job_rollups_update(now=later) == 1
    assert services.team_job_rollups_update(now=later) == 1  # idempotent: the open hour recomputed, not added
    assert {k: figures(team.event, later)[team.pk][k] for k in expected} == expected
    assert TeamJobHour.objects.filter(team=team).count() == 2


def test_team_figures_equal_the_direct_computation_on_random_jobs(team, other_team, model, device, make_user):
    rng = random.Random(13)
    from npu_jobs.models import OnnxModel

    other_model = OnnxModel.objects.create(event=other_team.event, team=other_team, uploaded_by=model.uploaded_by,
                                           name="m", file_path="y.onnx", size_bytes=1, sha256="1")  # fmt: skip
    now = T0 + timedelta(hours=5)
    for _ in range(120):
        t, m = (team, model) if rng.random() < 0.5 else (other_team, other_model)
        created = T0 + timedelta(seconds=rng.uniform(0, 5 * 3600 - 60))
        started = created + timedelta(seconds=rng.uniform(0, 90)) if rng.random() < 0.9 else None
        finished = (started or created) + timedelta(seconds=rng.uniform(1, 300))
        if finished > now:
            finished = None
        state = rng.choice(["succeeded", "failed", "timed_out"]) if finished else "queued"
        if finished and started is None:
            state = "cancelled"
        make_job(t, m, device if started else None, created, started, finished, state=state)
    for at in (T0 + timedelta(hours=1, minutes=1), T0 + timedelta(hours=3, minutes=59), now):
        services.team_job_rollups_update(now=at)
        direct, rolled = direct_team_figures(team.event, now), figures(team.event, now)
        for team_id, want in direct.items():
            got = {k: rolled[team_id][k] for k in want}
            assert got == pytest.approx(want, abs=0.11), team_id  # rounding of a float sum to 0.1 s


def test_six_minute_buckets_give_the_minute_figures(device, second_device):
    rng = random.Random(7)
    start = T0  # 10:00, a six-minute boundary
    for d in (device, second_device):
        DeviceMinute.objects.bulk_create(
            [
                DeviceMinute(device=d, source=Source.SIMULATED, bucket_start=start + timedelta(minutes=m),
                             mean_busy=(b := rng.random()), max_busy=min(b + 0.1, 1.0), samples=12)
                for m in range(0, 60)
                if not (d == second_device and m in (7, 8))  # a device with two minutes missing
            ]
        )  # fmt: skip
    services.six_minutes_from_minutes(
        {(d.pk, Source.SIMULATED, start + timedelta(minutes=6 * k)) for d in (device, second_device) for k in range(10)}
    )
    assert DeviceSixMinutes.objects.count() == 20
    assert DeviceSixMinutes.objects.get(device=second_device, bucket_start=start + timedelta(minutes=6)).minutes == 4
    now = start + timedelta(hours=6)  # the window starts exactly at 10:00
    got = selectors.device_busy(event=device.pool.event, window="6h", now=now)
    for row in got["devices"]:
        minutes = DeviceMinute.objects.filter(device_id=row["device_id"])
        mean = sum(m.mean_busy for m in minutes) / minutes.count()
        assert row["mean_busy_pct"] == pytest.approx(round(100 * mean, 1), abs=0.051)
        assert row["max_busy_pct"] == round(100 * max(m.max_busy for m in minutes), 1)
    pool = got["pool_series"][0]["points"]
    assert len(pool) == 10 and pool[0]["t"] == start.isoformat()
    for point in pool:
        bucket = selectors.datetime.fromisoformat(point["t"])
        per_device = []
        for d in (device, second_device):
            values = [m.mean_busy for m in DeviceMinute.objects.filter(
                device=d, bucket_start__gte=bucket, bucket_start__lt=bucket + timedelta(minutes=6))]  # fmt: skip
            per_device.append(sum(values) / len(values))
        assert point["busy_pct"] == pytest.approx(round(100 * sum(per_device) / 2, 1), abs=0.051)


def test_the_device_chart_draws_the_busiest_and_most_idle_and_the_table_keeps_every_device(device):
    from npu_jobs.models import ComputeDevice

    devices = [device] + [
        ComputeDevice.objects.create(worker=device.worker, pool=device.pool, kind="npu", index=i, spec=f"npu:{i}:0-1")
        for i in range(1, 20)
    ]
    DeviceMinute.objects.bulk_create(
        [DeviceMinute(device=d, source=Source.DEVICE_COUNTERS, bucket_start=T0 + timedelta(minutes=m),
                      mean_busy=i / 20, max_busy=i / 20, samples=12) for i, d in enumerate(devices) for m in range(5)]
    )  # fmt: skip
    got = selectors.device_busy(event=device.pool.event, window="15m", now=T0 + timedelta(minutes=5))
    assert len(got["devices"]) == 20 and got["device_series_limited"]
    drawn = {s["device_id"] for s in got["device_series"]}
    n = selectors.SERIES_DEVICES
    assert drawn == {d.pk for d in devices[:n]} | {d.pk for d in devices[-n:]}
    assert all(len(s["points"]) == 5 for s in got["device_series"])


def test_a_simulated_device_says_simulated_once(device):
    device.worker.hostname = "warboy-demo (simulated)"
    device.worker.save()
    device.spec = "npu:0:0-1 (simulated)"
    device.save()
    DeviceMinute.objects.create(device=device, source=Source.SIMULATED, bucket_start=T0, mean_busy=0.5, max_busy=0.5,
                                samples=12)  # fmt: skip
    got = selectors.device_busy(event=device.pool.event, window="15m", now=T0 + timedelta(minutes=1))
    assert got["devices"][0]["device"] == "warboy-demo #0 npu:0:0-1"  # the source column says "simulated"
    assert got["device_series"][0]["device"] == "warboy-demo #0 npu:0:0-1"


def test_the_migration_backfill_gives_the_rollup_pass_buckets_on_this_database(device, second_device):
    """Migration 0002 fills six-minute buckets from existing minutes: one SQL statement on PostgreSQL, Python on the
    SQLite demo (the SQL does not parse there). Either way it must give what the rollup pass gives."""
    import importlib
    from types import SimpleNamespace

    from django.apps import apps
    from django.db import connection

    backfill = importlib.import_module("utilization.migrations.0002_team_job_hours_device_six_minutes")
    rng = random.Random(11)
    for d in (device, second_device):
        DeviceMinute.objects.bulk_create(
            [
                DeviceMinute(device=d, source=Source.SIMULATED, bucket_start=T0 + timedelta(minutes=m),
                             mean_busy=(b := rng.random()), max_busy=min(b + 0.2, 1.0), samples=12,
                             mean_temperature_c=40 + m if m % 5 else None, mean_power_w=20.0)
                for m in range(0, 30)
                if not (d == second_device and m in (13, 14))
            ]
        )  # fmt: skip
    services.six_minutes_from_minutes(
        {(d.pk, Source.SIMULATED, T0 + timedelta(minutes=6 * k)) for d in (device, second_device) for k in range(5)}
    )
    fields = ("device_id", "source", "bucket_start", "max_busy", "samples", "minutes")
    by_pass = {r[:3]: r for r in DeviceSixMinutes.objects.values_list(*fields, "mean_busy", "mean_temperature_c")}
    DeviceSixMinutes.objects.all().delete()
    # The function reads only the editor's connection and execute(): SQLite refuses a real schema editor in a test's
    # transaction, so hand it those two.
    with connection.cursor() as cursor:
        editor = SimpleNamespace(connection=connection, execute=cursor.execute)
        backfill.backfill_six_minutes(apps, editor)
    by_migration = {r[:3]: r for r in DeviceSixMinutes.objects.values_list(*fields, "mean_busy", "mean_temperature_c")}
    assert by_migration.keys() == by_pass.keys() and len(by_pass) == 10
    for key, row in by_pass.items():
        assert by_migration[key][:6] == row[:6]
        assert by_migration[key][6] == pytest.approx(row[6]) and by_migration[key][7] == pytest.approx(row[7])
