"""Team quotas and their ledger.

The TeamQuota row is the lock: every reservation, settlement, grant and revocation takes it with
select_for_update, checks the balance, moves the numbers and writes a ledger entry in the same transaction.
"""

from decimal import ROUND_DOWN, Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.permissions import check_organizer
from hackathon.services import audit_record
from npu_jobs.models import NpuJob, QuotaLedgerEntry, ResourcePool, TeamQuota
from teams.models import Team

MILLI = Decimal("0.001")
ZERO = Decimal("0")


def as_seconds(value: Decimal | float | str) -> Decimal:
    return Decimal(str(value)).quantize(MILLI, rounding=ROUND_DOWN)


def quota_get_or_create(*, team: Team) -> TeamQuota:
    quota, _created = TeamQuota.objects.get_or_create(team=team, defaults={"event_id": team.event_id})
    return quota


def quota_lock(*, team_id: int) -> TeamQuota:
    """The team's quota row, locked for this transaction (created first if the team has none)."""
    quota = TeamQuota.objects.select_for_update().filter(team_id=team_id).first()
    if quota is None:
        team = Team.objects.get(pk=team_id)
        TeamQuota.objects.get_or_create(team=team, defaults={"event_id": team.event_id})
        quota = TeamQuota.objects.select_for_update().get(team_id=team_id)
    return quota


NPU, CPU = "npu", "cpu"
# Bounds of the limits (the columns are small integers; nothing sensible is near them).
MAX_CONCURRENT_JOBS = 100
MAX_DAILY_JOBS = 100_000
# A grant's total stays far inside its column (14 digits, 3 decimals): a billion seconds is 31 years.
MAX_GRANT_SECONDS = Decimal("1000000000")
MAX_CLOUD_AMOUNT = Decimal("1000000000")


def _columns(resource: str) -> tuple[str, str, str]:
    """(granted, reserved, used) columns of an allowance: the Warboy NPU's device-seconds or the CPU's seconds."""
    prefix = "cpu_seconds" if resource == CPU else "device_seconds"
    return f"{prefix}_granted", f"{prefix}_reserved", f"{prefix}_used"


def _add(quota: TeamQuota, resource: str, column: int, amount: Decimal) -> str:
    name = _columns(resource)[column]
    setattr(quota, name, getattr(quota, name) + amount)
    return name


def _entry(quota: TeamQuota, kind: str, seconds: Decimal, resource: str = NPU, **fields: Any) -> QuotaLedgerEntry:
    return QuotaLedgerEntry.objects.create(
        quota=quota,
        team_id=quota.team_id,
        event_id=quota.event_id,
        kind=kind,
        resource=resource,
        device_seconds=seconds,
        available_after=quota.available(resource),
        **fields,
    )


@transaction.atomic
def quota_change(
    *,
    team: Team,
    changed_by: User | None,
    reason: str,
    device_seconds: Decimal | int = 0,
    cpu_seconds: Decimal | int = 0,
    cloud_credits: Decimal | int = 0,
    cloud_hours: Decimal | int = 0,
    max_concurrent_jobs: int | None = None,
    daily_job_cap: int | None = None,
) -> TeamQuota:
    """Grant (positive) or revoke (negative) NPU device-seconds, CPU seconds or cloud credits, or change the limits,
    with a reason. changed_by=None is the system (demo data)."""
    check_organizer(changed_by, team.event, allow_system=True)
    reason = reason.strip()
    if not reason:
        raise DomainError(_("Give a reason for the change."), field="reason")
    quota = quota_lock(team_id=team.pk)
    device_seconds, cloud_credits, cloud_hours = (
        as_seconds(device_seconds),
        Decimal(cloud_credits),
        Decimal(cloud_hours),
    )
    cpu_seconds = as_seconds(cpu_seconds)
    for resource, amount, field in ((NPU, device_seconds, "device_seconds"), (CPU, cpu_seconds, "cpu_seconds")):
        if amount < 0 and -amount > quota.available(resource):
            raise DomainError(
                _("Only %(left)s seconds are unused; you cannot revoke %(asked)s.")
                % {"left": quota.available(resource), "asked": -amount},
                field=field,
            )
    for granted, amount, field in (
        (quota.device_seconds_granted, device_seconds, "device_seconds"),
        (quota.cpu_seconds_granted, cpu_seconds, "cpu_seconds"),
    ):
        if granted + amount > MAX_GRANT_SECONDS:
            raise DomainError(
                _("A team's grant can be at most %(most)s seconds.") % {"most": f"{MAX_GRANT_SECONDS:,.0f}"},
                field=field,
            )
    if quota.cloud_credits + cloud_credits > MAX_CLOUD_AMOUNT or quota.cloud_hours + cloud_hours > Decimal("10000000"):
        raise DomainError(_("That is more cloud credit or time than a team can hold."), field="cloud_credits")
    if quota.cloud_credits + cloud_credits < 0 or quota.cloud_hours + cloud_hours < 0:
        raise DomainError(_("Cloud credits and hours cannot go below zero."), field="cloud_credits")
    for name, value, most in (
        ("max_concurrent_jobs", max_concurrent_jobs, MAX_CONCURRENT_JOBS),
        ("daily_job_cap", daily_job_cap, MAX_DAILY_JOBS),
    ):
        if value is not None and not 1 <= value <= most:
            raise DomainError(_("Limits must be between 1 and %(most)s.") % {"most": most}, field=name)

    changed: dict[str, Any] = {}  # audit facts: amounts as text, limits as [old, new]
    if device_seconds:
        quota.device_seconds_granted += device_seconds
        changed["device_seconds"] = str(device_seconds)
    if cpu_seconds:
        quota.cpu_seconds_granted += cpu_seconds
        changed["cpu_seconds"] = str(cpu_seconds)
    if cloud_credits or cloud_hours:
        quota.cloud_credits += cloud_credits
        quota.cloud_hours += cloud_hours
        changed.update(cloud_credits=str(cloud_credits), cloud_hours=str(cloud_hours))
    if max_concurrent_jobs is not None and max_concurrent_jobs != quota.max_concurrent_jobs:
        changed["max_concurrent_jobs"] = [quota.max_concurrent_jobs, max_concurrent_jobs]
        quota.max_concurrent_jobs = max_concurrent_jobs
    if daily_job_cap is not None and daily_job_cap != quota.daily_job_cap:
        changed["daily_job_cap"] = [quota.daily_job_cap, daily_job_cap]
        quota.daily_job_cap = daily_job_cap
    if not changed:
        return quota
    quota.save()
    actor = changed_by
    for resource, amount in ((NPU, device_seconds), (CPU, cpu_seconds)):
        if amount:
            kind = QuotaLedgerEntry.Kind.GRANT if amount > 0 else QuotaLedgerEntry.Kind.REVOKE
            _entry(quota, kind, amount, resource, actor=actor, reason=reason)
    if cloud_credits or cloud_hours:
        _entry(
            quota,
            QuotaLedgerEntry.Kind.CLOUD,
            ZERO,
            cloud_credits=cloud_credits,
            cloud_hours=cloud_hours,
            actor=actor,
            reason=reason,
        )
    if max_concurrent_jobs is not None or daily_job_cap is not None:
        limits = {k: v for k, v in changed.items() if k in ("max_concurrent_jobs", "daily_job_cap")}
        if limits:
            _entry(
                quota,
                QuotaLedgerEntry.Kind.LIMITS,
                ZERO,
                actor=actor,
                reason=f"{reason} ({', '.join(f'{k}: {a} → {b}' for k, (a, b) in limits.items())})"[:500],
            )
    audit_record(event=team.event, actor=actor, action="quota.change", target=quota, reason=reason, **changed)
    return quota


@transaction.atomic
def quota_split_evenly(
    *,
    pool: ResourcePool,
    changed_by: User | None,
    reason: str,
    max_concurrent_jobs: int | None = None,
    daily_job_cap: int | None = None,
) -> list[TeamQuota]:
    """Give every team of the event an equal share of the pool: each team's grant becomes total / teams.

    A team that already spent more than the share keeps what it spent (its grant cannot fall below it).
    """
    check_organizer(changed_by, pool.event, allow_system=True)
    teams = list(Team.objects.filter(event=pool.event).order_by("pk"))
    if not teams:
        raise DomainError(_("This event has no teams yet."))
    quotas = []
    for team in teams:
        quota = quota_lock(team_id=team.pk)
        kwargs: dict[str, Any] = {"max_concurrent_jobs": max_concurrent_jobs, "daily_job_cap": daily_job_cap}
        if pool.kind in ResourcePool.COMPUTE_KINDS:
            granted, reserved, used = _columns(pool.kind)
            share = as_seconds(pool.device_seconds_total / len(teams))
            floor = getattr(quota, reserved) + getattr(quota, used)
            field = "cpu_seconds" if pool.kind == ResourcePool.Kind.CPU else "device_seconds"
            kwargs[field] = max(share, floor) - getattr(quota, granted)
        else:
            share = (pool.cloud_credits_total / len(teams)).quantize(Decimal("0.0001"), rounding=ROUND_DOWN)
            kwargs["cloud_credits"] = share - quota.cloud_credits
        quotas.append(quota_change(team=team, changed_by=changed_by, reason=reason, **kwargs))
    audit_record(
        event=pool.event, actor=changed_by, action="quota.split_evenly", target=pool, teams=len(teams), reason=reason
    )
    return quotas


def job_resource(job: NpuJob) -> str:
    """The allowance a job draws from: where it runs (a CPU fallback runs, and is charged, on the CPU)."""
    return CPU if job.queue == NpuJob.Target.CPU else NPU


def quota_check(*, quota: TeamQuota, seconds: Decimal, resource: str = NPU) -> None:
    """Refuse a job whose budget does not fit what is left. The caller holds quota locked (quota_lock)."""
    left = quota.available(resource)
    if seconds > left:
        if resource == CPU:
            message = _(
                "Not enough CPU time: this job needs %(needed)s seconds (its time limit) and %(left)s are left."
            )
        else:
            message = _(
                "Not enough NPU quota: this job needs %(needed)s device-seconds (its time limit) and %(left)s are left."
            )
        raise DomainError(message % {"needed": seconds, "left": left}, code="quota_exceeded")


def quota_reserve(*, quota: TeamQuota, job: NpuJob) -> None:
    """Reserve a new job's budget. The caller holds quota locked (quota_lock) in its transaction."""
    resource = job_resource(job)
    quota_check(quota=quota, seconds=job.budget_seconds, resource=resource)
    name = _add(quota, resource, 1, job.budget_seconds)
    quota.save(update_fields=[name, "updated_at"])
    _entry(quota, QuotaLedgerEntry.Kind.RESERVE, -job.budget_seconds, resource, job=job)


def quota_settle(*, job: NpuJob, charged_seconds: Decimal, reason: str = "") -> None:
    """Charge what a finished job used and release the rest of its reservation. The caller locked the job."""
    quota = quota_lock(team_id=job.team_id)
    resource = job_resource(job)
    charged = min(max(as_seconds(charged_seconds), ZERO), job.budget_seconds)
    # Ledger amounts are changes to the available balance: the reservation comes back whole, then the use is
    # charged. Each entry records the balance right after its own change.
    reserved = _add(quota, resource, 1, -job.budget_seconds)
    _entry(quota, QuotaLedgerEntry.Kind.RELEASE, job.budget_seconds, resource, job=job)
    used = _add(quota, resource, 2, charged)
    quota.save(update_fields=[reserved, used, "updated_at"])
    _entry(quota, QuotaLedgerEntry.Kind.CHARGE, -charged, resource, job=job, reason=reason[:500])


def quota_refund(*, job: NpuJob, reason: str) -> None:
    """Give a job's whole reservation back: the platform, not the model, failed it."""
    quota = quota_lock(team_id=job.team_id)
    resource = job_resource(job)
    reserved = _add(quota, resource, 1, -job.budget_seconds)
    quota.save(update_fields=[reserved, "updated_at"])
    _entry(quota, QuotaLedgerEntry.Kind.REFUND, job.budget_seconds, resource, job=job, reason=reason[:500])
