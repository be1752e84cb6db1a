import zoneinfo
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Field, Model
from django.utils.translation import gettext as _

from accounts.models import User
from core.bounds import check_datetime_in_range, check_int_in_range
from core.exceptions import DomainError
from hackathon.models import AuditEntry, Event, EventRole
from hackathon.permissions import check_organizer

TIMELINE_FIELDS = (
    "applications_open_at",
    "applications_close_at",
    "screening_ends_at",
    "team_building_starts_at",
    "team_building_minutes",
    "hacking_starts_at",
    "hacking_ends_at",
    "judging_ends_at",
    "results_at",
)
# Team building is a round of minutes to hours, never days.
MAX_TEAM_BUILDING_MINUTES = 24 * 60
# The landing page's texts, each in Korean and English (hackathon.texts).
BILINGUAL_TEXT_FIELDS = tuple(
    f"{name}_{language}" for name in ("tagline", "description", "prizes", "rules", "faq") for language in ("ko", "en")
)
EVENT_FIELDS = (
    "name",
    "slug",
    "time_zone",
    "venue",
    *BILINGUAL_TEXT_FIELDS,
    "sponsors",
    "is_published",
    *TIMELINE_FIELDS,
)


def audit_record(
    *, event: Event | None, actor: User | None, action: str, target: Model | None = None, **data: Any
) -> AuditEntry:
    """Call inside the transaction that makes the change, so the entry exists exactly when the change does."""
    return AuditEntry.objects.create(
        event=event,
        actor=actor if actor and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        data=data,
    )


def _audit_value(value: Any) -> Any:
    """An audit entry stores JSON: numbers, text, booleans and None as they are, anything else (dates, decimals,
    related rows) as its text."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def model_changes_save(*, instance: Model, data: Mapping[str, Any], fields: Iterable[str]) -> dict[str, list]:
    """Set the values in `data` that differ from the instance and save only those fields (and its auto_now fields).

    `fields` names what the caller may change; any other key is a programming error. Returns {field: [old, new]},
    ready for an audit entry; empty (and nothing saved) when nothing changed.
    """
    allowed = set(fields)
    unknown = set(data) - allowed
    if unknown:
        raise TypeError(f"Unknown {instance._meta.model_name} fields: {sorted(unknown)}")
    changes = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            changes[name] = [_audit_value(old), _audit_value(value)]
            setattr(instance, name, value)
    if changes:
        touched = [f.name for f in instance._meta.concrete_fields if getattr(f, "auto_now", False)]
        instance.save(update_fields=[*changes, *touched])
    return changes


def model_update_audited(
    *,
    instance: Model,
    data: Mapping[str, Any],
    fields: Iterable[str],
    event: Event | None,
    actor: User | None,
    action: str,
    **audit_data: Any,
) -> dict[str, list]:
    """Diff, save and audit one row: model_changes_save, then one audit entry `changed={field: [old, new]}` (plus
    audit_data) when anything changed. Call inside the caller's transaction, with the row locked."""
    changes = model_changes_save(instance=instance, data=data, fields=fields)
    if changes:
        audit_record(event=event, actor=actor, action=action, target=instance, changed=changes, **audit_data)
    return changes


def default_timeline(*, applications_open_at: datetime) -> dict[str, Any]:
    """A timeline shaped like the model event: four weeks of applications, a week of screening, 36 hours of hacking."""
    applications_close_at = applications_open_at + timedelta(days=28)
    screening_ends_at = applications_close_at + timedelta(days=7)
    team_building_starts_at = screening_ends_at + timedelta(days=7)
    hacking_starts_at = team_building_starts_at + timedelta(minutes=30)
    hacking_ends_at = hacking_starts_at + timedelta(hours=settings.HACKNPU_DEFAULT_HACKING_HOURS)
    return {
        "applications_open_at": applications_open_at,
        "applications_close_at": applications_close_at,
        "screening_ends_at": screening_ends_at,
        "team_building_starts_at": team_building_starts_at,
        "team_building_minutes": settings.HACKNPU_DEFAULT_TEAM_BUILDING_MINUTES,
        "hacking_starts_at": hacking_starts_at,
        "hacking_ends_at": hacking_ends_at,
        "judging_ends_at": hacking_ends_at + timedelta(hours=3),
        "results_at": hacking_ends_at + timedelta(hours=4),
    }


def _event_field_label(name: str) -> str:
    field = Event._meta.get_field(name)
    return str(field.verbose_name) if isinstance(field, Field) else name


def check_timeline(values: Mapping[str, Any], *, time_zone: str) -> None:
    """Raise a DomainError naming the first field that is out of range (dates between 2000 and 2100 in the event's
    time zone) or that breaks the order of the timeline."""
    try:
        tz = zoneinfo.ZoneInfo(time_zone)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise DomainError(_("%(value)s is not a known time zone.") % {"value": time_zone}, field="time_zone") from None
    for name in TIMELINE_FIELDS:
        if name != "team_building_minutes":
            check_datetime_in_range(values[name], tz=tz, field=name)
    check_int_in_range(
        values["team_building_minutes"], low=1, high=MAX_TEAM_BUILDING_MINUTES, field="team_building_minutes"
    )
    order = [
        ("applications_open_at", "applications_close_at", False),
        ("applications_close_at", "screening_ends_at", True),
        ("screening_ends_at", "team_building_starts_at", True),
        ("team_building_starts_at", "hacking_starts_at", False),
        ("hacking_starts_at", "hacking_ends_at", False),
        ("hacking_ends_at", "judging_ends_at", True),
        ("judging_ends_at", "results_at", True),
    ]
    for earlier, later, may_equal in order:
        if values[later] < values[earlier] or (not may_equal and values[later] == values[earlier]):
            raise DomainError(
                _("“%(later)s” must come after “%(earlier)s”.")
                % {
                    "later": _event_field_label(later),
                    "earlier": _event_field_label(earlier),
                },
                field=later,
            )
    team_building_ends = values["team_building_starts_at"] + timedelta(minutes=values["team_building_minutes"])
    if team_building_ends > values["hacking_starts_at"]:
        raise DomainError(_("Team building must end before hacking starts."), field="team_building_minutes")


@transaction.atomic
def event_create(*, created_by: User, **fields: Any) -> Event:
    if not created_by.has_perm("hackathon.add_event"):
        raise PermissionDenied
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    check_timeline(fields, time_zone=fields.get("time_zone", "Asia/Seoul"))
    if Event.objects.filter(slug=fields["slug"]).exists():
        raise DomainError(_("An event with this short name already exists."), field="slug")
    event = Event.objects.create(**fields)
    EventRole.objects.create(event=event, user=created_by, role=EventRole.Role.ORGANIZER)
    audit_record(event=event, actor=created_by, action="event.create", target=event)
    return event


@transaction.atomic
def event_update(*, event_id: int, updated_by: User, **fields: Any) -> Event:
    event = Event.objects.select_for_update().get(pk=event_id)
    check_organizer(updated_by, event)
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown event fields: {sorted(unknown)}")
    if "slug" in fields and Event.objects.filter(slug=fields["slug"]).exclude(pk=event.pk).exists():
        raise DomainError(_("An event with this short name already exists."), field="slug")
    check_timeline(
        {name: fields.get(name, getattr(event, name)) for name in TIMELINE_FIELDS},
        time_zone=fields.get("time_zone", event.time_zone),
    )
    model_update_audited(
        instance=event, data=fields, fields=EVENT_FIELDS, event=event, actor=updated_by, action="event.update"
    )
    return event


@transaction.atomic
def event_role_grant(*, event: Event, user: User, role: str, track: str = "", granted_by: User | None) -> EventRole:
    """Give a person a role in an event. granted_by=None is the system itself (demo data, selection)."""
    check_organizer(granted_by, event, allow_system=True)
    if role == EventRole.Role.PARTICIPANT and not track:
        raise DomainError(_("A participant needs a track."), field="track")
    if role != EventRole.Role.PARTICIPANT:
        track = ""
    existing = EventRole.objects.select_for_update().filter(event=event, user=user, role=role).first()
    if existing:
        model_update_audited(
            instance=existing,
            data={"track": track},
            fields=["track"],
            event=event,
            actor=granted_by,
            action="role.update",
            user=user.email,
            role=role,
        )
        return existing
    try:
        with transaction.atomic():
            granted = EventRole.objects.create(event=event, user=user, role=role, track=track)
    except IntegrityError:
        # Someone else granted it at the same moment.
        return EventRole.objects.get(event=event, user=user, role=role)
    audit_record(
        event=event, actor=granted_by, action="role.grant", target=granted, user=user.email, role=role, track=track
    )
    return granted


@transaction.atomic
def event_role_revoke(*, role_id: int, revoked_by: User) -> None:
    granted = EventRole.objects.select_related("event", "user").select_for_update().get(pk=role_id)
    check_organizer(revoked_by, granted.event)
    if granted.role == EventRole.Role.ORGANIZER:
        organizers = EventRole.objects.filter(event=granted.event, role=EventRole.Role.ORGANIZER).select_for_update()
        if organizers.count() <= 1:
            raise DomainError(_("An event needs at least one organizer."))
    audit_record(
        event=granted.event,
        actor=revoked_by,
        action="role.revoke",
        target=granted,
        user=granted.user.email,
        role=granted.role,
    )
    granted.delete()
