from celery import shared_task
from django.utils import timezone

from teams import selectors, services


@shared_task(acks_late=True, ignore_result=True)
def team_rounds_match_due() -> int:
    """Beat, every 15 s: queue auto-matching for each round past its deadline. Returns how many were queued."""
    event_ids = selectors.team_rounds_match_due(now=timezone.now())
    for event_id in event_ids:
        team_auto_match.delay(event_id)
    return len(event_ids)


@shared_task(acks_late=True, ignore_result=True)
def team_auto_match(event_id: int) -> None:
    """Idempotent: the service re-checks under the round's lock that matching is still due."""
    services.team_auto_match(event_id=event_id, run_by=None, only_if_due=True)
