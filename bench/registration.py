"""Concurrent applicants against gunicorn + PostgreSQL.

    .venv/bin/python bench/registration.py --applicants 3000 --concurrency 24 --workers 3

What it does:
  1. (Re)creates a dedicated PostgreSQL database (default hacknpu_bench3) and migrates it.
  2. Creates one event with applications open and N applicants with API tokens, in bulk. The applicants have
     unusable passwords: they authenticate with DRF tokens, so no password hashing is involved at all.
  3. Starts gunicorn (config.wsgi, --workers W, sync workers, as docker-compose.yml runs it) on the same machine.
  4. N applicants submit their application through POST /api/v1/events/<slug>/applications/mine/submit/ over C
     concurrent keep-alive connections (a lean asyncio HTTP/1.1 client, so that the load generator leaves the two
     cores to the server), and 500 of them then try a second time (must be refused).
  5. Prints submissions/s, p50/p95/p99 latency, CPU per submission (gunicorn, PostgreSQL, client), and the rows
     stored versus the successful responses.

Targets on a 2-core machine: >= 150 submissions/s, p99 < 300 ms, nothing lost, no duplicates.
"""

import argparse
import asyncio
import json
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
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
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
        str(ROOT / ".venv/bin/gunicorn"),
        "config.wsgi",
        "--workers",
        str(workers),
        "--bind",
        f"127.0.0.1:{port}",
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--log-level",
        "warning",
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


class HttpConnection:
    """A minimal HTTP/1.1 keep-alive client on asyncio streams.

    The load generator shares the two cores with the server it measures; httpx spends several milliseconds of CPU
    per request, this a fraction of one, so the cores go to gunicorn and PostgreSQL."""

    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, *, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        head = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}", f"Content-Length: {len(body)}"]
        head += [f"{name}: {value}" for name, value in headers.items()]
        self.writer.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
        try:
            raw = await self.reader.readuntil(b"\r\n\r\n")
            lines = raw.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            fields = {}
            for line in lines[1:]:
                if ":" in line:
                    name, _, value = line.partition(":")
                    fields[name.strip().lower()] = value.strip()
            if "content-length" in fields:
                content = await self.reader.readexactly(int(fields["content-length"]))
            else:
                content = await self.reader.read()
                fields["connection"] = "close"
        except (asyncio.IncompleteReadError, ConnectionError):
            self.close()
            raise
        if fields.get("connection", "").lower() == "close":
            self.close()
        return status, content

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def submit_all(
    base: str, slug: str, tokens: list[str], concurrency: int
) -> tuple[list[float], dict[int, int], float]:
    """Every token submits once; `concurrency` applicants are in flight at any moment."""
    host, port = base.removeprefix("http://").split(":")
    path = f"/api/v1/events/{slug}/applications/mine/submit/"
    latencies: list[float] = []
    codes: dict[int, int] = {}
    pending = iter(enumerate(tokens))

    async def applicant_stream() -> None:
        connection = HttpConnection(host, int(port))
        for index, token in pending:
            body = json.dumps({**ANSWERS, "track": TRACKS[index % 4]}).encode()
            headers = {
                "Authorization": f"Token {token}",
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
            started = time.perf_counter()
            try:
                code, _content = await asyncio.wait_for(
                    connection.request("POST", path, headers=headers, body=body), 30
                )
            except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError, IndexError):
                code = 0
                connection.close()
            latencies.append(time.perf_counter() - started)
            codes[code] = codes.get(code, 0) + 1
        connection.close()

    # Warm every worker up (imports, database connections) before the clock starts.
    warm = [HttpConnection(host, int(port)) for _ in range(concurrency)]
    await asyncio.gather(*(c.request("GET", "/healthz", headers={}) for c in warm))
    for c in warm:
        c.close()
    started = time.perf_counter()
    await asyncio.gather(*(applicant_stream() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    return latencies, codes, elapsed


def cpu_seconds(*, parent_pid: int, database: str) -> tuple[float, float]:
    """User+system CPU seconds of (the gunicorn workers, the PostgreSQL backends serving the bench database)."""
    ticks = os.sysconf("SC_CLK_TCK")
    web = database_ticks = 0
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
        if ppid == parent_pid:
            web += utime + stime
        elif cmdline.startswith("postgres:") and f" {database} " in cmdline:
            database_ticks += utime + stime
    return web / ticks, database_ticks / ticks


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
        client_before = time.process_time()
        latencies, codes, elapsed = asyncio.run(submit_all(base, slug, tokens, args.concurrency))
        client_used = time.process_time() - client_before
        cpu_after = cpu_seconds(parent_pid=server.pid, database=args.database)
        web_cpu, database_cpu = (after - before for after, before in zip(cpu_after, cpu_before, strict=True))
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
    print(
        f"applicants {args.applicants}, concurrency {args.concurrency}, gunicorn {args.worker_class} workers {args.workers} x {args.threads} threads, "
        f"cores {os.cpu_count()}"
    )
    print(f"submissions/s      {rate:8.1f}   ({successes} in {elapsed:.2f} s)")
    print(f"latency p50        {1000 * statistics.median(latencies):8.1f} ms")
    print(f"latency p95        {1000 * percentile(latencies, 0.95):8.1f} ms")
    print(f"latency p99        {1000 * percentile(latencies, 0.99):8.1f} ms")
    print(f"latency max        {1000 * max(latencies):8.1f} ms")
    count = max(1, len(latencies))
    per_request = 1000 * (web_cpu + database_cpu) / count
    print(
        f"CPU per submission {per_request:8.1f} ms server = {1000 * web_cpu / count:.1f} gunicorn + "
        f"{1000 * database_cpu / count:.1f} PostgreSQL backends; client {1000 * client_used / count:.1f} ms"
    )
    print(
        f"load average       {load_before[0]:.1f} before, {load_after[0]:.1f} after (other processes share the cores)"
    )
    print(f"responses          {dict(sorted(codes.items()))}")
    # A request that got no response (code 0: connection reset or timeout) may or may not have reached the server;
    # its applicant's second attempt then gets 201 (it had not) or 400 (it had). Either way: one row per 201.
    created = successes + dup_codes.get(201, 0)
    print(
        f"stored rows        {stored}  vs 201 responses {created} (first {successes} + second {dup_codes.get(201, 0)})"
        f"  -> {'nothing lost, nothing doubled' if stored == created else 'MISMATCH'}"
    )
    print(f"no response        {codes.get(0, 0)} first attempts, {dup_codes.get(0, 0)} second attempts (client side)")
    print(f"second attempts    {dict(sorted(dup_codes.items()))} (a 201 only where the first attempt got no response)")
    ok = stored == created == args.applicants and not codes.get(0) and rate >= 150 and percentile(latencies, 0.99) < 0.3
    print("target (>=150/s, p99 < 300 ms, nothing lost, duplicates refused):", "MET" if ok else "NOT MET")


if __name__ == "__main__":
    main()
