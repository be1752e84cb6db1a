"""Writes: recording samples, the rollups (idempotent: each pass recomputes the buckets touched since the last
one), pruning raw samples, and what a host's sampler says about itself.

Lock order: a rollup locks its RollupMark row first, so two beat passes never interleave.
"""

from __future__ import annotations

import bisect
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, FloatField, Max, Q, Sum
from django.db.models.functions import Coalesce, TruncHour, TruncMinute
from django.utils import timezone

from core.models import WorkState
from npu_jobs.models import ComputeDevice, NpuJob, WorkerHost
from utilization.intervals import busy_seconds_per_bucket, job_intervals
from utilization.models import (
    DeviceHour,
    DeviceIdentity,
    DeviceMinute,
    DeviceSample,
    DeviceSixMinutes,
    QueueMinute,
    RollupMark,
    SamplerStatus,
    Source,
    TeamJobHour,
)

MINUTE = timedelta(minutes=1)
HOUR = timedelta(hours=1)
ROLLUP_FIELDS = ["mean_busy", "max_busy", "samples", "mean_temperature_c", "mean_power_w"]
QUEUE_FIELDS = [
    "waiting",
    "started",
    "wait_seconds_sum",
    "wait_seconds_max",
    "succeeded",
    "failed",
    "other_ended",
    "simulated",
]
FAILED_STATES = (WorkState.FAILED, WorkState.TIMED_OUT)


def minute_floor(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(second=0, microsecond=0)


def hour_floor(when: datetime) -> datetime:
    return when.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def six_minute_floor(when: datetime) -> datetime:
    when = minute_floor(when)
    return when.replace(minute=when.minute - when.minute % 6)


# --- Samples ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    """What a sampler measured for one device."""

    device_id: int
    at: datetime
    busy_ratio: float
    compute_ratio: float | None = None
    io_ratio: float | None = None
    temperature_c: float | None = None
    power_w: float | None = None
    core_status: dict | None = None
    source: str = Source.DEVICE_COUNTERS


def device_samples_record(*, readings: Iterable[Reading]) -> int:
    rows = [
        DeviceSample(
            device_id=r.device_id,
            at=r.at,
            source=r.source,
            busy_ratio=min(max(r.busy_ratio, 0.0), 1.0),
            compute_ratio=r.compute_ratio,
            io_ratio=r.io_ratio,
            temperature_c=r.temperature_c,
            power_w=r.power_w,
            core_status=r.core_status or {},
        )
        for r in readings
    ]
    DeviceSample.objects.bulk_create(rows)
    return len(rows)


def device_identity_update(*, device_id: int, uuid: str, arch: str, firmware_version: str, driver_version: str) -> None:
    DeviceIdentity.objects.update_or_create(
        device_id=device_id,
        defaults={"uuid": uuid, "arch": arch, "firmware_version": firmware_version, "driver_version": driver_version},
    )


def sampler_status_set(*, worker_name: str, sampling: bool, status: str) -> None:
    worker = WorkerHost.objects.filter(name=worker_name).first()
    if worker is not None:
        SamplerStatus.objects.update_or_create(worker=worker, defaults={"sampling": sampling, "status": status[:500]})


@transaction.atomic
def device_samples_prune(*, now: datetime | None = None) -> int:
    """Delete raw samples older than the retention; the rollups keep their figures."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.UTILIZATION_RAW_RETENTION_HOURS)
    # Never prune what the rollup has not read yet.
    mark = RollupMark.objects.filter(name="device_samples").first()
    pending = Q(id__gt=mark.last_sample_id) if mark else Q(pk__isnull=False)
    deleted, _ = DeviceSample.objects.filter(at__lt=cutoff).exclude(pending).delete()
    return deleted


# --- Rollups from raw samples ----------------------------------------------------------------------------------


def _upsert(model: Any, rows: list, unique_fields: list[str], update_fields: list[str]) -> None:
    if rows:
        model.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=unique_fields, update_fields=update_fields, batch_size=2000
        )


@transaction.atomic
def device_rollups_update() -> int:
    """Recompute the minute buckets that received samples since the last pass, then their hours. Returns the
    number of minute buckets written."""
    mark, _ = RollupMark.objects.select_for_update().get_or_create(name="device_samples")
    new_max = DeviceSample.objects.aggregate(m=Max("id"))["m"] or 0
    if new_max <= mark.last_sample_id:
        return 0
    touched = {
        (row["device_id"], row["source"], row["bucket"])
        for row in DeviceSample.objects.filter(id__gt=mark.last_sample_id, id__lte=new_max)
        .annotate(bucket=TruncMinute("at", tzinfo=UTC))
        .values("device_id", "source", "bucket")
        .distinct()
    }
    written = _minutes_from_samples(touched)
    _coarser_from_minutes(touched)
    mark.last_sample_id = new_max
    mark.save(update_fields=["last_sample_id"])
    return written


def _covering(touched: set[tuple[int, str, datetime]], field: str, width: timedelta) -> dict[str, Any]:
    """Filter for the rows that can fall in the touched (device, source, bucket)s: their devices and sources, from the
    first bucket to the end of the last (a superset; callers keep only the touched cells)."""
    return {
        "device_id__in": {device for device, _, _ in touched},
        "source__in": {source for _, source, _ in touched},
        f"{field}__gte": min(bucket for _, _, bucket in touched),
        f"{field}__lt": max(bucket for _, _, bucket in touched) + width,
    }


def _minutes_from_samples(touched: set[tuple[int, str, datetime]]) -> int:
    if not touched:
        return 0
    rows = (
        DeviceSample.objects.filter(**_covering(touched, "at", MINUTE))
        .annotate(bucket=TruncMinute("at", tzinfo=UTC))
        .values("device_id", "source", "bucket")
        .annotate(
            mean_busy=Avg("busy_ratio"),
            max_busy=Max("busy_ratio"),
            samples=Count("id"),
            mean_temperature_c=Avg("temperature_c"),
            mean_power_w=Avg("power_w"),
        )
    )
    minutes = [
        DeviceMinute(
            device_id=row["device_id"],
            source=row["source"],
            bucket_start=row["bucket"],
            mean_busy=row["mean_busy"],
            max_busy=row["max_busy"],
            samples=row["samples"],
            mean_temperature_c=row["mean_temperature_c"],
            mean_power_w=row["mean_power_w"],
        )
        for row in rows
        if (row["device_id"], row["source"], row["bucket"]) in touched
    ]
    _upsert(DeviceMinute, minutes, ["device", "source", "bucket_start"], ROLLUP_FIELDS)
    return len(minutes)


def _coarser_from_minutes(minutes: set[tuple[int, str, datetime]]) -> None:
    """The hours and six-minute buckets of the (device, source, minute) buckets just written."""
    _hours_from_minutes({(device, source, hour_floor(bucket)) for device, source, bucket in minutes})
    six_minutes_from_minutes({(device, source, six_minute_floor(bucket)) for device, source, bucket in minutes})


def six_minutes_from_minutes(touched: set[tuple[int, str, datetime]]) -> None:
    """Recompute the given (device, source, six-minute bucket)s from their minutes (the demo calls it too)."""
    if not touched:
        return
    rows = (
        DeviceMinute.objects.filter(**_covering(touched, "bucket_start", 6 * MINUTE))
        .values("device_id", "source", "bucket_start", "mean_busy", "max_busy", "samples",
                "mean_temperature_c", "mean_power_w")
    )  # fmt: skip
    cells: dict[tuple[int, str, datetime], list[Any]] = defaultdict(list)
    for row in rows.iterator(chunk_size=5000):
        key = (row["device_id"], row["source"], six_minute_floor(row["bucket_start"]))
        if key in touched:
            cells[key].append(row)

    def mean(values: list) -> float | None:
        present = [v for v in values if v is not None]
        return sum(present) / len(present) if present else None

    sixes = [
        DeviceSixMinutes(
            device_id=device_id,
            source=source,
            bucket_start=bucket,
            mean_busy=min(sum(m["mean_busy"] for m in minutes) / len(minutes), 1.0),
            max_busy=max(m["max_busy"] for m in minutes),
            samples=sum(m["samples"] for m in minutes),
            minutes=len(minutes),
            mean_temperature_c=mean([m["mean_temperature_c"] for m in minutes]),
            mean_power_w=mean([m["mean_power_w"] for m in minutes]),
        )
        for (device_id, source, bucket), minutes in cells.items()
    ]
    _upsert(DeviceSixMinutes, sixes, ["device", "source", "bucket_start"], [*ROLLUP_FIELDS, "minutes"])


def _hours_from_minutes(touched: set[tuple[int, str, datetime]]) -> None:
    """An hour is the sample-weighted mean of its minutes (every sample covers the same few seconds)."""
    if not touched:
        return
    rows = (
        DeviceMinute.objects.filter(**_covering(touched, "bucket_start", HOUR))
        .annotate(bucket=TruncHour("bucket_start", tzinfo=UTC))
        .values("device_id", "source", "bucket")
        .annotate(
            weighted=Sum(F("mean_busy") * F("samples"), output_field=FloatField()),
            samples_sum=Sum("samples"),
            max_busy=Max("max_busy"),
            mean_temperature_c=Avg("mean_temperature_c"),
            mean_power_w=Avg("mean_power_w"),
        )
    )
    hours = [
        DeviceHour(
            device_id=row["device_id"],
            source=row["source"],
            bucket_start=row["bucket"],
            mean_busy=min(row["weighted"] / row["samples_sum"], 1.0) if row["samples_sum"] else 0.0,
            max_busy=row["max_busy"],
            samples=row["samples_sum"],
            mean_temperature_c=row["mean_temperature_c"],
            mean_power_w=row["mean_power_w"],
        )
        for row in rows
        if (row["device_id"], row["source"], row["bucket"]) in touched
    ]
    _upsert(DeviceHour, hours, ["device", "source", "bucket_start"], ROLLUP_FIELDS)


# --- Rollups from job intervals and the queue ------------------------------------------------------------------


def _window(mark: RollupMark, now: datetime) -> tuple[datetime, datetime]:
    """From a little before where the last pass stopped (its last minute was partial) to the current minute."""
    if mark.rolled_up_to is None:
        start = minute_floor(now - timedelta(hours=settings.UTILIZATION_BACKFILL_HOURS))
    else:
        start = minute_floor(mark.rolled_up_to) - 2 * MINUTE
    return start, minute_floor(now) + MINUTE


@transaction.atomic
def job_interval_rollups_update(*, now: datetime | None = None) -> int:
    """Busy minutes of every device from the jobs it ran: the union of [started_at, finished_at or now] per device,
    cut into minutes. Devices of a live worker get their idle minutes too (0 %)."""
    now = now or timezone.now()
    mark, _ = RollupMark.objects.select_for_update().get_or_create(name="job_intervals")
    start, end = _window(mark, now)
    per_device: dict[int, list] = defaultdict(list)
    for device_id, started, finished in (
        NpuJob.objects.filter(compute_device__isnull=False, simulated=False, started_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gt=start))
        .values_list("compute_device_id", "started_at", "finished_at")
    ):
        per_device[device_id].append((started, finished))
    alive = {
        device_id: (max(started_at, start), min(heartbeat, now))
        for device_id, started_at, heartbeat in ComputeDevice.objects.filter(
            worker__last_heartbeat_at__gte=start, worker__started_at__lt=end
        ).values_list("id", "worker__started_at", "worker__last_heartbeat_at")
    }
    minutes = []
    for device_id in set(per_device) | set(alive):
        live_from, live_to = alive.get(device_id, (end, start))
        for bucket, busy in busy_seconds_per_bucket(
            job_intervals(per_device.get(device_id, []), now=now), start=start, end=end, width=MINUTE
        ):
            elapsed = min((now - bucket).total_seconds(), 60.0)
            if elapsed <= 0:
                continue
            if busy == 0 and not (live_from < bucket + MINUTE and bucket <= live_to):
                continue  # no job and no live worker: the device was not there, not idle
            ratio = min(busy / elapsed, 1.0)
            minutes.append(
                DeviceMinute(
                    device_id=device_id,
                    source=Source.JOB_INTERVALS,
                    bucket_start=bucket,
                    mean_busy=ratio,
                    max_busy=ratio,
                    samples=1,
                )
            )
    _upsert(DeviceMinute, minutes, ["device", "source", "bucket_start"], ROLLUP_FIELDS)
    _coarser_from_minutes({(m.device_id, m.source, m.bucket_start) for m in minutes})
    mark.rolled_up_to = now
    mark.save(update_fields=["rolled_up_to"])
    return len(minutes)


def queue_minutes_compute(jobs: list[dict], *, start: datetime, end: datetime, now: datetime) -> list[dict]:
    """Pure: per (event, queue, minute) how many jobs waited at the minute's start, the waits of the jobs that
    started in it, and the outcomes of those that ended in it. `jobs` are dicts with event_id, queue, state,
    created_at, started_at, finished_at, simulated."""
    groups: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for job in jobs:
        groups[(job["event_id"], job["queue"])].append(job)
    out = []
    for (event_id, queue), group in groups.items():
        joined = sorted(j["created_at"] for j in group)
        left = sorted(j["started_at"] or j["finished_at"] for j in group if j["started_at"] or j["finished_at"])
        by_minute: dict[datetime, dict] = defaultdict(
            lambda: {"started": 0, "waits": [], "succeeded": 0, "failed": 0, "other_ended": 0}
        )
        for j in group:
            if j["started_at"] and start <= j["started_at"] < end:
                cell = by_minute[minute_floor(j["started_at"])]
                cell["started"] += 1
                cell["waits"].append((j["started_at"] - j["created_at"]).total_seconds())
            if j["finished_at"] and start <= j["finished_at"] < end:
                cell = by_minute[minute_floor(j["finished_at"])]
                key = (
                    "succeeded"
                    if j["state"] == WorkState.SUCCEEDED
                    else ("failed" if j["state"] in FAILED_STATES else "other_ended")
                )
                cell[key] += 1
        simulated = all(j["simulated"] for j in group)
        bucket = start
        while bucket < end and bucket <= now:
            waiting = bisect.bisect_right(joined, bucket) - bisect.bisect_right(left, bucket)
            found = by_minute.get(bucket)
            if waiting or found:
                cell = found or {"started": 0, "waits": [], "succeeded": 0, "failed": 0, "other_ended": 0}
                out.append(
                    {
                        "event_id": event_id,
                        "queue": queue,
                        "bucket_start": bucket,
                        "waiting": max(waiting, 0),
                        "started": cell["started"],
                        "wait_seconds_sum": sum(cell["waits"]),
                        "wait_seconds_max": max(cell["waits"], default=0.0),
                        "succeeded": cell["succeeded"],
                        "failed": cell["failed"],
                        "other_ended": cell["other_ended"],
                        "simulated": simulated,
                    }
                )
            bucket += MINUTE
    return out


@transaction.atomic
def queue_rollups_update(*, now: datetime | None = None) -> int:
    now = now or timezone.now()
    mark, _ = RollupMark.objects.select_for_update().get_or_create(name="queue")
    start, end = _window(mark, now)
    recent = (
        NpuJob.objects.filter(created_at__lt=end)
        .filter(Q(finished_at__isnull=True) | Q(finished_at__gte=start))
        .values("event_id", "queue", "state", "created_at", "started_at", "finished_at", "simulated")
    )
    jobs: list[dict] = [dict(job) for job in recent]
    rows = [QueueMinute(**row) for row in queue_minutes_compute(jobs, start=start, end=end, now=now)]
    _upsert(QueueMinute, rows, ["event", "queue", "bucket_start"], QUEUE_FIELDS)
    mark.rolled_up_to = now
    mark.save(update_fields=["rolled_up_to"])
    return len(rows)


TEAM_JOB_FIELDS = ["jobs", "failed", "simulated", "last_created_at", "waiting_seconds", "running_seconds"]


def _finished_job_totals(jobs: Any) -> Any:
    """Per (event, team, hour of finishing): the figures of finished jobs, which no longer depend on the clock.
    Waiting is from creation to start (or to the end, for a job that never started); running from start to end."""
    duration = DurationField()
    return (
        jobs.filter(finished_at__isnull=False)
        .annotate(hour=TruncHour("finished_at", tzinfo=UTC))
        .values("event_id", "team_id", "hour")
        .annotate(
            n=Count("id"),
            n_failed=Count("id", filter=Q(state__in=FAILED_STATES)),
            n_simulated=Count("id", filter=Q(simulated=True)),
            last_created=Max("created_at"),
            waiting=Sum(
                ExpressionWrapper(Coalesce("started_at", "finished_at") - F("created_at"), output_field=duration)
            ),
            running=Sum(
                ExpressionWrapper(F("finished_at") - F("started_at"), output_field=duration),
                filter=Q(started_at__isnull=False),
            ),
        )
        .order_by()
    )


@transaction.atomic
def team_job_rollups_update(*, now: datetime | None = None) -> int:
    """Recompute the hours of finished jobs since the hour before the last pass (the first pass: every finished
    job). Idempotent: each touched hour is recomputed whole and upserted. Returns the number of hours written."""
    now = now or timezone.now()
    mark, _ = RollupMark.objects.select_for_update().get_or_create(name="team_jobs")
    jobs = NpuJob.objects.all()
    if mark.rolled_up_to is not None:
        # A job's finished_at can commit a little after it was stamped: go back two minutes, to the hour.
        jobs = jobs.filter(finished_at__gte=hour_floor(mark.rolled_up_to - 2 * MINUTE))
    rows = [
        TeamJobHour(
            event_id=row["event_id"],
            team_id=row["team_id"],
            bucket_start=row["hour"],
            jobs=row["n"],
            failed=row["n_failed"],
            simulated=row["n_simulated"],
            last_created_at=row["last_created"],
            waiting_seconds=row["waiting"].total_seconds() if row["waiting"] else 0.0,
            running_seconds=row["running"].total_seconds() if row["running"] else 0.0,
        )
        for row in _finished_job_totals(jobs)
    ]
    _upsert(TeamJobHour, rows, ["event", "team", "bucket_start"], TEAM_JOB_FIELDS)
    mark.rolled_up_to = now
    mark.save(update_fields=["rolled_up_to"])
    return len(rows)
