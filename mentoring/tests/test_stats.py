"""The queue's figures on data computed by hand."""

from mentoring import stats


def test_expected_wait_is_rounds_of_mentors_times_mean_handling_time():
    handling = [10.0, 20.0, 15.0]  # mean 15 minutes
    # Two mentors: positions 1 and 2 wait one round (15 min), 3 and 4 two rounds (30), 5 three rounds (45).
    assert [
        stats.expected_wait_minutes(position=p, mentors_on_shift=2, handling_minutes=handling) for p in range(1, 6)
    ] == [
        15,
        15,
        30,
        30,
        45,
    ]
    # One mentor, mean 12.5 minutes: position 3 waits 3 × 12.5 = 37.5 → 38.
    assert stats.expected_wait_minutes(position=3, mentors_on_shift=1, handling_minutes=[10, 15]) == 38


def test_no_estimate_without_mentors_or_history():
    assert stats.expected_wait_minutes(position=1, mentors_on_shift=0, handling_minutes=[10]) is None
    assert stats.expected_wait_minutes(position=1, mentors_on_shift=3, handling_minutes=[]) is None


def test_median_and_p90():
    values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
    assert stats.median(values) == 5.5
    assert stats.percentile(values, 0.9) == 9.1  # rank 8.1: 9 + 0.1 × (10 − 9)
    assert stats.median([]) is None
