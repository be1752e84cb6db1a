"""Rollups against raw samples on hand-computed data, job-interval and queue rollups, pruning."""

from datetime import timedelta

import pytest

from npu_jobs.models import NpuJob
from utilization import services
from utilization.models import DeviceHour, DeviceMinute, DeviceSample, QueueMinute, RollupMark, Source
from utilization.services import Reading
from utilization.tests.conftest import T0

pytestmark = pytest.mark.django_db


def sample(device, seconds, busy, temp=None, power=None, source=Source.DEVICE_COUNTERS):
    return Reading(
        device_id=device.pk,
        at=T0 + timedelta(seconds=seconds),
        busy_ratio=busy,
        temperature_c=temp,
        power_w=power,
        source=source,
    )


def test_minutes_and_hours_from_raw_samples(device):
    services.device_samples_record(
        readings=[
            sample(device, 0, 0.2, 40, 10),
            sample(device, 30, 0.6, 42, 14),  # minute 10:00: mean 0.4, max 0.6, 41 °C, 12 W
            sample(device, 60, 1.0, 50, 20),  # minute 10:01: one sample
            sample(device, 3600, 0.5),  # 11:00: another hour
        ]
    )
    assert services.device_rollups_update() == 3
    minutes = {m.bucket_start: m for m in DeviceMinute.objects.filter(device=device)}
    first = minutes[T0]
    assert (first.mean_busy, first.max_busy, first.samples) == (pytest.approx(0.4), 0.6, 2)
    assert (first.mean_temperature_c, first.mean_power_w) == (pytest.approx(41), pytest.approx(12))
    assert minutes[T0 + timedelta(minutes=1)].mean_busy == 1.0
    hour = DeviceHour.objects.get(device=device, bucket_start=T0)
    # sample-weighted: (0.4 * 2 + 1.0 * 1) / 3 = 0.6, the same as the mean of the three raw samples
    assert (hour.mean_busy, hour.max_busy, hour.samples) == (pytest.approx(0.6), 1.0, 3)
    assert DeviceHour.objects.get(device=device, bucket_start=T0 + timedelta(hours=1)).mean_busy == 0.5


def test_rollup_is_idempotent_and_recomputes_a_touched_bucket(device):
    services.device_samples_record(readings=[sample(device, 0, 0.2), sample(device, 10, 0.4)])
    services.device_rollups_update()
    assert services.device_rollups_update() == 0  # nothing new: nothing written
    services.device_samples_record(readings=[sample(device, 20, 0.9)])  # a late sample in the same minute
    assert services.device_rollups_update() == 1
    minute = DeviceMinute.objects.get(device=device, bucket_start=T0)
    assert (minute.mean_busy, minute.max_busy, minute.samples) == (pytest.approx(0.5), 0.9, 3)
    assert DeviceHour.objects.get(device=device).samples == 3
    assert DeviceMinute.objects.count() == 1


def test_sources_are_kept_apart(device):
    services.device_samples_record(readings=[sample(device, 0, 0.2), sample(device, 5, 0.8, source=Source.SIMULATED)])
    services.device_rollups_update()
    assert set(DeviceMinute.objects.values_list("source", "mean_busy")) == {
        (Source.DEVICE_COUNTERS, 0.2),
        (Source.SIMULATED, 0.8),
    }


def test_prune_deletes_only_old_rolled_up_samples(device, settings):
    settings.UTILIZATION_RAW_RETENTION_HOURS = 6
    now = T0 + timedelta(hours=8)
    services.device_samples_record(readings=[sample(device, 0, 0.1), sample(device, 3 * 3600, 0.3)])
    assert services.device_samples_prune(now=now) == 0  # not rolled up yet: kept
    services.device_rollups_update()
    services.device_samples_record(readings=[sample(device, 60, 0.5)])  # old, but arrived after the rollup
    assert services.device_samples_prune(now=now) == 1
    assert sorted(DeviceSample.objects.values_list("busy_ratio", flat=True)) == [0.3, 0.5]
    assert DeviceMinute.objects.filter(bucket_start=T0).exists()  # the rollup keeps the pruned figure


def make_job(team, model, device, created, started=None, finished=None, state="succeeded", **extra):
    if state in ("preparing", "running"):
        extra.update(claim_token="t", lease_expires_at=created + timedelta(hours=1))
    job = NpuJob.objects.create(
        event=team.event,
        team=team,
        model=model,
        target="npu",
        queue="npu",
        time_limit_seconds=60,
        budget_seconds=60,
        compute_device=device,
        worker=device.worker if device else None,
        state=state,
        started_at=started,
        finished_at=finished,
        **extra,
    )
    NpuJob.objects.filter(pk=job.pk).update(created_at=created)  # auto_now_add: set the history afterwards
    return job


def test_job_interval_minutes_with_overlapping_and_unfinished_jobs(device, team, model, settings):
    settings.UTILIZATION_BACKFILL_HOURS = 1
    now = T0 + timedelta(minutes=3, seconds=30)
    device.worker.started_at = T0 - timedelta(hours=2)
    device.worker.last_heartbeat_at = now
    device.worker.save()
    make_job(team, model, device, T0, T0 + timedelta(seconds=0), T0 + timedelta(seconds=40))
    make_job(team, model, device, T0, T0 + timedelta(seconds=20), T0 + timedelta(seconds=70))
    make_job(team, model, device, T0, T0 + timedelta(minutes=2, seconds=45), None, state="running")
    services.job_interval_rollups_update(now=now)
    busy = dict(
        DeviceMinute.objects.filter(device=device, source=Source.JOB_INTERVALS).values_list("bucket_start", "mean_busy")
    )
    assert busy[T0] == 1.0
    assert busy[T0 + timedelta(minutes=1)] == pytest.approx(10 / 60)
    assert busy[T0 + timedelta(minutes=2)] == pytest.approx(15 / 60)
    assert busy[T0 + timedelta(minutes=3)] == 1.0  # 30 s busy of the 30 s elapsed so far
    assert busy[T0 - timedelta(minutes=5)] == 0.0  # the worker was alive: an idle minute
    assert RollupMark.objects.get(name="job_intervals").rolled_up_to == now


def test_queue_minutes(device, team, model, settings):
    settings.UTILIZATION_BACKFILL_HOURS = 1
    now = T0 + timedelta(minutes=3)
    make_job(team, model, device, T0 - timedelta(minutes=1), T0 + timedelta(seconds=30), T0 + timedelta(minutes=1))
    make_job(
        team,
        model,
        device,
        T0,
        T0 + timedelta(minutes=2, seconds=10),
        T0 + timedelta(minutes=2, seconds=20),
        state="failed",
    )
    make_job(team, model, None, T0 + timedelta(seconds=5), None, None, state="queued")
    services.queue_rollups_update(now=now)
    rows = {q.bucket_start: q for q in QueueMinute.objects.filter(event=team.event, queue="npu")}
    assert rows[T0].waiting == 2  # both created before 10:00:00 (the second at exactly 10:00) and not started
    assert (rows[T0].started, rows[T0].wait_seconds_sum) == (1, 90.0)
    assert rows[T0 + timedelta(minutes=1)].waiting == 2  # job 2 and the queued one
    assert rows[T0 + timedelta(minutes=1)].succeeded == 1
    assert (rows[T0 + timedelta(minutes=2)].started, rows[T0 + timedelta(minutes=2)].wait_seconds_max) == (1, 130.0)
    assert rows[T0 + timedelta(minutes=2)].failed == 1
    assert rows[T0 + timedelta(minutes=3)].waiting == 1
