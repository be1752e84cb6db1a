import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the web server and a Celery worker (with beat) together. Ctrl-C stops both."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        # The quantize queue too when furiosa-quantizer's environment exists (the worker drops it otherwise).
        default = "default,cpu,quantize" if settings.NPU_JOBS_QUANTIZER_PYTHON else "default,cpu"
        parser.add_argument("--queues", default=os.environ.get("DEMO_WORKER_QUEUES", default))

    def handle(self, *args, addrport, queues, **options):
        python = sys.executable
        worker_cmd = [
            python,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--beat",
            "-Q",
            queues,
            "--concurrency",
            "2",
            "--loglevel",
            "info",
            "--schedule",
            settings.CELERY_BEAT_SCHEDULE_FILENAME,
        ]
        web_cmd = [python, "manage.py", "runserver", addrport, "--noreload"]
        children = [subprocess.Popen(worker_cmd), subprocess.Popen(web_cmd)]
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
        self.stdout.write("Stopped web server and worker.")
