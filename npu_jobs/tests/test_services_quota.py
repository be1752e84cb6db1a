from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError
from hackathon.models import AuditEntry
from npu_jobs.models import QuotaLedgerEntry, ResourcePool
from npu_jobs.services import quota as quota_services
from npu_jobs.tests.factories import TeamFactory


def test_grant_and_revoke_with_reason_are_in_the_ledger_and_audit(team, organizer):
    quota_services.quota_change(
        team=team, changed_by=organizer, reason="kick-off", device_seconds=3600, max_concurrent_jobs=2
    )
    quota = quota_services.quota_change(team=team, changed_by=organizer, reason="overuse", device_seconds=-600)
    assert quota.device_seconds_granted == Decimal("3000")
    assert quota.max_concurrent_jobs == 2
    kinds = list(QuotaLedgerEntry.objects.filter(team=team).order_by("id").values_list("kind", "device_seconds"))
    assert ("grant", Decimal("3600.000")) in kinds
    assert ("revoke", Decimal("-600.000")) in kinds
    assert AuditEntry.objects.filter(action="quota.change", event=team.event).count() == 2


def test_revoke_more_than_unused_is_refused(team, organizer):
    quota_services.quota_change(team=team, changed_by=organizer, reason="grant", device_seconds=100)
    with pytest.raises(DomainError, match="unused"):
        quota_services.quota_change(team=team, changed_by=organizer, reason="oops", device_seconds=-101)


def test_reason_is_required(team, organizer):
    with pytest.raises(DomainError):
        quota_services.quota_change(team=team, changed_by=organizer, reason=" ", device_seconds=10)


def test_only_organizers_change_quota(team, member, make_user, grant, event):
    judge = make_user()
    grant(judge, event, "judge")
    for outsider in (member, judge):
        with pytest.raises(PermissionDenied):
            quota_services.quota_change(team=team, changed_by=outsider, reason="self-service", device_seconds=10)


def test_split_pool_evenly_across_teams(event, organizer):
    teams = [TeamFactory(event=event) for _ in range(3)]
    TeamFactory()  # another event's team gets nothing
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy", device_seconds_total=Decimal("9000"))
    quotas = quota_services.quota_split_evenly(
        pool=pool, changed_by=organizer, reason="even split", max_concurrent_jobs=2, daily_job_cap=50
    )
    assert [q.device_seconds_granted for q in quotas] == [Decimal("3000")] * 3
    assert all(q.max_concurrent_jobs == 2 and q.daily_job_cap == 50 for q in quotas)
    assert {q.team_id for q in quotas} == {t.pk for t in teams}
    # Splitting again changes nothing.
    quota_services.quota_split_evenly(pool=pool, changed_by=organizer, reason="again")
    assert QuotaLedgerEntry.objects.filter(kind="grant", device_seconds__gt=0).count() == 3


def test_split_cloud_pool_gives_credits(event, organizer):
    TeamFactory(event=event)
    TeamFactory(event=event)
    pool = ResourcePool.objects.create(event=event, kind="cloud", name="Alice", cloud_credits_total=Decimal("500"))
    quotas = quota_services.quota_split_evenly(pool=pool, changed_by=organizer, reason="credits")
    assert [q.cloud_credits for q in quotas] == [Decimal("250")] * 2


def test_split_needs_teams(event, organizer):
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy", device_seconds_total=100)
    with pytest.raises(DomainError):
        quota_services.quota_split_evenly(pool=pool, changed_by=organizer, reason="x")


def test_limit_changes_have_their_own_ledger_kind_and_each_entry_shows_the_balance_after_it(
    team, member, organizer, give_quota, upload_model
):
    from npu_jobs.models import NpuJob
    from npu_jobs.services import jobs
    from npu_jobs.services.jobs import JobRequest

    quota_services.quota_change(
        team=team, changed_by=organizer, reason="kick-off", cpu_seconds=100, max_concurrent_jobs=3
    )
    kinds = list(QuotaLedgerEntry.objects.filter(team=team).values_list("kind", "device_seconds"))
    assert ("limits", Decimal("0")) in kinds and ("grant", Decimal("100.000")) in kinds
    assert QuotaLedgerEntry.objects.get(team=team, kind="grant").resource == "cpu"
    assert not QuotaLedgerEntry.objects.filter(kind="grant", device_seconds=0).exists()

    job = jobs.npu_job_submit(
        team=team,
        submitted_by=member,
        request=JobRequest(model_id=upload_model(team, member).pk, target="cpu", time_limit_seconds=60),
    )
    claimed = jobs.npu_job_claim(
        job_id=job.pk, queue="cpu", worker_name="w", backend="onnxruntime-cpu", device="cpu", versions={}
    )
    jobs.npu_job_finish(job_id=job.pk, claim_token=claimed.claim_token, state=NpuJob.State.SUCCEEDED, device_seconds=5)
    entries = {e.kind: e for e in QuotaLedgerEntry.objects.filter(job=job)}
    assert entries["reserve"].available_after == Decimal("40")
    assert entries["release"].available_after == Decimal("100")  # the reservation back, before the charge
    assert entries["charge"].available_after == Decimal("95")
