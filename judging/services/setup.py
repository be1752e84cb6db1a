"""The judging window, the criteria, the settings, and who judges which team. Organizers only (the system may run
them for the demo). Every function locks the event's JudgingSettings row first (judging.services.locks)."""

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, model_update_audited
from judging.models import MAX_SCALE, MAX_WEIGHT, AwardCategory, Criterion, JudgingSettings, Score
from judging.services.assignments import assignments_rebuild_locked
from judging.services.conflicts import conflicts_detect_locked
from judging.services.locks import criteria_ensure

CRITERION_FIELDS = (
    "name_en",
    "name_ko",
    "description_en",
    "description_ko",
    "weight",
    "scale_min",
    "scale_max",
    "order",
)
MAX_CRITERIA = 20
MAX_AWARD_COUNT = 50  # per category; the database holds the same bound (awardcategory_count_bounds)
CATEGORY_FIELDS = ("name_en", "name_ko", "count")
SETTINGS_FIELDS = ("judges_per_team", "min_scores_for_normalization", "method")


def _check_criterion_values(values: dict[str, Any]) -> dict[str, Any]:
    if "weight" in values:
        try:
            weight = Decimal(str(values["weight"]))
        except InvalidOperation as error:
            raise DomainError(_("Enter the weight as a number."), field="weight") from error
        if not Decimal(0) < weight <= MAX_WEIGHT:
            raise DomainError(_("A weight is above 0 and at most %(max)d.") % {"max": MAX_WEIGHT}, field="weight")
        values["weight"] = weight
    low, high = values.get("scale_min"), values.get("scale_max")
    if low is not None and high is not None and not 0 <= int(low) < int(high) <= MAX_SCALE:
        raise DomainError(
            _("The lowest score must be below the highest, between 0 and %(max)d.") % {"max": MAX_SCALE},
            field="scale_max",
        )
    return values


def _check_not_open(settings: JudgingSettings) -> None:
    if settings.state != JudgingSettings.State.NOT_OPEN:
        raise DomainError(_("Judging has opened: the criteria are fixed."), code="criteria_fixed")


@transaction.atomic
def criterion_update(*, event: Event, criterion_id: int, updated_by: User | None, **values: Any) -> Criterion:
    check_organizer(updated_by, event, allow_system=True)
    settings = criteria_ensure(event)
    _check_not_open(settings)
    criterion = Criterion.objects.select_for_update().filter(event=event, pk=criterion_id).first()
    if criterion is None:
        raise DomainError(_("This criterion no longer exists."))
    merged = {"scale_min": criterion.scale_min, "scale_max": criterion.scale_max, **values}
    _check_criterion_values(merged)
    data = {k: v for k, v in merged.items() if k in values}
    model_update_audited(
        instance=criterion,
        data=data,
        fields=CRITERION_FIELDS,
        event=event,
        actor=updated_by,
        action="judging.criterion_update",
        key=criterion.key,
    )
    return criterion


def _free_key(event: Event, name: str) -> str:
    base = (slugify(name) or "criterion")[:32]
    taken = set(Criterion.objects.filter(event=event).values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    return key


@transaction.atomic
def criterion_create(
    *, event: Event, created_by: User | None, name_en: str, key: str = "", weight: Any = 1, **values: Any
) -> Criterion:
    """A new criterion at the end, before judging opens. Without a key, one is made from the English name."""
    check_organizer(created_by, event, allow_system=True)
    settings = criteria_ensure(event)
    _check_not_open(settings)
    if not name_en.strip():
        raise DomainError(_("Give the criterion an English name."), field="name_en")
    if Criterion.objects.filter(event=event).count() >= MAX_CRITERIA:
        raise DomainError(_("An event has at most %(max)d criteria.") % {"max": MAX_CRITERIA}, code="too_many")
    key = key or _free_key(event, name_en)
    if Criterion.objects.filter(event=event, key=key).exists():
        raise DomainError(_("Another criterion has this key."), field="key")
    data = _check_criterion_values({"weight": weight, "scale_min": 1, "scale_max": 10, **values})
    data.setdefault("order", Criterion.objects.filter(event=event).count())
    criterion = Criterion.objects.create(event=event, key=key, name_en=name_en.strip(), **data)
    audit_record(event=event, actor=created_by, action="judging.criterion_create", target=criterion, key=key)
    return criterion


@transaction.atomic
def criterion_delete(*, event: Event, criterion_id: int, deleted_by: User | None) -> None:
    """Remove a criterion before judging opens; the event keeps at least one."""
    check_organizer(deleted_by, event, allow_system=True)
    settings = criteria_ensure(event)
    _check_not_open(settings)
    criterion = Criterion.objects.select_for_update().filter(event=event, pk=criterion_id).first()
    if criterion is None:
        raise DomainError(_("This criterion no longer exists."))
    if Criterion.objects.filter(event=event).count() <= 1:
        raise DomainError(_("Judges need at least one criterion: add another before you delete this one."))
    audit_record(event=event, actor=deleted_by, action="judging.criterion_delete", target=settings, key=criterion.key)
    criterion.delete()


@transaction.atomic
def award_category_update(*, event: Event, category_id: int, updated_by: User | None, **values: Any) -> AwardCategory:
    """Names and how many places a category gives, before judging opens."""
    check_organizer(updated_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if settings.state != JudgingSettings.State.NOT_OPEN:
        raise DomainError(_("Judging has opened: the award categories are fixed."), code="categories_fixed")
    category = AwardCategory.objects.select_for_update().filter(event=event, pk=category_id).first()
    if category is None:
        raise DomainError(_("This award category no longer exists."))
    if "name_en" in values and not str(values["name_en"]).strip():
        raise DomainError(_("Give the award an English name."), field="name_en")
    if "count" in values and not 1 <= int(values["count"]) <= MAX_AWARD_COUNT:
        raise DomainError(_("From 1 to %(max)d places.") % {"max": MAX_AWARD_COUNT}, field="count")
    model_update_audited(
        instance=category,
        data=values,
        fields=CATEGORY_FIELDS,
        event=event,
        actor=updated_by,
        action="judging.award_category_update",
        key=category.key,
    )
    return category


@transaction.atomic
def judging_settings_update(*, event: Event, updated_by: User | None, **values: Any) -> JudgingSettings:
    """Judges per team (re-plans the assignment), the normalization minimum, and the method for the awards (fixed
    once judging closes)."""
    check_organizer(updated_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if "method" in values and values["method"] != settings.method and settings.is_closed:
        raise DomainError(_("Judging has closed: the method for the awards is fixed."), field="method")
    if "method" in values and values["method"] not in JudgingSettings.Method.values:
        raise DomainError(_("Unknown method."), field="method")
    if "min_scores_for_normalization" in values and not 2 <= int(values["min_scores_for_normalization"]) <= 100:
        raise DomainError(_("Between 2 and 100."), field="min_scores_for_normalization")
    if "judges_per_team" in values and not 0 <= int(values["judges_per_team"]) <= 100:
        raise DomainError(_("Between 0 (every judge) and 100."), field="judges_per_team")
    changes = model_update_audited(
        instance=settings,
        data=values,
        fields=SETTINGS_FIELDS,
        event=event,
        actor=updated_by,
        action="judging.settings_update",
    )
    if "judges_per_team" in changes and settings.is_open:
        assignments_rebuild_locked(event=event, settings=settings, actor=updated_by)
    return settings


@transaction.atomic
def judging_open(*, event: Event, opened_by: User | None) -> JudgingSettings:
    """Criteria become fixed; conflicts are detected and the assignment planned; judges may score."""
    check_organizer(opened_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if settings.state != JudgingSettings.State.NOT_OPEN:
        raise DomainError(_("Judging has already been opened."), code="already_open")
    conflicts_detect_locked(event=event, actor=opened_by)
    settings.state, settings.opened_at = JudgingSettings.State.OPEN, timezone.now()
    settings.save(update_fields=["state", "opened_at", "updated_at"])
    audit_record(event=event, actor=opened_by, action="judging.open", target=settings)
    assignments_rebuild_locked(event=event, settings=settings, actor=opened_by)
    return settings


@transaction.atomic
def judging_close(*, event: Event, closed_by: User | None) -> JudgingSettings:
    check_organizer(closed_by, event, allow_system=True)
    settings = criteria_ensure(event)
    if settings.state != JudgingSettings.State.OPEN:
        raise DomainError(_("Judging is not open."), code="not_open")
    settings.state, settings.closed_at = JudgingSettings.State.CLOSED, timezone.now()
    settings.save(update_fields=["state", "closed_at", "updated_at"])
    drafts = Score.objects.filter(event=event, state=Score.State.DRAFT).count()
    audit_record(event=event, actor=closed_by, action="judging.close", target=settings, drafts_left=drafts)
    return settings
