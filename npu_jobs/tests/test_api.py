from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from npu_jobs.models import NpuJob, ResourcePool
from npu_jobs.tests import onnx_models


@pytest.fixture
def api():
    return APIClient()


def test_upload_submit_list_cancel_and_quota(
    api, team, member, other_member, give_quota, event, tmp_path, django_assert_max_num_queries
):
    give_quota(team, 1000)
    api.force_authenticate(member)
    base = f"/api/v1/events/{event.slug}/jobs/"
    data = onnx_models.dense(tmp_path / "m.onnx").read_bytes()
    model = api.post(base + "models/upload/", {"file": SimpleUploadedFile("m.onnx", data)}, format="multipart")
    assert model.status_code == 201, model.json()
    assert model.json()["inputs"] == [{"name": "x", "shape": [1, 8], "dtype": "float32"}]
    bad = api.post(base + "models/upload/", {"file": SimpleUploadedFile("bad.onnx", b"nope")}, format="multipart")
    assert bad.status_code == 400 and "ONNX" in bad.json()["detail"]
    for _ in range(3):
        created = api.post(
            base + "submit/",
            {"model_id": model.json()["id"], "target": "cpu", "time_limit_seconds": 100},
            format="json",
        )
        assert created.status_code == 201, created.json()
    refused = api.post(
        base + "submit/", {"model_id": model.json()["id"], "target": "cpu", "time_limit_seconds": 800}, format="json"
    )
    assert refused.status_code == 400 and refused.json()["code"] == "quota_exceeded"
    with django_assert_max_num_queries(6):
        listed = api.get(base)
    assert [j["state"] for j in listed.json()] == ["queued"] * 3
    job_id = listed.json()[0]["id"]
    assert api.post(f"{base}{job_id}/cancel/").json()["state"] == "cancelled"
    quota = api.get(base + "quota/").json()
    assert Decimal(quota["quota"]["cpu_seconds_available"]) == Decimal("800")
    assert Decimal(quota["quota"]["device_seconds_available"]) == Decimal("1000")
    assert [e["kind"] for e in quota["ledger"]][:2] == ["charge", "release"]

    api.force_authenticate(other_member)
    assert api.get(f"{base}{job_id}/").status_code == 404
    assert api.get(f"{base}{job_id}/log/").status_code == 404
    assert api.get(f"{base}models/{model.json()['id']}/download/").status_code == 404
    assert api.get(base).json() == []


def test_organizer_api(api, organizer, team, other_team, member, event):
    api.force_authenticate(organizer)
    base = f"/api/v1/events/{event.slug}/jobs/"
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy", device_seconds_total=7200)
    split = api.post(
        base + "quotas/split/", {"pool_id": pool.pk, "reason": "kick-off", "max_concurrent_jobs": 2}, format="json"
    )
    assert split.status_code == 200 and [q["device_seconds_granted"] for q in split.json()] == ["3600.000"] * 2
    grant = api.post(f"{base}quotas/{team.pk}/", {"device_seconds": "-100", "reason": "fair use"}, format="json")
    assert grant.json()["device_seconds_granted"] == "3500.000"
    assert api.get(base + "workers/").status_code == 200
    assert len(api.get(base + "quotas/").json()) == 2
    api.force_authenticate(member)
    assert api.get(base + "workers/").status_code == 404
    assert (
        api.post(f"{base}quotas/{team.pk}/", {"device_seconds": "100", "reason": "me"}, format="json").status_code
        == 404
    )
    assert NpuJob.objects.count() == 0
