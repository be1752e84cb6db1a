from celery import shared_task

from core import services


@shared_task(bind=True, max_retries=services.EMAIL_MAX_ATTEMPTS - 1, acks_late=True)
def email_send(self, email_id: int) -> None:
    try:
        services.email_send(email_id=email_id)
    except Exception as exc:
        raise self.retry(exc=exc, countdown=services.retry_delay_seconds(self.request.retries)) from exc


@shared_task(ignore_result=True)
def emails_resend_due() -> int:
    return services.emails_resend_due()
