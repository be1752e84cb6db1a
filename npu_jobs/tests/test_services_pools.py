import json
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied

from core.exceptions import DomainError
from core.testing import run_concurrently
from hackathon.models import AuditEntry
from hackathon.tests.factories import EventFactory
from npu_jobs.models import CloudResource, ResourcePool
from npu_jobs.services import pools
from npu_jobs.services import quota as quota_services
from npu_jobs.tests.factories import TeamFactory

SECRET = "s3cret-Pa55"


def audit(action):
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def assert_secret_never_audited(*secrets):
    for entry in AuditEntry.objects.all():
        text = json.dumps(entry.data)
        for secret in secrets:
            assert secret not in text, (entry.action, entry.data)


# --- Pools ---------------------------------------------------------------------------------------------------


def test_create_pool_with_audit(event, organizer):
    pool = pools.resource_pool_create(
        event=event,
        created_by=organizer,
        kind="npu",
        name="  Warboy rack A ",
        hourly_price=Decimal("1.25"),
        currency="krw",
        device_seconds_total=3600,
        allow_cpu_fallback=True,
    )
    pool.refresh_from_db()
    assert (pool.name, pool.kind, pool.hourly_price, pool.currency) == ("Warboy rack A", "npu", Decimal("1.25"), "KRW")
    assert pool.device_seconds_total == 3600 and pool.allow_cpu_fallback
    (entry,) = audit("resource_pool.create")
    assert entry.actor == organizer and entry.event == event and entry.target_id == str(pool.pk)
    assert entry.data["name"] == "Warboy rack A" and entry.data["hourly_price"] == "1.25"


def test_the_pool_a_team_shares_is_the_one_split_evenly(event, organizer, npu_pool):
    TeamFactory(event=event)
    TeamFactory(event=event)
    pools.resource_pool_update(pool_id=npu_pool.pk, updated_by=organizer, device_seconds_total=Decimal("1000"))
    npu_pool.refresh_from_db()
    quotas = quota_services.quota_split_evenly(pool=npu_pool, changed_by=organizer, reason="kick-off")
    assert [q.device_seconds_granted for q in quotas] == [Decimal("500")] * 2


def test_duplicate_pool_name_is_refused_with_a_clear_message(event, organizer, cloud_pool, grant):
    with pytest.raises(DomainError, match="already has a pool named “alice”") as caught:
        pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name="alice")
    assert caught.value.field == "name" and caught.value.code == "duplicate"
    # The same name is free for the other kind and in another event.
    pools.resource_pool_create(event=event, created_by=organizer, kind="npu", name="Alice")
    other_event = EventFactory()
    grant(organizer, other_event, "organizer")
    pools.resource_pool_create(event=other_event, created_by=organizer, kind="cloud", name="Alice")
    assert ResourcePool.objects.filter(name__iexact="alice").count() == 3


def test_an_event_has_one_npu_pool_and_any_number_of_cloud_pools(event, organizer, npu_pool, cloud_pool):
    with pytest.raises(DomainError, match="already has its Warboy NPU pool") as caught:
        pools.resource_pool_create(event=event, created_by=organizer, kind="npu", name="Second rack")
    assert caught.value.code == "npu_pool_exists"
    pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name="Alice 2")
    assert list(ResourcePool.objects.filter(event=event).values_list("kind", flat=True).order_by("kind")) == [
        "cloud",
        "cloud",
        "npu",
    ]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("hourly_price", Decimal("-0.01"), "Price per device-hour cannot be negative"),
        ("device_seconds_total", -1, "Device-seconds to share cannot be negative"),
        ("cloud_credits_total", Decimal("-5"), "Cloud credits to share cannot be negative"),
        ("hourly_price", Decimal("0.00001"), "at most 4 decimal places"),
        ("device_seconds_total", Decimal("1e12"), "too large"),
        ("hourly_price", "lots", "must be a number"),
        ("name", "   ", "Name is required"),
        ("currency", "", "Currency is required"),
        ("kind", "gpu", "Warboy NPUs, CPU time or Alice Cloud"),
    ],
)
def test_pool_values_are_checked(event, organizer, field, value, message):
    fields = {"kind": "npu", "name": "Warboy", field: value}
    with pytest.raises(DomainError, match=message) as caught:
        pools.resource_pool_create(event=event, created_by=organizer, **fields)
    assert caught.value.field == field
    assert not ResourcePool.objects.exists() and not AuditEntry.objects.filter(action__startswith="resource").exists()


def test_update_pool_records_what_changed(organizer, npu_pool):
    pool = pools.resource_pool_update(
        pool_id=npu_pool.pk, updated_by=organizer, name="Warboy B", hourly_price=Decimal("2"), allow_cpu_fallback=False
    )
    assert pool.name == "Warboy B" and pool.hourly_price == 2
    (entry,) = audit("resource_pool.update")
    assert entry.data["changed"] == {"name": ["Warboy", "Warboy B"], "hourly_price": ["1.2000", "2"]}
    # Saving the same values again changes nothing and records nothing.
    pools.resource_pool_update(pool_id=npu_pool.pk, updated_by=organizer, name="Warboy B", hourly_price=2)
    assert len(audit("resource_pool.update")) == 1


def test_update_pool_refuses_a_taken_name_negative_price_and_kind_changes(event, organizer, npu_pool, cloud_pool):
    other = pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name="Spare")
    with pytest.raises(DomainError, match="“ALICE”"):
        pools.resource_pool_update(pool_id=other.pk, updated_by=organizer, name="ALICE")
    with pytest.raises(DomainError, match="cannot be negative"):
        pools.resource_pool_update(pool_id=other.pk, updated_by=organizer, hourly_price=-1)
    with pytest.raises(TypeError):
        pools.resource_pool_update(pool_id=other.pk, updated_by=organizer, kind="cloud")
    # Renaming a pool to a different spelling of its own name is fine.
    assert pools.resource_pool_update(pool_id=npu_pool.pk, updated_by=organizer, name="WARBOY").name == "WARBOY"


# --- Cloud resources -------------------------------------------------------------------------------------------


def test_create_assign_unassign_and_delete_cloud_resource_with_audit(event, organizer, cloud_pool, team, other_team):
    resource = pools.cloud_resource_create(
        pool=cloud_pool,
        created_by=organizer,
        label="alice-gpu-01",
        team=team,
        host="gpu01.alice.example",
        url="https://console.alice.example",
        login="hacker",
        secret=SECRET,
        credits=Decimal("100"),
        hours=12,
    )
    assert resource.team == team and resource.secret == SECRET
    (created,) = audit("cloud_resource.create")
    assert created.data["team"] == "Blue" and created.data["has_secret"] is True and "secret" not in created.data

    pools.cloud_resource_update(resource_id=resource.pk, updated_by=organizer, team=other_team)
    pools.cloud_resource_update(resource_id=resource.pk, updated_by=organizer, team=None)
    resource.refresh_from_db()
    assert resource.team is None and resource.secret == SECRET  # fields not given stay as they were
    moved, released = audit("cloud_resource.update")
    assert moved.data["changed"] == {"team": ["Blue", "Red"]} and moved.data["assigned_to"] == "Red"
    assert released.data["changed"] == {"team": ["Red", None]} and released.data["assigned_to"] is None

    pools.cloud_resource_update(resource_id=resource.pk, updated_by=organizer, secret="n3w-S3cret", hours=24)
    changed_secret = audit("cloud_resource.update")[-1]
    assert changed_secret.data["secret_changed"] is True and changed_secret.data["changed"] == {
        "hours": ["12.00", "24"]
    }

    pools.cloud_resource_delete(resource_id=resource.pk, deleted_by=organizer)
    assert not CloudResource.objects.exists()
    (deleted,) = audit("cloud_resource.delete")
    assert deleted.data["label"] == "alice-gpu-01" and deleted.target_id == str(resource.pk)
    assert_secret_never_audited(SECRET, "n3w-S3cret")


def test_a_team_sees_only_its_own_cloud_access(organizer, cloud_resource, team, other_team):
    from npu_jobs import selectors

    pools.cloud_resource_update(resource_id=cloud_resource.pk, updated_by=organizer, team=team)
    assert list(selectors.cloud_resources_of_team(team=team)) == [cloud_resource]
    assert list(selectors.cloud_resources_of_team(team=other_team)) == []


def test_duplicate_label_in_a_pool_is_refused(event, organizer, cloud_pool, cloud_resource):
    with pytest.raises(DomainError, match="already has a resource labelled “ALICE-GPU-01”") as caught:
        pools.cloud_resource_create(pool=cloud_pool, created_by=organizer, label="ALICE-GPU-01")
    assert caught.value.field == "label"
    second = pools.cloud_resource_create(pool=cloud_pool, created_by=organizer, label="alice-gpu-02")
    with pytest.raises(DomainError, match="already has a resource labelled"):
        pools.cloud_resource_update(resource_id=second.pk, updated_by=organizer, label="alice-gpu-01")
    # Moving into another pool that already uses the label is refused too.
    other_pool = pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name="Alice 2")
    pools.cloud_resource_create(pool=other_pool, created_by=organizer, label="alice-gpu-02")
    with pytest.raises(DomainError, match="“Alice 2” already has"):
        pools.cloud_resource_update(resource_id=second.pk, updated_by=organizer, pool=other_pool)


def test_team_from_another_event_is_refused(organizer, cloud_pool, cloud_resource):
    stranger = TeamFactory()
    with pytest.raises(DomainError, match="Choose a team of this event") as caught:
        pools.cloud_resource_create(pool=cloud_pool, created_by=organizer, label="x", team=stranger)
    assert caught.value.field == "team"
    with pytest.raises(DomainError, match="Choose a team of this event"):
        pools.cloud_resource_update(resource_id=cloud_resource.pk, updated_by=organizer, team=stranger)
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None


def test_cloud_resources_live_in_cloud_pools_of_the_same_event(organizer, npu_pool, cloud_resource, grant):
    with pytest.raises(DomainError, match="Alice Cloud pool") as caught:
        pools.cloud_resource_create(pool=npu_pool, created_by=organizer, label="x")
    assert caught.value.field == "pool"
    with pytest.raises(DomainError, match="Alice Cloud pool"):
        pools.cloud_resource_update(resource_id=cloud_resource.pk, updated_by=organizer, pool=npu_pool)
    other_event = EventFactory()
    grant(organizer, other_event, "organizer")
    foreign_pool = pools.resource_pool_create(event=other_event, created_by=organizer, kind="cloud", name="Far")
    with pytest.raises(DomainError, match="pool of this event"):
        pools.cloud_resource_update(resource_id=cloud_resource.pk, updated_by=organizer, pool=foreign_pool)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("credits", Decimal("-1"), "Credits cannot be negative"),
        ("hours", Decimal("-0.5"), "Hours cannot be negative"),
        ("hours", Decimal("0.001"), "at most 2 decimal places"),
        ("url", "console.alice", "full web address"),
        ("label", " ", "Label is required"),
        ("host", "h" * 201, "at most 200 characters"),
    ],
)
def test_cloud_resource_values_are_checked(organizer, cloud_pool, field, value, message):
    fields = {"label": "alice-gpu-09", field: value}
    with pytest.raises(DomainError, match=message) as caught:
        pools.cloud_resource_create(pool=cloud_pool, created_by=organizer, **fields)
    assert caught.value.field == field
    assert not CloudResource.objects.exists()


# --- Who may -----------------------------------------------------------------------------------------------------


def test_only_organizers_of_the_event_manage_pools_and_resources(
    event, outsiders, npu_pool, cloud_pool, cloud_resource, team
):
    people = [*outsiders.values(), AnonymousUser(), None]
    for person in people:
        attempts = [
            lambda person=person: pools.resource_pool_create(event=event, created_by=person, kind="npu", name="Mine"),
            lambda person=person: pools.resource_pool_update(pool_id=npu_pool.pk, updated_by=person, hourly_price=0),
            lambda person=person: pools.cloud_resource_create(pool=cloud_pool, created_by=person, label="mine"),
            lambda person=person: pools.cloud_resource_update(
                resource_id=cloud_resource.pk, updated_by=person, team=team
            ),
            lambda person=person: pools.cloud_resource_delete(resource_id=cloud_resource.pk, deleted_by=person),
        ]
        for attempt in attempts:
            with pytest.raises(PermissionDenied):
                attempt()
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None
    assert ResourcePool.objects.count() == 2 and CloudResource.objects.count() == 1


# --- Races (PostgreSQL) -----------------------------------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_pools_with_one_name_create_exactly_one():
    from accounts.tests.factories import UserFactory
    from hackathon.models import EventRole

    event = EventFactory()
    organizers = [UserFactory() for _ in range(6)]
    for user in organizers:
        EventRole.objects.create(event=event, user=user, role="organizer")
    results = run_concurrently(
        lambda i: pools.resource_pool_create(event=event, created_by=organizers[i], kind="cloud", name="Alice"), 6
    )
    assert sum(isinstance(r, ResourcePool) for r in results) == 1, results
    assert all(isinstance(r, DomainError) and r.field == "name" for r in results if not isinstance(r, ResourcePool))
    # Six NPU pools under six names at once: still one NPU pool for the event.
    results = run_concurrently(
        lambda i: pools.resource_pool_create(event=event, created_by=organizers[i], kind="npu", name=f"Rack {i}"), 6
    )
    assert sum(isinstance(r, ResourcePool) for r in results) == 1, results
    assert all(
        isinstance(r, DomainError) and r.code == "npu_pool_exists" for r in results if not isinstance(r, ResourcePool)
    )
    assert ResourcePool.objects.filter(event=event, kind="npu").count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_simultaneous_renames_to_one_label_keep_labels_unique():
    from accounts.tests.factories import UserFactory
    from hackathon.models import EventRole

    event = EventFactory()
    organizer = UserFactory()
    EventRole.objects.create(event=event, user=organizer, role="organizer")
    pool = pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name="Alice")
    resources = [pools.cloud_resource_create(pool=pool, created_by=organizer, label=f"r{i}") for i in range(4)]
    results = run_concurrently(
        lambda i: pools.cloud_resource_update(resource_id=resources[i].pk, updated_by=organizer, label="shared"), 4
    )
    assert sum(isinstance(r, CloudResource) for r in results) == 1, results
    assert all(isinstance(r, DomainError) for r in results if not isinstance(r, CloudResource))
    assert CloudResource.objects.filter(label="shared").count() == 1
