"""Reads for the utilization dashboard, the team view, the API, CSV and /metrics.

Every figure is aggregated in SQL over the rollup tables (DeviceMinute, DeviceHour, QueueMinute) and NpuJob, so the
number of queries does not grow with devices or teams. Every row carries its source.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import (
    Avg,
    Count,
    DateTimeField,
    DurationField,
    ExpressionWrapper,
    F,
    FloatField,
    Max,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, ExtractMinute, Trunc, TruncHour
from django.utils import timezone

from core.models import WorkState
from hackathon.models import Event
from npu_jobs.models import ComputeDevice, ModelQuantization, NpuJob, ResourcePool, TeamQuota
from npu_jobs.selectors import workers_recent
from teams.models import Team
from utilization.models import (
    DeviceHour,
    DeviceIdentity,
    DeviceMinute,
    DeviceSample,
    DeviceSixMinutes,
    QueueMinute,
    RollupMark,
    SamplerStatus,
    TeamJobHour,
)

WINDOWS = {"15m": timedelta(minutes=15), "6h": timedelta(hours=6), "event": timedelta(hours=36)}
DEFAULT_WINDOW = "15m"
NEAR_LIMIT = 0.9  # a team that has used or reserved 90 % of its grant is near its limit
IDLE_AFTER = timedelta(hours=2)  # a team with no job for this long is idle
FAILED = (WorkState.FAILED, WorkState.TIMED_OUT)
ROLLUP_OVERLAP = timedelta(minutes=2)  # services.team_job_rollups_update goes back this far, to the hour
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _pct(ratio: float | None) -> float | None:
    return None if ratio is None else round(100 * ratio, 1)


def window_bounds(*, event: Event, window: str, now: datetime) -> tuple[datetime, datetime]:
    if window == "event":
        return min(event.hacking_starts_at, now - WINDOWS["event"]), now
    if window == "6h":  # whole six-minute buckets, the 6-hour view's unit
        start = (now - WINDOWS[window]).astimezone(UTC).replace(second=0, microsecond=0)
        return start.replace(minute=start.minute - start.minute % 6), now
    return now - WINDOWS[window], now


# Per window, the rollup the device figures read: minutes (15 min), six minutes (6 h), hours (whole event).
DEVICE_TABLES: dict[str, Any] = {"15m": DeviceMinute, "6h": DeviceSixMinutes, "event": DeviceHour}


def _bucketed(queryset: Any, *, window: str) -> Any:
    """Annotate `bucket` on a queryset of rows with `bucket_start`: minutes (15 min), 6 minutes (6 h), hours."""
    if window == "6h":
        return queryset.annotate(hour=TruncHour("bucket_start", tzinfo=UTC), sixth=ExtractMinute("bucket_start") / 6)
    return queryset.annotate(bucket=F("bucket_start"))


def _bucket_of(row: Any, window: str) -> datetime:
    if window == "6h":
        return row["hour"] + timedelta(minutes=6 * int(row["sixth"]))  # type: ignore[no-any-return]
    return row["bucket"]  # type: ignore[no-any-return]


def _bucket_keys(window: str) -> tuple[str, ...]:
    return ("hour", "sixth") if window == "6h" else ("bucket",)


SERIES_DEVICES = 6  # per-device lines drawn: the N busiest and the N most idle (every device is in the table)


def _pool_series_rows(*, event: Event, window: str, start: datetime) -> list[tuple[int, str, datetime, float]]:
    """(pool, source, bucket, mean busy): the mean over the pool's devices of each device's mean in the bucket,
    so every device weighs the same. One point per bucket reaches Python."""
    table = DEVICE_TABLES[window]._meta.db_table
    sql = f"""
        SELECT d.pool_id, r.source, r.bucket_start, AVG(r.mean_busy)
        FROM {table} r
        JOIN {ComputeDevice._meta.db_table} d ON d.id = r.device_id
        JOIN {ResourcePool._meta.db_table} p ON p.id = d.pool_id
        WHERE p.event_id = %s AND r.bucket_start >= %s
        GROUP BY d.pool_id, r.source, r.bucket_start
        ORDER BY r.bucket_start, d.pool_id, r.source
    """  # noqa: S608 (the table name is ours, values are parameters)
    with connection.cursor() as cursor:
        # The database's own datetime form: SQLite compares stored text, where "…01:00:00" < "…01:00:00+00:00".
        cursor.execute(sql, [event.pk, connection.ops.adapt_datetimefield_value(start)])
        rows = cursor.fetchall()
    # SQLite hands raw rows back naive (stored in UTC); PostgreSQL aware.
    return [(pool, source, b if b.tzinfo else b.replace(tzinfo=UTC), busy) for pool, source, b, busy in rows]


def device_busy(*, event: Event, window: str, now: datetime) -> dict[str, Any]:
    start, _ = window_bounds(event=event, window=window, now=now)
    devices = {
        d.pk: d for d in ComputeDevice.objects.filter(pool__event=event).select_related("worker", "pool").order_by("pk")
    }
    table = DEVICE_TABLES[window]
    rows = table.objects.filter(device__pool__event=event, bucket_start__gte=start)
    mean: Any = Avg("mean_busy")
    if table is DeviceSixMinutes:  # the mean of the minutes, as if read from the minute rollup
        mean = Sum(F("mean_busy") * F("minutes"), output_field=FloatField()) / Sum("minutes")
    summary = sorted(
        rows.values("device_id", "source").annotate(mean=mean, peak=Max("max_busy")).order_by(),
        key=lambda r: (r["device_id"], r["source"]),
    )
    # Lines for every device are unreadable past a dozen and cost devices × buckets points: draw the busiest and
    # the most idle, and leave every device's figures to the table.
    by_mean = sorted(summary, key=lambda r: (-(r["mean"] or 0), r["device_id"], r["source"]))
    drawn = by_mean if len(by_mean) <= 2 * SERIES_DEVICES else by_mean[:SERIES_DEVICES] + by_mean[-SERIES_DEVICES:]
    drawn_keys = {(r["device_id"], r["source"]) for r in drawn}
    per_device: dict[tuple[int, str], list] = defaultdict(list)
    for device_id, source, bucket, busy in (
        rows.filter(device_id__in={d for d, _ in drawn_keys})
        .order_by("bucket_start")
        .values_list("device_id", "source", "bucket_start", "mean_busy")
    ):
        if (device_id, source) in drawn_keys:
            per_device[(device_id, source)].append({"t": bucket.isoformat(), "busy_pct": _pct(busy)})
    pools = {d.pool_id: d.pool.name for d in devices.values() if d.pool is not None}
    pool_series: dict[tuple[int, str], list] = defaultdict(list)
    for pool_id, source, bucket, busy in _pool_series_rows(event=event, window=window, start=start):
        pool_series[(pool_id, source)].append({"t": bucket.astimezone(UTC).isoformat(), "busy_pct": _pct(busy)})

    def name(device_id: int) -> str:
        d = devices.get(device_id)
        return device_label(d.worker.hostname, d.index, d.spec) if d else str(device_id)

    return {
        "devices": [
            {
                "device_id": row["device_id"],
                "device": name(row["device_id"]),
                "pool": pools.get(devices[row["device_id"]].pool_id, "") if row["device_id"] in devices else "",
                "source": row["source"],
                "mean_busy_pct": _pct(row["mean"]),
                "max_busy_pct": _pct(row["peak"]),
            }
            for row in summary
        ],
        "device_series": [
            {"device_id": device_id, "device": name(device_id), "source": source, "points": points}
            for (device_id, source), points in sorted(per_device.items())
        ],
        "device_series_limited": len(drawn) < len(summary),
        "pool_series": [
            {"pool_id": pool_id, "pool": pools.get(pool_id, ""), "source": source, "points": points}
            for (pool_id, source), points in sorted(pool_series.items())
        ],
    }


def _unlabelled(text: str) -> str:
    """A host name or device spec without a "(simulated)" of its own: the figure's source badge says it once."""
    return " ".join(text.replace("(simulated)", " ").split())


def device_label(hostname: str, index: int, spec: str) -> str:
    return f"{_unlabelled(hostname)} #{index} {_unlabelled(spec)}"


def _seconds(delta: timedelta | None) -> float:
    return round(delta.total_seconds(), 1) if delta else 0.0


def _team_job_rows(*, event: Event, now: datetime, team: Team | None) -> dict[int, dict[str, Any]]:
    """Per team: jobs, failed, simulated, newest job and the waiting/running seconds, as if aggregated over every
    job of the event now. Finished jobs come from TeamJobHour for the hours its rollup has closed; the jobs still
    open or finished since are aggregated directly (few: the last hour's), so the page never reads every job."""
    at_now = Value(now, output_field=DateTimeField())
    duration = DurationField()

    # Where the rollup's next pass starts (the hour of its last pass, two minutes back), in SQL so it costs no query
    # of its own; before any pass, the epoch: no hour from the rollup, every job read directly.
    closed = Coalesce(
        Subquery(
            RollupMark.objects.filter(name="team_jobs", rolled_up_to__isnull=False)
            .annotate(h=Trunc(F("rolled_up_to") - Value(ROLLUP_OVERLAP), "hour", tzinfo=UTC))
            .values("h")[:1]
        ),
        Value(EPOCH, output_field=DateTimeField()),
    )
    jobs = NpuJob.objects.filter(event=event).filter(Q(finished_at__isnull=True) | Q(finished_at__gte=closed))
    hours = TeamJobHour.objects.filter(event=event, bucket_start__lt=closed)
    if team is not None:
        jobs, hours = jobs.filter(team=team), hours.filter(team=team)
    totals: dict[int, dict[str, Any]] = {}
    for row in (
        hours.values("team_id")
        .annotate(
            jobs=Sum("jobs"),
            failed=Sum("failed"),
            simulated=Sum("simulated"),
            last_job_at=Max("last_created_at"),
            waiting=Sum("waiting_seconds"),
            running=Sum("running_seconds"),
        )
        .order_by()
    ):
        totals[row["team_id"]] = dict(row)
    for row in (
        jobs.values("team_id")
        .annotate(
            jobs=Count("id"),
            failed=Count("id", filter=Q(state__in=FAILED)),
            simulated=Count("id", filter=Q(simulated=True)),
            last_job_at=Max("created_at"),
            waiting=Sum(
                ExpressionWrapper(
                    Coalesce("started_at", "finished_at", at_now) - F("created_at"), output_field=duration
                )
            ),
            running=Sum(
                ExpressionWrapper(Coalesce("finished_at", at_now) - F("started_at"), output_field=duration),
                filter=Q(started_at__isnull=False),
            ),
        )
        .order_by()
    ):
        waiting = row["waiting"].total_seconds() if row["waiting"] else 0.0
        running = row["running"].total_seconds() if row["running"] else 0.0
        total = totals.setdefault(
            row["team_id"],
            {"jobs": 0, "failed": 0, "simulated": 0, "last_job_at": None, "waiting": 0.0, "running": 0.0},
        )
        total["jobs"] += row["jobs"]
        total["failed"] += row["failed"]
        total["simulated"] += row["simulated"]
        total["waiting"] += waiting
        total["running"] += running
        if total["last_job_at"] is None or (row["last_job_at"] and row["last_job_at"] > total["last_job_at"]):
            total["last_job_at"] = row["last_job_at"]
    return totals


def team_figures(*, event: Event, now: datetime, team: Team | None = None) -> list[dict[str, Any]]:
    """Per team: NPU-seconds used against the grant, and where the time went (waiting, quantizing, running)."""
    at_now = Value(now, output_field=DateTimeField())
    duration = DurationField()
    quantizations = ModelQuantization.objects.filter(event=event)
    teams = Team.objects.filter(event=event).order_by("name").only("id", "name")
    quotas = TeamQuota.objects.filter(event=event).only(
        "team_id", "device_seconds_granted", "device_seconds_used", "device_seconds_reserved"
    )
    if team is not None:
        quantizations = quantizations.filter(team=team)
        teams, quotas = teams.filter(pk=team.pk), quotas.filter(team=team)
    job_rows = _team_job_rows(event=event, now=now, team=team)
    quantizing = {
        row["team_id"]: row["quantizing"]
        for row in quantizations.values("team_id").annotate(
            quantizing=Sum(
                ExpressionWrapper(Coalesce("finished_at", at_now) - F("started_at"), output_field=duration),
                filter=Q(started_at__isnull=False),
            )
        )
    }
    quota_of = {q.team_id: q for q in quotas}
    out = []
    for t in teams:
        quota = quota_of.get(t.pk)
        row: dict[str, Any] = dict(job_rows.get(t.pk) or {})
        granted = float(quota.device_seconds_granted) if quota else 0.0
        used = float(quota.device_seconds_used) if quota else 0.0
        reserved = float(quota.device_seconds_reserved) if quota else 0.0
        last = row.get("last_job_at")
        out.append(
            {
                "team_id": t.pk,
                "team": t.name,
                "npu_seconds_granted": round(granted, 1),
                "npu_seconds_used": round(used, 1),
                "npu_seconds_reserved": round(reserved, 1),
                "used_pct": round(100 * used / granted, 1) if granted else None,
                "near_limit": bool(granted) and (used + reserved) >= NEAR_LIMIT * granted,
                "idle": last is None or last < now - IDLE_AFTER,
                "jobs": row.get("jobs", 0),
                "failed_jobs": row.get("failed", 0),
                "waiting_seconds": round(row.get("waiting") or 0.0, 1),
                "quantizing_seconds": _seconds(quantizing.get(t.pk)),
                "running_seconds": round(row.get("running") or 0.0, 1),
                "source": "simulated"
                if row.get("jobs") and row.get("simulated") == row.get("jobs")
                else "job_intervals",
            }
        )
    return out


def queue_figures(*, event: Event, window: str, now: datetime) -> dict[str, Any]:
    start, _ = window_bounds(event=event, window=window, now=now)
    rows = QueueMinute.objects.filter(event=event, bucket_start__gte=start)
    if window == "event":
        series = rows.annotate(bucket=TruncHour("bucket_start", tzinfo=UTC)).values("queue", "bucket")
    else:
        series = _bucketed(rows, window=window).values("queue", *_bucket_keys(window))
    series = series.annotate(
        waiting=Max("waiting"),
        started=Sum("started"),
        wait_sum=Sum("wait_seconds_sum"),
        sim=Count("id", filter=Q(simulated=True)),
    ).order_by(*(("bucket",) if window == "event" else _bucket_keys(window)))
    queue_series = []
    for row in series:
        bucket = row["bucket"] if window == "event" else _bucket_of(row, window)
        queue_series.append(
            {
                "queue": row["queue"],
                "t": bucket.isoformat(),
                "waiting": row["waiting"],
                "mean_wait_seconds": round(row["wait_sum"] / row["started"], 1) if row["started"] else None,
                "source": "simulated" if row["sim"] else "job_intervals",
            }
        )
    outcomes = (
        QueueMinute.objects.filter(event=event, bucket_start__gte=min(start, now - timedelta(hours=1)))
        .annotate(hour=TruncHour("bucket_start", tzinfo=UTC))
        .values("hour")
        .annotate(
            succeeded=Sum("succeeded"),
            failed=Sum("failed"),
            other=Sum("other_ended"),
            sim=Count("id", filter=Q(simulated=True)),
        )
        .order_by("hour")
    )
    return {
        "queue_series": queue_series,
        "outcomes_per_hour": [
            {
                "hour": row["hour"].isoformat(),
                "succeeded": row["succeeded"],
                "failed": row["failed"],
                "cancelled_or_not_run": row["other"],
                "source": "simulated" if row["sim"] else "job_intervals",
            }
            for row in outcomes
        ],
    }


def worker_health(*, event: Event, now: datetime) -> list[dict[str, Any]]:
    hosts: list[Any] = workers_recent(event=event)
    status = {s.worker_id: s for s in SamplerStatus.objects.filter(worker__in=[h.pk for h in hosts])}
    device_ids = [d.pk for h in hosts for d in h.devices.all()]
    latest_ids = (
        DeviceSample.objects.filter(device_id__in=device_ids, at__gte=now - timedelta(minutes=5))
        .values("device_id")
        .annotate(last=Max("id"))
        .values("last")
    )
    latest = {s.device_id: s for s in DeviceSample.objects.filter(id__in=latest_ids)}
    identities = {i.device_id: i for i in DeviceIdentity.objects.filter(device_id__in=device_ids)}
    out = []
    for host in hosts:
        sampler = status.get(host.pk)
        devices = []
        for d in host.devices.all():
            sample, identity = latest.get(d.pk), identities.get(d.pk)
            devices.append(
                {
                    "device_id": d.pk,
                    "index": d.index,
                    "kind": d.kind,
                    "spec": _unlabelled(d.spec),
                    "uuid": identity.uuid if identity else "",
                    "firmware": (identity.firmware_version if identity else "") or d.firmware_version,
                    "driver": (identity.driver_version if identity else "") or d.driver_version,
                    "busy_pct": _pct(sample.busy_ratio) if sample else None,
                    "temperature_c": sample.temperature_c if sample else None,
                    "power_w": sample.power_w if sample else None,
                    "source": sample.source if sample else "",
                }
            )
        out.append(
            {
                "worker": host.name,
                "hostname": host.hostname,
                "online": host.is_online,
                "last_heartbeat": host.last_heartbeat_at.isoformat(),
                "heartbeat_age_seconds": round((now - host.last_heartbeat_at).total_seconds(), 1),
                "backends": host.backends,
                "sampler": sampler.status if sampler else "",
                "sampling": bool(sampler and sampler.sampling),
                "devices": devices,
            }
        )
    return out


def dashboard_figures(*, event: Event, window: str = DEFAULT_WINDOW, now: datetime | None = None) -> dict[str, Any]:
    now = now or timezone.now()
    window = window if window in WINDOWS else DEFAULT_WINDOW
    start, _ = window_bounds(event=event, window=window, now=now)
    figures: dict[str, Any] = {"window": window, "from": start.isoformat(), "to": now.isoformat()}
    figures.update(device_busy(event=event, window=window, now=now))
    figures["teams"] = team_figures(event=event, now=now)
    figures.update(queue_figures(event=event, window=window, now=now))
    figures["workers"] = worker_health(event=event, now=now)
    figures["sources"] = {
        "pools": sorted({s["source"] for s in figures["pool_series"]}),
        "devices": sorted({d["source"] for d in figures["devices"]}),
        "teams": sorted({t["source"] for t in figures["teams"] if t["jobs"]}),
        "queue": sorted({q["source"] for q in figures["queue_series"]}),
        "outcomes": sorted({o["source"] for o in figures["outcomes_per_hour"]}),
    }
    return figures


# The tables a CSV export can hold, each a list of flat rows of dashboard_figures.
CSV_TABLES = ("devices", "pools", "teams", "queue", "outcomes", "workers")


def csv_rows(figures: dict[str, Any], table: str) -> list[dict[str, Any]]:
    if table == "pools":
        return [
            {"pool": s["pool"], "source": s["source"], "t": p["t"], "busy_pct": p["busy_pct"]}
            for s in figures["pool_series"]
            for p in s["points"]
        ]
    if table == "queue":
        return list(figures["queue_series"])
    if table == "outcomes":
        return list(figures["outcomes_per_hour"])
    if table == "workers":
        return [
            {k: v for k, v in w.items() if k != "devices"} | {"devices": len(w["devices"])} for w in figures["workers"]
        ]
    return list(figures[table])


def team_usage(*, team: Team, now: datetime | None = None) -> dict[str, Any]:
    """The team's own figures: usage against its grant, where its time went, and its recent failures."""
    now = now or timezone.now()
    row = team_figures(event=team.event, now=now, team=team)[0]
    failures = list(
        NpuJob.objects.filter(team=team, state__in=FAILED)
        .order_by("-created_at")
        .values("id", "state", "failure_reason", "created_at", "simulated")[:10]
    )
    waits = list(
        NpuJob.objects.filter(team=team, started_at__isnull=False)
        .order_by("-started_at")
        .annotate(wait=ExpressionWrapper(F("started_at") - F("created_at"), output_field=DurationField()))
        .values("id", "started_at", "wait")[:20]
    )
    return {
        "team": row,
        "recent_waits": [
            {
                "job_id": w["id"],
                "started_at": w["started_at"].isoformat() if w["started_at"] else "",
                "wait_seconds": _seconds(w["wait"]),
            }
            for w in waits
        ],
        "recent_failures": [
            {
                "job_id": f["id"],
                "state": f["state"],
                "reason": f["failure_reason"][:200],
                "created_at": f["created_at"].isoformat(),
                "source": "simulated" if f["simulated"] else "job_intervals",
            }
            for f in failures
        ],
    }


def stale_workers_count(*, event: Event) -> int:
    """Workers this event may see, seen in the last day, whose heartbeat is stale though they never said they stopped."""
    return sum(1 for host in workers_recent(event=event) if not host.is_online and host.stopped_at is None)
