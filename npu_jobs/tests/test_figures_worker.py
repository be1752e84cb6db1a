"""Issue 10 with a real worker: a side-by-side request runs twice on real hardware and the ratio is the stored
metrics' ratio; versions are the backend's only; cost parts come from the runner's own timings."""

from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from core.testing import wait_for
from npu_jobs.models import NpuJob, ResourcePool
from npu_jobs.services import jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests import onnx_models

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
FAST = {"NPU_JOBS_LEASE_SECONDS": "6", "NPU_JOBS_HEARTBEAT_SECONDS": "1"}


def test_side_by_side_runs_both_and_shows_the_ratio_of_the_stored_metrics_each_labelled(
    client, team, member, give_quota, upload_model, event, npu_worker
):
    ResourcePool.objects.create(
        event=event, kind="npu", name="Warboy", hourly_price=Decimal("1.2"), allow_cpu_fallback=True
    )
    ResourcePool.objects.create(event=event, kind="cpu", name="CPU", hourly_price=Decimal("0.4"))
    give_quota(team, 600)
    model = upload_model(team, member, builder=onnx_models.quantized_dense, size=256)
    npu_worker(queues=("cpu",), env=FAST)
    comparison = jobs.npu_job_compare_submit(
        team=team,
        submitted_by=member,
        request=JobRequest(model_id=model.pk, target="npu", iterations=300, warmup=20, time_limit_seconds=60),
    )
    cpu_job, npu_job = comparison.cpu_job, comparison.npu_job
    assert cpu_job.input_shapes == npu_job.input_shapes and cpu_job.model_id == npu_job.model_id

    def both_final():
        return NpuJob.objects.filter(pk__in=[cpu_job.pk, npu_job.pk], state="succeeded").count() == 2

    wait_for(both_final, timeout=120, message="the two runs did not both succeed")
    cpu_job.refresh_from_db()
    npu_job.refresh_from_db()
    # No NPU worker here: the NPU side fell back to the CPU, and says so everywhere.
    assert (cpu_job.run_label, npu_job.run_label) == ("CPU run", "CPU run (NPU fallback)")
    for job in (cpu_job, npu_job):
        assert set(job.versions) == {"onnxruntime", "numpy", "python"}  # the backend's packages only
        assert job.worker_id and job.compute_device.kind == "cpu"
        assert 0 < job.loop_seconds <= float(job.device_seconds)
        assert job.load_seconds + job.warmup_seconds + job.loop_seconds <= float(job.device_seconds) + 0.01
        expected = Decimal(str(job.loop_seconds)) * job.hourly_price / 3600 / job.inferences * 1000
        assert abs(job.cost_per_1k - expected) < Decimal("0.000001")

    api = APIClient()
    api.force_authenticate(member)
    data = api.get(f"/api/v1/events/{event.slug}/jobs/compare/{comparison.pk}/").json()
    assert data["speedup"] == pytest.approx(npu_job.throughput_per_second / cpu_job.throughput_per_second)
    assert data["same_hardware"] is True
    assert data["npu_job"]["run_kind"] == "cpu_fallback" and data["cpu_job"]["run_kind"] == "cpu"

    client.force_login(member)
    page = client.get(f"/e/{event.slug}/jobs/compare/{comparison.pk}/").content.decode()
    assert "CPU run (NPU fallback)" in page and "This is not an NPU speed-up" in page
    assert f"{data['speedup']:.2f}×" in page
    assert "USD" in page
