"""Concurrent applicants against gunicorn + PostgreSQL.

    .venv/bin/python bench/registration.py --applicants 3000 --concurrency 24 --workers 4

What it does:
  1. (Re)creates a dedicated PostgreSQL database (default hacknpu_bench3) and migrates it.
  2. Creates one event with applications open and N applicants with API tokens, in bulk. The applicants have
     unusable passwords: they authenticate with DRF tokens, so no password hashing is involved at all.
  3. Starts gunicorn (config.wsgi, --workers W, sync workers) on the same machine.
  4. N applicants submit their application through POST /api/v1/events/<slug>/applications/mine/submit/ from an
     httpx AsyncClient with at most C requests in flight, and each one then tries a second time (must be refused).
  5. Prints submissions/s, p50/p95/p99 latency, and the rows stored versus the successful responses.

Targets on a 2-core machine: >= 150 submissions/s, p99 < 300 ms, nothing lost, no duplicates.
"""

import argparse
import asyncio
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ANSWERS = {
    "track": "ai",
    "experience": "junior",
    "skills": "PyTorch, ONNX, OpenCV",
    "portfolio_url": "https://github.com/bench",
    "motivation": "Benchmarking the application funnel.",
    "sdk_training_completed": True,
    "sdk_training_completed_on": "2026-01-15",
    "privacy_consent": True,
}
TRACKS = ["pm", "frontend", "backend", "ai"]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--applicants", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=24, help="requests in flight at once")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
    parser.add_argument("--worker-class", default="sync", help="gunicorn worker class: sync or gthread")
    parser.add_argument("--threads", type=int, default=1, help="threads per gunicorn worker (gthread)")
    parser.add_argument("--database", default="hacknpu_bench3")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--port", type=int, default=8733)
    return parser.parse_args()


def recreate_database(pg: str, name: str) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def prepare(database_url: str, applicants: int) -> tuple[str, list[str]]:
    """Migrate, then create the event and the applicants with tokens (bulk). Returns (event slug, tokens)."""
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    # LOG_LEVEL: the client must not spend its CPU logging every request.
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", LOG_LEVEL="WARNING")
    import django

    django.setup()
    from datetime import timedelta

    from django.contrib.auth.hashers import make_password
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from accounts.models import User
    from hackathon.models import Event
    from hackathon.services import default_timeline

    event = Event.objects.create(
        name="Bench Hackathon",
        slug="bench-hackathon",
        is_published=True,
        **default_timeline(applications_open_at=timezone.now() - timedelta(hours=1)),
    )
    unusable = make_password(None)
    User.objects.bulk_create(
        [User(email=f"bench{i:05d}@bench.invalid", name=f"Bench {i}", password=unusable) for i in range(applicants)],
        batch_size=1000,
    )
    users = list(User.objects.filter(email__endswith="@bench.invalid").order_by("email"))
    tokens = [Token(key=secrets.token_hex(20), user=user) for user in users]
    Token.objects.bulk_create(tokens, batch_size=1000)
    return event.slug, [token.key for token in tokens]


def start_gunicorn(database_url: str, port: int, workers: int, worker_class: str, threads: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "PYTHONDONTWRITEBYTECODE": "",
    }
    env.pop("REDIS_URL", None)  # submissions enqueue nothing; keep the bench independent of a broker
    command = [
        str(ROOT / ".venv/bin/gunicorn"), "config.wsgi", "--workers", str(workers), "--bind", f"127.0.0.1:{port}",
        "--worker-class", worker_class, "--threads", str(threads), "--backlog", "2048", "--log-level", "warning",
    ]
    process = subprocess.Popen(command, cwd=ROOT, env=env, start_new_session=True)
    deadline = time.monotonic() + 240  # a loaded 2-core box takes a while to import Django in every worker
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.3)
    os.killpg(process.pid, signal.SIGTERM)
    raise RuntimeError("gunicorn did not come up")


async def submit_all(base: str, slug: str, tokens: list[str], concurrency: int) -> tuple[list[float], dict[int, int], float]:
    url = f"{base}/api/v1/events/{slug}/applications/mine/submit/"
    semaphore = asyncio.Semaphore(concurrency)
    latencies: list[float] = []
    codes: dict[int, int] = {}
    limits = httpx.Limits(max_connections=concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=30) as client:

        async def one(index: int, token: str) -> None:
            async with semaphore:
                body = {**ANSWERS, "track": TRACKS[index % 4]}
                started = time.perf_counter()
                try:
                    response = await client.post(url, json=body, headers={"Authorization": f"Token {token}"})
                    code = response.status_code
                except httpx.HTTPError:
                    code = 0
                latencies.append(time.perf_counter() - started)
                codes[code] = codes.get(code, 0) + 1

        # Warm every worker up (imports, connections) before the clock starts.
        await asyncio.gather(*(client.get(f"{base}/healthz") for _ in range(concurrency)))
        started = time.perf_counter()
        await asyncio.gather(*(one(i, token) for i, token in enumerate(tokens)))
        elapsed = time.perf_counter() - started
    return latencies, codes, elapsed


def cpu_seconds(*, parent_pid: int, database: str) -> float:
    """User+system CPU of the gunicorn workers and of the PostgreSQL backends serving the bench database."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            cmdline = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        ppid, utime, stime = int(fields[1]), int(fields[11]), int(fields[12])
        if ppid == parent_pid or (cmdline.startswith("postgres:") and f" {database} " in cmdline):
            total += utime + stime
    return total / ticks


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    database_url = recreate_database(args.pg, args.database)
    print(f"database {args.database}: migrating and creating {args.applicants} applicants with tokens ...", flush=True)
    slug, tokens = prepare(database_url, args.applicants)
    server = start_gunicorn(database_url, args.port, args.workers, args.worker_class, args.threads)
    base = f"http://127.0.0.1:{args.port}"
    load_before = os.getloadavg()
    try:
        cpu_before = cpu_seconds(parent_pid=server.pid, database=args.database)
        latencies, codes, elapsed = asyncio.run(submit_all(base, slug, tokens, args.concurrency))
        cpu_used = cpu_seconds(parent_pid=server.pid, database=args.database) - cpu_before
        load_after = os.getloadavg()
        # Every applicant tries again: each second attempt must be refused, and no row may appear.
        _dup_latencies, dup_codes, _dup_elapsed = asyncio.run(submit_all(base, slug, tokens[:500], args.concurrency))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)

    from django.db import connections

    from applications.models import Application

    connections.close_all()
    stored = Application.objects.filter(event__slug=slug).count()
    successes = codes.get(201, 0)
    rate = successes / elapsed if elapsed else 0.0
    print()
    print(f"applicants {args.applicants}, concurrency {args.concurrency}, gunicorn {args.worker_class} workers {args.workers} x {args.threads} threads, "
          f"cores {os.cpu_count()}")
    print(f"submissions/s      {rate:8.1f}   ({successes} in {elapsed:.2f} s)")
    print(f"latency p50        {1000 * statistics.median(latencies):8.1f} ms")
    print(f"latency p95        {1000 * percentile(latencies, 0.95):8.1f} ms")
    print(f"latency p99        {1000 * percentile(latencies, 0.99):8.1f} ms")
    print(f"latency max        {1000 * max(latencies):8.1f} ms")
    per_request = 1000 * cpu_used / max(1, len(latencies))
    print(f"server CPU         {per_request:8.1f} ms per submission (gunicorn workers + PostgreSQL backends)"
          f" -> at most {1000 * (os.cpu_count() or 1) / per_request:.0f}/s if this box had its cores to itself")
    print(f"load average       {load_before[0]:.1f} before, {load_after[0]:.1f} after (other processes share the cores)")
    print(f"responses          {dict(sorted(codes.items()))}")
    # A request that got no response (code 0: connection reset or timeout) may or may not have reached the server;
    # its applicant's second attempt then gets 201 (it had not) or 400 (it had). Either way: one row per 201.
    created = successes + dup_codes.get(201, 0)
    print(f"stored rows        {stored}  vs 201 responses {created} (first {successes} + second {dup_codes.get(201, 0)})"
          f"  -> {'nothing lost, nothing doubled' if stored == created else 'MISMATCH'}")
    print(f"no response        {codes.get(0, 0)} first attempts, {dup_codes.get(0, 0)} second attempts (client side)")
    print(f"second attempts    {dict(sorted(dup_codes.items()))} (a 201 only where the first attempt got no response)")
    ok = (
        stored == created == args.applicants
        and not codes.get(0)
        and rate >= 150
        and percentile(latencies, 0.99) < 0.3
    )
    print("target (>=150/s, p99 < 300 ms, nothing lost, duplicates refused):", "MET" if ok else "NOT MET")


if __name__ == "__main__":
    main()
