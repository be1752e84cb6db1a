import pytest
from rest_framework.test import APIClient

from submissions.tests.factories import TEXT, job, npu_and_cpu_jobs, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(member):
    client = APIClient()
    client.force_authenticate(member)
    return client


def base(event):
    return f"/api/v1/events/{event.slug}/submissions/"


def test_a_team_saves_uploads_pins_and_submits_through_the_api(api, hack_event, team, django_assert_max_num_queries):
    root = base(hack_event)
    assert api.get(root).json()["state"] == "nothing"
    assert api.post(root + "save/", TEXT, format="json").json()["number"] == 1
    uploaded = api.post(root + "files/upload/", {"kind": "slides", "file": pdf()}, format="multipart")
    assert uploaded.status_code == 201 and len(uploaded.json()["sha256"]) == 64
    cpu, npu = npu_and_cpu_jobs(team)
    assert api.post(root + "pins/add/", {"job": npu.pk}, format="json").json()["role"] == "npu_run"
    assert api.post(root + "pins/add/", {"job": cpu.pk}, format="json").json()["role"] == "cpu_baseline"
    refused = api.post(root + "pins/add/", {"job": cpu.pk, "role": "npu_run"}, format="json")
    assert refused.status_code == 400
    with django_assert_max_num_queries(15):
        pins = api.get(root + "pins/").json()
    assert {p["figures"]["run_label"] for p in pins} == {"NPU run", "CPU run"}
    assert api.get(root + "pins/ratios/").json()[0]["speedup"] == pytest.approx(25.0)
    submitted = api.post(root + "submit/")
    assert submitted.status_code == 200 and submitted.json()["submitted_at"]
    assert api.get(root).json()["state"] == "submitted"
    assert [v["number"] for v in api.get(root + "versions/").json()] == [1]


def test_another_teams_job_and_an_outsider_get_404(api, hack_event, other_team_and_members):
    other_team = other_team_and_members[0]
    foreign = job(other_team)
    assert api.post(base(hack_event) + "pins/add/", {"job": foreign.pk}, format="json").status_code == 404
    stranger = APIClient()
    assert stranger.get(base(hack_event)).status_code in (401, 403)
