"""Demo: 36 hours of simulated device history for the model event's NPU pool, so the dashboard looks alive on
first start. Every row is marked simulated (the host's name says so, each sample and rollup has source
"simulated") and the page shows it as "Simulated demo history", never as measured.

Idempotent: once the simulated host has history, nothing is added. Fast: rollups are written directly.
"""

import math
import random
from datetime import timedelta

from django.utils import timezone

from npu_jobs.models import ComputeDevice, ResourcePool, WorkerHost
from utilization import services
from utilization.models import DeviceHour, DeviceMinute, DeviceSample, QueueMinute, SamplerStatus, Source

HOST = "simulated-demo-history@warboy-demo"
DEVICES = 4
HOURS = 36


def _busy(rng: random.Random, device: int, minutes_ago: int) -> float:
    hour = (HOURS * 60 - minutes_ago) / 60
    wave = 0.45 + 0.3 * math.sin(hour / 36 * 2 * math.pi * 3 + device)  # teams work in waves
    night = 0.5 if 14 <= hour % 24 <= 19 else 1.0  # the small hours are quieter
    return min(max(wave * night + rng.uniform(-0.12, 0.12), 0.0), 1.0)


def seed(ctx) -> None:
    event = ctx.event
    pool = ResourcePool.objects.filter(event=event, kind="npu").first()
    if pool is None:
        return
    now = timezone.now()
    host, _ = WorkerHost.objects.get_or_create(
        name=HOST,
        defaults={
            "hostname": "warboy-demo (simulated)",
            "queues": ["npu"],
            "backends": ["furiosa-warboy"],
            "npu_status": "Simulated demo history: no real device",
            "started_at": now - timedelta(hours=HOURS),
            "last_heartbeat_at": now,
        },
    )
    devices = [
        ComputeDevice.objects.get_or_create(
            worker=host, kind="npu", index=i, defaults={"pool": pool, "spec": f"npu:{i}:0-1"}
        )[0]
        for i in range(DEVICES)
    ]
    if DeviceMinute.objects.filter(device__in=devices).exists():
        return
    WorkerHost.objects.filter(pk=host.pk).update(last_heartbeat_at=now, stopped_at=None)
    SamplerStatus.objects.update_or_create(
        worker=host, defaults={"sampling": False, "status": "Simulated demo history: these figures were not measured"}
    )
    rng = random.Random(13)
    start = now.replace(second=0, microsecond=0) - timedelta(hours=HOURS)
    minutes, hours = [], []
    for d, device in enumerate(devices):
        per_hour: dict = {}
        for m in range(HOURS * 60):
            bucket = start + timedelta(minutes=m)
            busy = _busy(rng, d, HOURS * 60 - m)
            temp, power = 38 + 30 * busy + rng.uniform(-1, 1), 9 + 31 * busy + rng.uniform(-0.5, 0.5)
            minutes.append(
                DeviceMinute(
                    device=device,
                    source=Source.SIMULATED,
                    bucket_start=bucket,
                    mean_busy=busy,
                    max_busy=min(busy + 0.1, 1.0),
                    samples=12,
                    mean_temperature_c=temp,
                    mean_power_w=power,
                )
            )
            per_hour.setdefault(bucket.replace(minute=0), []).append((busy, temp, power))
        for hour, values in per_hour.items():
            n = len(values)
            hours.append(
                DeviceHour(
                    device=device,
                    source=Source.SIMULATED,
                    bucket_start=hour,
                    mean_busy=sum(v[0] for v in values) / n,
                    max_busy=min(max(v[0] for v in values) + 0.1, 1.0),
                    samples=12 * n,
                    mean_temperature_c=sum(v[1] for v in values) / n,
                    mean_power_w=sum(v[2] for v in values) / n,
                )
            )
    DeviceMinute.objects.bulk_create(minutes, batch_size=2000, ignore_conflicts=True)
    DeviceHour.objects.bulk_create(hours, batch_size=2000, ignore_conflicts=True)
    services.six_minutes_from_minutes(
        {(m.device_id, m.source, services.six_minute_floor(m.bucket_start)) for m in minutes}
    )
    # The last 15 minutes also as raw samples every 5 s: worker health and /metrics read them.
    DeviceSample.objects.bulk_create(
        [
            DeviceSample(
                device=device,
                at=now - timedelta(seconds=s),
                source=Source.SIMULATED,
                busy_ratio=(b := _busy(rng, d, s // 60)),
                compute_ratio=0.9,
                io_ratio=0.1,
                temperature_c=38 + 30 * b,
                power_w=9 + 31 * b,
                core_status={
                    "0": {"status": "occupied", "by": "simulated", "busy": b},
                    "1": {"status": "occupied", "by": "simulated", "busy": b},
                },
            )
            for d, device in enumerate(devices)
            for s in range(0, 15 * 60, 5)
        ],
        batch_size=2000,
    )
    QueueMinute.objects.bulk_create(
        [
            QueueMinute(
                event=event,
                queue="npu",
                bucket_start=start + timedelta(minutes=m),
                waiting=max(int(6 * _busy(rng, 0, HOURS * 60 - m) + rng.uniform(-2, 2)), 0),
                started=(n := rng.randint(0, 4)),
                wait_seconds_sum=n * rng.uniform(5, 90),
                wait_seconds_max=rng.uniform(10, 180) if n else 0,
                succeeded=rng.randint(0, 4),
                failed=int(rng.random() < 0.15),
                simulated=True,
            )
            for m in range(HOURS * 60)
        ],
        batch_size=2000,
        ignore_conflicts=True,
    )
