"""Compute for teams, by subject: allocation (pools, quotas, ledger), execution (models, jobs, quantizations) and
workers (hosts and their devices)."""

from npu_jobs.models.allocation import CloudResource, QuotaLedgerEntry, ResourcePool, TeamQuota
from npu_jobs.models.execution import (
    JobComparison,
    ModelQuantization,
    NpuJob,
    NpuJobTransition,
    OnnxModel,
    QuantizationTransition,
)
from npu_jobs.models.workers import ComputeDevice, WorkerHost

__all__ = [
    "CloudResource",
    "ComputeDevice",
    "JobComparison",
    "ModelQuantization",
    "NpuJob",
    "NpuJobTransition",
    "OnnxModel",
    "QuantizationTransition",
    "QuotaLedgerEntry",
    "ResourcePool",
    "TeamQuota",
    "WorkerHost",
]
