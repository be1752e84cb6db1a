from celery import shared_task

from applications import services


@shared_task(acks_late=True)
def offers_expire() -> int:
    """Beat, every minute: expire overdue offers and promote the next waitlisted person in each track."""
    return services.offers_expire()
