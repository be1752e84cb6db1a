"""Calibration samples for the quantization step, built in the worker from what the team uploaded.

No Django here. The result is one array per model input, shaped [samples, *input shape], which the quantizer
process (npu_jobs.runner.quantize, under furiosa-quantizer's own Python) reads from an .npz file. Bad uploads raise
ModelError with a message for the team.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from npu_jobs.runner.child import ModelError, image_array, image_paths, npy_arrays, random_tensor


def _samples_of(name: str, array: np.ndarray, shape: list[int], limit: int) -> np.ndarray:
    """Accept [samples, *shape], or one sample shaped exactly like the input."""
    if list(array.shape) == list(shape):
        array = array[np.newaxis]
    if list(array.shape[1:]) != list(shape):
        raise ModelError(
            f"Calibration samples for input '{name}' must be shaped [samples, {', '.join(map(str, shape))}]; "
            f"the upload is {list(array.shape)}."
        )
    if len(array) == 0:
        raise ModelError(f"The upload has no samples for input '{name}'.")
    return array[:limit]


def calibration_arrays(
    *,
    kind: str,
    path: str,
    preset: str,
    shapes: dict[str, list[int]],
    dtypes: dict[str, str],
    count: int,
    limit: int,
    seed: int = 0,
) -> dict[str, np.ndarray]:
    if kind == "random":
        rng = np.random.default_rng(seed)
        return {
            name: np.stack([random_tensor(rng, shape, dtypes.get(name, "float32")) for _ in range(min(count, limit))])
            for name, shape in shapes.items()
        }
    if kind == "npy":
        arrays = npy_arrays(Path(path), list(shapes))
        samples = {name: _samples_of(name, arrays[name], shapes[name], limit) for name in shapes}
        counts = {len(array) for array in samples.values()}
        if len(counts) != 1:
            raise ModelError("Every input needs the same number of calibration samples.")
        return {
            name: array.astype(np.dtype(dtypes.get(name, "float32")), copy=False) for name, array in samples.items()
        }
    if kind == "images":
        ((name, shape),) = shapes.items()
        if len(shape) != 4 or shape[0] != 1:
            raise ModelError(f"Image calibration needs a (1, C, H, W) input; the model's is {shape}.")
        _batch, _channels, height, width = shape
        paths = image_paths(Path(path))[:limit]
        frames = [image_array(image, preset, width, height)[np.newaxis] for image in paths]
        return {name: np.stack(frames).astype(np.dtype(dtypes.get(name, "float32")))}
    raise ModelError(f"Unknown calibration kind {kind!r}.")
