import re
from decimal import Decimal

import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from hackathon.models import AuditEntry
from npu_jobs.models import CloudResource, ResourcePool
from npu_jobs.services import pools
from npu_jobs.tests.factories import TeamFactory

SECRET = "s3cret-Pa55"  # the cloud_resource fixture's


def login(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)


def url(name, event, **kwargs):
    return reverse(f"npu_jobs:{name}", kwargs={"event_slug": event.slug, **kwargs})


def pool_data(**overrides):
    data = {
        "pool-kind": "npu",
        "pool-name": "Warboy B",
        "pool-hourly_price": "1.5",
        "pool-currency": "USD",
        "pool-device_seconds_total": "3600",
        "pool-cloud_credits_total": "0",
    }
    return {**data, **overrides}


def cloud_data(pool, **overrides):
    data = {
        "cloud-pool": pool.pk,
        "cloud-label": "alice-gpu-02",
        "cloud-team": "",
        "cloud-host": "gpu02.example",
        "cloud-url": "https://console.example/2",
        "cloud-login": "hacker02",
        "cloud-secret": "an0ther-Secret",
        "cloud-credits": "50",
        "cloud-hours": "10",
    }
    return {**data, **overrides}


def edit_data(resource, **overrides):
    data = {
        "pool": resource.pool_id,
        "label": resource.label,
        "team": resource.team_id or "",
        "host": resource.host,
        "url": resource.url,
        "login": resource.login,
        "secret": "",
        "credits": str(resource.credits),
        "hours": str(resource.hours),
    }
    return {**data, **overrides}


def test_organizer_page_lists_pools_and_resources_with_the_secret_masked(
    client, event, organizer, npu_pool, cloud_pool, cloud_resource, team, django_assert_max_num_queries
):
    pools.cloud_resource_update(resource_id=cloud_resource.pk, updated_by=organizer, team=team)
    for i in range(5):  # enough rows that a query per row would show
        TeamFactory(event=event)
        pools.cloud_resource_create(pool=cloud_pool, created_by=organizer, label=f"extra-{i}", secret=f"hidden-{i}")
        pools.resource_pool_create(event=event, created_by=organizer, kind="cloud", name=f"Cloud {i}")
    login(client, organizer)
    with django_assert_max_num_queries(9):
        page = client.get(url("resources", event))
    assert page.status_code == 200
    text = page.text
    assert "Warboy" in text and "Alice" in text and "alice-gpu-01" in text and "extra-4" in text
    assert f'<option value="{team.pk}" selected>Blue</option>' in text  # who holds it
    assert SECRET not in text and "hidden-0" not in text and "••••••••" in text
    assert url("pool_edit", event, pool_id=npu_pool.pk) in text
    assert url("cloud_resource_edit", event, resource_id=cloud_resource.pk) in text
    compute = client.get(url("organizer_overview", event))
    assert url("resources", event) in compute.text


def test_create_pool_through_the_form(client, event, organizer):
    login(client, organizer)
    response = client.post(url("pool_create", event), pool_data(**{"pool-allow_cpu_fallback": "on"}))
    assert response.status_code == 302 and response.url == url("resources", event)
    pool = ResourcePool.objects.get()
    assert (pool.name, pool.hourly_price, pool.allow_cpu_fallback) == ("Warboy B", Decimal("1.5"), True)
    assert AuditEntry.objects.filter(action="resource_pool.create", actor=organizer).count() == 1
    assert "was created" in client.get(url("resources", event)).text


def test_duplicate_pool_name_shows_the_error_next_to_the_field(client, event, organizer, cloud_pool):
    login(client, organizer)
    response = client.post(url("pool_create", event), pool_data(**{"pool-kind": "cloud", "pool-name": "alice"}))
    assert response.status_code == 200
    # The message sits right after the field it is about, which is marked invalid.
    field = re.search(r'<input[^>]*id="id_pool-name"[^>]*>', response.text).group(0)
    assert 'aria-invalid="true"' in field
    after = response.text[response.text.index(field) :]
    assert after.index("already has a pool named “alice”") < after.index('id="id_pool-hourly_price"')
    assert ResourcePool.objects.count() == 1
    negative = client.post(url("pool_create", event), pool_data(**{"pool-hourly_price": "-1"}))
    assert negative.status_code == 200 and ResourcePool.objects.count() == 1
    first_npu = client.post(url("pool_create", event), pool_data())
    assert first_npu.status_code == 302 and ResourcePool.objects.filter(kind="npu").count() == 1
    second_npu = client.post(url("pool_create", event), pool_data(**{"pool-name": "Rack B"}))
    assert second_npu.status_code == 200 and "already has its Warboy NPU pool" in second_npu.text
    assert ResourcePool.objects.filter(kind="npu").count() == 1


def test_edit_pool(client, event, organizer, npu_pool):
    login(client, organizer)
    page = client.get(url("pool_edit", event, pool_id=npu_pool.pk))
    assert page.status_code == 200 and 'value="Warboy"' in page.text and 'name="kind"' not in page.text
    response = client.post(
        url("pool_edit", event, pool_id=npu_pool.pk),
        {
            "name": "Warboy A",
            "hourly_price": "2.25",
            "currency": "KRW",
            "device_seconds_total": "9000",
            "cloud_credits_total": "0",
        },
    )
    assert response.status_code == 302
    npu_pool.refresh_from_db()
    assert (npu_pool.name, npu_pool.hourly_price, npu_pool.currency) == ("Warboy A", Decimal("2.25"), "KRW")
    entry = AuditEntry.objects.get(action="resource_pool.update")
    assert entry.data["changed"]["name"] == ["Warboy", "Warboy A"]


def test_add_cloud_resource_with_a_team_and_the_team_sees_its_access(
    client, event, organizer, cloud_pool, team, member
):
    login(client, organizer)
    response = client.post(url("cloud_resource_create", event), cloud_data(cloud_pool, **{"cloud-team": team.pk}))
    assert response.status_code == 302
    resource = CloudResource.objects.get()
    assert resource.team == team and resource.secret == "an0ther-Secret"
    duplicate = client.post(
        url("cloud_resource_create", event), cloud_data(cloud_pool, **{"cloud-label": "ALICE-GPU-02"})
    )
    assert duplicate.status_code == 200 and "already has a resource labelled “ALICE-GPU-02”" in duplicate.text
    assert "an0ther-Secret" not in duplicate.text  # a password input is never filled back in
    assert CloudResource.objects.count() == 1
    login(client, member)
    jobs_page = client.get(url("job_list", event))
    assert "alice-gpu-02" in jobs_page.text and "an0ther-Secret" in jobs_page.text


def test_a_team_of_another_event_is_not_a_choice(client, event, organizer, cloud_pool, cloud_resource):
    stranger = TeamFactory()
    login(client, organizer)
    response = client.post(url("cloud_resource_create", event), cloud_data(cloud_pool, **{"cloud-team": stranger.pk}))
    assert response.status_code == 200 and "Select a valid choice" in response.text
    assign = client.post(url("cloud_resource_assign", event, resource_id=cloud_resource.pk), {"team": stranger.pk})
    assert assign.status_code == 302
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None and CloudResource.objects.count() == 1


def test_edit_cloud_resource_keeps_clears_and_reveals_the_secret(client, event, organizer, cloud_resource, team):
    login(client, organizer)
    edit = url("cloud_resource_edit", event, resource_id=cloud_resource.pk)
    page = client.get(edit)
    assert page.status_code == 200
    # Revealed on demand in a disclosure, never as an input's value.
    assert f"<code>{SECRET}</code>" in page.text and f'value="{SECRET}"' not in page.text

    response = client.post(edit, edit_data(cloud_resource, team=team.pk, label="alice-gpu-01b"))
    assert response.status_code == 302
    cloud_resource.refresh_from_db()
    assert (cloud_resource.label, cloud_resource.team, cloud_resource.secret) == ("alice-gpu-01b", team, SECRET)

    both = client.post(edit, edit_data(cloud_resource, secret="new", clear_secret="on"))
    assert both.status_code == 200 and "not both" in both.text
    client.post(edit, edit_data(cloud_resource, clear_secret="on"))
    cloud_resource.refresh_from_db()
    assert cloud_resource.secret == ""
    assert all(SECRET not in str(entry.data) for entry in AuditEntry.objects.all())


def test_assign_unassign_and_delete_from_the_list(client, event, organizer, cloud_resource, team):
    login(client, organizer)
    assign = url("cloud_resource_assign", event, resource_id=cloud_resource.pk)
    assert client.post(assign, {"team": team.pk}).status_code == 302
    cloud_resource.refresh_from_db()
    assert cloud_resource.team == team
    client.post(assign, {"team": ""})
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None
    assert AuditEntry.objects.filter(action="cloud_resource.update").count() == 2

    response = client.post(url("cloud_resource_delete", event, resource_id=cloud_resource.pk))
    assert response.status_code == 302 and not CloudResource.objects.exists()
    assert AuditEntry.objects.filter(action="cloud_resource.delete", actor=organizer).count() == 1
    assert client.post(url("cloud_resource_delete", event, resource_id=cloud_resource.pk)).status_code == 404


@pytest.fixture
def every_page(event, npu_pool, cloud_pool, cloud_resource, team):
    """(method, url, data) for every page and action of the resources section."""
    return [
        ("get", url("resources", event), None),
        ("post", url("pool_create", event), pool_data()),
        ("get", url("pool_edit", event, pool_id=npu_pool.pk), None),
        (
            "post",
            url("pool_edit", event, pool_id=npu_pool.pk),
            {
                "name": "Mine",
                "hourly_price": "0",
                "currency": "USD",
                "device_seconds_total": "0",
                "cloud_credits_total": "0",
            },
        ),
        ("post", url("cloud_resource_create", event), cloud_data(cloud_pool)),
        ("get", url("cloud_resource_edit", event, resource_id=cloud_resource.pk), None),
        (
            "post",
            url("cloud_resource_edit", event, resource_id=cloud_resource.pk),
            edit_data(cloud_resource, team=team.pk),
        ),
        ("post", url("cloud_resource_assign", event, resource_id=cloud_resource.pk), {"team": team.pk}),
        ("post", url("cloud_resource_delete", event, resource_id=cloud_resource.pk), None),
    ]


def test_outsiders_get_404_everywhere_and_change_nothing(client, outsiders, every_page, cloud_resource):
    for who, user in outsiders.items():
        login(client, user)
        for method, page_url, data in every_page:
            response = getattr(client, method)(page_url, data or {})
            assert response.status_code == 404, (who, method, page_url)
            assert SECRET not in response.text
    client.logout()
    for method, page_url, data in every_page:
        response = getattr(client, method)(page_url, data or {})
        assert response.status_code == 302 and response.url.startswith(reverse("account_login")), (method, page_url)
    cloud_resource.refresh_from_db()
    assert cloud_resource.team is None and cloud_resource.label == "alice-gpu-01"
    assert ResourcePool.objects.count() == 2 and CloudResource.objects.count() == 1
    assert not AuditEntry.objects.exclude(action__in=["resource_pool.create", "cloud_resource.create"]).exists()


def test_organizer_cannot_reach_another_events_pool_or_resource_through_their_own_event(
    client, organizer, event, npu_pool, cloud_resource, other_event_organizer
):
    from hackathon.models import EventRole

    their_event = EventRole.objects.get(user=other_event_organizer).event
    login(client, other_event_organizer)
    # Their own event's URLs with our ids: the pool and resource are not theirs, so 404.
    assert client.get(url("pool_edit", their_event, pool_id=npu_pool.pk)).status_code == 404
    assert client.get(url("cloud_resource_edit", their_event, resource_id=cloud_resource.pk)).status_code == 404
    assert client.post(url("cloud_resource_delete", their_event, resource_id=cloud_resource.pk)).status_code == 404
    assert CloudResource.objects.filter(pk=cloud_resource.pk).exists()


def test_resource_tables_keep_their_hidden_labels_inside_their_boxes_and_the_team_select_is_wide(
    client, event, organizer, cloud_pool, cloud_resource
):
    login(client, organizer)
    text = client.get(url("resources", event)).text
    assert text.count('<div class="table-wrap" role="region" tabindex="0" aria-label=') == 2
    assert f'<select id="assign-{cloud_resource.pk}" name="team" class="select-wide">' in text
    assert ">allowed<" not in text and ">none<" not in text  # labels start with a capital
    compute = client.get(url("organizer_overview", event)).text
    assert 'role="search"' not in compute and "onchange" not in compute
    assert '<form method="get" class="filter-bar" aria-label="Filter jobs by state">' in compute


def test_deleting_a_cloud_resource_asks_first(client, event, organizer, cloud_resource):
    login(client, organizer)
    text = client.get(url("cloud_resource_edit", event, resource_id=cloud_resource.pk)).text
    delete_url = url("cloud_resource_delete", event, resource_id=cloud_resource.pk)
    form = text[text.index(f'action="{delete_url}"') :]
    assert form.startswith(f'action="{delete_url}" class="inline-form" data-confirm="Delete {cloud_resource.label}?')
