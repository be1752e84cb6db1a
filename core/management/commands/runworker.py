"""Run a Celery worker and start it again whenever it exits.

A worker can die for good on a broker fault: when Redis restarts while a task runs, Celery 5 logs "Restoring 1
unacknowledged message(s)" and then exits with `Unrecoverable error: AttributeError("'NoneType' object has no
attribute 'hostname'")`. Nothing would run until a person noticed. This supervisor restarts it (after 1 s, doubling
up to 30 s while it keeps failing at once); the database, not the broker, holds the work, so the new worker and the
beat sweepers pick up what was lost. Use it where no process manager restarts the worker (the demo, a plain shell);
systemd (Restart=always) and docker compose (restart: unless-stopped) do the same job.

    python manage.py runworker -- -Q default --concurrency 2 --beat
"""

import signal
import subprocess
import sys
import time

from django.core.management.base import BaseCommand

MAX_DELAY_SECONDS = 30
HEALTHY_AFTER_SECONDS = 60


class Command(BaseCommand):
    help = "Run `celery -A config worker ARGS` and restart it whenever it exits. Ctrl-C or SIGTERM stops it."

    def add_arguments(self, parser):
        parser.add_argument("celery_args", nargs="*", help="arguments for `celery worker` (after --)")

    def handle(self, *args, celery_args, **options):
        command = [sys.executable, "-m", "celery", "-A", "config", "worker", *celery_args]
        stopping = False
        child: subprocess.Popen | None = None

        def stop(signum, frame):
            nonlocal stopping
            stopping = True
            if child and child.poll() is None:
                child.send_signal(signal.SIGTERM)

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        delay = 1.0
        while not stopping:
            started = time.monotonic()
            child = subprocess.Popen(command)
            code = child.wait()
            if stopping:
                break
            if time.monotonic() - started > HEALTHY_AFTER_SECONDS:
                delay = 1.0
            self.stderr.write(f"runworker: the worker exited with {code}; starting it again in {delay:.0f} s")
            self.stderr.flush()
            time.sleep(delay)
            delay = min(delay * 2, MAX_DELAY_SECONDS)
        if child and child.poll() is None:
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
