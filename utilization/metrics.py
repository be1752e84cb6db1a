"""GET /metrics: Prometheus text format, for the operators' Prometheus and Grafana.

Per-device figures reuse FuriosaAI's exporter names and labels (furiosa-ai/furiosa-metrics-exporter,
internal/collector: furiosa_npu_core_utilization in percent, furiosa_npu_hw_temperature in °C,
furiosa_npu_hw_power in W, furiosa_npu_alive; labels arch, device, core, uuid), so their Grafana dashboard works
against HackNPU. We add `source` (device_counters, job_intervals or simulated) and `hostname`. The rest is ours
(hacknpu_*). Protected by UTILIZATION_METRICS_TOKEN as a Bearer token; unset, everyone is refused.
"""

import hmac
from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, DurationField, ExpressionWrapper, F, Max, Min, Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_GET
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from prometheus_client.core import GaugeMetricFamily

from core.models import WorkState
from hackathon.models import Event
from npu_jobs.models import ComputeDevice, NpuJob, WorkerHost
from utilization.models import DeviceIdentity, DeviceMinute, DeviceSample, Source

FRESH = timedelta(minutes=5)


class HackNpuCollector:
    def collect(self):
        now = timezone.now()
        jobs = GaugeMetricFamily(
            "hacknpu_jobs", "NPU jobs by event, queue and state", labels=["event", "queue", "state"]
        )
        # Grouped by event id (an index-only scan of npujob_event_queue_state), slugs looked up after.
        counts = list(NpuJob.objects.values("event_id", "queue", "state").annotate(n=Count("*")).order_by())
        slugs = dict(Event.objects.values_list("id", "slug"))
        for row in counts:
            jobs.add_metric([slugs.get(row["event_id"], ""), row["queue"], row["state"]], row["n"])
        yield jobs

        depth = GaugeMetricFamily("hacknpu_queue_depth", "Jobs waiting in the queue", labels=["event", "queue"])
        oldest = GaugeMetricFamily(
            "hacknpu_queue_oldest_wait_seconds", "How long the oldest waiting job has waited", labels=["event", "queue"]
        )
        for row in (
            NpuJob.objects.filter(state=WorkState.QUEUED)
            .values("event_id", "queue")
            .annotate(n=Count("id"), first=Min("created_at"))
            .order_by()
        ):
            depth.add_metric([slugs.get(row["event_id"], ""), row["queue"]], row["n"])
            oldest.add_metric([slugs.get(row["event_id"], ""), row["queue"]], (now - row["first"]).total_seconds())
        yield depth
        yield oldest

        waits = GaugeMetricFamily(
            "hacknpu_queue_wait_seconds_last_hour",
            "Mean wait of the jobs that started in the last hour",
            labels=["event", "queue"],
        )
        for row in (
            NpuJob.objects.filter(started_at__gte=now - timedelta(hours=1))
            .values("event_id", "queue")
            .annotate(wait=Avg(ExpressionWrapper(F("started_at") - F("created_at"), output_field=DurationField())))
            .order_by()
        ):
            waits.add_metric([slugs.get(row["event_id"], ""), row["queue"]], row["wait"].total_seconds())
        yield waits

        heartbeat = GaugeMetricFamily(
            "hacknpu_worker_heartbeat_age_seconds",
            "Seconds since the worker's last heartbeat",
            labels=["worker", "hostname"],
        )
        for name, hostname, last in WorkerHost.objects.filter(
            stopped_at__isnull=True, last_heartbeat_at__gte=now - timedelta(days=1)
        ).values_list("name", "hostname", "last_heartbeat_at"):
            heartbeat.add_metric([name, hostname], (now - last).total_seconds())
        yield heartbeat

        yield from self._devices(now)

    def _devices(self, now):
        labels = ["arch", "device", "core", "uuid", "hostname", "source"]
        utilization = GaugeMetricFamily(
            "furiosa_npu_core_utilization", "The current core utilization of NPU device", labels=labels
        )
        temperature = GaugeMetricFamily(
            "furiosa_npu_hw_temperature", "The current temperature of NPU device", labels=labels[:2] + labels[3:]
        )
        power = GaugeMetricFamily(
            "furiosa_npu_hw_power", "The current power of NPU device", labels=labels[:2] + labels[3:]
        )
        alive = GaugeMetricFamily("furiosa_npu_alive", "The liveness of NPU device", labels=labels[:2] + labels[3:5])
        devices = {
            d.pk: d
            for d in ComputeDevice.objects.filter(
                kind="npu", worker__last_heartbeat_at__gte=now - timedelta(days=1)
            ).select_related("worker")
        }
        identities = {i.device_id: i for i in DeviceIdentity.objects.filter(device_id__in=list(devices))}
        latest_ids = (
            DeviceSample.objects.filter(device_id__in=list(devices), at__gte=now - FRESH)
            .values("device_id")
            .annotate(last=Max("id"))
            .values("last")
        )
        sampled = set()
        for sample in DeviceSample.objects.filter(id__in=latest_ids):
            d, ident = devices[sample.device_id], identities.get(sample.device_id)
            arch, uuid, name = (ident.arch if ident else "warboy"), (ident.uuid if ident else ""), f"npu{d.index}"
            host = d.worker.hostname
            cores = {k: v for k, v in (sample.core_status or {}).items() if isinstance(v, dict) and "busy" in v}
            for core, status in sorted(cores.items()) or [("0-1", {"busy": sample.busy_ratio})]:
                utilization.add_metric([arch, name, core, uuid, host, sample.source], 100 * status["busy"])
            if sample.temperature_c is not None:
                temperature.add_metric([arch, name, uuid, host, sample.source], sample.temperature_c)
            if sample.power_w is not None:
                power.add_metric([arch, name, uuid, host, sample.source], sample.power_w)
            sampled.add(sample.device_id)
        # Devices without counters: their busy share of the last full minute, from job intervals.
        minute = now.replace(second=0, microsecond=0) - timedelta(minutes=1)
        for row in DeviceMinute.objects.filter(
            ~Q(device_id__in=sampled), device_id__in=list(devices), bucket_start=minute, source=Source.JOB_INTERVALS
        ).values("device_id", "mean_busy"):
            d, ident = devices[row["device_id"]], identities.get(row["device_id"])
            utilization.add_metric(
                [
                    ident.arch if ident else "warboy",
                    f"npu{d.index}",
                    "0-1",
                    ident.uuid if ident else "",
                    d.worker.hostname,
                    Source.JOB_INTERVALS,
                ],
                100 * row["mean_busy"],
            )
        for d in devices.values():
            ident = identities.get(d.pk)
            online = d.worker.stopped_at is None and d.worker.last_heartbeat_at >= now - timedelta(
                seconds=3 * settings.NPU_JOBS_HEARTBEAT_SECONDS + 5
            )
            alive.add_metric(
                [ident.arch if ident else "warboy", f"npu{d.index}", ident.uuid if ident else "", d.worker.hostname],
                1 if online else 0,
            )
        yield utilization
        yield temperature
        yield power
        yield alive


def metrics_text() -> bytes:
    registry = CollectorRegistry(auto_describe=False)
    registry.register(HackNpuCollector())
    return generate_latest(registry)


@require_GET
def metrics_view(request):
    token = settings.UTILIZATION_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    if not token or not hmac.compare_digest(given.encode(), f"Bearer {token}".encode()):
        response = HttpResponse("A Bearer token (UTILIZATION_METRICS_TOKEN) is required.\n", status=401)
        response["WWW-Authenticate"] = 'Bearer realm="metrics"'
        return response
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE_LATEST)
