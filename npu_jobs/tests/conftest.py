from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from npu_jobs.services import quota as quota_services
from npu_jobs.services.onnx_models import onnx_model_upload
from npu_jobs.tests import onnx_models
from npu_jobs.tests.factories import TeamFactory, team_member_add


@pytest.fixture(autouse=True)
def media_root(tmp_path, settings, monkeypatch):
    """Team files go to this test's folder; a worker started by the test inherits it through MEDIA_ROOT."""
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    monkeypatch.setenv("MEDIA_ROOT", str(root))
    return root


@pytest.fixture
def team(event):
    return TeamFactory(event=event, name="Blue")


@pytest.fixture
def member(team):
    return team_member_add(team)


@pytest.fixture
def other_team(event):
    return TeamFactory(event=event, name="Red")


@pytest.fixture
def other_member(other_team):
    return team_member_add(other_team)


@pytest.fixture
def give_quota():
    def give(team, seconds=3600, *, concurrent=4, daily=500, cpu_seconds=None):
        """The same allowance of NPU device-seconds and CPU seconds (CPU runs draw from their own)."""
        return quota_services.quota_change(
            team=team,
            changed_by=None,
            reason="test",
            device_seconds=Decimal(seconds),
            cpu_seconds=Decimal(seconds if cpu_seconds is None else cpu_seconds),
            max_concurrent_jobs=concurrent,
            daily_job_cap=daily,
        )

    return give


@pytest.fixture
def upload_model(tmp_path):
    """upload_model(team, user, builder=onnx_models.dense, **kwargs) -> OnnxModel, through the real upload service."""
    counter = {"n": 0}

    def upload(team, user, builder=onnx_models.dense, name="", **kwargs):
        counter["n"] += 1
        path = builder(tmp_path / f"built-{counter['n']}.onnx", **kwargs)
        data = Path(path).read_bytes()
        return onnx_model_upload(
            team=team, uploaded_by=user, upload=SimpleUploadedFile(f"{builder.__name__}.onnx", data), name=name
        )

    return upload


@pytest.fixture
def npu_worker(tmp_path, django_db_setup):
    """Like start_worker, but patient: on a loaded 2-core machine a worker may need more than a minute to start."""
    from core.testing import WorkerProcess

    started = []

    def start(*, queues=("cpu",), concurrency=1, env=None, extra_args=()):
        worker = WorkerProcess(queues=queues, concurrency=concurrency, log_dir=tmp_path, env=env, extra_args=extra_args)
        started.append(worker)
        return worker.start(timeout=240)

    yield start
    for worker in started:
        worker.stop()


# --- Pools, cloud resources, and the people who may not touch them ---------------------------------------


@pytest.fixture
def judge(event, make_user, grant):
    user = make_user()
    grant(user, event, "judge")
    return user


@pytest.fixture
def other_event_organizer(make_user, grant):
    from hackathon.tests.factories import EventFactory

    user = make_user()
    grant(user, EventFactory(), "organizer")
    return user


@pytest.fixture
def outsiders(member, judge, other_event_organizer):
    """Signed-in people who are not organizers of `event`: each must be refused (403 or 404)."""
    return {"participant": member, "judge": judge, "organizer of another event": other_event_organizer}


@pytest.fixture
def npu_pool(event, organizer):
    from npu_jobs.services import pools

    return pools.resource_pool_create(
        event=event,
        created_by=organizer,
        kind="npu",
        name="Warboy",
        hourly_price=Decimal("1.2"),
        device_seconds_total=Decimal("7200"),
    )


@pytest.fixture
def cloud_pool(event, organizer):
    from npu_jobs.services import pools

    return pools.resource_pool_create(
        event=event, created_by=organizer, kind="cloud", name="Alice", cloud_credits_total=Decimal("600")
    )


@pytest.fixture
def cloud_resource(cloud_pool, organizer):
    from npu_jobs.services import pools

    return pools.cloud_resource_create(
        pool=cloud_pool,
        created_by=organizer,
        label="alice-gpu-01",
        host="gpu01.alice.example",
        url="https://console.alice.example/1",
        login="hacker01",
        secret="s3cret-Pa55",
        credits=Decimal("100"),
        hours=Decimal("12"),
    )
