"""Resource pools and the Alice Cloud resources in them: organizers create, edit, assign and delete them.

Each write locks the row it changes, checks the rules with a readable message, and writes an audit entry in the
same transaction. A cloud resource's secret (password or key) never goes into the audit log: only whether it
was set or changed.
"""

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, models, transaction
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from accounts.models import User
from core.exceptions import DomainError
from hackathon.models import Event
from hackathon.permissions import check_organizer
from hackathon.services import audit_record, model_changes_save, model_update_audited
from npu_jobs.models import CloudResource, ResourcePool
from teams.models import Team

POOL_FIELDS = ("name", "hourly_price", "currency", "device_seconds_total", "cloud_credits_total", "allow_cpu_fallback")
CLOUD_FIELDS = ("pool", "team", "label", "host", "url", "login", "secret", "credits", "hours")


def _column(model: type[models.Model], field: str) -> "models.Field[Any, Any]":
    # get_field may also name a reverse relation; these services only ever name the model's own columns.
    return cast("models.Field[Any, Any]", model._meta.get_field(field))


def _label(model: type[models.Model], field: str) -> str:
    return capfirst(str(_column(model, field).verbose_name))


def _text(model: type[models.Model], field: str, value: str | None, *, required: bool = False) -> str:
    value = (value or "").strip()
    if required and not value:
        raise DomainError(_("%(field)s is required.") % {"field": _label(model, field)}, field=field)
    limit = cast("models.CharField[Any, Any]", _column(model, field)).max_length
    if limit is not None and len(value) > limit:  # every column named here has a max_length
        raise DomainError(
            _("%(field)s can be at most %(limit)s characters long.") % {"field": _label(model, field), "limit": limit},
            field=field,
        )
    return value


def _amount(model: type[models.Model], field: str, value: object) -> Decimal:
    """A non-negative decimal that fits the column exactly: never rounded behind the organizer's back."""
    column = cast("models.DecimalField[Any, Any]", _column(model, field))
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise DomainError(_("%(field)s must be a number.") % {"field": _label(model, field)}, field=field) from None
    if not amount.is_finite():
        raise DomainError(_("%(field)s must be a number.") % {"field": _label(model, field)}, field=field)
    if amount < 0:
        raise DomainError(_("%(field)s cannot be negative.") % {"field": _label(model, field)}, field=field)
    if amount != amount.quantize(Decimal(1).scaleb(-column.decimal_places)):
        raise DomainError(
            _("%(field)s takes at most %(places)s decimal places.")
            % {"field": _label(model, field), "places": column.decimal_places},
            field=field,
        )
    if amount >= Decimal(10) ** (column.max_digits - column.decimal_places):
        raise DomainError(_("%(field)s is too large.") % {"field": _label(model, field)}, field=field)
    return amount


def _check_pool_name_free(*, event_id: int, kind: str, name: str, exclude_id: int | None = None) -> None:
    taken = ResourcePool.objects.filter(event_id=event_id, kind=kind, name__iexact=name)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise DomainError(
            _("This event already has a pool named “%(name)s” (%(kind)s). Choose another name.")
            % {"kind": ResourcePool.Kind(kind).label, "name": name},
            field="name",
            code="duplicate",
        )


def _check_label_free(*, pool: ResourcePool, label: str, exclude_id: int | None = None) -> None:
    taken = CloudResource.objects.filter(pool=pool, label__iexact=label)
    if exclude_id is not None:
        taken = taken.exclude(pk=exclude_id)
    if taken.exists():
        raise DomainError(
            _("The pool “%(pool)s” already has a resource labelled “%(label)s”. Choose another label.")
            % {"pool": pool.name, "label": label},
            field="label",
            code="duplicate",
        )


def _check_cloud_pool(pool: ResourcePool) -> None:
    if pool.kind != ResourcePool.Kind.CLOUD:
        raise DomainError(_("Cloud resources belong in an Alice Cloud pool, not an NPU pool."), field="pool")


def _check_team(team: Team | None, event_id: int) -> None:
    if team is not None and team.event_id != event_id:
        raise DomainError(_("Choose a team of this event."), field="team")


def _check_url(url: str) -> str:
    url = _text(CloudResource, "url", url)
    if url:
        try:
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise DomainError(
                _("Enter a full web address, such as https://console.example.com."), field="url"
            ) from None
    return url


def _save(instance: models.Model, duplicate: DomainError, **kwargs: Any) -> None:
    """Save under a savepoint: a duplicate that slipped past the check (a concurrent write) is the same error."""
    try:
        with transaction.atomic():
            instance.save(**kwargs)
    except IntegrityError as error:
        raise duplicate from error


def _pool_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "name" in fields:
        values["name"] = _text(ResourcePool, "name", fields["name"], required=True)
    if "currency" in fields:
        values["currency"] = _text(ResourcePool, "currency", fields["currency"], required=True).upper()
    for name in ("hourly_price", "device_seconds_total", "cloud_credits_total"):
        if name in fields:
            values[name] = _amount(ResourcePool, name, fields[name])
    if "allow_cpu_fallback" in fields:
        values["allow_cpu_fallback"] = bool(fields["allow_cpu_fallback"])
    return values


def _pool_audit(pool: ResourcePool) -> dict[str, Any]:
    return {
        "kind": pool.kind,
        "name": pool.name,
        "hourly_price": str(pool.hourly_price),
        "currency": pool.currency,
        "device_seconds_total": str(pool.device_seconds_total),
        "cloud_credits_total": str(pool.cloud_credits_total),
        "allow_cpu_fallback": pool.allow_cpu_fallback,
    }


@transaction.atomic
def resource_pool_create(
    *,
    event: Event,
    created_by: User,
    kind: str,
    name: str,
    hourly_price: Decimal | int = 0,
    currency: str = "USD",
    device_seconds_total: Decimal | int = 0,
    cloud_credits_total: Decimal | int = 0,
    allow_cpu_fallback: bool = False,
) -> ResourcePool:
    check_organizer(created_by, event)
    if kind not in ResourcePool.Kind.values:
        raise DomainError(_("Choose what the pool holds: Warboy NPUs, CPU time or Alice Cloud."), field="kind")
    values = _pool_values(
        {
            "name": name,
            "hourly_price": hourly_price,
            "currency": currency,
            "device_seconds_total": device_seconds_total,
            "cloud_credits_total": cloud_credits_total,
            "allow_cpu_fallback": allow_cpu_fallback,
        }
    )
    # Serialize pool creation per event, so that two organizers cannot both take a name.
    Event.objects.select_for_update().filter(pk=event.pk).first()
    if kind == ResourcePool.Kind.NPU and ResourcePool.objects.filter(event=event, kind=kind).exists():
        # Jobs take their price and CPU-fallback rule from the event's NPU pool, and NPU hosts join it.
        raise DomainError(
            _("This event already has its Warboy NPU pool. Edit it instead (its price, total and CPU fallback)."),
            field="kind",
            code="npu_pool_exists",
        )
    if kind == ResourcePool.Kind.CPU and ResourcePool.objects.filter(event=event, kind=kind).exists():
        # CPU runs take their price from the event's one CPU pool.
        raise DomainError(
            _("This event already has its CPU pool. Edit it instead (its price and total)."),
            field="kind",
            code="cpu_pool_exists",
        )
    _check_pool_name_free(event_id=event.pk, kind=kind, name=values["name"])
    pool = ResourcePool(event=event, kind=kind, **values)
    _save(pool, DomainError(_("This name is already taken. Choose another name."), field="name", code="duplicate"))
    audit_record(event=event, actor=created_by, action="resource_pool.create", target=pool, **_pool_audit(pool))
    return pool


@transaction.atomic
def resource_pool_update(*, pool_id: int, updated_by: User, **fields: Any) -> ResourcePool:
    """Change a pool's name, price, currency, totals or CPU fallback. Its kind stays what it was created as."""
    unknown = set(fields) - set(POOL_FIELDS)
    if unknown:
        raise TypeError(f"Unknown resource pool fields: {sorted(unknown)}")
    pool = ResourcePool.objects.select_for_update(of=("self",)).select_related("event").get(pk=pool_id)
    check_organizer(updated_by, pool.event)
    values = _pool_values(fields)
    if "name" in values and values["name"] != pool.name:
        _check_pool_name_free(event_id=pool.event_id, kind=pool.kind, name=values["name"], exclude_id=pool.pk)
    try:
        with (
            transaction.atomic()
        ):  # a duplicate name that slipped past the check (a concurrent write) is the same error
            model_update_audited(
                instance=pool,
                data=values,
                fields=POOL_FIELDS,
                event=pool.event,
                actor=updated_by,
                action="resource_pool.update",
            )
    except IntegrityError as error:
        raise DomainError(
            _("This name is already taken. Choose another name."), field="name", code="duplicate"
        ) from error
    return pool


def _cloud_audit(resource: CloudResource) -> dict[str, Any]:
    # Never the secret itself: the audit log is read by more people, for longer, than the team's access page.
    return {
        "pool": resource.pool.name,
        "label": resource.label,
        "team": resource.team.name if resource.team else None,
        "host": resource.host,
        "url": resource.url,
        "login": resource.login,
        "has_secret": bool(resource.secret),
        "credits": str(resource.credits),
        "hours": str(resource.hours),
    }


def _cloud_values(fields: Mapping[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    if "label" in fields:
        values["label"] = _text(CloudResource, "label", fields["label"], required=True)
    for name in ("host", "login", "secret"):
        if name in fields:
            values[name] = _text(CloudResource, name, fields[name])
    if "url" in fields:
        values["url"] = _check_url(fields["url"])
    for name in ("credits", "hours"):
        if name in fields:
            values[name] = _amount(CloudResource, name, fields[name])
    return values


def _cloud_resource_lock(resource_id: int) -> CloudResource:
    return (
        CloudResource.objects.select_for_update(of=("self",)).select_related("pool__event", "team").get(pk=resource_id)
    )


@transaction.atomic
def cloud_resource_create(
    *,
    pool: ResourcePool,
    created_by: User,
    label: str,
    team: Team | None = None,
    host: str = "",
    url: str = "",
    login: str = "",
    secret: str = "",
    credits: Decimal | int = 0,
    hours: Decimal | int = 0,
) -> CloudResource:
    # The pool row serializes label checks within it.
    pool = ResourcePool.objects.select_for_update(of=("self",)).select_related("event").get(pk=pool.pk)
    check_organizer(created_by, pool.event)
    _check_cloud_pool(pool)
    _check_team(team, pool.event_id)
    values = _cloud_values(
        {"label": label, "host": host, "url": url, "login": login, "secret": secret, "credits": credits, "hours": hours}
    )
    _check_label_free(pool=pool, label=values["label"])
    resource = CloudResource(pool=pool, team=team, **values)
    _save(
        resource,
        DomainError(
            _("This label is already taken in the pool. Choose another label."), field="label", code="duplicate"
        ),
    )
    audit_record(
        event=pool.event, actor=created_by, action="cloud_resource.create", target=resource, **_cloud_audit(resource)
    )
    return resource


@transaction.atomic
def cloud_resource_update(*, resource_id: int, updated_by: User, **fields: Any) -> CloudResource:
    """Change a cloud resource; team=None takes it back from its team, team=<Team> hands it to that team.

    Fields not given stay as they are.
    """
    unknown = set(fields) - set(CLOUD_FIELDS)
    if unknown:
        raise TypeError(f"Unknown cloud resource fields: {sorted(unknown)}")
    resource = _cloud_resource_lock(resource_id)
    event = resource.pool.event
    check_organizer(updated_by, event)
    values = _cloud_values(fields)
    if "pool" in fields and fields["pool"] is None:
        raise DomainError(_("Choose a pool of this event."), field="pool")
    if "pool" in fields and fields["pool"].pk != resource.pool_id:
        pool = ResourcePool.objects.select_for_update().get(pk=fields["pool"].pk)
        if pool.event_id != event.pk:
            raise DomainError(_("Choose a pool of this event."), field="pool")
        _check_cloud_pool(pool)
        values["pool"] = pool
    if "team" in fields:
        _check_team(fields["team"], event.pk)
        values["team"] = fields["team"]
    target_pool = values.get("pool", resource.pool)
    target_label = values.get("label", resource.label)
    if target_pool.pk != resource.pool_id or target_label != resource.label:
        _check_label_free(pool=target_pool, label=target_label, exclude_id=resource.pk)

    try:
        with transaction.atomic():  # as for pools: a concurrent duplicate label is the same error
            changed = model_changes_save(instance=resource, data=values, fields=CLOUD_FIELDS)
    except IntegrityError as error:
        raise DomainError(
            _("This label is already taken in the pool. Choose another label."), field="label", code="duplicate"
        ) from error
    if not changed:
        return resource
    # Never the secret itself: only that it changed.
    secret_changed = changed.pop("secret", None) is not None
    data: dict[str, Any] = {"label": resource.label, "changed": changed}
    if secret_changed:
        data["secret_changed"] = True
    if "team" in changed:
        data["assigned_to"] = changed["team"][1]
    audit_record(event=event, actor=updated_by, action="cloud_resource.update", target=resource, **data)
    return resource


@transaction.atomic
def cloud_resource_delete(*, resource_id: int, deleted_by: User) -> None:
    resource = _cloud_resource_lock(resource_id)
    check_organizer(deleted_by, resource.pool.event)
    audit_record(
        event=resource.pool.event,
        actor=deleted_by,
        action="cloud_resource.delete",
        target=resource,
        **_cloud_audit(resource),
    )
    resource.delete()
