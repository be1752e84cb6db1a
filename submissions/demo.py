"""Demo submissions for the model event (runs after npu_jobs' demo, see seed_demo).

BlurCast, the winning team, submits its real-time face-blur service with its CenterFace jobs pinned. Those are
real CPU runs (the demo has no NPU run), so they are pinned as CPU baselines and the entry says so. Five more teams
submit, two stay in draft and the last has nothing yet. Idempotent: a team that already has a submission is left
as it is.
"""

import io

from django.core.files.uploadedfile import SimpleUploadedFile

from npu_jobs.models import NpuJob
from submissions import services
from submissions.models import Submission
from teams.models import Team, TeamMembership

CATEGORIES = ["media", "retail", "safety", "mobility", "agriculture", "accessibility", "health", "environment", "other"]

BLURCAST = {
    "title": "BlurCast — real-time face blur for live streams",
    "summary": "Blurs every bystander's face in a live stream, except the streamer's, as the frames go out.",
    "description": (
        "## What it does\n\n"
        "Street streamers broadcast bystanders' faces without consent. BlurCast sits between the camera and the "
        "stream: a **CenterFace** face detector finds every face, a tracker keeps the streamer's face sharp, and "
        "every other face is blurred before the frame is re-encoded.\n\n"
        "## Pipeline\n\n1. RTMP ingest\n2. frame queue\n3. face detection (CenterFace)\n4. blur and re-encode\n\n"
        "## Evidence\n\nThe pinned jobs are **CPU runs** of our CenterFace model: the CPU baseline. "
        "The demo event has no NPU run yet, so no NPU speed-up is claimed from measured figures."
    ),
    "repository_url": "https://github.com/hacknpu-demo/blurcast",
    "demo_video_url": "https://video.demo.hacknpu.dev/blurcast",
    "category": "media",
    "claim": "On the Warboy NPU we expect about a third of the CPU's cost per frame (not measured here).",
}


def _slides(team: Team) -> SimpleUploadedFile:
    body = f"%PDF-1.4\n% {team.name} slides (demo)\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n".encode()
    return SimpleUploadedFile(f"{team.name.lower()}-slides.pdf", io.BytesIO(body).getvalue(), "application/pdf")


def _text(team: Team, index: int) -> dict[str, str]:
    if team.name == "BlurCast":
        return BLURCAST
    idea = team.idea or team.name
    return {
        "title": team.name,
        "summary": idea.split(". ")[0][:200],
        "description": f"## {team.name}\n\n{idea}\n\n{team.problem}".strip(),
        "repository_url": f"https://github.com/hacknpu-demo/{team.name.lower()}",
        "category": CATEGORIES[index % len(CATEGORIES)],
    }


def seed(ctx) -> None:
    teams = list(Team.objects.filter(event=ctx.event).order_by("pk"))
    created = 0
    for index, team in enumerate(teams):
        if Submission.objects.filter(team=team).exists() or index == len(teams) - 1:
            continue  # already seeded; the last team has nothing yet
        member = team.leader or TeamMembership.objects.filter(team=team).first().user
        services.submission_version_save(team=team, author=member, data=_text(team, index))
        created += 1
        if index >= 6:
            continue  # two teams stay in draft
        services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=_slides(team))
        jobs = NpuJob.objects.filter(team=team, state="succeeded", simulated=False).order_by("pk")
        for job in jobs[:2]:
            note = "CenterFace, CPU run: the baseline (no NPU run in the demo)" if team.name == "BlurCast" else ""
            services.evidence_pin_add(team=team, job_id=job.pk, pinned_by=member, note=note)
        if jobs.exists():
            services.submission_submit(team=team, submitted_by=member)
    if created:
        ctx.notes.append(
            "Submissions: BlurCast submitted its face-blur service with its CenterFace CPU runs pinned as CPU "
            "baselines; teams without a succeeded job stay in draft."
        )
