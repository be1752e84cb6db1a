"""What a Celery worker does for npu_jobs at start, while alive, and at shutdown (connected in apps.ready).

At start it detects what it can run. furiosa-sdk without the driver makes it log
"NPU runtime unavailable: <reason>" and stop consuming the `npu` queue. Each pool process gets one device
(worker concurrency = device count) and starts its runner child warm. A thread in the main process sends
heartbeats to its WorkerHost row, which the organizers' page shows.
"""

from __future__ import annotations

import logging
import threading

from celery import signals
from django.conf import settings

logger = logging.getLogger("npu_jobs.worker")

# Filled in the worker's main process before the pool forks, so every pool process inherits it.
WORKER: dict = {
    "name": "",
    "queues": [],
    "npu_available": False,
    "npu_status": "",
    "quantizer_available": False,
    "versions": {},
}
PROCESS: dict = {"index": 0}
_stop = threading.Event()


def _job_queues(queues) -> list[str]:
    return sorted(q for q in queues if q in ("npu", "cpu"))


@signals.celeryd_after_setup.connect
def detect_capabilities(sender, instance, conf, **kwargs):
    from npu_jobs.backends import OnnxRuntimeBackend, npu_runtime_detect

    queues = set(instance.app.amqp.queues.consume_from or instance.app.amqp.queues)
    WORKER["name"] = sender
    versions = OnnxRuntimeBackend().versions()
    if "quantize" in queues:
        versions.update(_detect_quantizer(instance, queues))
    if "npu" not in queues:
        # Importing furiosa-sdk takes seconds: a CPU-only worker does not pay for it.
        WORKER.update(npu_status="NPU queue not requested", queues=sorted(queues), versions=versions)
        return
    available, reason, npu_versions = npu_runtime_detect()
    WORKER["npu_available"] = available
    if available:
        versions.update(npu_versions)
        WORKER["npu_status"] = "NPU runtime available"
        if "npu" in queues and not settings.NPU_JOBS_DEVICES:
            logger.warning("NPU runtime available but NPU_JOBS_DEVICES is empty: using warboy(2)*1 per process")
    else:
        WORKER["npu_status"] = f"NPU runtime unavailable: {reason}"
        logger.warning(WORKER["npu_status"])
        if "npu" in queues:
            instance.app.amqp.queues.deselect(["npu"])
            queues.discard("npu")
            logger.warning("Not consuming the npu queue.")
    WORKER["queues"] = sorted(queues)
    WORKER["versions"] = versions


def _detect_quantizer(instance, queues: set) -> dict:
    """Consume `quantize` only if furiosa-quantizer runs here; otherwise say why and leave the queue alone."""
    from npu_jobs.services.quantization_execution import quantizer_detect

    available, reason, versions = quantizer_detect()
    WORKER["quantizer_available"] = available
    if available:
        return {f"quantizer:{name}": value for name, value in versions.items()}
    logger.warning("Quantizer unavailable: %s. Not consuming the quantize queue.", reason)
    instance.app.amqp.queues.deselect(["quantize"])
    queues.discard("quantize")
    return {}


def worker_devices(concurrency: int) -> list[str]:
    if "npu" in WORKER["queues"]:
        return list(settings.NPU_JOBS_DEVICES) or ["warboy(2)*1"] * concurrency
    return []


@signals.worker_ready.connect
def register_and_beat(sender, **kwargs):
    from npu_jobs.services.workers import worker_host_heartbeat, worker_host_register

    if not WORKER["name"]:
        return
    concurrency = getattr(sender, "concurrency", 1) or 1
    backends = ["onnxruntime-cpu"] + (["furiosa-warboy"] if WORKER["npu_available"] else [])
    backends += ["furiosa-quantizer"] if WORKER["quantizer_available"] else []
    worker_host_register(
        name=WORKER["name"],
        queues=WORKER["queues"],
        backends=backends,
        versions=WORKER["versions"],
        npu_status=WORKER["npu_status"],
        concurrency=concurrency,
        devices=worker_devices(concurrency),
        pool_event_slug=settings.NPU_JOBS_POOL_EVENT,
    )
    _redispatch_queued_work()

    def beat():
        from django.db import connection

        while not _stop.wait(settings.NPU_JOBS_HEARTBEAT_SECONDS):
            try:
                worker_host_heartbeat(name=WORKER["name"])
            except Exception:
                logger.exception("heartbeat failed")
                connection.close()

    threading.Thread(target=beat, name="npu-jobs-heartbeat", daemon=True).start()


def _redispatch_queued_work() -> None:
    """A worker just started: messages for queued work may have been lost (a broker restart), so send them again
    now rather than at the sweeper's next pass. Duplicates are harmless: the claim decides."""
    from core.leased_work import work_redispatch_queued
    from npu_jobs.services.jobs import JOB_WORK
    from npu_jobs.services.quantization import QUANTIZATION_WORK

    kinds = [JOB_WORK] if _job_queues(WORKER["queues"]) else []
    kinds += [QUANTIZATION_WORK] if "quantize" in WORKER["queues"] else []
    for kind in kinds:
        try:
            sent = work_redispatch_queued(kind)
        except Exception:
            logger.exception("could not resend queued %s messages", kind.noun)
            continue
        if sent:
            logger.info("resent %s queued %s message(s) at start", sent, kind.noun)


@signals.worker_shutdown.connect
def mark_stopped(sender, **kwargs):
    from npu_jobs.services.workers import worker_host_stop

    _stop.set()
    if WORKER["name"]:
        try:
            worker_host_stop(name=WORKER["name"])
        except Exception:
            logger.exception("could not mark the worker stopped")


@signals.worker_process_init.connect
def start_runner_child(**kwargs):
    from billiard.process import current_process

    from npu_jobs.runner.supervisor import runner_for_this_process

    PROCESS["index"] = getattr(current_process(), "index", 0) or 0
    if _job_queues(WORKER["queues"]):
        runner_for_this_process().start()  # not waited for: the first job waits for "ready"


@signals.worker_process_shutdown.connect
def stop_runner_child(**kwargs):
    from npu_jobs.runner.supervisor import runner_for_this_process

    runner_for_this_process().kill()


def device_index_for_this_process(queue: str) -> int:
    """Which of this host's devices of the queue's kind this pool process drives (one per process)."""
    if queue != "npu":
        return 0
    return PROCESS["index"] % len(list(settings.NPU_JOBS_DEVICES) or ["warboy(2)*1"])


def device_for_this_process(queue: str) -> str:
    if queue != "npu":
        return "cpu"
    return (list(settings.NPU_JOBS_DEVICES) or ["warboy(2)*1"])[device_index_for_this_process(queue)]
