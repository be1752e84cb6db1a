from celery import shared_task
from django.utils import timezone

from submissions import selectors, services


@shared_task(acks_late=True, ignore_result=True)
def submissions_freeze_due() -> int:
    """Beat, every minute: freeze the judged version of every team whose deadline has passed (once each)."""
    now = timezone.now()
    return sum(
        services.submission_freeze(submission_id=pk, now=now) for pk in selectors.submissions_due_for_freeze(now=now)
    )
