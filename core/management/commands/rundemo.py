import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Run the web server and two Celery workers (control tasks with beat; model runs) together, restarting a "
        "worker that exits. Ctrl-C stops them all."
    )

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        # The quantize queue too when furiosa-quantizer's environment exists (the worker drops it otherwise).
        default = "cpu,quantize" if settings.NPU_JOBS_QUANTIZER_PYTHON else "cpu"
        parser.add_argument("--queues", default=os.environ.get("DEMO_WORKER_QUEUES", default))

    def handle(self, *args, addrport, queues, **options):
        python = sys.executable
        common = ["--loglevel", "info", "--without-gossip", "--without-mingle"]
        # Control tasks (emails, matching, offer expiry, job recovery) get their own worker, so a long CPU job never
        # delays them. Each worker runs under runworker, which starts it again if it exits (e.g. a broker restart).
        control_cmd = [
            python, "manage.py", "runworker", "--",
            "-Q", "default", "--concurrency", "1", "-n", "default@%h", "--beat",
            "--schedule", settings.CELERY_BEAT_SCHEDULE_FILENAME, *common,
        ]  # fmt: skip
        jobs_cmd = [
            python, "manage.py", "runworker", "--",
            "-Q", queues, "--concurrency", "1", "-n", "jobs@%h", *common,
        ]  # fmt: skip
        web_cmd = [python, "manage.py", "runserver", addrport, "--noreload"]
        children = [subprocess.Popen(control_cmd), subprocess.Popen(jobs_cmd), subprocess.Popen(web_cmd)]
        self.stdout.write(self.style.SUCCESS(f"HackNPU is running on http://{addrport}/ — press Ctrl-C to stop."))
        try:
            while all(child.poll() is None for child in children):
                time.sleep(0.5)
        except KeyboardInterrupt:
            pass
        finally:
            for child in children:
                if child.poll() is None:
                    child.send_signal(signal.SIGTERM)
            deadline = time.monotonic() + 15
            for child in children:
                try:
                    child.wait(timeout=max(0.1, deadline - time.monotonic()))
                except subprocess.TimeoutExpired:
                    child.kill()
        self.stdout.write("Stopped the web server and the workers.")
