"""Celery tasks: each loads by id and calls one service. Routes (npu / cpu queues) live in settings."""

from celery import shared_task

from npu_jobs import worker
from npu_jobs.services import execution, jobs, quantization, quantization_execution

# acks_late + reject_on_worker_lost: a message whose worker dies is redelivered; the claim makes that harmless.
RUN_OPTIONS = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


def _run(task, job_id: int, queue: str) -> str:
    return execution.npu_job_execute(
        job_id=job_id,
        queue=queue,
        worker_name=task.request.hostname or "worker",
        device=worker.device_for_this_process(queue),
        device_index=worker.device_index_for_this_process(queue),
        versions=worker.WORKER["versions"],
    )


@shared_task(bind=True, **RUN_OPTIONS)
def npu_job_run_npu(self, job_id: int) -> str:
    return _run(self, job_id, "npu")


@shared_task(bind=True, **RUN_OPTIONS)
def npu_job_run_cpu(self, job_id: int) -> str:
    return _run(self, job_id, "cpu")


@shared_task(ignore_result=True)
def npu_jobs_recover() -> dict:
    return jobs.npu_jobs_recover()


@shared_task(bind=True, **RUN_OPTIONS)
def model_quantization_run(self, quantization_id: int) -> str:
    return quantization_execution.model_quantization_execute(
        quantization_id=quantization_id, worker_name=self.request.hostname or "worker"
    )


@shared_task(ignore_result=True)
def model_quantizations_recover() -> dict:
    return quantization.model_quantizations_recover()
