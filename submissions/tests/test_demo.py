import pytest

from hackathon import demo as hackathon_demo
from submissions import demo, selectors
from submissions.models import Submission, SubmissionVersion
from submissions.tests.factories import job
from teams import demo as teams_demo
from teams.models import Team

pytestmark = pytest.mark.django_db


def test_seed_submits_blurcast_with_its_cpu_runs_as_baselines_and_is_idempotent(media_root):
    ctx = hackathon_demo.build_context()
    hackathon_demo.seed(ctx)
    teams_demo.seed(ctx)
    blurcast = Team.objects.get(event=ctx.event, name="BlurCast")
    cpu_run = job(blurcast, queue="cpu", throughput_per_second=12.0)  # what npu_jobs' demo runs: a real CPU run

    demo.seed(ctx)
    counts = (Submission.objects.count(), SubmissionVersion.objects.count())
    demo.seed(ctx)

    assert (Submission.objects.count(), SubmissionVersion.objects.count()) == counts
    assert counts[0] == Team.objects.filter(event=ctx.event).count() - 1
    version = selectors.judged_version_of_team(blurcast)
    assert "face blur" in version.title
    (row,) = selectors.evidence_of_version(version).rows
    assert row.job == cpu_run and row.role == "cpu_baseline" and row.figures.run_label == "CPU run"
