"""Leased work: the one mechanism for anything that runs in the background.

The database row is the truth; a broker message only names it. The moves, for any model built on
core.models.LeasedWork:

- **queue**: the service that creates the row records the first transition and calls `work_enqueue_on_commit`.
  Sending the message never fails the request: if the broker is down the row stays queued and the sweeper
  (`work_recover`, run by beat) sends it again.
- **claim**: a conditional update from queued to preparing with a fresh random claim_token and a lease. Zero rows
  updated means someone else has it (or it was cancelled): a second message for the same row is harmless.
- **renew**: the worker extends its lease while it works and learns whether a cancel was requested. A worker whose
  claim was taken away (lease expired, requeued) finds that its updates match nothing and stops.
- **finish**: under a row lock, only by the holder of the claim; the kind's settle hook (quota charge or refund)
  runs in the same transaction.
- **cancel**: at once while queued; while running, the worker is asked and ends the work itself.
- **recover**: beat requeues work whose lease expired (up to max_attempts, then fails it as "worker lost"), and
  resends messages that seem lost.

Per-kind behaviour lives in a WorkKind: how to send the message, how to settle, what to do after a final state.
Every state change writes a transition row (the kind's `transitions` related model).
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from django.conf import settings
from django.db import transaction
from django.db.models import F, Q, QuerySet, Value
from django.db.models.functions import Concat, Right
from django.utils import timezone
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from core.models import FailureKind, LeasedWork, WorkState

logger = logging.getLogger("core.leased_work")
State = WorkState
W = TypeVar("W", bound=LeasedWork)


def _noop(*args: Any, **kwargs: Any) -> None:
    return None


@dataclass(frozen=True)
class WorkKind(Generic[W]):
    """What differs between kinds of background work. The functions below take one."""

    model: type[W]
    # Publish the message that names a queued row (e.g. task.apply_async). May raise if the broker is down.
    send: Callable[[W], None]
    # Settings read as <prefix>_LEASE_SECONDS and <prefix>_REDISPATCH_AFTER_SECONDS.
    settings_prefix: str
    # Inside the transaction that ends the work: settle(work, refund). refund is True when the platform, not the
    # work, failed it (worker lost, runner broke): the owner gets back what was held for it.
    settle: Callable[[W, bool], None] = _noop
    # Inside the same transaction, after a final state: e.g. give the owner's next queued work a message.
    after_final: Callable[[W], None] = _noop
    # Is a worker that could run this queued row online? None: always assume so (nothing ever ends as no_worker).
    consumer_online: Callable[[W], bool] | None = None
    # Noun for messages shown to people ("job", "quantization").
    noun: Any = "work"
    select_related: tuple[str, ...] = field(default_factory=tuple)

    @property
    def rows(self) -> QuerySet[W]:
        return self.model._default_manager.all()

    @property
    def lease_seconds(self) -> float:
        return float(getattr(settings, f"{self.settings_prefix}_LEASE_SECONDS"))

    @property
    def redispatch_after_seconds(self) -> float:
        return float(getattr(settings, f"{self.settings_prefix}_REDISPATCH_AFTER_SECONDS"))

    @property
    def no_worker_after_seconds(self) -> float:
        return float(getattr(settings, f"{self.settings_prefix}_NO_WORKER_AFTER_SECONDS"))

    def lease_until(self) -> datetime:
        return timezone.now() + timedelta(seconds=self.lease_seconds)


# --- transitions and messages -----------------------------------------------------------------------------------


def transition_record(work: LeasedWork, to_state: str, *, note: str = "", from_state: str | None = None) -> None:
    work.transitions.create(  # type: ignore[attr-defined]
        from_state=work.state if from_state is None else from_state, to_state=to_state, note=str(note)[:500]
    )


def work_enqueue(kind: WorkKind[Any], *, pk: int) -> bool:
    """Send the message naming a queued row. Sending twice is harmless; a broker error only logs (the sweeper
    resends), because the row is already the truth and the request that made it must not fail."""
    work = kind.rows.filter(pk=pk, state=State.QUEUED).first()
    if work is None:
        return False
    try:
        kind.send(work)
    except Exception as exc:  # the broker is down or unreachable
        logger.warning("could not send %s #%s (%s); it stays queued and the sweeper resends it", kind.noun, pk, exc)
        return False
    kind.rows.filter(pk=pk, state=State.QUEUED).update(enqueued_at=timezone.now())
    return True


def work_enqueue_on_commit(kind: WorkKind[Any], *, pk: int) -> None:
    transaction.on_commit(lambda: work_enqueue(kind, pk=pk))


def work_queued(kind: WorkKind[W], work: W, *, note: str = "") -> None:
    """A new row was created queued: record it and send its message after commit."""
    transition_record(work, State.QUEUED, note=note, from_state="")
    work_enqueue_on_commit(kind, pk=work.pk)


# --- the worker's side ------------------------------------------------------------------------------------------


def row_claim(queryset: QuerySet[Any], *, lease_until: datetime, **fields: Any) -> str | None:
    """The claim itself, for any row with claim_token and lease_expires_at: a conditional update that takes the row
    unless a live lease holds it. Returns the new token, or None if another worker has the row."""
    token = uuid.uuid4().hex
    claimed = queryset.filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=timezone.now())).update(
        claim_token=token, lease_expires_at=lease_until, **fields
    )
    return token if claimed else None


def work_claim(
    kind: WorkKind[W], *, pk: int, note: str = "", to_state: str = State.PREPARING, **fields: Any
) -> W | None:
    """Take a queued row for this worker: queued → preparing (or straight to running, for work with no separate
    preparation) with a new claim token and lease. None if someone else has it. `fields` are the kind's own
    columns set in the same update (worker, device, ...)."""
    if to_state not in LeasedWork.ACTIVE_STATES:
        raise ValueError(to_state)
    if to_state == State.RUNNING:
        fields.setdefault("started_at", timezone.now())
    token = row_claim(
        kind.rows.filter(pk=pk, state=State.QUEUED),
        lease_until=kind.lease_until(),
        state=to_state,
        attempts=F("attempts") + 1,
        **fields,
    )
    if token is None:
        return None
    work = kind.rows.select_related(*kind.select_related).get(pk=pk)
    attempt = f"attempt {work.attempts}/{work.max_attempts}"
    transition_record(work, to_state, from_state=State.QUEUED, note=f"{note} · {attempt}" if note else attempt)
    return work


def work_lease_renew(kind: WorkKind[Any], *, pk: int, claim_token: str) -> tuple[bool, bool]:
    """Extend the lease. Returns (still ours, cancel requested)."""
    renewed = kind.rows.filter(pk=pk, claim_token=claim_token, state__in=LeasedWork.ACTIVE_STATES).update(
        lease_expires_at=kind.lease_until()
    )
    if not renewed:
        return False, False
    return True, kind.rows.filter(pk=pk, cancel_requested_at__isnull=False).exists()


@transaction.atomic
def work_mark_running(kind: WorkKind[Any], *, pk: int, claim_token: str, note: str = "", **fields: Any) -> bool:
    moved = kind.rows.filter(pk=pk, claim_token=claim_token, state=State.PREPARING).update(
        state=State.RUNNING, started_at=timezone.now(), lease_expires_at=kind.lease_until(), **fields
    )
    if moved:
        work = kind.model()
        work.pk = pk  # only the key is needed to record the transition
        transition_record(work, State.RUNNING, from_state=State.PREPARING, note=note)
    return bool(moved)


def _log_limit() -> int:
    return int(settings.LEASED_WORK_LOG_MAX_CHARS)


def work_progress(kind: WorkKind[Any], *, pk: int, claim_token: str, log_text: str = "", **fields: Any) -> bool:
    """Record progress columns and append to the log (keeping its last LEASED_WORK_LOG_MAX_CHARS characters)."""
    if log_text:
        fields["log"] = Right(Concat(F("log"), Value(log_text)), _log_limit())
    if not fields:
        return True
    return bool(kind.rows.filter(pk=pk, claim_token=claim_token, state__in=LeasedWork.ACTIVE_STATES).update(**fields))


def _end(kind: WorkKind[W], work: W, *, state: str, now: datetime, note: str, refund: bool) -> None:
    """Move a locked row to a final state, record it, settle, and run the kind's after-final hook."""
    previous = work.state
    work.state = state
    work.finished_at = now
    work.lease_expires_at = None
    work.save()
    transition_record(work, state, note=note, from_state=previous)
    kind.settle(work, refund)
    kind.after_final(work)


@transaction.atomic
def work_finish(
    kind: WorkKind[W],
    *,
    pk: int,
    claim_token: str,
    state: str,
    failure_kind: str = "",
    reason: str = "",
    log_text: str = "",
    apply: Callable[[W], None] | None = None,
) -> W | None:
    """End work this worker holds. `apply(work)` sets the kind's own result columns on the locked row before it is
    saved. None if the work is no longer ours."""
    if state not in LeasedWork.FINAL_STATES:
        raise ValueError(state)
    work = (
        kind.rows.select_for_update()
        .select_related(*kind.select_related)
        .filter(pk=pk, claim_token=claim_token)
        .first()
    )
    if work is None or not work.is_active:
        return None
    if apply is not None:
        apply(work)
    work.failure_kind = failure_kind
    work.failure_reason = reason[:5000]
    work.log = (work.log + log_text)[-_log_limit() :]
    _end(kind, work, state=state, now=timezone.now(), note=reason, refund=failure_kind == FailureKind.PLATFORM)
    return work


@transaction.atomic
def work_cancel(kind: WorkKind[W], *, pk: int, allowed: Callable[[W], bool]) -> W:
    """Cancel at once while queued; while running, ask the worker, which stops and ends the work itself."""
    work = kind.rows.select_for_update().select_related(*kind.select_related).get(pk=pk)
    if not allowed(work):
        from django.core.exceptions import PermissionDenied

        raise PermissionDenied
    if work.is_final:
        raise DomainError(_("This %(noun)s has already finished.") % {"noun": kind.noun}, code="final")
    now = timezone.now()
    if work.cancel_requested_at is None:
        work.cancel_requested_at = now
        work.save(update_fields=["cancel_requested_at"])
    if work.state == State.QUEUED:
        _end(kind, work, state=State.CANCELLED, now=now, note=_("Cancelled while queued"), refund=False)
    return work


# --- supervising a child process -------------------------------------------------------------------------------


class WorkLog:
    """The lines a supervisor collects for its row's log, handed over as one text (then forgotten)."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def note(self, line: str) -> None:
        if line:
            self.lines.append(str(line))

    def take(self) -> str:
        text = "".join(f"{line}\n" for line in self.lines)
        self.lines.clear()
        return text

    def __bool__(self) -> bool:
        return bool(self.lines)


class LeaseKeeper:
    """The parent's loop around a child that computes: renew the lease, watch for a cancel, enforce the time limit.

    Call `check()` before each wait; it returns None while the work may go on, or why it must stop:
    "lease lost", "cancelled" or "timed out". `wait_seconds()` is how long to wait for the child's next event.
    """

    def __init__(
        self, kind: WorkKind[Any], *, pk: int, claim_token: str, time_limit_seconds: float, started: float | None = None
    ):
        self.kind, self.pk, self.claim_token = kind, pk, claim_token
        self.started = time.monotonic() if started is None else started
        self.deadline = self.started + time_limit_seconds
        self.poll_every = max(0.2, min(1.0, kind.lease_seconds / 3))
        self.next_poll = self.started + self.poll_every

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def check(self) -> str | None:
        now = time.monotonic()
        if now >= self.next_poll:
            owned, cancel = work_lease_renew(self.kind, pk=self.pk, claim_token=self.claim_token)
            if not owned:
                return "lease lost"
            if cancel:
                return "cancelled"
            self.next_poll = now + self.poll_every
        if now >= self.deadline:
            return "timed out"
        return None

    def wait_seconds(self) -> float:
        return max(0.01, min(self.next_poll, self.deadline) - time.monotonic())


# --- recovery (beat) --------------------------------------------------------------------------------------------


def stale_redispatch(
    queryset: QuerySet[Any], *, stale_before: datetime, send: Callable[[int], object], batch: int
) -> int:
    """Resend the messages of rows that have waited since before `stale_before` (their message seems lost)."""
    count = 0
    for pk in queryset.filter(
        Q(enqueued_at__lt=stale_before) | Q(enqueued_at__isnull=True, created_at__lt=stale_before)
    ).values_list("pk", flat=True)[:batch]:
        send(pk)
        count += 1
    return count


def work_recover(kind: WorkKind[Any], *, now: datetime | None = None) -> dict[str, int]:
    """Requeue work whose worker stopped renewing its lease (or fail it as "worker lost" after max_attempts, with a
    refund), end cancelled work whose worker vanished, and resend messages of work queued too long."""
    now = now or timezone.now()
    counts = {"requeued": 0, "lost": 0, "cancelled": 0, "redispatched": 0}
    expired = list(
        kind.rows.filter(state__in=LeasedWork.ACTIVE_STATES, lease_expires_at__lt=now).values_list("pk", flat=True)
    )
    for pk in expired:
        with transaction.atomic():
            work = (
                kind.rows.select_for_update()
                .filter(pk=pk, state__in=LeasedWork.ACTIVE_STATES, lease_expires_at__lt=now)
                .first()
            )
            if work is None:
                continue
            worker = getattr(work, "worker_host", "") or "?"
            work.claim_token = ""
            if work.cancel_requested_at:
                work.failure_kind = FailureKind.PLATFORM
                work.failure_reason = _("Cancelled; its worker (%(worker)s) stopped responding.") % {"worker": worker}
                _end(kind, work, state=State.CANCELLED, now=now, note=work.failure_reason, refund=True)
                counts["cancelled"] += 1
            elif work.attempts < work.max_attempts:
                previous = work.state
                work.state = State.QUEUED
                work.lease_expires_at = None
                work.log += (
                    f"\n[worker {worker} lost; requeued for attempt {work.attempts + 1} of {work.max_attempts}]\n"
                )
                if hasattr(work, "progress_done"):
                    work.progress_done = 0
                work.save()
                transition_record(work, State.QUEUED, note=f"worker {worker} lost (lease expired)", from_state=previous)
                work_enqueue_on_commit(kind, pk=pk)
                counts["requeued"] += 1
            else:
                work.failure_kind = FailureKind.PLATFORM
                work.failure_reason = _("Worker lost %(n)s times; nothing was charged.") % {"n": work.attempts}
                _end(kind, work, state=State.FAILED, now=now, note=work.failure_reason, refund=True)
                counts["lost"] += 1
    counts["no_worker"] = work_expire_unrunnable(kind, now=now)
    counts["redispatched"] = stale_redispatch(
        kind.rows.filter(state=State.QUEUED),
        stale_before=now - timedelta(seconds=kind.redispatch_after_seconds),
        send=lambda pk: work_enqueue(kind, pk=pk),
        batch=settings.LEASED_WORK_REDISPATCH_BATCH,
    )
    return counts


def work_expire_unrunnable(kind: WorkKind[Any], *, now: datetime) -> int:
    """End, as no_worker with a refund, queued rows that waited past <prefix>_NO_WORKER_AFTER_SECONDS while no
    worker that could run them was online: a reservation must not be held forever for work nothing can do."""
    if kind.consumer_online is None:
        return 0
    cutoff = now - timedelta(seconds=kind.no_worker_after_seconds)
    ended = 0
    for pk in kind.rows.filter(state=State.QUEUED, created_at__lt=cutoff).values_list("pk", flat=True)[:500]:
        with transaction.atomic():
            work = kind.rows.select_for_update().filter(pk=pk, state=State.QUEUED).first()
            if work is None or kind.consumer_online(work):
                continue
            minutes = round(kind.no_worker_after_seconds / 60)
            work.failure_kind = FailureKind.PLATFORM
            work.failure_reason = _(
                "No worker that can run this %(noun)s was online for %(minutes)s minutes; nothing was charged."
            ) % {"noun": kind.noun, "minutes": minutes}
            _end(kind, work, state=State.NO_WORKER, now=now, note=work.failure_reason, refund=True)
            ended += 1
    return ended


def work_redispatch_queued(kind: WorkKind[Any]) -> int:
    """Send every queued row's message again now (a worker just started: messages may have been lost)."""
    return stale_redispatch(
        kind.rows.filter(state=State.QUEUED),
        stale_before=timezone.now() + timedelta(days=1),
        send=lambda pk: work_enqueue(kind, pk=pk),
        batch=settings.LEASED_WORK_REDISPATCH_BATCH,
    )
