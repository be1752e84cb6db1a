"""What a worker does with a job: claim it, run it in the runner child, and settle it.

The parent (this code, in the Celery pool process) owns the database: it renews the lease, watches for a
cancel request, enforces the time limit and writes progress. The child only computes. A hang or crash in
the model costs a child process, never the worker.
"""

import logging
import time
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from core.leased_work import LeaseKeeper, WorkLog
from npu_jobs.models import NpuJob
from npu_jobs.runner.supervisor import ChildDied, RunnerChild, runner_for_this_process
from npu_jobs.services import files, jobs

logger = logging.getLogger("npu_jobs.execution")
State = NpuJob.State
Failure = NpuJob.FailureKind
FLUSH_EVERY_SECONDS = 0.5
BACKEND_NAMES = {"cpu": "onnxruntime-cpu", "npu": "furiosa-warboy"}


def _job_spec(job: NpuJob, device: str) -> dict:
    return {
        "id": job.pk,
        "queue": job.queue,
        "device": device,
        "model_path": str(files.media_path(job.model.file_path)),
        "batch_size": job.batch_size,
        "iterations": job.iterations,
        "warmup": job.warmup,
        "input_kind": job.input_kind,
        "input_path": str(files.media_path(job.input_path)) if job.input_path else "",
        "preset": job.preset,
        "input_shapes": job.input_shapes,
        "seed": job.pk,
    }


def npu_job_execute(
    *, job_id: int, queue: str, worker_name: str, device: str, versions: dict, device_index: int = 0
) -> str:
    """Run one job on this worker. Returns what happened, for the worker's log."""
    job = jobs.npu_job_claim(
        job_id=job_id,
        queue=queue,
        worker_name=worker_name,
        backend=BACKEND_NAMES[queue],
        device=device,
        versions=versions,
        device_index=device_index,
    )
    if job is None:
        return "nothing to claim"
    token = job.claim_token
    runner = runner_for_this_process()
    if runner.jobs_run >= settings.NPU_JOBS_RUNNER_MAX_JOBS:
        runner.kill()  # recycle: a leaking model cannot grow the worker without bound
    try:
        runner.ensure()
    except Exception as exc:
        logger.exception("runner child failed to start")
        jobs.npu_job_finish(
            job_id=job.pk,
            claim_token=token,
            state=State.FAILED,
            device_seconds=0,
            failure_kind=Failure.PLATFORM,
            reason=f"The runner could not start: {exc}",
        )
        return "runner failed"
    started = time.monotonic()
    runner.send(_job_spec(job, device))
    return _supervise(job, token, runner, started)


def _supervise(job: NpuJob, token: str, runner: RunnerChild, started: float) -> str:
    keeper = LeaseKeeper(
        jobs.JOB_WORK, pk=job.pk, claim_token=token, time_limit_seconds=job.time_limit_seconds, started=started
    )
    last_flush = started
    log = WorkLog()
    progress: tuple[int, int] | None = None

    def finish(
        state: str,
        *,
        failure_kind: str = "",
        reason: str = "",
        metrics: dict[str, Any] | None = None,
        occupied: float | None = None,
    ) -> str:
        seconds = occupied if occupied is not None else time.monotonic() - started
        log.note(reason)
        jobs.npu_job_finish(
            job_id=job.pk,
            claim_token=token,
            state=state,
            device_seconds=seconds,
            metrics=metrics,
            failure_kind=failure_kind,
            reason=reason,
            log_text=log.take(),
            progress=progress,
        )
        return state

    while True:
        stop = keeper.check()
        if stop is not None:
            runner.kill()
            if stop == "lease lost":
                return stop
            if stop == "cancelled":
                return finish(State.CANCELLED, reason=_("Cancelled while running."))
            return finish(
                State.TIMED_OUT,
                failure_kind=Failure.MODEL,
                reason=_("Stopped: the job exceeded its time limit of %(s)s seconds.") % {"s": job.time_limit_seconds},
            )
        try:
            event = runner.next_event(timeout=keeper.wait_seconds())
        except ChildDied as died:
            return finish(
                State.FAILED,
                failure_kind=Failure.MODEL,
                reason=_("The model crashed the runtime process (%(how)s).") % {"how": died},
            )
        if event is not None:
            kind = event["event"]
            if kind == "loaded":
                jobs.npu_job_mark_running(job_id=job.pk, claim_token=token, load_seconds=event["load_seconds"])
                NpuJob.objects.filter(pk=job.pk, claim_token=token).update(versions=event["versions"])
            elif kind == "progress":
                progress = (event["done"], event["total"])
                log.note(f"iteration {event['done']} of {event['total']}")
            elif kind == "log":
                log.note(event["message"])
            elif kind == "result":
                metrics = {name: event[name] for name in jobs.METRIC_FIELDS if name in event}
                log.note(
                    f"done: {event['inferences']} inferences, {event['throughput_per_second']:.1f}/s, "
                    f"p50 {event['latency_p50_ms']:.3f} ms, p99 {event['latency_p99_ms']:.3f} ms"
                )
                return finish(State.SUCCEEDED, metrics=metrics, occupied=time.monotonic() - started)
            elif kind == "error":
                failure = Failure.PLATFORM if event.get("kind") == "platform" else Failure.MODEL
                return finish(State.FAILED, failure_kind=failure, reason=event["message"])
        now = time.monotonic()
        if (log or progress) and now - last_flush >= FLUSH_EVERY_SECONDS:
            done, total = progress or (None, None)
            jobs.npu_job_progress(
                job_id=job.pk,
                claim_token=token,
                done=done,
                total=total,
                log_text=log.take(),
            )
            last_flush = now
