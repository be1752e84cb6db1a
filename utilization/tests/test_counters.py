"""The Warboy counter arithmetic on recorded readings (two readings in, figures out)."""

import pytest

from utilization.counters import CoreCounters, core_figures, device_figures, perf_regs_parse, sensor_mean

# Two readings of one Warboy core's perf_regs, 5 s apart, as the sysfs file prints them (abridged: the lines the
# arithmetic ignores are kept so the parser is tested on the real layout).
FIRST = """ProgramCounter: 0x4c2c
InstructionCount: 0x98616
TensorExecutionCount: 0x16cdf
TaskExecutionTime: 0x8a035bf
TensorExecutionTime: 0x88c229e
LastTensorExecutionTime: 0x533
WaitTag: 0x0
DataMemoryControllerTotalDramToSramLatency: 0x1ac1040
CycleCount: 0x35f8bf98
CycleCountHigh: 0x0
"""
SECOND = """ProgramCounter: 0x5270
InstructionCount: 0x100f44
TensorExecutionCount: 0x26773
TaskExecutionTime: 0xe98fb61
TensorExecutionTime: 0xe68014a
LastTensorExecutionTime: 0x533
WaitTag: 0x8
DataMemoryControllerTotalDramToSramLatency: 0x2d0bf26
CycleCount: 0x4235c692
CycleCountHigh: 0x0
"""


def test_parse_reads_the_four_counters_and_joins_the_64_bit_cycle_count():
    counters = perf_regs_parse(FIRST.replace("CycleCountHigh: 0x0", "CycleCountHigh: 0x2"), at=1.0)
    assert counters.cycle_count == (2 << 32) + 0x35F8BF98
    assert counters.task_execution_cycles == 0x8A035BF
    assert counters.tensor_execution_cycles == 0x88C229E


def test_parse_refuses_a_file_without_the_counters():
    with pytest.raises(ValueError, match="CycleCount"):
        perf_regs_parse("ProgramCounter: 0x1\nTaskExecutionTime: 0x2\n", at=0)


def test_busy_compute_and_io_from_two_recorded_readings():
    first, second = perf_regs_parse(FIRST, at=0.0), perf_regs_parse(SECOND, at=5.0)
    figures = core_figures(first, second)
    # Δtask = 0xe98fb61 - 0x8a035bf = 100_189_602; Δcycles = 0x4235c692 - 0x35f8bf98 = 205_326_074
    # (FuriosaAI's own test of these readings expects 0.4880, 0.9811 and 0.0189: device-api perf_regs.rs)
    assert round(figures.busy_ratio, 4) == round(100_189_602 / 205_326_074, 4) == 0.4880
    # Δtensor = 0xe68014a - 0x88c229e = 98_295_468 -> compute 98_295_468 / 100_189_602, I/O the rest
    assert round(figures.compute_ratio, 4) == 0.9811
    assert round(figures.io_ratio, 4) == 0.0189
    assert core_figures(second, first) == figures  # order of the arguments does not matter


def test_a_32_bit_counter_that_wrapped_still_gives_the_true_delta():
    before = CoreCounters(at=0, cycle_count=10_000_000_000, task_execution_cycles=0xFFFF0000, tensor_execution_cycles=0)
    after = CoreCounters(at=5, cycle_count=10_004_000_000, task_execution_cycles=0x00010000, tensor_execution_cycles=0)
    figures = core_figures(before, after)
    assert figures.busy_ratio == pytest.approx(0x20000 / 4_000_000)


def test_a_reset_device_or_impossible_readings_give_no_figure():
    a = CoreCounters(at=0, cycle_count=1000, task_execution_cycles=0, tensor_execution_cycles=0)
    assert (
        core_figures(a, CoreCounters(at=5, cycle_count=10, task_execution_cycles=5, tensor_execution_cycles=0)) is None
    )
    assert (
        core_figures(a, CoreCounters(at=5, cycle_count=1100, task_execution_cycles=500, tensor_execution_cycles=0))
        is None
    )


def test_an_idle_core_is_zero_and_the_tensor_counter_running_ahead_is_capped():
    a = CoreCounters(at=0, cycle_count=1000, task_execution_cycles=50, tensor_execution_cycles=40)
    idle = core_figures(a, CoreCounters(at=5, cycle_count=2000, task_execution_cycles=50, tensor_execution_cycles=40))
    assert (idle.busy_ratio, idle.compute_ratio, idle.io_ratio) == (0.0, 0.0, 0.0)
    ahead = core_figures(
        a, CoreCounters(at=5, cycle_count=2000, task_execution_cycles=150, tensor_execution_cycles=200)
    )
    assert (ahead.busy_ratio, ahead.compute_ratio, ahead.io_ratio) == (0.1, 1.0, 0.0)


def test_a_device_is_the_mean_of_its_valid_cores_and_sensors_are_scaled():
    first, second = perf_regs_parse(FIRST, at=0.0), perf_regs_parse(SECOND, at=5.0)
    core0 = core_figures(first, second)
    assert device_figures([core0, None]) == core0
    assert device_figures([None]) is None
    # hwmon: millidegrees and microwatts
    assert sensor_mean([41000, 43000], scale=1000.0) == 42.0
    assert sensor_mean([12_500_000], scale=1_000_000.0) == 12.5
    assert sensor_mean([], scale=1000.0) is None
