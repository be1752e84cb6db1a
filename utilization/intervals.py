"""Busy time from job intervals: a device is busy while at least one of its jobs runs. Pure functions.

Each job gives [started_at, finished_at], or [started_at, now] while it runs. Overlapping jobs on one device count
once (the union), so a device is never more than 100 % busy.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta

Interval = tuple[datetime, datetime]


def intervals_union(intervals: Iterable[Interval]) -> list[Interval]:
    """Merge overlapping or touching intervals; empty or reversed ones are dropped."""
    merged: list[list[datetime]] = []
    for start, end in sorted((s, e) for s, e in intervals if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(s, e) for s, e in merged]


def job_intervals(jobs: Iterable[tuple[datetime | None, datetime | None]], *, now: datetime) -> list[Interval]:
    """(started_at, finished_at) pairs to intervals: a job that never started is skipped, an unfinished one runs
    until now."""
    return [(started, finished or now) for started, finished in jobs if started is not None]


def busy_seconds_per_bucket(
    intervals: Iterable[Interval], *, start: datetime, end: datetime, width: timedelta
) -> list[tuple[datetime, float]]:
    """[(bucket start, busy seconds)] for every bucket of `width` from `start` up to `end`, from the union of
    the intervals intersected with each bucket."""
    union = intervals_union(intervals)
    buckets: list[tuple[datetime, float]] = []
    bucket = start
    i = 0
    while bucket < end:
        bucket_end = bucket + width
        while i < len(union) and union[i][1] <= bucket:
            i += 1  # intervals wholly before this bucket never matter again
        busy = 0.0
        j = i
        while j < len(union) and union[j][0] < bucket_end:
            overlap = min(union[j][1], bucket_end) - max(union[j][0], bucket)
            busy += max(overlap.total_seconds(), 0.0)
            j += 1
        buckets.append((bucket, busy))
        bucket = bucket_end
    return buckets
