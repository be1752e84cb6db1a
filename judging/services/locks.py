"""The locks every judging service takes, in the order of judging.services' docstring."""

import uuid

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from core.exceptions import DomainError
from hackathon.models import Event
from judging.models import AwardCategory, Criterion, JudgingSettings, ScoreVersion
from judging.selectors import default_award_categories, default_criteria


@transaction.atomic
def criteria_ensure(event: Event) -> JudgingSettings:
    """Create the event's judging settings, its five default criteria and its default award categories if they do
    not exist yet, and return the settings row locked FOR UPDATE. Call inside a transaction; never from a read."""
    try:
        with transaction.atomic():
            JudgingSettings.objects.get_or_create(event=event)
    except IntegrityError:  # another request created it at the same moment
        pass
    settings = JudgingSettings.objects.select_for_update().get(event=event)
    ScoreVersion.objects.get_or_create(event=event)  # the settings row is locked: no race
    if not Criterion.objects.filter(event=event).exists():
        Criterion.objects.bulk_create(default_criteria(event))
    if not AwardCategory.objects.filter(event=event).exists():
        AwardCategory.objects.bulk_create(default_award_categories(event))
    return settings


def settings_share_lock(event: Event) -> JudgingSettings:
    """The settings row for scoring: shared, so saves run side by side but a close waits for them."""
    if connection.vendor == "postgresql":
        rows = list(
            JudgingSettings.objects.raw(
                "SELECT * FROM judging_judgingsettings WHERE event_id = %s FOR SHARE", [event.pk]
            )
        )
        settings = rows[0] if rows else None
    else:
        settings = JudgingSettings.objects.filter(event=event).first()
    if settings is None or settings.state != JudgingSettings.State.OPEN:
        raise window_closed(settings)
    return settings


def window_closed(settings: JudgingSettings | None) -> DomainError:
    if settings is not None and settings.state == JudgingSettings.State.CLOSED:
        return DomainError(_("Judging has closed: scores can no longer be changed."), code="judging_closed")
    return DomainError(
        _("Judging has not opened yet: scoring starts when the organizers open it."), code="judging_not_open"
    )


def scores_changed(event: Event) -> None:
    """Call in the transaction of every write to the event's scores, after the writes: a new ScoreVersion makes the
    cached ranking (judging.selectors.ranking_of_event) stale. The row is locked until commit, so a reader that
    read the version before this commit also read the scores before it."""
    if not ScoreVersion.objects.filter(event=event).update(version=uuid.uuid4()):
        with transaction.atomic():
            ScoreVersion.objects.get_or_create(event=event, defaults={"version": uuid.uuid4()})
