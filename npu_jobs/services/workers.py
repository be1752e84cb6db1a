"""Worker hosts report themselves: at start (queues, backends, versions, devices) and in heartbeats."""

import os
import socket

from django.db import transaction
from django.utils import timezone

from hackathon.models import Event
from npu_jobs.models import ComputeDevice, ResourcePool, WorkerHost


@transaction.atomic
def worker_host_register(
    *,
    name: str,
    queues: list[str],
    backends: list[str],
    versions: dict,
    npu_status: str,
    concurrency: int,
    devices: list[str],
    pool_event_slug: str = "",
) -> WorkerHost:
    now = timezone.now()
    host, _created = WorkerHost.objects.update_or_create(
        name=name,
        defaults={
            "hostname": socket.gethostname(),
            "pid": os.getpid(),
            "queues": queues,
            "backends": backends,
            "versions": versions,
            "npu_status": npu_status,
            "concurrency": concurrency,
            "started_at": now,
            "last_heartbeat_at": now,
            "stopped_at": None,
        },
    )
    pool = None
    if pool_event_slug:
        event = Event.objects.filter(slug=pool_event_slug).first()
        pool = ResourcePool.objects.filter(event=event, kind=ResourcePool.Kind.NPU).first() if event else None
    # Devices are never deleted: the jobs that ran on them point at them. A host that drives fewer now keeps the
    # rows of the others, which no new job will name.
    for index, spec in enumerate(devices):
        ComputeDevice.objects.update_or_create(
            worker=host,
            kind=ComputeDevice.Kind.NPU,
            index=index,
            defaults={
                "spec": spec,
                "pool": pool,
                "driver_version": versions.get("furiosa-runtime", ""),
                "firmware_version": versions.get("firmware", ""),
            },
        )
    if "cpu" in queues:
        ComputeDevice.objects.update_or_create(
            worker=host, kind=ComputeDevice.Kind.CPU, index=0, defaults={"spec": "cpu", "pool": None}
        )
    return host


def worker_host_heartbeat(*, name: str) -> bool:
    return bool(WorkerHost.objects.filter(name=name).update(last_heartbeat_at=timezone.now(), stopped_at=None))


def worker_host_stop(*, name: str) -> None:
    WorkerHost.objects.filter(name=name).update(stopped_at=timezone.now())
