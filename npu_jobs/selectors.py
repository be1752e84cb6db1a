"""Reads for pages and the API, scoped to the caller: a team sees only its own things (404 otherwise)."""

from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Exists, OuterRef, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from hackathon.models import Event
from hackathon.permissions import is_organizer
from npu_jobs.models import (
    CloudResource,
    ComputeDevice,
    JobComparison,
    ModelQuantization,
    NpuJob,
    OnnxModel,
    QuotaLedgerEntry,
    ResourcePool,
    TeamQuota,
    WorkerHost,
)
from teams.models import Team
from teams.selectors import team_of_user

LIST_FIELDS = ("model__name", "team__name")
AnyUser = User | AnonymousUser


def team_for_participant(*, user: AnyUser, event: Event) -> Team:
    """The caller's team, or 404: the team pages are for team members."""
    team = team_of_user(user=user, event=event)
    if team is None:
        raise Http404
    return team


def jobs_visible_to(*, user: AnyUser, event: Event) -> QuerySet[NpuJob]:
    jobs = NpuJob.objects.filter(event=event).select_related("model", "team", "submitted_by")
    if is_organizer(user, event):
        return jobs
    team = team_of_user(user=user, event=event)
    return jobs.filter(team=team) if team else jobs.none()


def job_get(*, user: AnyUser, event: Event, job_id: int) -> NpuJob:
    job = jobs_visible_to(user=user, event=event).filter(pk=job_id).first()
    if job is None:
        raise Http404
    return job


def comparisons_visible_to(*, user: AnyUser, event: Event) -> QuerySet[JobComparison]:
    comparisons = JobComparison.objects.filter(event=event).select_related(
        "cpu_job__model", "npu_job__model", "team", "event"
    )
    if is_organizer(user, event):
        return comparisons
    team = team_of_user(user=user, event=event)
    return comparisons.filter(team=team) if team else comparisons.none()


def comparison_get(*, user: AnyUser, event: Event, comparison_id: int) -> JobComparison:
    comparison = comparisons_visible_to(user=user, event=event).filter(pk=comparison_id).first()
    if comparison is None:
        raise Http404
    return comparison


def models_visible_to(*, user: AnyUser, event: Event) -> QuerySet[OnnxModel]:
    models = OnnxModel.objects.filter(event=event).select_related("team")
    if is_organizer(user, event):
        return models
    team = team_of_user(user=user, event=event)
    return models.filter(team=team) if team else models.none()


def model_get(*, user: AnyUser, event: Event, model_id: int) -> OnnxModel:
    model = models_visible_to(user=user, event=event).filter(pk=model_id).first()
    if model is None:
        raise Http404
    return model


def quantizations_visible_to(*, user: AnyUser, event: Event) -> QuerySet[ModelQuantization]:
    quantizations = ModelQuantization.objects.filter(event=event).select_related("source", "result", "team")
    if is_organizer(user, event):
        return quantizations
    team = team_of_user(user=user, event=event)
    return quantizations.filter(team=team) if team else quantizations.none()


def quantization_get(*, user: AnyUser, event: Event, quantization_id: int) -> ModelQuantization:
    quantization = quantizations_visible_to(user=user, event=event).filter(pk=quantization_id).first()
    if quantization is None:
        raise Http404
    return quantization


def models_to_quantize(*, team: Team) -> QuerySet[OnnxModel]:
    """The team's FP32 ONNX models: what the quantization step takes."""
    return OnnxModel.objects.filter(team=team, format=OnnxModel.Format.ONNX, is_quantized=False)


def quota_of_team(*, team: Team) -> TeamQuota | None:
    return TeamQuota.objects.filter(team=team).first()


def ledger_of_team(*, team: Team, limit: int = 100) -> list[QuotaLedgerEntry]:
    return list(QuotaLedgerEntry.objects.filter(team=team).select_related("actor", "job")[:limit])


def cloud_resources_of_team(*, team: Team) -> QuerySet[CloudResource]:
    return CloudResource.objects.filter(team=team).select_related("pool")


def resource_pools_visible_to(*, user: AnyUser, event: Event) -> QuerySet[ResourcePool]:
    """The event's pools, each with its number of cloud resources: for its organizers only."""
    if not is_organizer(user, event):
        return ResourcePool.objects.none()
    return ResourcePool.objects.filter(event=event).annotate(cloud_resource_count=Count("cloud_resources"))


def resource_pool_get(*, user: AnyUser, event: Event, pool_id: int) -> ResourcePool:
    pool = resource_pools_visible_to(user=user, event=event).filter(pk=pool_id).first()
    if pool is None:
        raise Http404
    return pool


def cloud_resources_visible_to(*, user: AnyUser, event: Event) -> QuerySet[CloudResource]:
    """Every cloud resource of the event with its pool and team, secrets included: for its organizers only."""
    if not is_organizer(user, event):
        return CloudResource.objects.none()
    return (
        CloudResource.objects.filter(pool__event=event)
        .select_related("pool", "team")
        .order_by("pool__kind", "pool__name", "label")
    )


def cloud_resource_get(*, user: AnyUser, event: Event, resource_id: int) -> CloudResource:
    resource = cloud_resources_visible_to(user=user, event=event).filter(pk=resource_id).first()
    if resource is None:
        raise Http404
    return resource


def quotas_of_event(*, event: Event) -> QuerySet[TeamQuota]:
    return TeamQuota.objects.filter(event=event).select_related("team").order_by("team__name")


def workers_recent(*, event: Event) -> list[WorkerHost]:
    """The workers this event's organizers may see, seen in the last day, each marked online when its heartbeat
    is fresh: hosts whose devices are in this event's pools, hosts that ran this event's work, and shared hosts
    (devices in no event's pool). A host dedicated to another event is that event's business."""
    now = timezone.now()
    fresh = now - timedelta(seconds=3 * settings.NPU_JOBS_HEARTBEAT_SECONDS + 5)
    # EXISTS per host, not joins: a join with the event's jobs and DISTINCT over it took seconds at 100,000 jobs.
    this_host = OuterRef("pk")
    mine = (
        Exists(ComputeDevice.objects.filter(worker=this_host, pool__event=event))
        | Exists(NpuJob.objects.filter(worker=this_host, event=event))
        | Exists(ModelQuantization.objects.filter(worker=this_host, event=event))
    )
    dedicated_elsewhere = Exists(
        ComputeDevice.objects.filter(worker=this_host, pool__isnull=False).exclude(pool__event=event)
    )
    hosts = list(
        WorkerHost.objects.filter(last_heartbeat_at__gte=now - timedelta(days=1))
        .filter(mine | ~dedicated_elsewhere)
        .prefetch_related("devices")
    )
    for host in hosts:
        host.is_online = host.stopped_at is None and host.last_heartbeat_at >= fresh
    return hosts


def npu_worker_online(*, queue: str) -> bool:
    """Is a worker consuming this queue, by its heartbeat? (queues is a short JSON list; SQLite cannot search it)"""
    fresh = timezone.now() - timedelta(seconds=3 * settings.NPU_JOBS_HEARTBEAT_SECONDS + 5)
    hosts = WorkerHost.objects.filter(stopped_at__isnull=True, last_heartbeat_at__gte=fresh).values_list(
        "queues", flat=True
    )
    return any(queue in (queues or []) for queues in hosts)


def model_inputs_of_team(*, team: Team, limit: int = 50) -> list[dict[str, Any]]:
    """Each of the team's models with its declared inputs, the shapes its last job used, and a suggestion for
    dynamic dimensions (batch 1; the rest as declared, or 224 for an unknown image side)."""
    models = list(OnnxModel.objects.filter(team=team).order_by("-created_at")[:limit])
    last: dict[int, dict[str, list[int]]] = {}
    for model_id, shapes in (
        NpuJob.objects.filter(team=team, model_id__in=[m.pk for m in models])
        .order_by("model_id", "-created_at")
        .values_list("model_id", "input_shapes")
    ):
        last.setdefault(model_id, shapes)
    rows = []
    for model in models:
        suggested = {}
        for spec in model.inputs:
            shape = list(spec.get("shape") or [])
            if shape and not all(isinstance(d, int) and d > 0 for d in shape):
                suggested[spec["name"]] = [
                    d if isinstance(d, int) and d > 0 else (1 if i == 0 else (3 if i == 1 else 224))
                    for i, d in enumerate(shape)
                ]
        rows.append(
            {
                "id": model.pk,
                "name": model.name,
                "inputs": model.inputs,
                "last_shapes": last.get(model.pk) or {},
                "suggested_shapes": suggested,
            }
        )
    return rows


def team_storage_used(*, team: Team) -> int:
    """Bytes of models the team keeps (its storage allowance counts these)."""
    return int(OnnxModel.objects.filter(team=team).aggregate(total=Sum("size_bytes"))["total"] or 0)


# --- the person's home ------------------------------------------------------------------------------


def latest_jobs_of_team(*, team: Team, limit: int = 3) -> list[NpuJob]:
    return list(NpuJob.objects.filter(team=team).select_related("model").order_by("-created_at", "-id")[:limit])


def failed_jobs_count(*, event: Event, since: datetime) -> int:
    """Jobs of the event that failed, timed out or found no worker since `since`. One query."""
    return NpuJob.objects.filter(
        event=event,
        state__in=[NpuJob.State.FAILED, NpuJob.State.TIMED_OUT, NpuJob.State.NO_WORKER],
        created_at__gte=since,
    ).count()
