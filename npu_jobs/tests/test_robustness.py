"""Issue 11 in npu_jobs: bad input gets a clear error and leaves nothing behind; the disk cannot be filled; secrets
are not cached; the worker list is the event's."""

import io
from decimal import Decimal

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.translation import override
from rest_framework.test import APIClient

from core.exceptions import DomainError
from npu_jobs.forms import JobForm
from npu_jobs.models import ComputeDevice, NpuJob, OnnxModel, ResourcePool, WorkerHost
from npu_jobs.services import jobs, onnx_models
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests import onnx_models as builders


def files_under(root):
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


@pytest.mark.parametrize("shapes", [5, [[1, 4]], [{}], {"x": 5}, {"x": [0, 8]}, {"x": ["a"]}, {"x": [1] * 9}])
def test_malformed_input_shapes_get_400_not_500(api, team, member, give_quota, upload_model, event, shapes):
    give_quota(team)
    model = upload_model(team, member)
    base = f"/api/v1/events/{event.slug}/jobs/"
    response = api.post(
        base + "submit/", {"model_id": model.pk, "target": "cpu", "input_shapes": shapes}, format="json"
    )
    assert response.status_code == 400, response.content
    quantize = api.post(
        base + "quantizations/request/",
        {"source_model_id": model.pk, "calibration_kind": "random", "sample_count": 2, "input_shapes": shapes},
        format="json",
    )
    assert quantize.status_code == 400, quantize.content
    assert not NpuJob.objects.exists()


def test_an_enf_with_malformed_shapes_is_refused_and_not_stored(team, member, media_root):
    with pytest.raises(DomainError, match="shape of x"):
        onnx_models.onnx_model_upload(
            team=team,
            uploaded_by=member,
            upload=SimpleUploadedFile("model.enf", b"\x00enf"),
            enf_input_shapes='{"x": 5}',
        )
    assert not OnnxModel.objects.exists() and files_under(media_root) == []


def any_size_image_model(path):
    """[N, 3, H, W] of any size in, the per-channel mean out: a worker would build whatever shape it is given."""
    import onnx
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("GlobalAveragePool", ["x"], ["y"])],
        "any",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["N", 3, "H", "W"])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, ["N", 3, 1, 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    onnx.save(model, str(path))
    return path


def test_an_input_that_would_take_too_much_memory_is_refused(team, member, give_quota, upload_model):
    give_quota(team)
    conv = upload_model(team, member, builder=any_size_image_model)
    with pytest.raises(DomainError, match="may take at most"):
        jobs.npu_job_submit(
            team=team,
            submitted_by=member,
            request=JobRequest(model_id=conv.pk, target="cpu", input_shapes={"x": [1, 3, 65_536, 65_536]}),
        )


def test_an_input_file_over_the_default_limit_leaves_nothing_on_disk(
    team, member, give_quota, upload_model, media_root
):
    give_quota(team)
    model = upload_model(team, member)
    before = files_under(media_root)
    big = np.zeros((1, 17 * 2**20), np.float32)  # 68 MB, over the 64 MB default per file
    buffer = io.BytesIO()
    np.save(buffer, big)
    with pytest.raises(DomainError, match="limit per file"):
        jobs.npu_job_submit(
            team=team,
            submitted_by=member,
            request=JobRequest(model_id=model.pk, target="cpu", input_kind="npy", time_limit_seconds=5),
            input_files=[SimpleUploadedFile("big.npy", buffer.getvalue())],
        )
    assert files_under(media_root) == before


def test_the_team_storage_allowance_holds_and_unused_models_can_be_deleted(
    client, team, member, give_quota, upload_model, media_root, settings, event, django_capture_on_commit_callbacks
):
    first = upload_model(team, member)
    settings.NPU_JOBS_TEAM_STORAGE_BYTES = first.size_bytes + 10
    with pytest.raises(DomainError, match="Delete a model that no job used") as full:
        upload_model(team, member)
    assert full.value.code == "storage_full" and OnnxModel.objects.count() == 1
    client.force_login(member)
    page = client.get(f"/e/{event.slug}/jobs/")
    assert page["Cache-Control"] and "no-store" in page["Cache-Control"]  # the page shows cloud passwords
    assert 'data-testid="storage"' in page.content.decode()
    give_quota(team)
    used = OnnxModel.objects.get()
    jobs.npu_job_submit(team=team, submitted_by=member, request=JobRequest(model_id=used.pk, target="cpu"))
    with pytest.raises(DomainError, match="stays"):
        onnx_models.onnx_model_delete(model_id=used.pk, deleted_by=member)
    settings.NPU_JOBS_TEAM_STORAGE_BYTES = 10 * 2**20
    unused = upload_model(team, member)
    path = media_root / unused.file_path
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"/e/{event.slug}/jobs/models/{unused.pk}/delete/")
    assert response.status_code == 302 and not OnnxModel.objects.filter(pk=unused.pk).exists()
    assert not path.exists() and not path.parent.exists()


def test_a_refused_html_submit_keeps_nothing_of_its_upload(
    client, team, member, give_quota, event, media_root, tmp_path, django_capture_on_commit_callbacks
):
    give_quota(team, 10)
    client.force_login(member)
    data = builders.dense(tmp_path / "m.onnx").read_bytes()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"/e/{event.slug}/jobs/new/",
            {
                "model_file": SimpleUploadedFile("m.onnx", data),
                "target": "cpu",
                "input_kind": "random",
                "batch_size": 1,
                "iterations": 10,
                "warmup": 0,
                "time_limit_seconds": 600,  # more than the 10 s the team has
            },
        )
    assert response.status_code == 200 and "Not enough CPU time" in response.content.decode()
    assert not OnnxModel.objects.exists() and files_under(media_root) == []


def test_limits_past_their_column_range_get_400(organizer, team, event):
    client = APIClient()
    client.force_authenticate(organizer)
    base = f"/api/v1/events/{event.slug}/jobs/quotas/"
    for body in (
        {"reason": "x", "max_concurrent_jobs": 70000},
        {"reason": "x", "daily_job_cap": 10**12},
        {"reason": "x", "device_seconds": "99999999999.999"},
    ):
        response = client.post(f"{base}{team.pk}/", body, format="json")
        assert response.status_code == 400, (body, response.content)


def test_the_worker_list_is_the_events(organizer, other_event_organizer, event):
    from hackathon.models import Event

    other = Event.objects.exclude(pk=event.pk).get()
    now = timezone.now()
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy", hourly_price=Decimal("1"))
    dedicated = WorkerHost.objects.create(name="npu@ours", hostname="ours", started_at=now, last_heartbeat_at=now)
    ComputeDevice.objects.create(worker=dedicated, pool=pool, kind="npu", index=0, spec="warboy(2)*1")
    shared = WorkerHost.objects.create(name="cpu@shared", hostname="shared", started_at=now, last_heartbeat_at=now)
    ComputeDevice.objects.create(worker=shared, kind="cpu", index=0, spec="cpu")
    client = APIClient()
    client.force_authenticate(organizer)
    names = {w["name"] for w in client.get(f"/api/v1/events/{event.slug}/jobs/workers/").json()}
    assert names == {"npu@ours", "cpu@shared"}
    client.force_authenticate(other_event_organizer)
    names = {w["name"] for w in client.get(f"/api/v1/events/{other.slug}/jobs/workers/").json()}
    assert names == {"cpu@shared"}  # this event's Warboy host is not theirs to see


def test_help_texts_follow_the_readers_language():
    with override("ko"):
        korean = str(JobForm(models=OnnxModel.objects.none()).fields["model_file"].help_text)
    with override("en"):
        english = str(JobForm(models=OnnxModel.objects.none()).fields["model_file"].help_text)
    assert "MB" in english and english.startswith("ONNX")
    assert korean != english
