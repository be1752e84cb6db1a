"""Warboy utilization from two readings of a core's performance counters: pure arithmetic, no driver needed.

A Warboy core ("PE") exposes its counters in sysfs at /sys/class/npu_mgmt/npu<N>pe<core>/perf_regs as lines of
"Name: 0xHEX". Busy is Δ TaskExecutionTime ÷ Δ CycleCount between two readings (never the single-read "since
boot" average), compute ratio is Δ TensorExecutionTime ÷ Δ TaskExecutionTime, and I/O ratio is what remains.
CycleCount is 64-bit (CycleCount + CycleCountHigh << 32); the other counters are 32-bit and wrap.

Sources used (read, not copied): furiosa-ai/device-api, device-api/src/perf_regs.rs (the counter names,
PerformanceCounter::parse and calculate_performance_values, and its recorded readings in test_diff) and
device-api/src/sysfs.rs (the perf_regs path); furiosa-ai/furiosa-metrics-exporter,
internal/collector/core_utilization.go (furiosa_npu_core_utilization, in percent, labelled arch/device/core/uuid).
"""

from __future__ import annotations

from dataclasses import dataclass

U32 = 1 << 32


@dataclass(frozen=True)
class CoreCounters:
    """One reading of one core's counters; `at` is the monotonic time of the reading in seconds."""

    at: float
    cycle_count: int
    task_execution_cycles: int
    tensor_execution_cycles: int


@dataclass(frozen=True)
class CoreFigures:
    busy_ratio: float
    compute_ratio: float
    io_ratio: float


def perf_regs_parse(text: str, *, at: float) -> CoreCounters:
    """Parse a perf_regs file. Raises ValueError when one of the four counters we need is missing."""
    values: dict[str, int] = {}
    for line in text.splitlines():
        name, sep, raw = line.partition(": ")
        if sep and name in ("TaskExecutionTime", "TensorExecutionTime", "CycleCount", "CycleCountHigh"):
            values[name] = int(raw.strip(), 16)
    missing = {"TaskExecutionTime", "TensorExecutionTime", "CycleCount", "CycleCountHigh"} - set(values)
    if missing:
        raise ValueError(f"perf_regs lacks {', '.join(sorted(missing))}")
    return CoreCounters(
        at=at,
        cycle_count=(values["CycleCountHigh"] << 32) | values["CycleCount"],
        task_execution_cycles=values["TaskExecutionTime"],
        tensor_execution_cycles=values["TensorExecutionTime"],
    )


def _u32_delta(later: int, earlier: int) -> int:
    return later - earlier if later >= earlier else later + U32 - earlier


def core_figures(first: CoreCounters, second: CoreCounters) -> CoreFigures | None:
    """Busy, compute and I/O ratios between two readings (in either order), or None when the readings cannot be
    compared: the cycle counter went backwards (the device was reset) or more task cycles than cycles passed."""
    earlier, later = (first, second) if first.at <= second.at else (second, first)
    if later.cycle_count < earlier.cycle_count:
        return None
    cycles = later.cycle_count - earlier.cycle_count
    task = _u32_delta(later.task_execution_cycles, earlier.task_execution_cycles)
    tensor = _u32_delta(later.tensor_execution_cycles, earlier.tensor_execution_cycles)
    if cycles < task:
        return None
    if task == 0 or cycles == 0:
        return CoreFigures(busy_ratio=0.0, compute_ratio=0.0, io_ratio=0.0)
    # The tensor counter is read a moment after the task counter, so it can run ahead: cap the ratio at 1.
    compute = 1.0 if tensor > task else tensor / task
    return CoreFigures(busy_ratio=task / cycles, compute_ratio=compute, io_ratio=1.0 - compute)


def device_figures(per_core: list[CoreFigures | None]) -> CoreFigures | None:
    """A device's figures: the mean over its cores that gave a valid reading."""
    valid = [f for f in per_core if f is not None]
    if not valid:
        return None
    n = len(valid)
    return CoreFigures(
        busy_ratio=sum(f.busy_ratio for f in valid) / n,
        compute_ratio=sum(f.compute_ratio for f in valid) / n,
        io_ratio=sum(f.io_ratio for f in valid) / n,
    )


def sensor_mean(values: list[int], *, scale: float) -> float | None:
    """hwmon readings in raw units (millidegrees, microwatts) to one figure: the mean over the sensors, scaled."""
    return sum(values) / len(values) / scale if values else None
