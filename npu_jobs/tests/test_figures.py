"""Issue 10: every figure is measured and means what it says: per-backend prices and allowances, cost parts that do
not depend on the iteration count, money with its currency, labels, and queued work that nothing can run."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone

from core.exceptions import DomainError
from npu_jobs.models import NpuJob, QuotaLedgerEntry, ResourcePool, TeamQuota, WorkerHost
from npu_jobs.services import jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests import onnx_models

State = NpuJob.State


def submit(team, member, model, **kwargs):
    kwargs.setdefault("target", "cpu")
    kwargs.setdefault("time_limit_seconds", 60)
    return jobs.npu_job_submit(team=team, submitted_by=member, request=JobRequest(model_id=model.pk, **kwargs))


def run(job, **metrics):
    claimed = jobs.npu_job_claim(
        job_id=job.pk, queue=job.queue, worker_name="w", backend="onnxruntime-cpu", device="cpu", versions={}
    )
    jobs.npu_job_mark_running(job_id=job.pk, claim_token=claimed.claim_token, load_seconds=metrics["load_seconds"])
    occupied = metrics["load_seconds"] + metrics["warmup_seconds"] + metrics["loop_seconds"] + 0.05
    return jobs.npu_job_finish(
        job_id=job.pk, claim_token=claimed.claim_token, state=State.SUCCEEDED, device_seconds=occupied, metrics=metrics
    )


@pytest.fixture
def pools(event):
    npu = ResourcePool.objects.create(event=event, kind="npu", name="Warboy", hourly_price=Decimal("1.20"))
    cpu = ResourcePool.objects.create(event=event, kind="cpu", name="CPU", hourly_price=Decimal("0.40"))
    return npu, cpu


def test_steady_state_cost_per_1k_does_not_change_with_the_iteration_count(
    team, member, give_quota, upload_model, pools
):
    """Same model, same per-inference time (4 ms), same 2 s load: 100 and 10,000 iterations cost the same per
    1,000 inferences in steady state. Dividing all occupied time by the inferences gave 0.0804 vs 0.0508 before."""
    give_quota(team, 1000)
    model = upload_model(team, member)
    short = run(
        submit(team, member, model, iterations=100),
        inferences=100,
        load_seconds=2.0,
        warmup_seconds=0.04,
        loop_seconds=0.4,
    )
    long = run(
        submit(team, member, model, iterations=10_000),
        inferences=10_000,
        load_seconds=2.0,
        warmup_seconds=0.04,
        loop_seconds=40.0,
    )
    # 0.4 s × 0.40/h ÷ 100 × 1000 = 0.000444…; the same for 40 s and 10,000.
    assert short.cost_per_1k == long.cost_per_1k == Decimal("0.000444")
    # The one-off load cost and the total charged are shown apart: the short job's total is mostly loading.
    assert short.load_cost == long.load_cost == Decimal("0.000222")
    assert short.cost < Decimal("0.0003") < long.cost


def test_cpu_runs_are_priced_and_charged_as_cpu_and_a_fallback_too(team, member, give_quota, upload_model, pools):
    npu_pool, _cpu_pool = pools
    npu_pool.allow_cpu_fallback = True
    npu_pool.save()
    give_quota(team, 600, cpu_seconds=300)
    fallback = submit(team, member, upload_model(team, member, builder=onnx_models.quantized_dense), target="npu")
    assert (fallback.queue, fallback.cpu_fallback, fallback.hourly_price) == ("cpu", True, Decimal("0.40"))
    quota = TeamQuota.objects.get(team=team)
    assert (quota.device_seconds_reserved, quota.cpu_seconds_reserved) == (0, 60)
    assert QuotaLedgerEntry.objects.get(job=fallback, kind="reserve").resource == "cpu"
    finished = run(fallback, inferences=10, load_seconds=0.1, warmup_seconds=0.01, loop_seconds=0.1)
    assert finished.run_label == "CPU run (NPU fallback)" and finished.currency == "USD"
    quota.refresh_from_db()
    assert quota.device_seconds_used == 0 and quota.cpu_seconds_used > 0


def test_money_always_shows_its_currency_and_never_rounds_a_cost_to_zero():
    render = Template("{% load figures %}{{ a|money:'USD' }}|{{ b|money:'KRW' }}|{{ c|money:'USD' }}|{{ d|money }}")
    text = render.render(Context({"a": Decimal("0.000123"), "b": Decimal("1200.5"), "c": None, "d": Decimal("0")}))
    assert text == "0.00012 USD|1,200.50 KRW|–|0.00"


def test_a_queued_job_that_no_worker_can_run_ends_as_no_worker_and_is_refunded(
    team, member, give_quota, upload_model, settings
):
    give_quota(team, 100)
    job = submit(team, member, upload_model(team, member))
    assert job.run_label == "Queued (not run yet)"
    later = timezone.now() + timedelta(seconds=settings.NPU_JOBS_NO_WORKER_AFTER_SECONDS + 1)
    # A CPU worker is online: the job waits on, however long.
    WorkerHost.objects.create(
        name="cpu@host", hostname="host", queues=["cpu"], started_at=later, last_heartbeat_at=timezone.now()
    )
    assert jobs.npu_jobs_recover(now=later)["no_worker"] == 0
    WorkerHost.objects.update(stopped_at=timezone.now())
    assert jobs.npu_jobs_recover(now=later)["no_worker"] == 1
    job.refresh_from_db()
    assert job.state == State.NO_WORKER and job.run_label == "Not run: no worker" and job.failure_kind == "platform"
    quota = TeamQuota.objects.get(team=team)
    assert quota.cpu_seconds_reserved == 0 and quota.cpu_seconds_used == 0
    assert QuotaLedgerEntry.objects.filter(job=job, kind="refund").count() == 1
    assert [t.to_state for t in job.transitions.all()] == ["queued", "no_worker"]


def test_side_by_side_needs_an_int8_model_and_reserves_both_or_neither(team, member, give_quota, upload_model, pools):
    give_quota(team, 100)
    with pytest.raises(DomainError, match="INT8"):
        jobs.npu_job_compare_submit(
            team=team,
            submitted_by=member,
            request=JobRequest(model_id=upload_model(team, member).pk, target="npu", time_limit_seconds=30),
        )
    assert not NpuJob.objects.exists()
    assert TeamQuota.objects.get(team=team).cpu_seconds_reserved == 0


def test_duration_reads_device_time_in_the_unit_of_its_size():
    render = Template(
        "{% load figures %}{{ a|duration }}|{{ b|duration:True }}|{{ c|duration }}|{{ d|duration }}|{{ e|duration }}"
    )
    text = render.render(
        Context({"a": Decimal("6.361"), "b": Decimal("750"), "c": Decimal("-129600"), "d": None, "e": 59.96})
    )
    assert text == "6.4 s|+12.5 min|-36.0 h|–|60.0 s"
