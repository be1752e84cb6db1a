from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import DomainError
from core.testing import run_concurrently
from npu_jobs.models import NpuJob, NpuJobTransition, QuotaLedgerEntry, ResourcePool, TeamQuota
from npu_jobs.services import jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests import onnx_models
from npu_jobs.tests.factories import TeamFactory, team_member_add

State = NpuJob.State


def submit(team, user, model, **kwargs):
    kwargs.setdefault("target", "cpu")
    kwargs.setdefault("time_limit_seconds", 60)
    return jobs.npu_job_submit(team=team, submitted_by=user, request=JobRequest(model_id=model.pk, **kwargs))


def claim(job_id=0, queue="cpu"):
    return jobs.npu_job_claim(
        job_id=job_id,
        queue=queue,
        worker_name="w1",
        backend="onnxruntime-cpu",
        device="cpu",
        versions={"onnxruntime": "test"},
    )


def quota_of(team):
    return TeamQuota.objects.get(team=team)


def test_submit_reserves_the_time_limit_and_records_the_transition(team, member, give_quota, upload_model):
    give_quota(team, 100)
    model = upload_model(team, member)
    job = submit(team, member, model, time_limit_seconds=60)
    assert job.state == State.QUEUED and job.budget_seconds == 60
    assert quota_of(team).cpu_seconds_available == Decimal("40")  # a CPU run draws from the CPU allowance
    assert quota_of(team).device_seconds_available == Decimal("100")  # never from the Warboy quota
    assert job.input_shapes == {"x": [1, 8]}
    assert list(job.transitions.values_list("from_state", "to_state")) == [("", "queued")]
    with pytest.raises(DomainError, match="Not enough CPU time"):
        submit(team, member, model, time_limit_seconds=41)
    assert NpuJob.objects.count() == 1


def test_submit_checks_member_model_target_and_shapes(team, member, other_team, other_member, give_quota, upload_model):
    give_quota(team)
    give_quota(other_team)
    model = upload_model(team, member)
    with pytest.raises(PermissionDenied):
        submit(team, other_member, model)
    with pytest.raises(DomainError, match="your team's models"):
        submit(other_team, other_member, model)
    with pytest.raises(DomainError, match="INT8"):
        submit(team, member, model, target="npu")
    with pytest.raises(DomainError, match="batch dimension is fixed at 1"):
        submit(team, member, model, batch_size=4)
    dynamic = upload_model(team, member, dynamic_batch=True)
    assert submit(team, member, dynamic, batch_size=4).input_shapes == {"x": [4, 8]}
    with pytest.raises(DomainError, match="does not fit"):
        submit(team, member, model, input_shapes={"x": [1, 9]})
    quantized = upload_model(team, member, builder=onnx_models.quantized_dense)
    assert quantized.is_quantized
    assert submit(team, member, quantized, target="npu").queue == "npu"


def test_daily_cap(team, member, give_quota, upload_model):
    give_quota(team, daily=2)
    model = upload_model(team, member)
    submit(team, member, model)
    submit(team, member, model)
    with pytest.raises(DomainError, match="limit of 2 jobs today"):
        submit(team, member, model)


def test_cpu_fallback_is_labelled(team, member, give_quota, upload_model, event):
    give_quota(team)
    ResourcePool.objects.create(event=event, kind="npu", name="Warboy", allow_cpu_fallback=True)
    job = submit(team, member, upload_model(team, member, builder=onnx_models.quantized_dense), target="npu")
    assert (job.target, job.queue, job.cpu_fallback) == ("npu", "cpu", True)
    assert job.run_label == "Queued (not run yet)"  # never "NPU run" (nor "CPU run") before anything ran
    assert job.target_label == "Warboy NPU → CPU fallback"
    claimed = claim(job.pk)
    jobs.npu_job_mark_running(job_id=job.pk, claim_token=claimed.claim_token, load_seconds=0.1)
    job.refresh_from_db()
    assert job.run_label == "CPU run (NPU fallback)"


def test_npy_input_is_stored_in_the_team_folder(team, member, give_quota, upload_model, media_root):
    import io

    import numpy as np

    give_quota(team)
    buffer = io.BytesIO()
    np.save(buffer, np.zeros((1, 8), np.float32))
    job = jobs.npu_job_submit(
        team=team,
        submitted_by=member,
        request=JobRequest(
            model_id=upload_model(team, member).pk, target="cpu", input_kind="npy", time_limit_seconds=5
        ),
        input_files=[SimpleUploadedFile("x.npy", buffer.getvalue())],
    )
    assert job.input_path.startswith(f"npu_jobs/team-{team.pk}/inputs/")
    assert (media_root / job.input_path).exists()


def test_claim_lease_finish_settles_once(team, member, give_quota, upload_model, settings):
    settings.NPU_JOBS_LEASE_SECONDS = 30
    give_quota(team, 100)
    job = submit(team, member, upload_model(team, member), time_limit_seconds=60)
    claimed = claim(job.pk)
    assert claimed.pk == job.pk and claimed.state == State.PREPARING and claimed.attempts == 1
    assert claim(job.pk) is None  # nobody claims it twice
    assert jobs.npu_job_mark_running(job_id=job.pk, claim_token=claimed.claim_token, load_seconds=0.5)
    assert jobs.npu_job_lease_renew(job_id=job.pk, claim_token=claimed.claim_token) == (True, False)
    assert jobs.npu_job_lease_renew(job_id=job.pk, claim_token="not-mine") == (False, False)
    jobs.npu_job_progress(
        job_id=job.pk, claim_token=claimed.claim_token, done=5, total=10, log_text="iteration 5 of 10\n"
    )
    finished = jobs.npu_job_finish(
        job_id=job.pk,
        claim_token=claimed.claim_token,
        state=State.SUCCEEDED,
        device_seconds=2.5,
        metrics={"inferences": 1000, "throughput_per_second": 400.0, "latency_p50_ms": 2.5},
    )
    assert finished.state == State.SUCCEEDED and finished.device_seconds == Decimal("2.5")
    assert "iteration 5 of 10" in finished.log
    assert (
        jobs.npu_job_finish(job_id=job.pk, claim_token=claimed.claim_token, state=State.FAILED, device_seconds=9)
        is None
    )
    quota = quota_of(team)
    assert (quota.cpu_seconds_reserved, quota.cpu_seconds_used) == (0, Decimal("2.5"))
    assert QuotaLedgerEntry.objects.filter(job=job, kind="charge").get().device_seconds == Decimal("-2.5")
    assert [t.to_state for t in NpuJobTransition.objects.filter(job=job)] == [
        "queued",
        "preparing",
        "running",
        "succeeded",
    ]


def test_cost_uses_the_price_of_the_pool_the_job_ran_on(team, member, give_quota, upload_model, event):
    ResourcePool.objects.create(event=event, kind="npu", name="Warboy", hourly_price=Decimal("36"))
    ResourcePool.objects.create(event=event, kind="cpu", name="CPU", hourly_price=Decimal("3.6"), currency="KRW")
    give_quota(team)
    job = submit(team, member, upload_model(team, member))
    assert (job.hourly_price, job.currency) == (Decimal("3.6"), "KRW")  # the CPU's price, not the Warboy's
    token = claim(job.pk).claim_token
    job = jobs.npu_job_finish(
        job_id=job.pk,
        claim_token=token,
        state=State.SUCCEEDED,
        device_seconds=10,
        metrics={"inferences": 2000, "load_seconds": 2, "warmup_seconds": 1, "loop_seconds": 5},
    )
    assert job.cost == Decimal("0.0100")  # all 10 occupied seconds are charged
    assert job.load_cost == Decimal("0.002000")
    assert job.cost_per_1k == Decimal("0.002500")  # the loop's 5 s for 2,000 inferences


def test_model_failure_is_charged_and_platform_failure_refunded(team, member, give_quota, upload_model):
    give_quota(team, 1000)
    model = upload_model(team, member)
    first, second = submit(team, member, model), submit(team, member, model)
    token = claim(first.pk).claim_token
    jobs.npu_job_finish(
        job_id=first.pk, claim_token=token, state=State.FAILED, device_seconds=3, failure_kind="model", reason="boom"
    )
    token = claim(second.pk).claim_token
    jobs.npu_job_finish(
        job_id=second.pk,
        claim_token=token,
        state=State.FAILED,
        device_seconds=3,
        failure_kind="platform",
        reason="runner",
    )
    quota = quota_of(team)
    assert quota.cpu_seconds_used == 3 and quota.cpu_seconds_reserved == 0
    assert QuotaLedgerEntry.objects.filter(job=second, kind="refund").exists()
    assert not QuotaLedgerEntry.objects.filter(job=second, kind="charge").exists()


def test_claim_is_fair_across_teams_and_respects_concurrency(event, give_quota, upload_model):
    busy, quiet = TeamFactory(event=event), TeamFactory(event=event)
    busy_member, quiet_member = team_member_add(busy), team_member_add(quiet)
    give_quota(busy, concurrent=2)
    give_quota(quiet, concurrent=2)
    busy_model, quiet_model = upload_model(busy, busy_member), upload_model(quiet, quiet_member)
    busy_jobs = [submit(busy, busy_member, busy_model) for _ in range(4)]
    late = submit(quiet, quiet_member, quiet_model)
    order = [claim(busy_jobs[0].pk).pk, claim(busy_jobs[1].pk).pk]
    # The quiet team's job, submitted last, gets the next slot before the busy team's third.
    assert order == [busy_jobs[0].pk, late.pk]
    assert claim(busy_jobs[2].pk).pk == busy_jobs[1].pk
    assert claim(busy_jobs[3].pk) is None  # busy team is at its limit of 2


def test_cancel_queued_releases_and_running_asks_the_worker(
    team, member, other_member, organizer, give_quota, upload_model
):
    give_quota(team, 200)
    model = upload_model(team, member)
    queued, running = submit(team, member, model), submit(team, member, model)
    with pytest.raises(PermissionDenied):
        jobs.npu_job_cancel(job_id=queued.pk, cancelled_by=other_member)
    jobs.npu_job_cancel(job_id=queued.pk, cancelled_by=member)
    queued.refresh_from_db()
    assert queued.state == State.CANCELLED
    token = claim(running.pk).claim_token
    jobs.npu_job_cancel(job_id=running.pk, cancelled_by=organizer)
    assert jobs.npu_job_lease_renew(job_id=running.pk, claim_token=token) == (True, True)
    with pytest.raises(DomainError):
        jobs.npu_job_cancel(job_id=queued.pk, cancelled_by=member)
    assert quota_of(team).cpu_seconds_reserved == 60


def test_recover_requeues_then_fails_as_worker_lost_with_refund(team, member, give_quota, upload_model, settings):
    give_quota(team, 100)
    job = submit(team, member, upload_model(team, member))
    NpuJob.objects.filter(pk=job.pk).update(max_attempts=2)
    claim(job.pk)
    later = timezone.now() + timedelta(seconds=settings.NPU_JOBS_LEASE_SECONDS + 1)
    assert jobs.npu_jobs_recover(now=later)["requeued"] == 1
    job.refresh_from_db()
    assert (job.state, job.attempts, job.claim_token) == (State.QUEUED, 1, "")
    claim(job.pk)
    assert jobs.npu_jobs_recover(now=later + timedelta(minutes=2))["lost"] == 1
    job.refresh_from_db()
    assert job.state == State.FAILED and job.failure_kind == "platform"
    quota = quota_of(team)
    assert quota.cpu_seconds_reserved == 0 and quota.cpu_seconds_used == 0
    assert QuotaLedgerEntry.objects.filter(job=job, kind="refund").count() == 1


def test_recover_resends_a_lost_message(team, member, give_quota, upload_model, settings):
    give_quota(team)
    job = submit(team, member, upload_model(team, member))
    assert job.enqueued_at is None  # on_commit never ran: the message was "lost"
    counts = jobs.npu_jobs_recover(
        now=timezone.now() + timedelta(seconds=settings.NPU_JOBS_REDISPATCH_AFTER_SECONDS + 1)
    )
    assert counts["redispatched"] == 1
    job.refresh_from_db()
    assert job.enqueued_at is not None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_50_concurrent_submits_against_room_for_5_accept_exactly_5(event, team, member, give_quota, upload_model):
    give_quota(team, 50, concurrent=1)
    model = upload_model(team, member)

    def attempt(_index):
        return submit(team, member, model, time_limit_seconds=10)

    results = run_concurrently(attempt, 50)
    accepted = [r for r in results if isinstance(r, NpuJob)]
    refused = [r for r in results if isinstance(r, DomainError)]
    assert len(accepted) == 5 and len(refused) == 45, results
    quota = quota_of(team)
    assert quota.cpu_seconds_reserved == 50 and quota.cpu_seconds_available == 0
    assert QuotaLedgerEntry.objects.filter(team=team, kind="reserve").count() == 5


def test_a_team_that_used_compute_cannot_be_disbanded_and_keeps_its_record(
    team, member, organizer, give_quota, upload_model
):
    from teams.models import Team
    from teams.services import team_disband

    give_quota(team)
    job = submit(team, member, upload_model(team, member))
    with pytest.raises(DomainError, match="cannot be disbanded"):
        team_disband(team_id=team.pk, disbanded_by=organizer)
    assert Team.objects.filter(pk=team.pk).exists() and NpuJob.objects.filter(pk=job.pk).exists()
    assert QuotaLedgerEntry.objects.filter(team=team).count() >= 2
