"""What a worker does with a quantization: claim it, build the calibration samples, run furiosa-quantizer in its
own interpreter, and register the result as the team's new INT8 model.

The quantizer runs in a child process (it needs Python 3.10; see npu_jobs/runner/quantize.py), so a crash or a
hang costs that process only: this code renews the lease, watches for a cancel request and enforces the time limit.
"""

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any, Protocol

import numpy as np
from django.conf import settings
from django.utils.translation import gettext as _

from core.leased_work import LeaseKeeper, WorkLog
from npu_jobs.models import ModelQuantization, NpuJob
from npu_jobs.runner.calibration import calibration_arrays
from npu_jobs.runner.child import ModelError
from npu_jobs.runner.supervisor import JsonLinesReader
from npu_jobs.services import files
from npu_jobs.services import quantization as quantization_services
from npu_jobs.services.onnx_models import onnx_model_inspect

logger = logging.getLogger("npu_jobs.quantization")
State = ModelQuantization.State
Failure = NpuJob.FailureKind


class Finish(Protocol):
    """model_quantization_execute's finish(): end the quantization with this state; returns the state."""

    def __call__(
        self, state: str, *, failure_kind: str = "", reason: str = "", model_info: dict[str, Any] | None = None
    ) -> str: ...


def quantizer_command() -> list[str]:
    return [settings.NPU_JOBS_QUANTIZER_PYTHON or sys.executable, "-m", "npu_jobs.runner.quantize"]


def quantizer_detect(timeout: float = 120) -> tuple[bool, str, dict]:
    """Can this host quantize? (available, reason if not, versions). Never raises."""
    if not settings.NPU_JOBS_QUANTIZER_PYTHON:
        return False, "NPU_JOBS_QUANTIZER_PYTHON is not set (see requirements-quantizer.txt)", {}
    try:
        completed = subprocess.run(
            [*quantizer_command(), "--check"],
            cwd=settings.BASE_DIR,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        return False, f"{type(exc).__name__}: {exc}", {}
    for line in reversed(completed.stdout.strip().splitlines()):
        try:
            event = json.loads(line)
        except json.JSONDecodeError:
            continue
        if event.get("event") == "versions":
            return True, "", event["versions"]
        if event.get("event") == "error":
            return False, event.get("message", ""), {}
    return False, f"exit code {completed.returncode}: {completed.stderr.strip()[-300:]}", {}


def model_quantization_execute(*, quantization_id: int, worker_name: str) -> str:
    quantization = quantization_services.model_quantization_claim(
        quantization_id=quantization_id, worker_name=worker_name
    )
    if quantization is None:
        return "nothing to claim"
    token = quantization.claim_token
    work = files.team_dir_relative(quantization.team, f"calibration/quantization-{quantization.pk}")
    samples = files.media_path(f"{work}/samples-attempt-{quantization.attempts}.npz")
    output_relative = f"{files.team_dir_relative(quantization.team, 'models')}/quantized-{quantization.pk}-{uuid.uuid4().hex[:8]}.onnx"
    output = files.media_path(output_relative)
    samples.parent.mkdir(parents=True, exist_ok=True)
    output.parent.mkdir(parents=True, exist_ok=True)
    log = WorkLog()

    def finish(
        state: str, *, failure_kind: str = "", reason: str = "", model_info: dict[str, Any] | None = None
    ) -> str:
        log.note(reason)
        if state != State.SUCCEEDED:
            output.unlink(missing_ok=True)
        quantization_services.model_quantization_finish(
            quantization_id=quantization.pk,
            claim_token=token,
            state=state,
            failure_kind=failure_kind,
            reason=reason,
            output_relative=output_relative if state == State.SUCCEEDED else "",
            model_info=model_info,
            log_text=log.take(),
        )
        return state

    try:
        try:
            arrays = calibration_arrays(
                kind=quantization.calibration_kind,
                path=str(files.media_path(quantization.calibration_path)) if quantization.calibration_path else "",
                preset=quantization.preset,
                shapes=quantization.input_shapes,
                dtypes={spec["name"]: spec.get("dtype") or "float32" for spec in quantization.source.inputs},
                count=quantization.sample_count,
                limit=settings.NPU_JOBS_QUANTIZE_MAX_SAMPLES,
                seed=quantization.pk,
            )
        except ModelError as exc:
            return finish(State.FAILED, failure_kind=Failure.MODEL, reason=str(exc))
        np.savez(samples, **arrays)
        count = len(next(iter(arrays.values())))
        log.note(f"{count} calibration samples, method {quantization.method}, on {worker_name}")
        command = [
            *quantizer_command(),
            "--model",
            str(files.media_path(quantization.source.file_path)),
            "--calibration",
            str(samples),
            "--method",
            quantization.method,
            "--input-shapes",
            json.dumps(quantization.input_shapes),
            "--output",
            str(output),
        ]
        return _supervise(quantization, token, command, output, finish, log)
    finally:
        samples.unlink(missing_ok=True)


def _supervise(
    quantization: ModelQuantization, token: str, command: list[str], output: Path, finish: Finish, log: WorkLog
) -> str:
    keeper = LeaseKeeper(
        quantization_services.QUANTIZATION_WORK,
        pk=quantization.pk,
        claim_token=token,
        time_limit_seconds=quantization.time_limit_seconds,
    )
    stderr_path = Path(f"{output}.stderr")
    with open(stderr_path, "w+b") as stderr:
        process = subprocess.Popen(
            command,
            cwd=settings.BASE_DIR,
            stdout=subprocess.PIPE,
            stderr=stderr,
            env=dict(os.environ, PYTHONUNBUFFERED="1"),
        )
        try:
            result, error = _read_events(quantization, token, process, log, keeper)
        finally:
            if process.poll() is None:
                process.kill()
            process.wait(timeout=30)
            if process.stdout is not None:  # always: stdout=PIPE
                process.stdout.close()
        stderr.seek(0)
        stderr_tail = stderr.read()[-1500:].decode(errors="replace").strip()
    stderr_path.unlink(missing_ok=True)
    if result == "lease lost":
        return result
    if result == "cancelled":
        return finish(State.CANCELLED, reason=_("Cancelled while running."))
    if result == "timed out":
        return finish(
            State.FAILED,
            failure_kind=Failure.MODEL,
            reason=_("Stopped: the quantization exceeded its time limit of %(s)s seconds.")
            % {"s": quantization.time_limit_seconds},
        )
    if error is not None:
        kind = Failure.PLATFORM if error.get("kind") == "platform" else Failure.MODEL
        return finish(
            State.FAILED,
            failure_kind=kind,
            reason=_("furiosa-quantizer failed: %(msg)s") % {"msg": error.get("message", "")},
        )
    if not isinstance(result, dict) or process.returncode != 0:  # no result event (None)
        return finish(
            State.FAILED,
            failure_kind=Failure.MODEL,
            reason=_("The quantizer stopped (exit code %(code)s): %(err)s")
            % {"code": process.returncode, "err": stderr_tail[-500:] or "-"},
        )
    info = onnx_model_inspect(output)
    if not info.get("ok"):
        return finish(
            State.FAILED,
            failure_kind=Failure.PLATFORM,
            reason=_("The quantized model did not pass the ONNX check: %(err)s") % {"err": info.get("error")},
        )
    log.note(
        f"done: {result.get('samples')} samples, {result.get('tensors')} tensor ranges, "
        f"{result.get('seconds', 0):.1f}s, {result.get('bytes', 0)} bytes"
    )
    return finish(State.SUCCEEDED, model_info=info)


def _read_events(
    quantization: ModelQuantization,
    token: str,
    process: subprocess.Popen[bytes],
    log: WorkLog,
    keeper: LeaseKeeper,
) -> tuple[str | dict[str, Any] | None, dict[str, Any] | None]:
    """Read the quantizer's events until it ends. Returns (result event | "cancelled" | "timed out" |
    "lease lost" | None, error event | None)."""
    reader = JsonLinesReader(process.stdout)
    result = error = None
    while True:
        stop = keeper.check()
        if stop is not None:
            return stop, None
        try:
            event = reader.next_event(keeper.wait_seconds())
        except EOFError:
            return result, error
        if event is None:
            continue
        lines = []
        if event.get("event") == "versions":
            quantization_services.model_quantization_log(
                quantization_id=quantization.pk, claim_token=token, text="", versions=event["versions"]
            )
        elif event.get("event") == "progress":
            lines.append(f"calibrated {event['done']} of {event['total']} samples")
        elif event.get("event") == "result":
            result = event
        elif event.get("event") == "error":
            error = event
        if lines:
            for line in lines:
                log.note(line)
            quantization_services.model_quantization_log(
                quantization_id=quantization.pk, claim_token=token, text=log.take()
            )
