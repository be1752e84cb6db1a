import pytest
from django.urls import reverse

from accounts.tests.factories import TEST_PASSWORD
from npu_jobs.models import NpuJob
from npu_jobs.services import jobs
from npu_jobs.services.jobs import JobRequest
from npu_jobs.tests.factories import TeamFactory, team_member_add


@pytest.fixture
def job(team, member, give_quota, upload_model):
    give_quota(team)
    model = upload_model(team, member, name="face detector")
    return jobs.npu_job_submit(team=team, submitted_by=member, request=JobRequest(model_id=model.pk, target="cpu"))


def login(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)


def urls(job):
    slug = job.event.slug
    return [
        reverse("npu_jobs:job_detail", kwargs={"event_slug": slug, "job_id": job.pk}),
        reverse("npu_jobs:job_log", kwargs={"event_slug": slug, "job_id": job.pk}),
        reverse("npu_jobs:model_download", kwargs={"event_slug": slug, "model_id": job.model_id}),
        f"/api/v1/events/{slug}/jobs/{job.pk}/",
        f"/api/v1/events/{slug}/jobs/{job.pk}/log/",
        f"/api/v1/events/{slug}/jobs/models/{job.model_id}/download/",
    ]


def test_team_member_and_organizer_see_the_job_model_and_log(client, job, member, organizer):
    for user in (member, organizer):
        login(client, user)
        for url in urls(job):
            assert client.get(url).status_code == 200, url


def test_outsiders_get_404(client, job, other_member, make_user, event):
    other_event_member = team_member_add(TeamFactory())
    for user in (other_member, other_event_member, make_user()):
        login(client, user)
        for url in urls(job):
            assert client.get(url).status_code == 404, (user, url)
        cancel = reverse("npu_jobs:job_cancel", kwargs={"event_slug": event.slug, "job_id": job.pk})
        assert client.post(cancel).status_code == 404
    client.logout()
    assert client.get(urls(job)[0]).status_code == 302  # anonymous: to the login page


def test_team_pages_render(client, job, member, event):
    login(client, member)
    page = client.get(reverse("npu_jobs:job_list", kwargs={"event_slug": event.slug}))
    assert page.status_code == 200 and "face detector" in page.text
    assert client.get(reverse("npu_jobs:job_submit", kwargs={"event_slug": event.slug})).status_code == 200
    live = client.get(urls(job)[0], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in live.text and "<html" not in live.text
    assert client.get(reverse("npu_jobs:organizer_overview", kwargs={"event_slug": event.slug})).status_code == 404


def test_submit_form_uploads_and_queues(client, member, team, give_quota, event, tmp_path):
    from npu_jobs.tests import onnx_models

    give_quota(team)
    login(client, member)
    path = onnx_models.dense(tmp_path / "m.onnx")
    with open(path, "rb") as handle:
        response = client.post(
            reverse("npu_jobs:job_submit", kwargs={"event_slug": event.slug}),
            {
                "model_file": handle,
                "target": "cpu",
                "input_kind": "random",
                "batch_size": 1,
                "iterations": 10,
                "warmup": 1,
                "time_limit_seconds": 30,
                "preset": "",
                "input_shapes": "",
            },
        )
    job = NpuJob.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/{job.pk}/")
    bad = client.post(
        reverse("npu_jobs:job_submit", kwargs={"event_slug": event.slug}),
        {
            "model_file": ("x.onnx", b"garbage"),
            "target": "cpu",
            "input_kind": "random",
            "batch_size": 1,
            "iterations": 10,
            "warmup": 1,
            "time_limit_seconds": 30,
        },
    )
    assert bad.status_code == 200


def test_organizer_overview_and_quota_change(client, organizer, event, team, job, django_assert_max_num_queries):
    for _ in range(3):
        TeamFactory(event=event)
    login(client, organizer)
    url = reverse("npu_jobs:organizer_overview", kwargs={"event_slug": event.slug})
    with django_assert_max_num_queries(15):
        assert client.get(url).status_code == 200
    change = reverse("npu_jobs:quota_change", kwargs={"event_slug": event.slug, "team_id": team.pk})
    response = client.post(
        change, {"device_seconds": "100", "cloud_credits": "0", "cloud_hours": "0", "reason": "bonus"}
    )
    assert response.status_code == 302
    team.npu_quota.refresh_from_db()
    assert team.npu_quota.device_seconds_granted == 3700


def test_the_quota_ledger_speaks_in_hours_minutes_and_seconds_not_device_seconds(client, job, member, event):
    """The grant (give_quota) and the job's reservation show as readable time with their sign, and the date in the
    one short format of the language."""
    login(client, member)
    page = client.get(reverse("npu_jobs:job_list", kwargs={"event_slug": event.slug})).text
    ledger = page[page.index('id="ledger-title"') :]
    assert "Device-seconds" not in ledger and "device-seconds" not in ledger
    reserved = job.budget_seconds
    assert f"-{reserved / 60:.1f} min" in ledger or f"-{float(reserved):.1f} s" in ledger, ledger[:2000]
    assert " h</td>" in ledger  # the grant's balance, in hours
    assert not any(f"{job.created_at:%m-%d %H}" in line for line in ledger.splitlines() if "<time" in line)


def test_the_job_page_says_what_was_asked_and_what_ran_on_separate_rows(client, job, member):
    """Not "Target: CPU · CPU run" on one line (issue 12's jargon list)."""
    login(client, member)
    page = client.get(urls(job)[0]).text
    assert "Asked to run on</th><td>CPU</td>" in page
    assert "What ran</th><td>Queued (not run yet)</td>" in page
