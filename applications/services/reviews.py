"""Reviewers score applications 1–5 with a comment."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from applications.models import Application, Review
from applications.permissions import is_reviewer
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.services import audit_record


@transaction.atomic
def review_save(*, event: Event, application_id: int, reviewer: User, score: int, comment: str = "") -> Review:
    """Create or change the reviewer's own score. Others' scores are untouched and stay hidden until this exists."""
    if not is_reviewer(reviewer, event):
        raise PermissionDenied
    application = Application.objects.select_for_update().filter(pk=application_id, event=event).first()
    if application is None:
        raise PermissionDenied
    if application.user_id == reviewer.pk:
        raise DomainError(_("You cannot review your own application."))
    if not application.is_open:
        raise DomainError(_("Decisions for this application have been sent; its reviews are closed."))
    if not 1 <= int(score) <= 5:
        raise DomainError(_("The score must be between 1 and 5."), field="score")
    review = Review.objects.filter(application=application, reviewer=reviewer).first()
    previous = review.score if review else None
    if review is None:
        review = Review.objects.create(application=application, reviewer=reviewer, score=score, comment=comment.strip())
    else:
        review.score = score
        review.comment = comment.strip()
        review.save(update_fields=["score", "comment", "updated_at"])
    if application.status == Application.Status.SUBMITTED:
        application.status = Application.Status.UNDER_REVIEW
        application.save(update_fields=["status", "updated_at"])
    audit_record(
        event=event, actor=reviewer, action="application.review", target=application, score=score, previous=previous
    )
    return review
