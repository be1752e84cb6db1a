"""Quantization requests: what is refused and why, one at a time per team (also under a race), cancel, recovery,
and the hacking window that also closes job submission."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.exceptions import DomainError
from core.testing import run_concurrently
from npu_jobs.models import ModelQuantization, NpuJob
from npu_jobs.services import files, jobs, quantization
from npu_jobs.services.jobs import JobRequest
from npu_jobs.services.quantization import QuantizationRequest
from npu_jobs.tests import onnx_models

State = ModelQuantization.State


def request(team, user, model, files_=(), **kwargs):
    kwargs.setdefault("calibration_kind", "random")
    kwargs.setdefault("sample_count", 8)
    return quantization.model_quantization_request(
        team=team,
        requested_by=user,
        request=QuantizationRequest(source_model_id=model.pk, **kwargs),
        calibration_files=files_,
    )


def image(name="frame.png"):
    return SimpleUploadedFile(name, b"\x89PNG not really, the worker reads it", content_type="image/png")


def test_a_request_is_queued_with_shapes_for_one_sample_and_audited(team, member, upload_model):
    model = upload_model(team, member, builder=onnx_models.conv_net, dynamic_batch=True)
    queued = request(team, member, model, sample_count=16, method="ENTROPY_ASYM")
    assert queued.state == State.QUEUED and queued.attempts == 0
    assert queued.input_shapes == {"x": [1, 3, 16, 16]}  # the dynamic batch becomes 1 for calibration
    assert (queued.sample_count, queued.method, queued.source) == (16, "ENTROPY_ASYM", model)
    assert team.event.audit_entries.filter(action="npu_model.quantize_request", target_id=str(queued.pk)).exists()


def test_requests_that_cannot_work_are_refused_with_the_reason(
    team, member, other_team, other_member, upload_model, settings
):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    quantized = upload_model(team, member, builder=onnx_models.quantized_dense)
    dense = upload_model(team, member, builder=onnx_models.dense)
    with pytest.raises(PermissionDenied):
        request(team, other_member, model)
    with pytest.raises(DomainError, match="your team's models"):
        request(other_team, other_member, model)
    with pytest.raises(DomainError, match="already quantized"):
        request(team, member, quantized)
    with pytest.raises(DomainError, match=f"between 1 and {settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES}"):
        request(team, member, model, sample_count=0)
    with pytest.raises(DomainError, match="preprocessing preset"):
        request(team, member, model, calibration_kind="images", files_=[image()])
    with pytest.raises(DomainError, match="at least one calibration image"):
        request(team, member, model, calibration_kind="images", preset="imagenet")
    with pytest.raises(DomainError, match="JPEG, PNG"):
        request(
            team,
            member,
            model,
            calibration_kind="images",
            preset="imagenet",
            files_=[SimpleUploadedFile("notes.txt", b"hello")],
        )
    with pytest.raises(DomainError, match=r"one \.npy file"):
        request(team, member, model, calibration_kind="npy", files_=[image()])
    with pytest.raises(DomainError, match="calibration method"):
        request(team, member, model, method="GUESS")
    assert not ModelQuantization.objects.exists()
    assert request(team, member, dense).state == State.QUEUED


def test_one_quantization_at_a_time_per_team_and_uploads_of_a_refused_one_are_not_kept(
    team, member, upload_model, media_root
):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    first = request(team, member, model, calibration_kind="images", preset="imagenet", files_=[image("a.png")])
    stored = files.media_path(first.calibration_path)
    assert [p.name.endswith("a.png") for p in stored.iterdir()] == [True]
    with pytest.raises(DomainError, match="already has a quantization queued or running"):
        request(team, member, model, calibration_kind="images", preset="imagenet", files_=[image("b.png")])
    everything = list(files.media_path(files.team_dir_relative(team, "calibration")).rglob("*.png"))
    assert len(everything) == 1
    quantization.model_quantization_cancel(quantization_id=first.pk, cancelled_by=member)
    assert request(team, member, model).state == State.QUEUED


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_simultaneous_requests_of_one_team_queue_exactly_one(team, member, upload_model):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    results = run_concurrently(lambda _i: request(team, member, model), 10)
    accepted = [r for r in results if isinstance(r, ModelQuantization)]
    refused = [r for r in results if isinstance(r, DomainError) and r.code == "quantization_active"]
    assert len(accepted) == 1 and len(refused) == 9, results
    assert ModelQuantization.objects.filter(team=team).count() == 1


def test_cancel_queued_at_once_running_asks_the_worker_and_outsiders_cannot(
    team, member, other_member, organizer, upload_model
):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    queued = request(team, member, model)
    with pytest.raises(PermissionDenied):
        quantization.model_quantization_cancel(quantization_id=queued.pk, cancelled_by=other_member)
    cancelled = quantization.model_quantization_cancel(quantization_id=queued.pk, cancelled_by=member)
    assert cancelled.state == State.CANCELLED and cancelled.finished_at
    assert quantization.model_quantization_claim(quantization_id=queued.pk, worker_name="w1") is None
    with pytest.raises(DomainError, match="already finished"):
        quantization.model_quantization_cancel(quantization_id=queued.pk, cancelled_by=member)

    running = request(team, member, model)
    claimed = quantization.model_quantization_claim(quantization_id=running.pk, worker_name="w1")
    asked = quantization.model_quantization_cancel(quantization_id=running.pk, cancelled_by=organizer)
    assert asked.state == State.RUNNING and asked.cancel_requested_at
    assert quantization.model_quantization_lease_renew(quantization_id=running.pk, claim_token=claimed.claim_token) == (
        True,
        True,
    )


def test_recover_requeues_a_lost_worker_then_fails_it_and_resends_lost_messages(team, member, upload_model, settings):
    model = upload_model(team, member, builder=onnx_models.conv_net)
    lost = request(team, member, model)
    ModelQuantization.objects.filter(pk=lost.pk).update(max_attempts=2)
    first = quantization.model_quantization_claim(quantization_id=lost.pk, worker_name="w1")
    assert quantization.model_quantization_claim(quantization_id=lost.pk, worker_name="w2") is None  # claimed once
    later = timezone.now() + timedelta(seconds=settings.NPU_JOBS_LEASE_SECONDS + 1)
    assert quantization.model_quantizations_recover(now=later)["requeued"] == 1
    lost.refresh_from_db()
    assert (lost.state, lost.attempts, lost.claim_token, lost.lease_expires_at) == (State.QUEUED, 1, "", None)
    # The first worker comes back late: its lease and its token are gone, so it can neither renew nor finish.
    assert quantization.model_quantization_lease_renew(quantization_id=lost.pk, claim_token=first.claim_token) == (
        False,
        False,
    )
    assert (
        quantization.model_quantization_finish(
            quantization_id=lost.pk, claim_token=first.claim_token, state=State.FAILED, reason="late"
        )
        is None
    )
    quantization.model_quantization_claim(quantization_id=lost.pk, worker_name="w2")
    assert quantization.model_quantizations_recover(now=later + timedelta(minutes=2))["lost"] == 1
    lost.refresh_from_db()
    assert lost.state == State.FAILED and lost.failure_kind == "platform" and "2 times" in lost.failure_reason

    waiting = request(team, member, model)
    assert waiting.enqueued_at is None  # on_commit never ran in this test transaction: the message was "lost"
    stale = timezone.now() + timedelta(seconds=settings.NPU_JOBS_REDISPATCH_AFTER_SECONDS + 1)
    assert quantization.model_quantizations_recover(now=stale)["redispatched"] == 1
    waiting.refresh_from_db()
    assert waiting.enqueued_at is not None


def test_models_run_and_quantize_only_until_hacking_ends(team, member, give_quota, upload_model):
    give_quota(team)
    model = upload_model(team, member, builder=onnx_models.conv_net)
    event = team.event
    after = event.hacking_ends_at + timedelta(seconds=1)
    with pytest.raises(DomainError, match="Hacking ended") as refused:
        jobs.npu_job_submit(
            team=team,
            submitted_by=member,
            now=after,
            request=JobRequest(model_id=model.pk, target="cpu", time_limit_seconds=10),
        )
    assert refused.value.code == "hacking_over" and event.time_zone in refused.value.message
    with pytest.raises(DomainError, match="Hacking ended"):
        quantization.model_quantization_request(
            team=team,
            requested_by=member,
            now=after,
            request=QuantizationRequest(source_model_id=model.pk, calibration_kind="random", sample_count=1),
        )
    before = event.hacking_ends_at - timedelta(seconds=1)
    assert (
        jobs.npu_job_submit(
            team=team,
            submitted_by=member,
            now=before,
            request=JobRequest(model_id=model.pk, target="cpu", time_limit_seconds=10),
        ).state
        == NpuJob.State.QUEUED
    )
