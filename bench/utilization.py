"""The utilization dashboard and /metrics at the end of a 36-hour event: 100 devices sampled every 5 s, 100,000 jobs,
300 teams.

    .venv/bin/python bench/utilization.py [--rounds 50]

What it does, once per size (10 devices / 300 teams, 100 devices / 300 teams, 10 devices / 30 teams):
  1. (Re)creates a dedicated PostgreSQL database (default hacknpu_util_bench), migrates it, and drops it at the end
     (--keep leaves it).
  2. Creates the event mid-hack (hacking started 35 h ago), its NPU pool, one worker host per 10 devices, the teams
     (a PM each, a quota each) and the jobs, spread over the 36 hours, teams and devices.
  3. Writes 36 hours of raw device samples every 5 s with PostgreSQL COPY, then runs the app's real services as beat
     would: device_rollups_update (raw -> minutes -> six minutes -> hours), job_interval_rollups_update,
     queue_rollups_update, team_job_rollups_update (finished jobs per team and hour), and device_samples_prune,
     which deletes the raw samples older than UTILIZATION_RAW_RETENTION_HOURS (6 h), so what
     stays is what a real deployment keeps.
  4. In this process, with Django's test client (no network, no gunicorn), requests the organizer's dashboard for each
     window (15 min, 6 h, whole event) and GET /metrics (Bearer token) --rounds times each, and prints p50/p95 and
     the SQL query count of each.

Every generated row is synthetic and marked so: samples, rollups and DeviceHour rows have source "simulated", jobs
have simulated=True, the hosts are named "bench-simulated-…".

Targets: p95 < 200 ms; query counts that do not grow with devices or teams.
"""

import argparse
import io
import math
import os
import random
import statistics
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TOKEN = "bench-token"
HOURS = 36
SAMPLE_SECONDS = 5


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--devices", type=int, default=100)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--jobs", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=50)
    parser.add_argument("--database", default="hacknpu_util_bench")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--keep", action="store_true", help="leave the database for inspection")
    parser.add_argument("--only", help="run one size: d10-t300, d100-t300 or d10-t30")
    return parser.parse_args()


def recreate_database(pg: str, name: str) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def drop_database(pg: str, name: str) -> None:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def busy_at(rng: random.Random, device: int, hours_in: float) -> float:
    wave = 0.45 + 0.3 * math.sin(hours_in / HOURS * 2 * math.pi * 3 + device)  # teams work in waves
    night = 0.5 if 14 <= hours_in % 24 <= 19 else 1.0
    return min(max(wave * night + rng.uniform(-0.12, 0.12), 0.0), 1.0)


def build(*, devices: int, teams: int, jobs: int, label: str):
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from hackathon.models import Event, EventRole
    from hackathon.services import default_timeline
    from npu_jobs.models import ComputeDevice, NpuJob, OnnxModel, ResourcePool, TeamQuota, WorkerHost
    from teams.models import Team, TeamMembership
    from utilization.models import DeviceIdentity, SamplerStatus

    now = timezone.now()
    timings = {}
    started = time.perf_counter()
    opens = now - timedelta(days=42, minutes=30, hours=35)  # hacking started 35 h ago
    event = Event.objects.create(
        name=f"Bench {label}", slug=f"bench-{label}", is_published=True, **default_timeline(applications_open_at=opens)
    )
    organizer = User.objects.create(email=f"{label}-organizer@bench.example", name="Organizer")
    EventRole.objects.create(event=event, user=organizer, role="organizer")
    leaders = User.objects.bulk_create(
        [User(email=f"{label}-pm{i}@bench.example", name=f"PM {i}") for i in range(teams)]
    )
    team_rows = Team.objects.bulk_create(
        [Team(event=event, name=f"Team {i:03d}", leader=leader) for i, leader in enumerate(leaders)]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=t, event=event, user=t.leader, track="pm") for t in team_rows]
    )
    rng = random.Random(13)
    TeamQuota.objects.bulk_create(
        [
            TeamQuota(team=t, event=event, device_seconds_granted=36_000, device_seconds_used=rng.randint(0, 36_000))
            for t in team_rows
        ]
    )
    models = OnnxModel.objects.bulk_create(
        [
            OnnxModel(event=event, team=t, uploaded_by=t.leader, name="resnet50", file_path="x.onnx",
                      size_bytes=1, sha256="0")
            for t in team_rows
        ]
    )  # fmt: skip
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy")
    hosts = WorkerHost.objects.bulk_create(
        [
            WorkerHost(
                name=f"bench-simulated-{h}@warboy", hostname=f"bench-simulated-{h}", queues=["npu"],
                backends=["furiosa-warboy"], started_at=now - timedelta(hours=HOURS), last_heartbeat_at=now,
            )
            for h in range(math.ceil(devices / 10))
        ]
    )  # fmt: skip
    SamplerStatus.objects.bulk_create(
        [SamplerStatus(worker=h, sampling=True, status="Simulated bench data: not measured") for h in hosts]
    )
    device_rows = ComputeDevice.objects.bulk_create(
        [
            ComputeDevice(worker=hosts[d // 10], pool=pool, kind="npu", index=d % 10, spec=f"npu:{d % 10}:0-1")
            for d in range(devices)
        ]
    )
    DeviceIdentity.objects.bulk_create(
        [DeviceIdentity(device=d, uuid=f"bench-{d.pk}", arch="warboy") for d in device_rows]
    )
    # Jobs: each one a few seconds to a few minutes on a random device, the newest few still queued.
    span = HOURS * 3600
    job_rows = []
    for i in range(jobs):
        team = rng.randrange(teams)
        device = device_rows[rng.randrange(devices)]
        start = now - timedelta(seconds=span * (1 - i / jobs))
        run = rng.uniform(2, 120)
        queued = i >= jobs - 20
        finished = start + timedelta(seconds=run)
        state = "queued" if queued else ("failed" if rng.random() < 0.1 else "succeeded")
        job_rows.append(
            NpuJob(
                event=event, team=team_rows[team], model=models[team], target="npu", queue="npu",
                time_limit_seconds=300, budget_seconds=300, compute_device=None if queued else device,
                worker=None if queued else device.worker, state=state, simulated=True,
                started_at=None if queued else start, finished_at=None if queued or finished > now else finished,
            )
        )  # fmt: skip
    NpuJob.objects.bulk_create(job_rows, batch_size=5000)
    with connection.cursor() as cursor:  # auto_now_add set created_at to now: give each job its wait
        cursor.execute(
            "UPDATE npu_jobs_npujob SET created_at = COALESCE(started_at, now()) - random() * interval '90 seconds'"
            " WHERE event_id = %s",
            [event.pk],
        )
    timings["teams, devices, jobs"] = time.perf_counter() - started

    # Raw samples every 5 s for 36 h, with COPY: one statement per hour (one COPY of 2.6 million rows ran the shared
    # server out of lock memory while other test runs used it).
    started = time.perf_counter()
    first = now - timedelta(hours=HOURS)
    count = 0
    steps_per_hour = 3600 // SAMPLE_SECONDS
    for hour in range(HOURS):
        with (
            connection.cursor() as cursor,
            cursor.cursor.copy(
                "COPY utilization_devicesample (device_id, at, source, busy_ratio, compute_ratio, io_ratio,"
                " temperature_c, power_w, core_status) FROM STDIN"
            ) as copy,
        ):
            for step in range(hour * steps_per_hour, (hour + 1) * steps_per_hour):
                at = first + timedelta(seconds=step * SAMPLE_SECONDS)
                hours_in = step * SAMPLE_SECONDS / 3600
                for d, device in enumerate(device_rows):
                    busy = busy_at(rng, d, hours_in)
                    core = f'{{"0": {{"busy": {busy:.4f}}}, "1": {{"busy": {busy:.4f}}}}}'
                    copy.write_row((device.pk, at, "simulated", busy, 0.9, 0.1, 38 + 30 * busy, 9 + 31 * busy, core))
                    count += 1
    timings[f"COPY {count:,} raw samples"] = time.perf_counter() - started
    return event, organizer, count, timings


def rollups(timings: dict) -> None:
    from utilization import services

    for name, step in (
        ("device_rollups_update", services.device_rollups_update),
        ("job_interval_rollups_update", services.job_interval_rollups_update),
        ("queue_rollups_update", services.queue_rollups_update),
        ("team_job_rollups_update", services.team_job_rollups_update),
        ("device_samples_prune", services.device_samples_prune),
    ):
        started = time.perf_counter()
        result = step()
        timings[f"{name} -> {result:,}"] = time.perf_counter() - started


def measure(client, url: str, rounds: int, **headers):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url, headers=headers)  # warm up
    timings = []
    queries = 0
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, queries


def run(args, *, devices: int, teams: int, jobs: int, label: str) -> dict:
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from utilization.models import DeviceHour, DeviceMinute, DeviceSample, QueueMinute

    event, organizer, samples, timings = build(devices=devices, teams=teams, jobs=jobs, label=label)
    rollups(timings)
    with connection.cursor() as cursor:
        # As autovacuum would soon after a load this size: statistics, and the visibility map that lets /metrics
        # count jobs from an index alone.
        cursor.execute("VACUUM ANALYZE")
    kept = (DeviceSample.objects.count(), DeviceMinute.objects.count(), DeviceHour.objects.count(),
            QueueMinute.objects.count())  # fmt: skip
    client = Client()
    client.force_login(organizer)
    dashboard = reverse("utilization:dashboard", kwargs={"event_slug": event.slug})
    results = {}
    for window in ("15m", "6h", "event"):
        results[f"dashboard ?window={window}"] = measure(client, f"{dashboard}?window={window}", args.rounds)
    results["GET /metrics"] = measure(client, "/metrics", args.rounds, Authorization=f"Bearer {TOKEN}")
    out = io.StringIO()
    print(f"\n{label}: {devices} devices, {teams} teams, {jobs:,} jobs, {samples:,} raw samples written", file=out)
    print(f"kept after the rollups and the prune: {kept[0]:,} raw samples, {kept[1]:,} minute rollups, "
          f"{kept[2]:,} hour rollups, {kept[3]:,} queue minutes", file=out)  # fmt: skip
    for name, seconds in timings.items():
        print(f"  {name}: {seconds:.1f} s", file=out)
    print(f"{'request':28} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}", file=out)
    for name, (p50, p95, queries) in results.items():
        print(f"{name:28} {p50:8.1f} {p95:8.1f} {queries:8d}", file=out)
    print(out.getvalue(), flush=True)
    return results


def main():
    args = parse_args()
    database_url = recreate_database(args.pg, args.database)
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", LOG_LEVEL="WARNING")
    os.environ["UTILIZATION_METRICS_TOKEN"] = TOKEN
    import django

    django.setup()
    from django.conf import settings
    from django.db import connection

    settings.ALLOWED_HOSTS = ["*"]
    settings.UTILIZATION_METRICS_TOKEN = TOKEN
    print(f"load average before: {os.getloadavg()}")
    sizes = [
        ("d10-t300", max(1, args.devices // 10), args.teams),
        ("d100-t300", args.devices, args.teams),
        ("d10-t30", max(1, args.devices // 10), max(2, args.teams // 10)),
    ]
    sizes = [size for size in sizes if args.only in (None, size[0])]
    all_results = {}
    try:
        for label, devices, teams in sizes:
            connection.close()
            recreate_database(args.pg, args.database)  # each size alone: /metrics reads every event's devices
            subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
            jobs = args.jobs if teams == args.teams else args.jobs // 10
            all_results[label] = run(args, devices=devices, teams=teams, jobs=jobs, label=label)
    finally:
        connection.close()
        if not args.keep:
            drop_database(args.pg, args.database)
    print(f"\nload average after: {os.getloadavg()}")
    labels = list(all_results)
    for name in all_results[labels[0]]:
        counts = " / ".join(f"{all_results[label][name][2]} ({label})" for label in labels)
        print(f"queries {name}: {counts}")
    grew = [n for n in all_results[labels[0]] if len({all_results[label][n][2] for label in labels}) > 1]
    print("query counts equal at every size" if not grew else f"query counts grew: {', '.join(grew)}")
    worst = max(p95 for results in all_results.values() for _, p95, _ in results.values())
    print(f"worst p95: {worst:.1f} ms (target < 200 ms)")


if __name__ == "__main__":
    main()
