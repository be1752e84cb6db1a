"""Demo: pools with their prices, quotas for every team of the model event, Alice Cloud access, and jobs that
really ran.

Every figure the demo shows was measured: seed_demo registers itself as a CPU worker host and runs each team's
jobs through the real runner (the same claim, runner child and settlement a Celery worker uses) on this machine's
CPU, with real vision models (npu_jobs.demo_models). The jobs are CPU runs, labelled so everywhere: the demo
machine has no NPU, and the demo never pretends a Warboy ran something.
"""

import hashlib
import io
import os
import socket
from decimal import Decimal

import numpy as np
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from npu_jobs.backends import OnnxRuntimeBackend
from npu_jobs.demo_models import team_models
from npu_jobs.models import CloudResource, NpuJob, OnnxModel, ResourcePool, TeamQuota
from npu_jobs.services import execution, files, jobs, workers
from npu_jobs.services import quota as quota_services
from npu_jobs.services.jobs import JobRequest
from npu_jobs.services.onnx_models import onnx_model_upload
from teams.models import Team, TeamMembership

HACKING_HOURS = 36
# Prices are the organizers' settings (what a device-hour costs the event), not measurements.
PRICE_PER_DEVICE_HOUR = Decimal("1.20")
CPU_PRICE_PER_HOUR = Decimal("0.40")
CLOUD_CREDITS_PER_TEAM = Decimal("300")
CPU_HOURS_PER_TEAM = 12


def _upload_model(team: Team, demo, uploaded_by) -> OnnxModel:
    """Through the upload service, as a team would: staged, checked in a child process, kept."""
    return onnx_model_upload(
        team=team,
        uploaded_by=uploaded_by,
        upload=SimpleUploadedFile(f"{files.safe_name(demo.name)}.onnx", demo.data),
        name=demo.name,
    )


def _wrong_shape_npy(shape) -> SimpleUploadedFile:
    """An input array with the wrong frame size: the runner refuses it, as it would a team's real mistake."""
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((1, shape[1], shape[2] // 2, shape[3] // 2), np.float32))
    return SimpleUploadedFile("frames.npy", buffer.getvalue())


def _run_queued(worker_name: str, job_ids: list[int]) -> None:
    """Run the demo's queued jobs here, as a CPU worker would: claim, runner child, finish, settle."""
    versions = OnnxRuntimeBackend().versions()
    for _ in range(len(job_ids) * 2):
        waiting = list(NpuJob.objects.filter(pk__in=job_ids, state=NpuJob.State.QUEUED).values_list("pk", flat=True))
        if not waiting:
            return
        execution.npu_job_execute(
            job_id=waiting[0], queue="cpu", worker_name=worker_name, device="cpu", versions=versions
        )


@transaction.atomic
def seed(ctx) -> None:
    event = ctx.event
    teams = list(Team.objects.filter(event=event).order_by("pk"))
    if not teams:
        ctx.notes.append("NPU jobs: no teams in the model event, so no quotas or jobs were created.")
        return
    npu_pool, _ = ResourcePool.objects.get_or_create(
        event=event,
        kind=ResourcePool.Kind.NPU,
        name="Warboy NPU pool",
        defaults={
            "hourly_price": PRICE_PER_DEVICE_HOUR,
            "currency": "USD",
            "device_seconds_total": Decimal(len(teams) * HACKING_HOURS * 3600),
        },
    )
    cpu_pool, _ = ResourcePool.objects.get_or_create(
        event=event,
        kind=ResourcePool.Kind.CPU,
        name="CPU baseline pool",
        defaults={
            "hourly_price": CPU_PRICE_PER_HOUR,
            "currency": "USD",
            "device_seconds_total": Decimal(len(teams) * CPU_HOURS_PER_TEAM * 3600),
        },
    )
    cloud_pool, _ = ResourcePool.objects.get_or_create(
        event=event,
        kind=ResourcePool.Kind.CLOUD,
        name="Alice Cloud",
        defaults={"cloud_credits_total": CLOUD_CREDITS_PER_TEAM * len(teams)},
    )
    if not TeamQuota.objects.filter(event=event).exists():
        quota_services.quota_split_evenly(
            pool=npu_pool,
            changed_by=None,
            max_concurrent_jobs=2,
            daily_job_cap=200,
            reason="Kick-off: one Warboy per team for the 36 hours",
        )
        quota_services.quota_split_evenly(
            pool=cpu_pool, changed_by=None, reason="Kick-off: CPU time for baselines and fallbacks"
        )
        quota_services.quota_split_evenly(pool=cloud_pool, changed_by=None, reason="Kick-off: Alice Cloud credits")
    for index, team in enumerate(teams, start=1):
        CloudResource.objects.get_or_create(
            pool=cloud_pool,
            label=f"alice-team{index:02d}",
            defaults={
                "team": team,
                "host": f"team{index:02d}.alice.demo.hacknpu.dev",
                "url": f"https://console.alice.demo.hacknpu.dev/team{index:02d}",
                "login": f"team{index:02d}",
                "secret": hashlib.sha256(f"demo-{index}".encode()).hexdigest()[:20],
                "credits": CLOUD_CREDITS_PER_TEAM,
                "hours": Decimal("36"),
            },
        )
    if NpuJob.objects.filter(event=event).exists():
        return
    _run_demo_jobs(ctx, teams)


def _run_demo_jobs(ctx, teams) -> None:
    worker_name = f"seed_demo@{socket.gethostname()}"
    versions = OnnxRuntimeBackend().versions()
    workers.worker_host_register(
        name=worker_name,
        queues=["cpu"],
        backends=["onnxruntime-cpu"],
        versions=versions,
        npu_status=f"seed_demo (pid {os.getpid()}) ran the demo jobs on this machine's CPU",
        concurrency=1,
        devices=[],
    )
    job_ids = []
    models = team_models()
    for team, demo in zip(teams, models, strict=False):
        submitter = team.leader or TeamMembership.objects.filter(team=team).first().user
        if demo is None:
            ctx.notes.append(f"NPU jobs: {team.name}'s model needs a package from requirements-models.txt; no jobs.")
            continue
        model = _upload_model(team, demo, submitter)
        shapes = {demo.input_name: list(demo.input_shape)}
        runs = [
            JobRequest(
                model_id=model.pk,
                target="cpu",
                iterations=demo.iterations,
                warmup=demo.warmup,
                input_shapes=shapes,
                time_limit_seconds=120,
            ),
            JobRequest(
                model_id=model.pk,
                target="cpu",
                iterations=demo.iterations * 2,
                warmup=demo.warmup,
                input_shapes=shapes,
                time_limit_seconds=120,
            ),
        ]
        for request in runs:
            job_ids.append(jobs.npu_job_submit(team=team, submitted_by=submitter, request=request).pk)
        if len(demo.input_shape) == 4 and team is teams[3 % len(teams)]:
            # One real failure: frames of the wrong size, refused by the runner with its reason.
            failing = JobRequest(
                model_id=model.pk,
                target="cpu",
                iterations=10,
                warmup=0,
                input_kind="npy",
                input_shapes=shapes,
                time_limit_seconds=60,
            )
            job_ids.append(
                jobs.npu_job_submit(
                    team=team, submitted_by=submitter, request=failing, input_files=[_wrong_shape_npy(demo.input_shape)]
                ).pk
            )
    _run_queued(worker_name, job_ids)
    workers.worker_host_stop(name=worker_name)
    ran = NpuJob.objects.filter(pk__in=job_ids)
    ctx.notes.append(
        f"NPU jobs: ran {ran.filter(state='succeeded').count()} demo jobs on this CPU through the real runner "
        f"({ran.exclude(state='succeeded').count()} failed, as planned); all are labelled CPU runs."
    )
