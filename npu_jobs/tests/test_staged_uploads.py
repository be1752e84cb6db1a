"""Uploads are staged before the transaction and placed once accepted: a refused request leaves nothing behind."""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from rest_framework.test import APIClient

from core.exceptions import DomainError
from npu_jobs.models import ModelQuantization, NpuJob
from npu_jobs.services import files, jobs, quantization
from npu_jobs.services.jobs import JobRequest
from npu_jobs.services.quantization import QuantizationRequest
from npu_jobs.tests import onnx_models


def png(name, color=(200, 10, 10)):
    buffer = io.BytesIO()
    Image.new("RGB", (32, 32), color).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


def image_job(team, member, model, uploads, time_limit_seconds=10):
    return jobs.npu_job_submit(
        team=team,
        submitted_by=member,
        request=JobRequest(
            model_id=model.pk,
            target="cpu",
            input_kind="images",
            preset="imagenet",
            time_limit_seconds=time_limit_seconds,
        ),
        input_files=uploads,
    )


def test_a_refused_submit_leaves_no_files_and_the_next_job_sees_only_its_own_inputs(
    team, member, give_quota, upload_model, media_root
):
    give_quota(team, 20)
    model = upload_model(team, member, builder=onnx_models.image_model)
    before = files_under(media_root)  # the model file
    with pytest.raises(DomainError, match="Not enough CPU time"):
        image_job(team, member, model, [png("refused-1.png"), png("refused-2.png")], time_limit_seconds=60)
    assert files_under(media_root) == before
    assert not NpuJob.objects.exists()

    job = image_job(team, member, model, [png("mine.png", (0, 0, 255))])
    inputs = sorted(p.name for p in files.media_path(job.input_path).iterdir())
    assert inputs == ["000-mine.png"]
    assert job.input_path.startswith(f"npu_jobs/team-{team.pk}/inputs/")
    assert len(job.input_path.rsplit("/", 1)[1]) == 32  # a uuid, not the job id a later row could reuse
    assert files_under(media_root) == sorted([*before, f"{job.input_path}/000-mine.png"])


def test_an_input_over_the_size_limit_is_refused_and_nothing_of_it_stays(
    team, member, give_quota, upload_model, media_root, settings
):
    settings.NPU_JOBS_MAX_INPUT_FILE_BYTES = 4096
    give_quota(team)
    model = upload_model(team, member)
    before = files_under(media_root)
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((1, 8 * 1024), np.float32))  # 32 KB
    with pytest.raises(DomainError, match="limit per file") as refused:
        jobs.npu_job_submit(
            team=team,
            submitted_by=member,
            request=JobRequest(model_id=model.pk, target="cpu", input_kind="npy", time_limit_seconds=5),
            input_files=[SimpleUploadedFile("big.npy", buffer.getvalue())],
        )
    assert refused.value.field == "input_files"
    assert files_under(media_root) == before and not NpuJob.objects.exists()


def test_a_model_that_fails_its_check_leaves_nothing_on_disk(team, member, upload_model, media_root):
    upload_model(team, member)
    before = files_under(media_root)
    with pytest.raises(DomainError):
        from npu_jobs.services.onnx_models import onnx_model_upload

        onnx_model_upload(team=team, uploaded_by=member, upload=SimpleUploadedFile("broken.onnx", b"not onnx"))
    assert files_under(media_root) == before


def test_a_refused_quantization_removes_its_calibration_uploads(team, member, upload_model, media_root):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    first = quantization.model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=model.pk, calibration_kind="images", preset="imagenet"),
        calibration_files=[png("a.png")],
    )
    before = files_under(media_root)
    with pytest.raises(DomainError, match="already has a quantization"):
        quantization.model_quantization_request(
            team=team,
            requested_by=member,
            request=QuantizationRequest(source_model_id=model.pk, calibration_kind="images", preset="imagenet"),
            calibration_files=[png("b.png"), png("c.png")],
        )
    assert files_under(media_root) == before
    assert ModelQuantization.objects.get() == first
    # Quantizations record their transitions as jobs do.
    assert list(first.transitions.values_list("from_state", "to_state")) == [("", "queued")]
    quantization.model_quantization_cancel(quantization_id=first.pk, cancelled_by=member)
    assert list(first.transitions.values_list("to_state", flat=True)) == ["queued", "cancelled"]


def test_cancel_urls_take_post_only_and_a_get_changes_nothing(client, team, member, give_quota, upload_model, event):
    give_quota(team)
    model = upload_model(team, member, builder=onnx_models.conv_net)
    job = jobs.npu_job_submit(
        team=team, submitted_by=member, request=JobRequest(model_id=model.pk, target="cpu", time_limit_seconds=5)
    )
    queued = quantization.model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=model.pk, calibration_kind="random", sample_count=2),
    )
    api = APIClient()
    api.force_authenticate(member)
    client.force_login(member)
    base = f"/api/v1/events/{event.slug}/jobs/"
    assert api.get(f"{base}{job.pk}/cancel/").status_code == 405
    assert api.get(f"{base}quantizations/{queued.pk}/cancel/").status_code == 405
    assert client.get(f"/e/{event.slug}/jobs/{job.pk}/cancel/").status_code == 405
    assert client.get(f"/e/{event.slug}/jobs/quantize/{queued.pk}/cancel/").status_code == 405
    job.refresh_from_db()
    queued.refresh_from_db()
    assert job.state == "queued" and queued.state == "queued"
    assert api.post(f"{base}{job.pk}/cancel/").json()["state"] == "cancelled"
    assert api.post(f"{base}quantizations/{queued.pk}/cancel/").json()["state"] == "cancelled"
