"""Races on PostgreSQL: the team and submission row locks decide version numbers, whatever the interleaving."""

import pytest

from core.testing import run_concurrently
from submissions import services
from submissions.models import SubmissionVersion
from submissions.tests.factories import TEXT, hacking_event, team_with_members

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_members_saving_at_once_lose_no_version_and_share_no_number():
    event = hacking_event()
    team, people = team_with_members(event, members=3)
    count = 8  # two saves each, all different text, the first of them creating the submission

    results = run_concurrently(
        lambda i: services.submission_version_save(
            team=team, author=people[i % len(people)], data={**TEXT, "title": f"Take {i}"}
        ),
        count,
    )

    assert all(isinstance(r, SubmissionVersion) for r in results), results
    numbers = sorted(SubmissionVersion.objects.filter(submission__team=team).values_list("number", flat=True))
    assert numbers == list(range(1, count + 1))
    titles = set(SubmissionVersion.objects.values_list("title", flat=True))
    assert titles == {f"Take {i}" for i in range(count)}
