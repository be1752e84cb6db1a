"""Calibrate and quantize one ONNX model for Warboy with furiosa-quantizer, and report as JSON lines.

Runs under the quantizer's own interpreter (NPU_JOBS_QUANTIZER_PYTHON): furiosa-quantizer 0.10 needs Python 3.10
and onnx 1.14, which HackNPU's own environment (Python 3.11, onnx 1.23) cannot hold. So this file imports nothing
from HackNPU and nothing beyond the standard library, numpy, onnx and furiosa.

    python -m npu_jobs.runner.quantize --check
    python -m npu_jobs.runner.quantize --model in.onnx --calibration samples.npz --method MIN_MAX_ASYM \\
        --input-shapes '{"input": [1, 3, 224, 224]}' --output out.onnx

The calibration file holds one array per model input, named after it, shaped [samples, *input shape].
Events on stdout: versions, progress, result, error. The output is written to a temporary name and renamed, so
a killed run never leaves a half-written model behind.
"""

import argparse
import json
import os
import sys
import time

PROGRESS_EVERY_SECONDS = 0.5
PROTOCOL = {"stream": sys.stdout}


def _emit(**event) -> None:
    stream = PROTOCOL["stream"]
    stream.write(json.dumps(event) + "\n")
    stream.flush()


def _versions() -> dict:
    import furiosa.optimizer
    import furiosa.quantizer
    import numpy
    import onnx

    return {
        "furiosa-quantizer": furiosa.quantizer.__full_version__,
        "furiosa-optimizer": str(furiosa.optimizer.__version__),
        "onnx": onnx.__version__,
        "numpy": numpy.__version__,
        "python": sys.version.split()[0],
    }


def quantize_model(
    *, model_path: str, calibration_path: str, method: str, input_shapes: dict, output_path: str
) -> dict:
    import numpy as np
    import onnx
    from furiosa.optimizer import optimize_model
    from furiosa.quantizer import CalibrationMethod, Calibrator, quantize

    started = time.perf_counter()
    model = optimize_model(onnx.load(model_path), input_shapes=input_shapes or None)
    initializers = {init.name for init in model.graph.initializer}
    names = [value.name for value in model.graph.input if value.name not in initializers]
    with np.load(calibration_path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    missing = [name for name in names if name not in arrays]
    if missing:
        raise ValueError(f"The calibration samples have no array for input(s) {missing}.")
    count = min(len(arrays[name]) for name in names)
    if count == 0:
        raise ValueError("There are no calibration samples.")
    calibrator = Calibrator(model, CalibrationMethod[method])
    last_report = 0.0
    for index in range(count):
        calibrator.collect_data([[arrays[name][index] for name in names]])
        now = time.perf_counter()
        if now - last_report >= PROGRESS_EVERY_SECONDS or index + 1 == count:
            last_report = now
            _emit(event="progress", done=index + 1, total=count)
    ranges = calibrator.compute_range()
    quantized = quantize(model, ranges)
    partial = f"{output_path}.partial"
    with open(partial, "wb") as handle:
        handle.write(quantized)
    os.replace(partial, output_path)
    return {"samples": count, "tensors": len(ranges), "seconds": time.perf_counter() - started, "bytes": len(quantized)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--check", action="store_true", help="print the quantizer's versions and exit")
    parser.add_argument("--model")
    parser.add_argument("--calibration")
    parser.add_argument("--method", default="MIN_MAX_ASYM")
    parser.add_argument("--input-shapes", default="{}")
    parser.add_argument("--output")
    args = parser.parse_args()
    PROTOCOL["stream"] = sys.stdout
    sys.stdout = sys.stderr  # whatever a library prints goes to stderr, not into the protocol
    try:
        versions = _versions()
    except Exception as exc:
        _emit(event="error", kind="platform", message=f"furiosa-quantizer unavailable: {type(exc).__name__}: {exc}")
        sys.exit(3)
    _emit(event="versions", versions=versions)
    if args.check:
        return
    try:
        result = quantize_model(
            model_path=args.model,
            calibration_path=args.calibration,
            method=args.method,
            input_shapes=json.loads(args.input_shapes),
            output_path=args.output,
        )
    except Exception as exc:
        _emit(event="error", kind="model", message=f"{type(exc).__name__}: {str(exc)[:1500]}")
        sys.exit(2)
    _emit(event="result", **result)


if __name__ == "__main__":
    main()
