"""A participant's main path in a real Chromium with real workers: upload a model and run it, watch the job finish
live, quantize the model for Warboy, and get to an NPU job with the quantized model."""

import re

import pytest
from django.conf import settings
from playwright.sync_api import expect

from npu_jobs.models import ModelQuantization, NpuJob
from npu_jobs.tests import onnx_models

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_participant_runs_a_model_and_quantizes_it_for_warboy(
    log_in, page, team, member, give_quota, npu_worker, tmp_path
):
    give_quota(team, 3600)
    queues = ("cpu", "quantize") if settings.NPU_JOBS_QUANTIZER_PYTHON else ("cpu",)
    npu_worker(queues=queues, env={"NPU_JOBS_HEARTBEAT_SECONDS": "1"})
    model_file = onnx_models.conv_net(tmp_path / "blur-net.onnx")
    log_in(page, member)

    page.goto(f"/e/{team.event.slug}/jobs/")
    page.get_by_role("button", name="Run a model").click()
    page.get_by_label("…or upload a model").set_input_files(str(model_file))
    page.get_by_role("spinbutton", name="Iterations", exact=True).fill("20")
    page.get_by_label("Warm-up iterations").fill("2")
    page.get_by_role("button", name="Queue the job").click()
    expect(page).to_have_url(re.compile(r"/jobs/\d+/$"))
    # The live part refreshes itself until the job ends: no reload.
    expect(page.locator("#job-live .badge").first).to_have_text("Succeeded", timeout=90_000)
    job = NpuJob.objects.get()
    expect(page.locator("#job-live")).to_contain_text(f"{job.throughput_per_second:.1f}")
    expect(page.locator("#job-live")).to_contain_text("CPU run")

    if not settings.NPU_JOBS_QUANTIZER_PYTHON:
        pytest.skip("no furiosa-quantizer environment here: the quantization half needs `make .venv-quantizer/.done`")
    page.goto(f"/e/{team.event.slug}/jobs/")
    page.get_by_role("link", name="Quantize", exact=True).click()
    expect(page.get_by_label("Model to quantize")).to_have_value(str(job.model_id))
    page.get_by_role("combobox", name="Samples", exact=True).select_option("random")
    page.get_by_label("Random samples").fill("8")
    page.get_by_role("button", name="Queue the quantization").click()
    expect(page).to_have_url(re.compile(r"/jobs/quantize/\d+/$"))
    expect(page.locator("#quantization-live .badge")).to_have_text("Succeeded", timeout=120_000)
    expect(page.locator("#quantization-live")).to_contain_text("calibrated 8 of 8 samples")
    quantized = ModelQuantization.objects.get().result

    page.get_by_role("button", name="Run it on the NPU").click()
    expect(page.get_by_label("Model from earlier jobs")).to_have_value(str(quantized.pk))
    expect(page.get_by_label("Target")).to_have_value("npu")
