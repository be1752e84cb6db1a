"""Log-in throttling holds across processes (the cache is shared: Redis, or the database), and does not lock the
owner out for long. Each process is a separate Python interpreter with its own Django, as gunicorn workers are."""

import json
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher

from accounts.models import User
from core.testing import worker_env

pytestmark = pytest.mark.django_db(transaction=True)
PASSWORD = "the-right-password-42"

LOG_IN = """
import json, sys
import django
django.setup()
from django.test import Client

email, password, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
results = []
for _ in range(count):
    client = Client()
    response = client.post("/accounts/login/", {"login": email, "password": password})
    body = response.content.decode()
    if response.status_code == 302:
        results.append("in")
    elif "Too many failed login attempts" in body:
        results.append("throttled")
    else:
        results.append("wrong")
print(json.dumps(results))
"""


def log_in_from_another_process(email: str, password: str, count: int, env: dict) -> list[str]:
    result = subprocess.run(
        [sys.executable, "-c", LOG_IN, email, password, str(count)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture
def owner():
    # A hash every process can check (the test process itself uses a faster hasher), with few iterations.
    encoded = PBKDF2PasswordHasher().encode(PASSWORD, "saltsaltsalt", iterations=1000)
    return User.objects.create(email="owner@example.com", password=encoded)


def test_the_per_account_limit_holds_across_two_processes_and_lets_the_owner_back_in_soon(owner):
    # Per account: 5 failures per 20 seconds here (a minute in production), so the test need not wait long.
    env = worker_env(ALLOWED_HOSTS="testserver", LOGIN_FAILED_RATE_LIMIT="100/m/ip,5/20s/key")
    started = time.monotonic()
    first = log_in_from_another_process(owner.email, "wrong", 3, env)
    second = log_in_from_another_process(owner.email, "wrong", 3, env)
    assert first == ["wrong"] * 3
    # With counters in each process's memory, all six would be "wrong"; the shared cache stops the sixth.
    assert second == ["wrong", "wrong", "throttled"]
    assert log_in_from_another_process(owner.email, PASSWORD, 1, env) == ["throttled"]  # locked, for now
    if time.monotonic() - started > 19:
        pytest.skip("this machine was too slow to show the lock within its 20-second window")
    time.sleep(max(0, started + 21 - time.monotonic()))
    assert log_in_from_another_process(owner.email, PASSWORD, 1, env) == ["in"]


def test_the_per_ip_limit_holds_across_two_processes(owner):
    env = worker_env(ALLOWED_HOSTS="testserver", LOGIN_FAILED_RATE_LIMIT="4/m/ip,100/m/key")
    emails = [f"nobody{i}@example.com" for i in range(6)]
    first = [log_in_from_another_process(email, "wrong", 1, env)[0] for email in emails[:2]]
    second = [log_in_from_another_process(email, "wrong", 1, env)[0] for email in emails[2:]]
    assert first + second == ["wrong"] * 4 + ["throttled"] * 2


def test_admin_log_in_goes_through_the_throttled_log_in(client):
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    # Posting straight at the admin's own form does not check a password either.
    response = client.post("/admin/login/", {"username": "owner@example.com", "password": "x"})
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_cache_is_shared():
    backend = settings.CACHES["default"]["BACKEND"]
    if settings.REDIS_URL:
        assert backend == "django.core.cache.backends.redis.RedisCache"
    else:
        assert backend == "django.core.cache.backends.db.DatabaseCache"
