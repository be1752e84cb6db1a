"""Writes for npu_jobs, split by subject: quota (allocations and ledger), pools (resource pools, cloud access),
models (uploads), jobs (submit, claim, lease, finish, cancel, recover), execution (what a worker does with a job),
workers (worker hosts and their devices)."""
