"""Real parts for submission tests: an event in its hacking time, teams, jobs with explicit metrics, files."""

import io
import itertools
from datetime import timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from hackathon.tests.factories import EventFactory, timeline_at
from npu_jobs.models import JobComparison, NpuJob, OnnxModel
from teams.tests.factories import TeamFactory, add_member

_n = itertools.count(1)

PDF_BYTES = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def hacking_event(**kwargs):
    """An event whose 36 hours of hacking started two hours ago."""
    return EventFactory(timeline=timeline_at("hacking"), **kwargs)


def team_with_members(event, *, name=None, members: int = 1):
    team = TeamFactory(event=event, **({"name": name} if name else {}))
    people = [team.leader]
    for track in ["backend", "ai", "frontend"][:members]:
        people.append(add_member(team, track))
    return team, people


def onnx_model(team, name="centerface.onnx"):
    return OnnxModel.objects.create(
        event=team.event, team=team, name=name, file_path="x.onnx", size_bytes=1, sha256="0" * 64
    )


def job(team, *, queue="cpu", model=None, state="succeeded", simulated=False, cpu_fallback=False, **metrics):
    """A job with the metrics given (test data: what a runner would have stored)."""
    started = timezone.now() - timedelta(minutes=5)
    target = "npu" if cpu_fallback else queue
    return NpuJob.objects.create(
        event=team.event,
        team=team,
        model=model or onnx_model(team),
        target=target,
        queue=queue,
        cpu_fallback=cpu_fallback,
        time_limit_seconds=60,
        budget_seconds=Decimal(60),
        state=state,
        simulated=simulated,
        started_at=started if state in ("succeeded", "failed") else None,
        finished_at=started + timedelta(seconds=30) if state in ("succeeded", "failed") else None,
        backend="furiosa-rt" if queue == "npu" else "onnxruntime-cpu",
        device="warboy(2)*1" if queue == "npu" else "cpu",
        currency="USD",
        **metrics,
    )


def npu_and_cpu_jobs(team):
    """The same model on the CPU (40 inf/s, $0.30 per 1,000) and the NPU (1,000 inf/s, $0.10 per 1,000)."""
    model = onnx_model(team)
    cpu = job(
        team,
        queue="cpu",
        model=model,
        throughput_per_second=40.0,
        latency_p50_ms=25.0,
        latency_p99_ms=31.0,
        cost_per_1k=Decimal("0.300000"),
    )
    npu = job(
        team,
        queue="npu",
        model=model,
        throughput_per_second=1000.0,
        latency_p50_ms=1.0,
        latency_p99_ms=1.5,
        cost_per_1k=Decimal("0.100000"),
    )
    return cpu, npu


def comparison(team, cpu, npu):
    return JobComparison.objects.create(event=team.event, team=team, cpu_job=cpu, npu_job=npu)


def pdf(name="slides.pdf", size=None):
    content = PDF_BYTES if size is None else PDF_BYTES + b"0" * (size - len(PDF_BYTES))
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="screen.png", width=64, height=48):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (200, 10, 10)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


TEXT = {
    "title": "BlurCast",
    "summary": "Real-time face blur for live streams.",
    "description": "We blur faces with **CenterFace**.",
    "repository_url": "https://github.com/example/blurcast",
    "demo_video_url": "https://video.example.com/blurcast",
    "category": "media",
    "claim": "About a third of the cost.",
}
