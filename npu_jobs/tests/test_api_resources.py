import json
from decimal import Decimal

import pytest
from rest_framework.test import APIClient

from hackathon.models import AuditEntry
from npu_jobs.models import CloudResource, ResourcePool
from npu_jobs.tests.factories import TeamFactory

SECRET = "s3cret-Pa55"  # the cloud_resource fixture's


@pytest.fixture
def api():
    return APIClient()


def base(event):
    return f"/api/v1/events/{event.slug}/jobs/"


def test_pools_list_create_and_update(api, event, organizer, npu_pool, django_assert_max_num_queries):
    api.force_authenticate(organizer)
    created = api.post(
        base(event) + "pools/create/", {"kind": "cloud", "name": "Alice", "cloud_credits_total": "600"}, format="json"
    )
    assert created.status_code == 201, created.json()
    assert created.json()["kind"] == "cloud" and Decimal(created.json()["cloud_credits_total"]) == 600
    for i in range(4):
        api.post(base(event) + "pools/create/", {"kind": "cloud", "name": f"Cloud {i}"}, format="json")
    with django_assert_max_num_queries(3):
        listed = api.get(base(event) + "pools/")
    assert listed.status_code == 200 and len(listed.json()) == 6

    updated = api.patch(
        f"{base(event)}pools/{npu_pool.pk}/", {"hourly_price": "2.5", "allow_cpu_fallback": True}, format="json"
    )
    assert updated.status_code == 200, updated.json()
    assert Decimal(updated.json()["hourly_price"]) == Decimal("2.5") and updated.json()["name"] == "Warboy"
    npu_pool.refresh_from_db()
    assert npu_pool.allow_cpu_fallback and npu_pool.hourly_price == Decimal("2.5")
    assert AuditEntry.objects.filter(action="resource_pool.update", actor=organizer).count() == 1
    assert AuditEntry.objects.filter(action="resource_pool.create", actor=organizer).count() == 6


def test_pool_errors_are_readable(api, event, organizer, npu_pool, cloud_pool):
    api.force_authenticate(organizer)
    duplicate = api.post(base(event) + "pools/create/", {"kind": "cloud", "name": "ALICE"}, format="json")
    assert duplicate.status_code == 400
    assert duplicate.json() == {
        "detail": "This event already has a pool named “ALICE” (Alice Cloud). Choose another name.",
        "code": "duplicate",
        "field": "name",
    }
    second_npu = api.post(base(event) + "pools/create/", {"kind": "npu", "name": "Rack B"}, format="json")
    assert second_npu.status_code == 400 and second_npu.json()["code"] == "npu_pool_exists"
    negative = api.patch(f"{base(event)}pools/{npu_pool.pk}/", {"hourly_price": "-1"}, format="json")
    assert negative.status_code == 400 and negative.json()["field"] == "hourly_price"
    assert "cannot be negative" in negative.json()["detail"]
    # A pool's kind is fixed: the update ignores it rather than half-applying it.
    api.patch(f"{base(event)}pools/{npu_pool.pk}/", {"kind": "cloud"}, format="json")
    npu_pool.refresh_from_db()
    assert npu_pool.kind == "npu"


def test_korean_error_message(api, event, organizer, cloud_pool):
    api.force_authenticate(organizer)
    duplicate = api.post(
        base(event) + "pools/create/",
        {"kind": "cloud", "name": "Alice"},
        format="json",
        headers={"Accept-Language": "ko"},
    )
    assert duplicate.status_code == 400
    assert "Alice" in duplicate.json()["detail"] and "이미" in duplicate.json()["detail"]


def test_cloud_resources_create_assign_list_and_delete(
    api, event, organizer, cloud_pool, cloud_resource, team, django_assert_max_num_queries
):
    api.force_authenticate(organizer)
    created = api.post(
        base(event) + "cloud/create/",
        {
            "pool": cloud_pool.pk,
            "label": "alice-gpu-02",
            "team": team.pk,
            "host": "gpu02.example",
            "url": "https://console.example/2",
            "login": "hacker02",
            "secret": "an0ther-Secret",
            "credits": "50",
            "hours": "8",
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["team"] == team.pk and body["team_name"] == "Blue" and body["has_secret"] is True
    assert "secret" not in body and "an0ther-Secret" not in json.dumps(body)
    for i in range(4):
        api.post(
            base(event) + "cloud/create/",
            {"pool": cloud_pool.pk, "label": f"extra-{i}", "team": team.pk},
            format="json",
        )

    with django_assert_max_num_queries(3):
        listed = api.get(base(event) + "cloud/")
    assert listed.status_code == 200 and len(listed.json()) == 6
    assert SECRET not in listed.text and "an0ther-Secret" not in listed.text
    assert {r["label"]: r["team_name"] for r in listed.json()}["alice-gpu-01"] is None

    detail = f"{base(event)}cloud/{cloud_resource.pk}/"
    assigned = api.patch(detail, {"team": team.pk}, format="json")
    assert assigned.status_code == 200 and assigned.json()["team_name"] == "Blue"
    unassigned = api.patch(detail, {"team": None}, format="json")
    assert unassigned.status_code == 200 and unassigned.json()["team"] is None
    renamed = api.patch(detail, {"label": "alice-gpu-01b", "secret": "rotated-K3y"}, format="json")
    cloud_resource.refresh_from_db()
    assert renamed.status_code == 200 and cloud_resource.label == "alice-gpu-01b"
    assert cloud_resource.secret == "rotated-K3y" and cloud_resource.team is None

    assert api.post(f"{base(event)}cloud/{cloud_resource.pk}/delete/").status_code == 204
    second = CloudResource.objects.get(label="alice-gpu-02")
    assert api.delete(f"{base(event)}cloud/{second.pk}/delete/").status_code == 204
    assert api.post(f"{base(event)}cloud/{second.pk}/delete/").status_code == 404
    assert CloudResource.objects.count() == 4
    actions = list(AuditEntry.objects.filter(action__startswith="cloud_resource.").values_list("action", flat=True))
    assert actions.count("cloud_resource.create") == 6 and actions.count("cloud_resource.delete") == 2
    assert actions.count("cloud_resource.update") == 3
    for entry in AuditEntry.objects.all():
        for secret in (SECRET, "an0ther-Secret", "rotated-K3y"):
            assert secret not in json.dumps(entry.data)


def test_cloud_resource_errors(api, event, organizer, cloud_pool, npu_pool, cloud_resource):
    api.force_authenticate(organizer)
    url = base(event) + "cloud/create/"
    duplicate = api.post(url, {"pool": cloud_pool.pk, "label": "Alice-GPU-01"}, format="json")
    assert duplicate.status_code == 400 and duplicate.json()["field"] == "label"
    assert "already has a resource labelled “Alice-GPU-01”" in duplicate.json()["detail"]
    in_npu_pool = api.post(url, {"pool": npu_pool.pk, "label": "x"}, format="json")
    assert in_npu_pool.status_code == 400 and in_npu_pool.json()["field"] == "pool"
    negative = api.post(url, {"pool": cloud_pool.pk, "label": "y", "credits": "-3"}, format="json")
    assert negative.status_code == 400 and negative.json()["field"] == "credits"
    # Another event's team or pool is, from this event, a team or pool that does not exist.
    stranger = TeamFactory()
    foreign = api.post(url, {"pool": cloud_pool.pk, "label": "z", "team": stranger.pk}, format="json")
    assert foreign.status_code == 400 and "team" in foreign.json()
    moved = api.patch(f"{base(event)}cloud/{cloud_resource.pk}/", {"team": stranger.pk}, format="json")
    assert moved.status_code == 400 and "team" in moved.json()
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None and CloudResource.objects.count() == 1


@pytest.fixture
def every_endpoint(event, npu_pool, cloud_pool, cloud_resource, team):
    """(method, url, data) for every endpoint of pools and cloud resources."""
    prefix = base(event)
    return [
        ("get", prefix + "pools/", None),
        ("post", prefix + "pools/create/", {"kind": "npu", "name": "Mine"}),
        ("patch", f"{prefix}pools/{npu_pool.pk}/", {"hourly_price": "0"}),
        ("get", prefix + "cloud/", None),
        ("post", prefix + "cloud/create/", {"pool": cloud_pool.pk, "label": "mine"}),
        ("patch", f"{prefix}cloud/{cloud_resource.pk}/", {"team": team.pk}),
        ("post", f"{prefix}cloud/{cloud_resource.pk}/delete/", None),
        ("delete", f"{prefix}cloud/{cloud_resource.pk}/delete/", None),
    ]


def test_outsiders_are_refused_everywhere_and_change_nothing(api, outsiders, every_endpoint, cloud_resource):
    for who, user in outsiders.items():
        api.force_authenticate(user)
        for method, url, data in every_endpoint:
            response = getattr(api, method)(url, data, format="json")
            assert response.status_code == 404, (who, method, url, response.status_code)
            assert SECRET not in response.content.decode()
    api.force_authenticate(None)
    for method, url, data in every_endpoint:
        response = getattr(api, method)(url, data, format="json")
        assert response.status_code in (401, 403), (method, url, response.status_code)
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None
    assert ResourcePool.objects.count() == 2 and CloudResource.objects.count() == 1
    assert not AuditEntry.objects.exclude(action__in=["resource_pool.create", "cloud_resource.create"]).exists()


def test_an_organizer_of_another_event_cannot_reach_ours_through_their_event(
    api, other_event_organizer, npu_pool, cloud_resource
):
    from hackathon.models import EventRole

    theirs = EventRole.objects.get(user=other_event_organizer).event
    api.force_authenticate(other_event_organizer)
    assert api.get(base(theirs) + "cloud/").json() == []
    assert api.patch(f"{base(theirs)}pools/{npu_pool.pk}/", {"name": "Mine"}, format="json").status_code == 404
    assert api.patch(f"{base(theirs)}cloud/{cloud_resource.pk}/", {"label": "Mine"}, format="json").status_code == 404
    assert api.delete(f"{base(theirs)}cloud/{cloud_resource.pk}/delete/").status_code == 404
    # Our pool as the target of a resource created in their event: "does not exist" there.
    created = api.post(base(theirs) + "cloud/create/", {"pool": cloud_resource.pool_id, "label": "x"}, format="json")
    assert created.status_code == 400 and "pool" in created.json()
    npu_pool.refresh_from_db()
    assert npu_pool.name == "Warboy" and CloudResource.objects.count() == 1


def test_the_schema_describes_the_new_endpoints(client):
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    for path in ("/jobs/pools/create/", "/jobs/cloud/{resource_id}/", "/jobs/cloud/{resource_id}/delete/"):
        assert path.encode() in schema.content
