"""judging.selectors that pages build on and no other test pins down."""

import pytest

from judging import selectors, services
from judging.tests import factories

pytestmark = pytest.mark.django_db


def _progress(event, judges):
    ranking = selectors.ranking_of_event(event=event)
    return [
        (p.key, p.assigned, p.done) for p in selectors.progress_of_judges(event=event, ranking=ranking, judges=judges)
    ]


def test_progress_counts_a_team_done_only_when_every_criterion_is_submitted(opened, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [5] * 5)
    factories.score_all(opened, judges[0], jteams[1], [5] * 5, submit=False)  # drafts
    factories.score_all(opened, judges[0], jteams[2], [5] * 5)
    services.scores_withdraw(event=opened, judge=judges[0], team_id=jteams[2].pk)
    factories.score_all(opened, judges[1], jteams[2], [7] * 5)
    assert _progress(opened, judges) == [(judges[0].pk, 3, 1), (judges[1].pk, 3, 1), (judges[2].pk, 3, 0)]
    # the ranking is cached now; a submission renews it, and the progress with it
    services.scores_submit(event=opened, judge=judges[0], team_id=jteams[1].pk)
    assert _progress(opened, judges) == [(judges[0].pk, 3, 2), (judges[1].pk, 3, 1), (judges[2].pk, 3, 0)]


def test_progress_leaves_out_a_team_the_judge_is_no_longer_assigned(opened, boss, judges, jteams):
    factories.score_all(opened, judges[0], jteams[0], [5] * 5)
    factories.score_all(opened, judges[0], jteams[1], [5] * 5)
    services.conflict_record(
        event=opened, judge_id=judges[0].pk, team_id=jteams[0].pk, reason="Former colleague", recorded_by=boss
    )
    assert _progress(opened, judges[:1]) == [(judges[0].pk, 2, 1)]
