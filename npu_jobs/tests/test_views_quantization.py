"""Pages and API of the quantization step: the team asks and follows; other teams, judges and other events' people
get 404; the list pages keep their query counts."""

import io

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.tests.factories import TEST_PASSWORD
from npu_jobs.models import ModelQuantization
from npu_jobs.services import quantization
from npu_jobs.services.quantization import QuantizationRequest
from npu_jobs.tests import onnx_models


@pytest.fixture
def source(team, member, upload_model):
    return upload_model(team, member, builder=onnx_models.conv_net, name="Blur net")


@pytest.fixture
def queued(team, member, source):
    return quantization.model_quantization_request(
        team=team,
        requested_by=member,
        request=QuantizationRequest(source_model_id=source.pk, calibration_kind="random", sample_count=4),
    )


def login(client, user):
    assert client.login(email=user.email, password=TEST_PASSWORD)


def npy(array):
    buffer = io.BytesIO()
    np.save(buffer, array)
    return SimpleUploadedFile("samples.npy", buffer.getvalue())


def test_the_team_asks_on_the_form_and_follows_it_live(client, member, event, source):
    login(client, member)
    form_url = reverse("npu_jobs:quantization_request", kwargs={"event_slug": event.slug})
    page = client.get(f"{form_url}?model={source.pk}")
    assert page.status_code == 200 and "Blur net" in page.text
    assert "No worker with furiosa-quantizer is online" in page.text  # none in this test: the team is told

    refused = client.post(
        form_url,
        {"source": source.pk, "method": "MIN_MAX_ASYM", "calibration_kind": "images", "preset": "", "sample_count": ""},
    )
    assert refused.status_code == 200 and "preprocessing preset" in refused.text
    assert not ModelQuantization.objects.exists()

    response = client.post(
        form_url,
        {
            "source": source.pk,
            "method": "ENTROPY_ASYM",
            "calibration_kind": "npy",
            "preset": "",
            "sample_count": "",
            "calibration_files": npy(np.zeros((3, 1, 3, 16, 16), np.float32)),
            "input_shapes": "",
        },
    )
    created = ModelQuantization.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/quantize/{created.pk}/")
    assert (created.method, created.calibration_kind, created.sample_count) == ("ENTROPY_ASYM", "npy", 1)

    detail = client.get(response.url)
    assert detail.status_code == 200 and "Waiting for a worker with furiosa-quantizer" in detail.text
    live = client.get(response.url, headers={"HX-Request": "true"})
    assert 'hx-trigger="every 2s"' in live.text and "<html" not in live.text
    listing = client.get(reverse("npu_jobs:job_list", kwargs={"event_slug": event.slug}))
    assert f"/quantize/{created.pk}/" in listing.text and "Quantize for Warboy" in listing.text

    cancel = reverse("npu_jobs:quantization_cancel", kwargs={"event_slug": event.slug, "quantization_id": created.pk})
    assert client.post(cancel).status_code == 302
    created.refresh_from_db()
    assert created.state == ModelQuantization.State.CANCELLED


def test_other_teams_judges_and_other_events_get_404_and_nothing_changes(
    client, queued, other_member, outsiders, event
):
    pages = [
        reverse("npu_jobs:quantization_detail", kwargs={"event_slug": event.slug, "quantization_id": queued.pk}),
        f"/api/v1/events/{event.slug}/jobs/quantizations/{queued.pk}/",
    ]
    cancels = [
        reverse("npu_jobs:quantization_cancel", kwargs={"event_slug": event.slug, "quantization_id": queued.pk}),
        f"/api/v1/events/{event.slug}/jobs/quantizations/{queued.pk}/cancel/",
    ]
    people = [other_member, outsiders["judge"], outsiders["organizer of another event"]]
    for user in people:
        login(client, user)
        for url in pages:
            assert client.get(url).status_code in (403, 404), (user, url)
        for url in cancels:
            assert client.post(url).status_code in (403, 404), (user, url)
    client.logout()
    assert client.get(pages[0]).status_code == 302  # anonymous: to the login page
    assert client.get(pages[1]).status_code == 403
    queued.refresh_from_db()
    assert queued.state == ModelQuantization.State.QUEUED and queued.cancel_requested_at is None
    # A member of another team does not see it in its lists either.
    api = APIClient()
    api.force_authenticate(other_member)
    assert api.get(f"/api/v1/events/{event.slug}/jobs/quantizations/").json() == []
    login(client, other_member)
    assert (
        f"/quantize/{queued.pk}/"
        not in client.get(reverse("npu_jobs:job_list", kwargs={"event_slug": event.slug})).text
    )
    # And cannot quantize another team's model through its own team.
    refused = api.post(
        f"/api/v1/events/{event.slug}/jobs/quantizations/request/",
        {"source_model_id": queued.source_id, "calibration_kind": "random", "sample_count": 2},
        format="json",
    )
    assert refused.status_code == 400 and "your team's models" in refused.json()["detail"]


def test_api_request_follow_cancel_and_organizer_view(member, organizer, event, source, django_assert_max_num_queries):
    api = APIClient()
    api.force_authenticate(member)
    base = f"/api/v1/events/{event.slug}/jobs/quantizations/"
    created = api.post(
        base + "request/",
        {
            "source_model_id": source.pk,
            "calibration_kind": "npy",
            "calibration_files": [npy(np.ones((2, 1, 3, 16, 16), np.float32))],
        },
        format="multipart",
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["state"] == "queued" and body["source"]["name"] == "Blur net" and body["result"] is None
    again = api.post(
        base + "request/",
        {"source_model_id": source.pk, "calibration_kind": "random", "sample_count": 1},
        format="json",
    )
    assert again.status_code == 400 and again.json()["code"] == "quantization_active"
    with django_assert_max_num_queries(6):
        assert len(api.get(base).json()) == 1
    api.force_authenticate(organizer)
    assert [q["team"] for q in api.get(base).json()] == [source.team.name]
    cancelled = api.post(f"{base}{body['id']}/cancel/")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"


def test_job_list_query_count_does_not_grow_with_quantizations(
    client, team, member, source, event, django_assert_max_num_queries
):
    login(client, member)
    url = reverse("npu_jobs:job_list", kwargs={"event_slug": event.slug})
    for _ in range(4):
        queued = quantization.model_quantization_request(
            team=team,
            requested_by=member,
            request=QuantizationRequest(source_model_id=source.pk, calibration_kind="random", sample_count=1),
        )
        quantization.model_quantization_cancel(quantization_id=queued.pk, cancelled_by=member)
    # 16 for the page itself, plus the storage allowance (1) and utilization's section of the team's own usage (5:
    # its finished jobs' hours from the rollup and its open jobs are two queries).
    with django_assert_max_num_queries(22):
        page = client.get(url)
    assert page.status_code == 200 and page.text.count("/quantize/") >= 4


def test_the_form_and_its_errors_speak_korean(client, member, event, source):
    login(client, member)
    url = reverse("npu_jobs:quantization_request", kwargs={"event_slug": event.slug})
    page = client.get(url, headers={"Accept-Language": "ko"})
    assert "Warboy용으로 모델 양자화" in page.text and "캘리브레이션 방법" in page.text
    refused = client.post(
        url,
        {"source": source.pk, "method": "MIN_MAX_ASYM", "calibration_kind": "random", "sample_count": ""},
        headers={"Accept-Language": "ko"},
    )
    assert "샘플은 1개에서" in refused.text
