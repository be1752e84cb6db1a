"""What measured jobs show, computed from their stored metrics only (no database, no guessing).

A figure is None when a side did not produce it (it failed, is still queued, or measured nothing). Every figure
travels with the run label, backend and device of the job it came from, so a CPU run is never read as an NPU run.
Submissions and judging cite these.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class JobFigures:
    job_id: int
    run_kind: str
    run_label: str
    backend: str
    device: str
    worker: str
    succeeded: bool
    simulated: bool
    throughput_per_second: float | None
    latency_p50_ms: float | None
    latency_p99_ms: float | None
    cost_per_1k: Decimal | None
    load_cost: Decimal | None
    cost: Decimal | None
    currency: str


def job_figures(job) -> JobFigures:
    succeeded = job.state == "succeeded"
    return JobFigures(
        job_id=job.pk,
        run_kind=job.run_kind,
        run_label=job.run_label,
        backend=job.backend,
        device=job.device,
        worker=job.worker_host,
        succeeded=succeeded,
        simulated=job.simulated,
        throughput_per_second=job.throughput_per_second if succeeded else None,
        latency_p50_ms=job.latency_p50_ms if succeeded else None,
        latency_p99_ms=job.latency_p99_ms if succeeded else None,
        cost_per_1k=job.cost_per_1k if succeeded else None,
        load_cost=job.load_cost,
        cost=job.cost,
        currency=job.currency,
    )


@dataclass(frozen=True)
class PairRatios:
    """`candidate` against `baseline` (e.g. an NPU run against a CPU baseline of the same model and input)."""

    baseline: JobFigures
    candidate: JobFigures
    # candidate throughput ÷ baseline throughput: 3.0 means three times as many inferences per second.
    speedup: float | None
    # candidate steady-state cost per 1,000 inferences ÷ the baseline's: 0.33 means a third of the cost.
    cost_ratio: float | None
    same_currency: bool
    # Both sides ran on the same kind of hardware (e.g. an NPU job that fell back to the CPU): not an NPU speed-up.
    same_hardware: bool


def pair_ratios(baseline_job, candidate_job) -> PairRatios:
    baseline, candidate = job_figures(baseline_job), job_figures(candidate_job)
    speedup = None
    if baseline.throughput_per_second and candidate.throughput_per_second:
        speedup = candidate.throughput_per_second / baseline.throughput_per_second
    same_currency = baseline.currency == candidate.currency
    cost_ratio = None
    if same_currency and baseline.cost_per_1k and candidate.cost_per_1k is not None:
        cost_ratio = float(candidate.cost_per_1k / baseline.cost_per_1k)
    hardware = {"cpu": "cpu", "cpu_fallback": "cpu", "npu": "npu"}
    same_hardware = hardware.get(baseline.run_kind) == hardware.get(candidate.run_kind)
    return PairRatios(baseline, candidate, speedup, cost_ratio, same_currency, same_hardware)
