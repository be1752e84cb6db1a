"""The quantization step on a real worker running the real furiosa-quantizer (in its own Python 3.10 environment):
images and .npy calibration, a bad upload, cancel while running, and a worker without the quantizer."""

import io
import os
from pathlib import Path

import numpy as np
import onnx
import onnxruntime
import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.testing import wait_for
from npu_jobs.models import ModelQuantization, NpuJob, OnnxModel, WorkerHost
from npu_jobs.services import files, jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.services.quantization import QuantizationRequest, model_quantization_cancel, model_quantization_request
from npu_jobs.tests import onnx_models

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]
State = ModelQuantization.State
FAST = {"NPU_JOBS_LEASE_SECONDS": "6", "NPU_JOBS_HEARTBEAT_SECONDS": "1"}


@pytest.fixture
def quantizer_python():
    """furiosa-quantizer's own interpreter (make builds .venv-quantizer where a Python 3.10 exists)."""
    path = settings.NPU_JOBS_QUANTIZER_PYTHON
    if not path or not Path(path).exists():
        if os.environ.get("HACKNPU_REQUIRE_QUANTIZER") == "1":
            pytest.fail(
                "HACKNPU_REQUIRE_QUANTIZER=1 but there is no quantizer environment (make .venv-quantizer/.done)"
            )
        pytest.skip("no furiosa-quantizer environment: `make .venv-quantizer/.done` needs a Python 3.10")
    return path


def png(color, size=(40, 24)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return SimpleUploadedFile(f"frame-{color[0]}.png", buffer.getvalue(), content_type="image/png")


def npy(array, name="samples.npy"):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return SimpleUploadedFile(name, buffer.getvalue())


def wait_final(quantization, timeout=120):
    def final():
        quantization.refresh_from_db()
        return quantization.is_final

    wait_for(final, timeout=timeout, message=f"quantization {quantization.pk} still {quantization.state}")
    return quantization


def test_images_are_calibrated_and_the_int8_model_is_the_teams(
    team, member, upload_model, npu_worker, quantizer_python
):
    worker = npu_worker(queues=("quantize",), env={**FAST, "NPU_JOBS_QUANTIZER_PYTHON": quantizer_python})
    source = upload_model(team, member, builder=onnx_models.conv_net, name="Face net")
    assert not source.is_quantized

    quantization = model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=source.pk, calibration_kind="images", preset="imagenet"),
        calibration_files=[png((255, 0, 0)), png((0, 128, 255)), png((20, 200, 20))],
    )
    wait_final(quantization)

    assert quantization.state == State.SUCCEEDED, quantization.failure_reason
    assert quantization.worker_host.startswith(worker.name.split("@")[0])
    assert "furiosa-quantizer" in quantization.versions and quantization.versions["python"].startswith("3.10")
    assert "calibrated 3 of 3 samples" in quantization.log
    result = quantization.result
    assert result.is_quantized and result.quantized_from == source and result.team == team
    assert result.inputs[0]["name"] == "x" and result.inputs[0]["shape"] == [1, 3, 16, 16]
    # The file is furiosa-quantizer's: the calibrated ranges the Furiosa compiler turns into INT8, per tensor.
    model = onnx.load(str(files.media_path(result.file_path)))
    ranges = {prop.key: prop.value for prop in model.metadata_props}
    assert any(key.endswith("CalibrationResult") for key in ranges)
    assert "x:" in next(value for key, value in ranges.items() if key.endswith("CalibrationResult"))
    # It is still a valid ONNX model with the source's function.
    session = onnxruntime.InferenceSession(str(files.media_path(result.file_path)), providers=["CPUExecutionProvider"])
    sample = np.random.default_rng(3).standard_normal((1, 3, 16, 16)).astype(np.float32)
    reference = onnxruntime.InferenceSession(
        str(files.media_path(source.file_path)), providers=["CPUExecutionProvider"]
    )
    np.testing.assert_allclose(
        session.run(None, {"x": sample})[0], reference.run(None, {"x": sample})[0], rtol=1e-4, atol=1e-5
    )
    # Warboy accepts it now: an NPU job with the quantized model passes the submit checks.
    host = WorkerHost.objects.get(name=quantization.worker_host)
    assert "quantize" in host.queues and "furiosa-quantizer" in host.backends
    from npu_jobs.services import quota as quota_services

    quota_services.quota_change(team=team, changed_by=None, reason="test", device_seconds=600)
    job = jobs.npu_job_submit(
        team=team, submitted_by=member, request=JobRequest(model_id=result.pk, target="npu", time_limit_seconds=60)
    )
    assert job.target == NpuJob.Target.NPU
    # The calibration samples built for the run are gone; the uploads stay with the request.
    folder = files.media_path(files.team_dir_relative(team, f"calibration/quantization-{quantization.pk}"))
    assert not list(folder.glob("samples-*.npz"))


def test_npy_samples_of_the_wrong_shape_fail_with_the_reason_and_a_new_request_can_follow(
    team, member, upload_model, npu_worker, quantizer_python
):
    npu_worker(queues=("quantize",), env={**FAST, "NPU_JOBS_QUANTIZER_PYTHON": quantizer_python})
    source = upload_model(team, member, builder=onnx_models.conv_net)

    wrong = model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=source.pk, calibration_kind="npy"),
        calibration_files=[npy(np.zeros((4, 3, 8, 8), np.float32))],
    )
    wait_final(wrong)
    assert wrong.state == State.FAILED and wrong.failure_kind == "model"
    assert "[samples, 1, 3, 16, 16]" in wrong.failure_reason and "[4, 3, 8, 8]" in wrong.failure_reason
    assert wrong.result is None
    assert OnnxModel.objects.filter(team=team).count() == 1

    right = model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=source.pk, calibration_kind="npy", method="PERCENTILE_ASYM"),
        calibration_files=[npy(np.random.default_rng(0).standard_normal((5, 1, 3, 16, 16)).astype(np.float32))],
    )
    wait_final(right)
    assert right.state == State.SUCCEEDED, right.failure_reason
    assert "calibrated 5 of 5 samples" in right.log and "Percentile" in right.result.name


def test_cancel_while_running_stops_the_quantizer(team, member, upload_model, npu_worker, quantizer_python):
    npu_worker(queues=("quantize",), env={**FAST, "NPU_JOBS_QUANTIZER_PYTHON": quantizer_python})
    source = upload_model(team, member, builder=onnx_models.conv_net, height=224, width=224)
    quantization = model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(
            source_model_id=source.pk, calibration_kind="random", sample_count=256, method="ENTROPY_ASYM"
        ),
    )

    def running():
        quantization.refresh_from_db()
        return quantization.state == State.RUNNING

    wait_for(running, timeout=120)
    model_quantization_cancel(quantization_id=quantization.pk, cancelled_by=member)
    wait_final(quantization, timeout=60)
    assert quantization.state == State.CANCELLED
    assert quantization.result is None
    assert not list(files.media_path(files.team_dir_relative(team, "models")).glob("quantized-*"))


def test_a_worker_without_the_quantizer_leaves_the_queue_and_says_why(npu_worker, tmp_path):
    worker = npu_worker(
        queues=("default", "quantize"), env={**FAST, "NPU_JOBS_QUANTIZER_PYTHON": str(tmp_path / "none")}
    )

    host = wait_for(lambda: WorkerHost.objects.filter(name__startswith=worker.name.split("@")[0]).first(), timeout=60)
    assert "quantize" not in host.queues and "default" in host.queues
    assert "furiosa-quantizer" not in host.backends
    assert "Quantizer unavailable" in worker.log()
