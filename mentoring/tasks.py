from celery import shared_task
from django.utils import timezone

from mentoring import selectors, services


@shared_task(acks_late=True, ignore_result=True)
def help_requests_sweep() -> int:
    """Beat, every minute: timed-out claims return to the queue, unclaimed requests past expiry expire."""
    now = timezone.now()
    moved = 0
    for request_id in selectors.claims_timed_out(now=now):
        moved += services.help_request_claim_time_out(request_id=request_id)
    for request_id in selectors.requests_expired(now=now):
        moved += services.help_request_expire(request_id=request_id)
    return moved


@shared_task(acks_late=True, ignore_result=True)
def bookings_remind() -> int:
    """Beat, every minute: remind the team and the mentor of sessions about to start (once each)."""
    return sum(services.booking_remind(booking_id=pk) for pk in selectors.bookings_to_remind(now=timezone.now()))
