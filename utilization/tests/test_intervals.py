"""Busy time from job intervals, on hand-computed intervals."""

from datetime import timedelta

from utilization.intervals import busy_seconds_per_bucket, intervals_union, job_intervals
from utilization.tests.conftest import T0

M = timedelta(minutes=1)


def at(minutes=0, seconds=0):
    return T0 + timedelta(minutes=minutes, seconds=seconds)


def test_overlapping_jobs_count_once():
    # job A 10:00:00-10:00:40, job B 10:00:20-10:01:10 -> busy 10:00:00-10:01:10
    union = intervals_union([(at(0, 0), at(0, 40)), (at(0, 20), at(1, 10))])
    assert union == [(at(0, 0), at(1, 10))]
    buckets = busy_seconds_per_bucket(union, start=at(0), end=at(2), width=M)
    assert buckets == [(at(0), 60.0), (at(1), 10.0)]


def test_unfinished_job_runs_until_now_and_a_queued_one_is_skipped():
    now = at(2, 30)
    intervals = job_intervals([(at(1, 45), None), (None, None), (at(0, 0), at(0, 15))], now=now)
    assert intervals == [(at(1, 45), now), (at(0, 0), at(0, 15))]
    buckets = busy_seconds_per_bucket(intervals, start=at(0), end=at(3), width=M)
    assert buckets == [(at(0), 15.0), (at(1), 15.0), (at(2), 30.0)]


def test_a_job_spanning_buckets_is_cut_at_each_boundary():
    buckets = busy_seconds_per_bucket([(at(0, 30), at(3, 15))], start=at(0), end=at(4), width=M)
    assert buckets == [(at(0), 30.0), (at(1), 60.0), (at(2), 60.0), (at(3), 15.0)]


def test_touching_and_nested_intervals_and_no_jobs():
    union = intervals_union([(at(0, 0), at(0, 10)), (at(0, 10), at(0, 20)), (at(0, 2), at(0, 5)), (at(1), at(1))])
    assert union == [(at(0, 0), at(0, 20))]
    assert busy_seconds_per_bucket([], start=at(0), end=at(2), width=M) == [(at(0), 0.0), (at(1), 0.0)]
