"""A real Celery worker on the test broker runs real tiny ONNX models: metrics, failures, cancel, detection,
kill -9 mid-job, and a lost broker message."""

import hashlib
import io
from decimal import Decimal

import numpy as np
import onnxruntime
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app as celery_app
from core.testing import wait_for
from npu_jobs.models import NpuJob, OnnxModel, QuotaLedgerEntry, TeamQuota, WorkerHost
from npu_jobs.services import files, jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests import onnx_models

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
State = NpuJob.State
FAST = {
    "NPU_JOBS_LEASE_SECONDS": "6",
    "NPU_JOBS_RECOVER_EVERY_SECONDS": "1",
    "NPU_JOBS_HEARTBEAT_SECONDS": "1",
    "NPU_JOBS_REDISPATCH_AFTER_SECONDS": "2",
}


def submit(team, user, model, files_=(), **kwargs):
    kwargs.setdefault("target", "cpu")
    kwargs.setdefault("time_limit_seconds", 60)
    return jobs.npu_job_submit(
        team=team, submitted_by=user, request=JobRequest(model_id=model.pk, **kwargs), input_files=files_
    )


def wait_final(job, timeout=60):
    def final():
        job.refresh_from_db()
        return job.is_final

    wait_for(final, timeout=timeout, message=f"job {job.pk} still {job.state}")
    return job


def wait_state(job, state, timeout=60):
    def reached():
        job.refresh_from_db()
        return job.state == state

    wait_for(reached, timeout=timeout, message=f"job {job.pk} is {job.state}, not {state}")


def charges(job):
    return list(
        QuotaLedgerEntry.objects.filter(job=job, kind__in=["charge", "refund"]).values_list("kind", "device_seconds")
    )


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return SimpleUploadedFile("input.npy", buffer.getvalue())


def test_jobs_on_a_real_worker(team, member, give_quota, upload_model, npu_worker, media_root):
    give_quota(team, 10_000, concurrent=2)
    worker = npu_worker(queues=("cpu", "npu"), concurrency=2, env=FAST)
    dense = upload_model(team, member, batch=1)
    heavy = upload_model(team, member, builder=onnx_models.heavy)
    crash = upload_model(team, member, builder=onnx_models.crashing)
    quantized = upload_model(team, member, builder=onnx_models.quantized_dense)
    broken = upload_model(team, member)
    files.media_path(broken.file_path).write_bytes(b"not a protobuf at all")  # damaged on disk after upload

    ok = submit(team, member, dense, iterations=50, warmup=5)
    bad_file = submit(team, member, broken)
    bad_shape = submit(team, member, dense, files_=[npy(np.zeros((1, 9), np.float32))], input_kind="npy")
    crashes = submit(team, member, crash)
    npu_job = submit(team, member, quantized, target="npu")

    # Success, with metrics that add up and outputs that match a bare onnxruntime run of the same input.
    wait_final(ok)
    assert ok.state == State.SUCCEEDED, ok.failure_reason
    assert ok.inferences == 50 and ok.progress_done == ok.progress_total == 55
    assert 0 < ok.latency_min_ms <= ok.latency_p50_ms <= ok.latency_p95_ms <= ok.latency_p99_ms
    assert ok.latency_min_ms <= ok.latency_mean_ms
    assert ok.throughput_per_second == pytest.approx(1000 / ok.latency_mean_ms, rel=0.01)
    assert ok.load_seconds > 0 and ok.device_seconds > 0
    assert (ok.backend, ok.device, ok.queue) == ("onnxruntime-cpu", "cpu", "cpu")
    assert ok.worker_host.startswith("test-") and ok.versions["onnxruntime"] == onnxruntime.__version__
    x = np.random.default_rng(ok.pk).standard_normal([1, 8]).astype(np.float32)
    session = onnxruntime.InferenceSession(str(files.media_path(dense.file_path)), providers=["CPUExecutionProvider"])
    expected = session.run(None, {"x": x})[0]
    assert ok.outputs == [
        {"name": "y", "shape": [1, 8], "dtype": "float32", "sha256": hashlib.sha256(expected.tobytes()).hexdigest()}
    ]
    assert "iteration 55 of 55" in ok.log
    assert [t.to_state for t in ok.transitions.all()] == ["queued", "preparing", "running", "succeeded"]
    assert charges(ok) == [("charge", -ok.device_seconds)]

    # Failures caused by the model: each with its reason, each charged what it used.
    for job, reason in (
        (bad_file, "could not be loaded"),
        (bad_shape, "expects shape [1, 8]"),
        (crashes, "failed at iteration 1"),
    ):
        wait_final(job)
        assert job.state == State.FAILED and reason in job.failure_reason, job.failure_reason
        assert job.failure_kind == "model"
        assert charges(job) == [("charge", -job.device_seconds)] and job.device_seconds < 60

    # A job that runs past its time limit is stopped and charged its limit at most.
    slow = submit(team, member, heavy, batch_size=256, iterations=100_000, warmup=0, time_limit_seconds=3)
    wait_final(slow, timeout=40)
    assert slow.state == State.TIMED_OUT and "time limit of 3 seconds" in slow.failure_reason
    assert Decimal("2.5") <= slow.device_seconds <= 3
    assert slow.progress_done < slow.progress_total

    # Cancel while running: the worker stops the model and settles.
    long = submit(team, member, heavy, batch_size=256, iterations=100_000, warmup=0, time_limit_seconds=60)
    wait_state(long, State.RUNNING, timeout=30)
    wait_for(lambda: NpuJob.objects.get(pk=long.pk).progress_done > 0, timeout=20)
    jobs.npu_job_cancel(job_id=long.pk, cancelled_by=member)
    wait_final(long, timeout=20)
    assert long.state == State.CANCELLED and len(charges(long)) == 1

    # furiosa-sdk is installed here without its driver: the worker says so and leaves the npu queue alone.
    host = WorkerHost.objects.get(name__startswith=worker.name.split("@")[0])
    assert "npu" not in host.queues and "cpu" in host.queues
    assert host.npu_status.startswith("NPU runtime unavailable:") and "libfuriosa_hal.so" in host.npu_status
    assert "NPU runtime unavailable" in worker.log()
    npu_job.refresh_from_db()
    assert npu_job.state == State.QUEUED and npu_job.queue == "npu"

    # The books balance: only the still-queued NPU job holds a reservation.
    quota = TeamQuota.objects.get(team=team)
    assert quota.device_seconds_reserved == npu_job.budget_seconds  # the NPU job waits on the Warboy allowance
    settled = NpuJob.objects.filter(team=team).exclude(pk=npu_job.pk)
    # Every settled job ran on the CPU: charged to the CPU allowance, never to the Warboy quota.
    assert quota.cpu_seconds_used == sum(j.device_seconds for j in settled) and quota.device_seconds_used == 0
    assert OnnxModel.objects.filter(team=team).count() == 5


def test_kill_9_mid_job_and_a_lost_message_are_recovered_exactly_once(
    team, member, give_quota, upload_model, npu_worker, tmp_path
):
    give_quota(team, 10_000, concurrent=2)
    heavy = upload_model(team, member, builder=onnx_models.heavy)
    first = npu_worker(queues=("cpu",), concurrency=1, env=FAST)
    killed = submit(team, member, heavy, batch_size=256, iterations=150, warmup=0, time_limit_seconds=120)
    wait_state(killed, State.RUNNING, timeout=30)
    first.kill()

    lost = submit(team, member, heavy, batch_size=256, iterations=5, warmup=0)
    with celery_app.connection_for_write() as connection:
        connection.default_channel.queue_purge("cpu")  # the broker lost the message; the row is still queued

    second = npu_worker(
        queues=("default", "cpu"),
        concurrency=2,
        env=FAST,
        extra_args=("--beat", "--schedule", str(tmp_path / "beat-schedule")),
    )
    for job in (killed, lost):
        try:
            wait_final(job, timeout=180)
        except AssertionError as exc:
            raise AssertionError(
                f"{exc}\n" + "\n".join(line for line in second.log().splitlines() if "celery.beat" not in line)[-5000:]
            ) from None
        assert job.state == State.SUCCEEDED, (job.failure_reason, second.log()[-3000:])
        assert len(charges(job)) == 1
    # Requeued at least once (more if a loaded machine delays the new worker's lease renewals), finished once.
    states = [t.to_state for t in killed.transitions.all()]
    assert killed.attempts >= 2 and "lost; requeued" in killed.log
    assert states[:4] == ["queued", "preparing", "running", "queued"] and states[-1] == "succeeded"
    assert states.count("succeeded") == 1
    assert lost.attempts == 1
    quota = TeamQuota.objects.get(team=team)
    assert quota.cpu_seconds_reserved == 0
    assert quota.cpu_seconds_used == killed.device_seconds + lost.device_seconds
