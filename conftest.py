"""Fixtures shared by every app's tests: a real Celery worker, racing threads, and a real browser."""

import os
import shutil
import uuid
from pathlib import Path

import pytest
from django.conf import settings

from config.celery import app as celery_app
from core.testing import WorkerProcess

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


@pytest.fixture(scope="session", autouse=True)
def isolated_broker(tmp_path_factory):
    """Give this test run its own broker namespace, so parallel runs never consume each other's messages."""
    options = dict(settings.CELERY_BROKER_TRANSPORT_OPTIONS)
    if settings.REDIS_URL:
        prefix = f"hacknpu-test-{uuid.uuid4().hex[:10]}:"
        options["global_keyprefix"] = prefix
        os.environ["CELERY_KEY_PREFIX"] = prefix
    else:
        broker_dir = tmp_path_factory.mktemp("broker")
        for sub in ("queue", "processed", "control"):
            (broker_dir / sub).mkdir()
        options.update(
            data_folder_in=str(broker_dir / "queue"),
            data_folder_out=str(broker_dir / "queue"),
            processed_folder=str(broker_dir / "processed"),
            control_folder=str(broker_dir / "control"),
        )
        os.environ["HACKNPU_BROKER_DIR"] = str(broker_dir)
    celery_app.conf.broker_transport_options = options
    # The cache (log-in rate limits) too: on a shared Redis, this run counts only its own attempts.
    cache_prefix = f"hacknpu-test-cache-{uuid.uuid4().hex[:10]}"
    settings.CACHES["default"]["KEY_PREFIX"] = cache_prefix
    os.environ["CACHE_KEY_PREFIX"] = cache_prefix
    yield options


@pytest.fixture
def mail_dir(tmp_path):
    """Where a worker started by the test writes the emails it sends (Django's file backend)."""
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def start_worker(tmp_path, django_db_setup):
    """Start real `celery worker` processes for this test: start_worker(queues=("default",), env={...})."""
    started: list[WorkerProcess] = []

    def start(*, queues=("default",), concurrency=1, env=None, extra_args=()):
        worker = WorkerProcess(queues=queues, concurrency=concurrency, log_dir=tmp_path, env=env, extra_args=extra_args)
        started.append(worker.start())
        return worker

    yield start
    for worker in started:
        worker.stop()


@pytest.fixture
def postgres_only():
    if not settings.IS_POSTGRES:
        pytest.skip("needs PostgreSQL row locks: set DATABASE_URL (CI does)")


# `make test-fast` leaves out the tests that start real worker processes or a real browser, by marker. A test that
# uses one of these fixtures gets the marker even if its module forgot it, so the fast run never starts either.
WORKER_FIXTURES = frozenset({"start_worker", "npu_worker"})
BROWSER_FIXTURES = frozenset({"browser", "new_context", "page"})


@pytest.hookimpl(tryfirst=True)  # before pytest's own -m selection
def pytest_collection_modifyitems(config, items):
    if os.environ.get("HACKNPU_REQUIRE_POSTGRES") == "1" and not settings.IS_POSTGRES:
        raise pytest.UsageError("HACKNPU_REQUIRE_POSTGRES=1 but DATABASE_URL does not point at PostgreSQL")
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        if fixtures & WORKER_FIXTURES and not item.get_closest_marker("worker"):
            item.add_marker(pytest.mark.worker)
        if fixtures & BROWSER_FIXTURES and not item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.browser)
        if "postgres" in item.keywords and not settings.IS_POSTGRES:
            item.add_marker(pytest.mark.skip(reason="needs PostgreSQL row locks: set DATABASE_URL (CI does)"))


# --- Browser ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() or not shutil.which(CHROMIUM):
        if os.environ.get("HACKNPU_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; Django's ORM calls from tests are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=30_000)  # CI machines have two busy cores

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def new_context(browser, live_server):
    """new_context(locale="en") -> a fresh browser context (its own cookies) pointed at the live server."""
    contexts = []

    def make(**kwargs):
        kwargs.setdefault("locale", "en-US")
        context = browser.new_context(base_url=live_server.url, **kwargs)
        context.set_default_timeout(30_000)
        context.set_default_navigation_timeout(60_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_context):
    return new_context().new_page()


@pytest.fixture
def log_in():
    """log_in(page, user): sign in through the real login form."""
    from accounts.tests.factories import TEST_PASSWORD

    def sign_in(page, user):
        page.goto("/accounts/login/")
        page.fill("input[name=login]", user.email)
        page.fill("input[name=password]", TEST_PASSWORD)
        page.locator("form button[type=submit]").last.click()
        page.wait_for_load_state()

    return sign_in


@pytest.fixture
def axe_check():
    """axe_check(page): run axe-core, served from our own static files, on the page as it is now; fail on any
    serious or critical violation, listing each rule with the first offending elements."""
    from django.conf import settings as django_settings

    def check(page, *, where=""):
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.add_script_tag(url=f"/{django_settings.STATIC_URL.strip('/')}/vendor/axe/axe.min.js")
        result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
        serious = [v for v in result["violations"] if v["impact"] in ("serious", "critical")]
        report = [
            f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes): "
            + "; ".join(f"{n['target']} {n.get('failureSummary', '')[:160]!r}" for n in v["nodes"][:3])
            for v in serious
        ]
        assert not report, f"axe on {where or page.url}:\n" + "\n".join(report)

    return check


# --- People and events ------------------------------------------------------------------------


@pytest.fixture
def event(db):
    from hackathon.tests.factories import EventFactory

    return EventFactory()


@pytest.fixture
def make_user(db):
    from accounts.tests.factories import UserFactory

    return UserFactory


@pytest.fixture
def grant(db):
    """grant(user, event, "organizer") or grant(user, event, "participant", track="pm")."""
    from hackathon.models import EventRole

    def make(user, event, role, track=""):
        if role == EventRole.Role.PARTICIPANT and not track:
            track = "ai"
        return EventRole.objects.create(user=user, event=event, role=role, track=track)

    return make


@pytest.fixture
def organizer(event, make_user, grant):
    user = make_user(email="organizer@example.com")
    grant(user, event, "organizer")
    return user


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """PBKDF2 takes most of a second on this machine; tests do not test password hashing strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
