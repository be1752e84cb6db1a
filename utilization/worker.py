"""On a Celery worker: a thread in the main process samples this host's Warboy devices every
UTILIZATION_SAMPLE_SECONDS and records the samples (connected in UtilizationConfig.ready, after npu_jobs' own
worker_ready handler has registered the host and its devices).

Only workers that consume the `npu` queue sample. Without furiosa-device or the driver the sampler logs
"Device sampling unavailable: <reason>", records no samples, and the dashboard shows that status.
"""

from __future__ import annotations

import logging
import re
import threading

from celery import signals
from django.conf import settings

logger = logging.getLogger("utilization.worker")
_stop = threading.Event()


def _spec_index(spec: str, position: int) -> int:
    """The Warboy device index a ComputeDevice's spec names ("npu:1:0-1" -> 1), else its position."""
    match = re.match(r"npu:?(\d+)", spec)
    return int(match.group(1)) if match else position


@signals.worker_ready.connect
def start_sampling(sender, **kwargs):
    from npu_jobs.worker import WORKER

    if not WORKER["name"] or "npu" not in WORKER["queues"]:
        return
    from utilization.sampler import WarboySampler
    from utilization.services import sampler_status_set

    sampler = WarboySampler(sysfs=settings.UTILIZATION_SYSFS_ROOT)
    available, reason = sampler.detect()
    if not available:
        status = f"Device sampling unavailable: {reason}. No device samples are recorded on this host."
        logger.warning(status)
        sampler_status_set(worker_name=WORKER["name"], sampling=False, status=status)
        return
    sampler_status_set(worker_name=WORKER["name"], sampling=True, status=f"Sampling {reason}")
    threading.Thread(target=_loop, args=(sampler, WORKER["name"]), name="utilization-sampler", daemon=True).start()


def _loop(sampler, worker_name: str) -> None:
    from django.db import connection

    while not _stop.wait(settings.UTILIZATION_SAMPLE_SECONDS):
        try:
            sample_once(sampler, worker_name)
        except Exception:
            logger.exception("device sampling failed")
            connection.close()


def sample_once(sampler, worker_name: str) -> int:
    from django.utils import timezone

    from npu_jobs.models import ComputeDevice
    from utilization.services import Reading, device_identity_update, device_samples_record

    devices = list(ComputeDevice.objects.filter(worker__name=worker_name, kind="npu").order_by("index"))
    by_index = {_spec_index(d.spec, position): d for position, d in enumerate(devices)}
    now = timezone.now()
    readings = []
    for reading in sampler.read():
        device = by_index.get(reading.index)
        if device is None:
            continue
        figures, per_core = sampler.figures(reading)
        device_identity_update(
            device_id=device.pk,
            uuid=reading.uuid,
            arch=reading.arch,
            firmware_version=reading.firmware_version,
            driver_version=reading.driver_version,
        )
        if figures is None:
            continue  # the first reading, or one that cannot be compared (the device was reset)
        status = dict(reading.core_status)
        for core, core_fig in per_core.items():
            if core_fig is not None:
                status.setdefault(str(core), {})["busy"] = round(core_fig.busy_ratio, 4)
        readings.append(
            Reading(
                device_id=device.pk,
                at=now,
                busy_ratio=figures.busy_ratio,
                compute_ratio=figures.compute_ratio,
                io_ratio=figures.io_ratio,
                temperature_c=reading.temperature_c,
                power_w=reading.power_w,
                core_status=status,
            )
        )
    return device_samples_record(readings=readings)


@signals.worker_shutdown.connect
def stop_sampling(sender, **kwargs):
    _stop.set()
