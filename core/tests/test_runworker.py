"""runworker starts the worker again when it dies, and the new one consumes the queue (no person acting)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import transaction

from core.models import OutboundEmail
from core.services import email_queue
from core.testing import wait_for, worker_env

CELERY_ARGS = [
    "-Q",
    "default",
    "--pool",
    "solo",
    "--loglevel",
    "info",
    "--without-gossip",
    "--without-mingle",
    "-n",
    "runworker-test@%h",
]
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.worker]


def test_a_worker_that_dies_is_replaced_and_consumes_again(tmp_path, mail_dir, django_db_setup):
    log_path = tmp_path / "runworker.log"
    env = worker_env(EMAIL_FILE_PATH=str(mail_dir))
    with open(log_path, "ab") as log:
        supervisor = subprocess.Popen(
            [sys.executable, "manage.py", "runworker", "--", *CELERY_ARGS],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        wait_for(lambda: " ready." in log_path.read_text(errors="replace"), timeout=60, message="no worker started")
        with transaction.atomic():
            first = email_queue(to="a@example.com", subject="One", body="first")
        wait_for(lambda: OutboundEmail.objects.filter(pk=first.pk, status="sent").exists(), timeout=30)

        # The worker dies for good, as on Redis's restart mid-task ("Unrecoverable error ... 'hostname'").
        celery_pid = int(
            subprocess.run(
                ["pgrep", "-P", str(supervisor.pid), "-f", "celery"], capture_output=True, text=True
            ).stdout.split()[0]
        )
        os.kill(celery_pid, signal.SIGKILL)
        wait_for(
            lambda: "the worker exited with -9; starting it again" in log_path.read_text(errors="replace"),
            timeout=30,
            message=log_path.read_text(errors="replace"),
        )
        wait_for(lambda: log_path.read_text(errors="replace").count(" ready.") >= 2, timeout=60)

        with transaction.atomic():
            second = email_queue(to="b@example.com", subject="Two", body="second")
        wait_for(
            lambda: OutboundEmail.objects.filter(pk=second.pk, status="sent").exists(),
            timeout=30,
            message=log_path.read_text(errors="replace"),
        )
        assert supervisor.poll() is None
    finally:
        supervisor.send_signal(signal.SIGTERM)
        try:
            supervisor.wait(timeout=20)
        except subprocess.TimeoutExpired:
            pass
        try:
            os.killpg(supervisor.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        time.sleep(0.1)
