"""Inference backends behind one small interface. Imported by the runner child, which has no Django.

A backend loads a model on a device and runs a dict of numpy arrays through it. FuriosaBackend imports
furiosa-sdk only when it is used, so a host without the SDK (or without the driver) still imports this module.
"""

from __future__ import annotations

import platform
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np


class BackendUnavailable(RuntimeError):
    """The backend cannot run on this host (package or driver missing)."""


@dataclass
class TensorSpec:
    name: str
    shape: list  # ints, or None / a string for a dynamic dimension
    dtype: str


@dataclass
class LoadedModel:
    handle: object
    inputs: list[TensorSpec]
    outputs: list[TensorSpec] = field(default_factory=list)


class Backend(Protocol):
    name: str

    def versions(self) -> dict[str, str]: ...

    def load(self, path: str, *, device: str, batch_size: int) -> LoadedModel: ...

    def run(self, model: LoadedModel, feeds: dict[str, np.ndarray]) -> list[np.ndarray]: ...

    def close(self, model: LoadedModel) -> None: ...


ONNX_TYPES = {
    "tensor(float)": "float32",
    "tensor(float16)": "float16",
    "tensor(double)": "float64",
    "tensor(int8)": "int8",
    "tensor(uint8)": "uint8",
    "tensor(int16)": "int16",
    "tensor(int32)": "int32",
    "tensor(int64)": "int64",
    "tensor(bool)": "bool",
}


class OnnxRuntimeBackend:
    name = "onnxruntime-cpu"

    def versions(self) -> dict[str, str]:
        import onnxruntime

        return {"onnxruntime": onnxruntime.__version__, "numpy": np.__version__, "python": platform.python_version()}

    def load(self, path: str, *, device: str = "cpu", batch_size: int = 1) -> LoadedModel:
        import onnxruntime

        options = onnxruntime.SessionOptions()
        options.log_severity_level = 3
        session = onnxruntime.InferenceSession(path, sess_options=options, providers=["CPUExecutionProvider"])

        def specs(items):
            return [
                TensorSpec(
                    i.name, [d if isinstance(d, int) else None for d in i.shape], ONNX_TYPES.get(i.type, "float32")
                )
                for i in items
            ]

        return LoadedModel(handle=session, inputs=specs(session.get_inputs()), outputs=specs(session.get_outputs()))

    def run(self, model: LoadedModel, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        return model.handle.run(None, feeds)

    def close(self, model: LoadedModel) -> None:
        model.handle = None


class FuriosaBackend:
    """Warboy through furiosa-sdk's synchronous runner: furiosa.runtime.sync.create_runner(model, device=...)."""

    name = "furiosa-warboy"

    def __init__(self):
        self._sync = None

    def _runtime(self):
        if self._sync is None:
            try:
                from furiosa.runtime import sync  # lazily: the SDK needs the driver (libfuriosa_hal.so)
            except Exception as exc:  # ImportError without the SDK, RuntimeError without the driver
                raise BackendUnavailable(f"{type(exc).__name__}: {exc}") from exc
            self._sync = sync
        return self._sync

    def versions(self) -> dict[str, str]:
        self._runtime()
        import furiosa.runtime

        versions = {
            "furiosa-runtime": getattr(furiosa.runtime, "__version__", "unknown"),
            "numpy": np.__version__,
            "python": platform.python_version(),
        }
        try:
            from furiosa.runtime import full_version  # type: ignore[attr-defined]

            versions["furiosa-runtime-full"] = str(full_version)
        except Exception:  # noqa: S110 - only a nicer version string
            pass
        return versions

    def load(self, path: str, *, device: str, batch_size: int = 1) -> LoadedModel:
        sync = self._runtime()
        runner = sync.create_runner(path, device=device, batch_size=batch_size)
        model = runner.model

        def specs(tensors):
            return [
                TensorSpec(t.name or f"input_{i}", list(t.shape), str(np.dtype(t.numpy_dtype)))
                for i, t in enumerate(tensors)
            ]

        return LoadedModel(handle=runner, inputs=specs(model.inputs()), outputs=specs(model.outputs()))

    def run(self, model: LoadedModel, feeds: dict[str, np.ndarray]) -> list[np.ndarray]:
        names = [spec.name for spec in model.inputs]
        return list(model.handle.run([feeds[name] for name in names]))

    def close(self, model: LoadedModel) -> None:
        if model.handle is not None:
            model.handle.close()
            model.handle = None


BACKENDS = {"cpu": OnnxRuntimeBackend, "npu": FuriosaBackend}


def backend_for(queue: str) -> Backend:
    return BACKENDS[queue]()


def npu_runtime_detect() -> tuple[bool, str, dict[str, str]]:
    """Can this host run NPU jobs? (available, reason if not, versions). Never raises."""
    backend = FuriosaBackend()
    try:
        versions = backend.versions()
    except BackendUnavailable as exc:
        return False, str(exc), {}
    except Exception as exc:
        return False, f"{type(exc).__name__}: {exc}", {}
    return True, "", versions
