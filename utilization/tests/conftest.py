from datetime import UTC, datetime

import pytest
from django.utils import timezone

from npu_jobs.models import ComputeDevice, OnnxModel, ResourcePool, WorkerHost
from npu_jobs.tests.conftest import (  # noqa: F401  (fixtures shared with npu_jobs' tests)
    give_quota,
    judge,
    media_root,
    member,
    other_event_organizer,
    other_member,
    other_team,
    team,
)

T0 = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)


@pytest.fixture
def npu_host(db):
    now = timezone.now()
    return WorkerHost.objects.create(
        name="celery@npu-1",
        hostname="npu-1",
        queues=["npu"],
        backends=["furiosa-warboy"],
        started_at=now,
        last_heartbeat_at=now,
    )


@pytest.fixture
def device(npu_host, event):
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy")
    return ComputeDevice.objects.create(worker=npu_host, pool=pool, kind="npu", index=0, spec="npu:0:0-1")


@pytest.fixture
def second_device(device):
    return ComputeDevice.objects.create(worker=device.worker, pool=device.pool, kind="npu", index=1, spec="npu:1:0-1")


@pytest.fixture
def model(team, member):  # noqa: F811
    return OnnxModel.objects.create(
        event=team.event, team=team, uploaded_by=member, name="resnet50", file_path="x.onnx", size_bytes=1, sha256="0"
    )
