from celery import shared_task

from utilization import services


@shared_task(acks_late=True, ignore_result=True)
def utilization_rollups_update() -> dict:
    """Beat, every minute: roll raw samples, job intervals, the queue and teams' finished jobs up into minutes and hours."""
    return {
        "device_minutes": services.device_rollups_update(),
        "job_interval_minutes": services.job_interval_rollups_update(),
        "queue_minutes": services.queue_rollups_update(),
        "team_job_hours": services.team_job_rollups_update(),
    }


@shared_task(acks_late=True, ignore_result=True)
def device_samples_prune() -> int:
    """Beat, every ten minutes: raw samples past UTILIZATION_RAW_RETENTION_HOURS go (their rollups stay)."""
    return services.device_samples_prune()
