"""Queue figures as pure functions (no database): tested on hand-computed data.

Expected wait, for the team at `position` (1 = next) in the open queue:

    wait = ceil(position / mentors_on_shift) × mean handling time

where the handling time of a request is closed_at − claimed_at, averaged over the last RECENT_CLOSED requests
closed within RECENT_WINDOW. Each mentor on shift takes the queue in turn, so the first `mentors_on_shift` teams
wait about one handling time, the next ones two, and so on. With no mentor on shift, or no recent close, there is
no estimate (None) and the page says so instead of guessing.
"""

import math
from collections.abc import Sequence
from datetime import timedelta

RECENT_CLOSED = 10
RECENT_WINDOW = timedelta(hours=3)


def expected_wait_minutes(*, position: int, mentors_on_shift: int, handling_minutes: Sequence[float]) -> int | None:
    if position < 1 or mentors_on_shift < 1 or not handling_minutes:
        return None
    mean = sum(handling_minutes) / len(handling_minutes)
    return math.ceil(math.ceil(position / mentors_on_shift) * mean)


def percentile(values: Sequence[float], fraction: float) -> float | None:
    """Linear interpolation between closest ranks (numpy's default); None for no values."""
    if not values:
        return None
    ordered = sorted(values)
    rank = (len(ordered) - 1) * fraction
    low = math.floor(rank)
    high = math.ceil(rank)
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def median(values: Sequence[float]) -> float | None:
    return percentile(values, 0.5)
