"""The judging pages at scale: 300 teams, 30 judges, 5 criteria.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hacknpu_judging .venv/bin/python bench/judging.py

What it does:
  1. (Re)creates a dedicated PostgreSQL database (default hacknpu_bench_judging) and migrates it.
  2. Creates one event with 300 teams (a PM leader each), 30 judges and an organizer, opens judging with
     --judges-per-team judges per team (0, the default, as in the judging settings: every judge scores every team,
     45,000 scores), stores every judge's submitted scores in bulk (scores are opinions; the bench only needs many
     of them) and runs ANALYZE.
  3. In this process, with Django's test client (no network, no gunicorn), requests --rounds times each: the judge
     dashboard, the scoring page of one team, the organizer's full ranking by raw, z-score and bias, and the
     organizer's judging page (top 10 of the ranking, progress per judge, conflicts, awards).
     Then the same pages again with a judge changing a score before every request (the cached ranking is stale each
     time, so these are the cold figures).
  4. Prints p50/p95 and the SQL query count of each page, and repeats steps 2–3 at a tenth of the size to show
     whether query counts grow with teams and judges.

Targets: p95 < 150 ms; query counts equal at both sizes.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--teams", type=int, default=300)
    parser.add_argument("--judges", type=int, default=30)
    parser.add_argument(
        "--judges-per-team", type=int, default=0, help="0 (the default, as in the judging settings): every judge"
    )
    parser.add_argument("--rounds", type=int, default=40)
    parser.add_argument("--database", default="hacknpu_bench_judging")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument(
        "--cache-url",
        default="redis://127.0.0.1:6379/15",
        help="Redis for the ranking cache: its own database, since test runs FLUSHDB the default one",
    )
    return parser.parse_args()


def recreate_database(pg: str, name: str) -> str:
    with psycopg.connect(f"{pg}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{pg}/{name}"


def build(*, teams: int, judges: int, judges_per_team: int, label: str):
    from django.db import connection
    from django.utils import timezone

    from accounts.models import User
    from hackathon.models import Event, EventRole
    from hackathon.services import default_timeline
    from judging import services
    from judging.models import Assignment, Criterion, Score
    from teams.models import Team, TeamMembership

    timeline = default_timeline(applications_open_at=timezone.now() - timezone.timedelta(days=43))
    event = Event.objects.create(name=f"Bench {label}", slug=f"bench-{label}", is_published=True, **timeline)
    leaders = User.objects.bulk_create(
        [User(email=f"{label}-pm{i}@bench.example", name=f"PM {i}") for i in range(teams)]
    )
    team_rows = Team.objects.bulk_create(
        [Team(event=event, name=f"Team {i:03d}", leader=leader) for i, leader in enumerate(leaders)]
    )
    TeamMembership.objects.bulk_create(
        [TeamMembership(team=t, event=event, user=t.leader, track="pm") for t in team_rows]
    )
    judge_users = User.objects.bulk_create(
        [User(email=f"{label}-judge{i}@bench.example", name=f"Judge {i:02d}") for i in range(judges)]
    )
    organizer = User.objects.create(email=f"{label}-organizer@bench.example", name="Organizer")
    EventRole.objects.bulk_create(
        [EventRole(event=event, user=u, role="judge") for u in judge_users]
        + [EventRole(event=event, user=organizer, role="organizer")]
    )
    services.judging_settings_update(event=event, updated_by=organizer, judges_per_team=judges_per_team)
    services.judging_open(event=event, opened_by=organizer)
    criteria = list(Criterion.objects.filter(event=event))
    rng = random.Random(16)
    now = timezone.now()
    scores = [
        Score(
            event=event, judge_id=judge_id, team_id=team_id, criterion=c, value=rng.randint(c.scale_min, c.scale_max),
            scale_min=c.scale_min, scale_max=c.scale_max, state="submitted", submitted_at=now,
        )
        for judge_id, team_id in Assignment.objects.filter(event=event).values_list("judge_id", "team_id")
        for c in criteria
    ]  # fmt: skip
    Score.objects.bulk_create(scores, batch_size=5000)
    # Statistics for the planner, as autovacuum gathers within a minute of a bulk insert on a live server: right
    # after the insert PostgreSQL would plan for empty tables (nested loops over 45,000 rows).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return event, organizer, judge_users, len(scores)


def measure(client, url: str, rounds: int, before=None):
    """`before(round)` runs ahead of each timed request, outside the timing (a score change, for the cold path)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)  # warm up
    timings = []
    queries = 0
    for round_number in range(rounds):
        if before is not None:
            before(round_number)
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        queries = len(captured)
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return statistics.median(timings), p95, queries


def run(args, *, teams: int, judges: int, label: str) -> dict:
    from django.test import Client
    from django.urls import reverse

    from judging import services
    from judging.models import Criterion

    event, organizer, judge_users, score_count = build(
        teams=teams, judges=judges, judges_per_team=args.judges_per_team, label=label
    )
    judge = judge_users[0]
    team_id = judge.judging_assignments.values_list("team_id", flat=True).first()
    client = Client()
    client.force_login(judge)
    results = {}
    kwargs = {"event_slug": event.slug}
    results["judge dashboard"] = measure(client, reverse("judging:dashboard", kwargs=kwargs), args.rounds)
    results["scoring page"] = measure(
        client, reverse("judging:score_team", kwargs={**kwargs, "team_id": team_id}), args.rounds
    )
    client.force_login(organizer)
    for method in ("raw", "zscore", "bias"):
        url = reverse("judging:ranking", kwargs=kwargs) + f"?method={method}"
        results[f"organizer ranking ({method})"] = measure(client, url, args.rounds)
    results["organizer page (top 10)"] = measure(client, reverse("judging:manage", kwargs=kwargs), args.rounds)

    # The cold path: a judge changes a score (through the service, as the scoring page does) before every request,
    # so the cached ranking is stale and each request reads the scores and runs all three methods again.
    criterion_id = Criterion.objects.filter(event=event).values_list("pk", flat=True).first()

    def change_a_score(round_number: int) -> None:
        services.score_save(
            event=event, judge=judge, team_id=team_id, criterion_id=criterion_id, value=1 + round_number % 2
        )

    for method in ("raw", "zscore", "bias"):
        url = reverse("judging:ranking", kwargs=kwargs) + f"?method={method}"
        results[f"ranking ({method}), score changed"] = measure(client, url, args.rounds, before=change_a_score)
    results["organizer page, score changed"] = measure(
        client, reverse("judging:manage", kwargs=kwargs), args.rounds, before=change_a_score
    )
    per_team = f"{args.judges_per_team} judges per team" if args.judges_per_team else "every judge on every team"
    print(f"\n{label}: {teams} teams, {judges} judges, {per_team}, {score_count} submitted scores")
    print(f"{'page':36} {'p50 ms':>8} {'p95 ms':>8} {'queries':>8}")
    for name, (p50, p95, queries) in results.items():
        print(f"{name:36} {p50:8.1f} {p95:8.1f} {queries:8d}")
    return results


def main():
    args = parse_args()
    database_url = recreate_database(args.pg, args.database)
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "config.settings"}
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
    os.environ.update(DATABASE_URL=database_url, DJANGO_SETTINGS_MODULE="config.settings", LOG_LEVEL="WARNING")
    import django

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["*"]
    # Before the first cache access: a database of its own (test suites on a shared Redis flush db 0 all the time,
    # which would empty the cache mid-run) and a prefix of this run's own.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": args.cache_url,
            "KEY_PREFIX": f"bench-judging-{os.getpid()}",
        }
    }
    print(f"load average before: {os.getloadavg()}")
    small = run(args, teams=max(2, args.teams // 10), judges=max(2, args.judges // 10), label="small")
    large = run(args, teams=args.teams, judges=args.judges, label="large")
    print(f"\nload average after: {os.getloadavg()}")
    grew = [name for name in large if large[name][2] != small[name][2]]
    print("query counts equal at both sizes" if not grew else f"query counts grew: {', '.join(grew)}")


if __name__ == "__main__":
    main()
