import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from applications import selectors, services
from applications.models import Application, Review
from applications.tests.factories import ApplicationFactory
from core.exceptions import DomainError

pytestmark = pytest.mark.django_db


def test_reviewer_scores_and_the_application_goes_under_review(screening_event, reviewer):
    application = ApplicationFactory(event=screening_event)
    services.review_save(
        event=screening_event, application_id=application.pk, reviewer=reviewer, score=4, comment="Solid"
    )
    application.refresh_from_db()
    assert application.status == Application.Status.UNDER_REVIEW
    assert Review.objects.get(application=application, reviewer=reviewer).score == 4


def test_scoring_again_changes_the_same_review(screening_event, reviewer):
    application = ApplicationFactory(event=screening_event)
    services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=2)
    services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=5)
    assert Review.objects.filter(application=application).count() == 1
    assert Review.objects.get(application=application).score == 5


def test_several_reviewers_per_application(screening_event, reviewer, screening_organizer):
    application = ApplicationFactory(event=screening_event)
    services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=2)
    services.review_save(event=screening_event, application_id=application.pk, reviewer=screening_organizer, score=4)
    assert sorted(Review.objects.filter(application=application).values_list("score", flat=True)) == [2, 4]


@pytest.mark.parametrize("score", [0, 6])
def test_score_out_of_range_is_refused(screening_event, reviewer, score):
    application = ApplicationFactory(event=screening_event)
    with pytest.raises(DomainError):
        services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=score)


def test_outsiders_and_participants_cannot_review(screening_event, outsider, make_user, grant):
    application = ApplicationFactory(event=screening_event)
    participant = make_user()
    grant(participant, screening_event, "participant", track="ai")
    for person in (outsider, participant):
        with pytest.raises(PermissionDenied):
            services.review_save(event=screening_event, application_id=application.pk, reviewer=person, score=3)


def test_an_application_of_another_event_cannot_be_reviewed_through_this_one(screening_event, reviewer):
    foreign = ApplicationFactory()
    with pytest.raises(PermissionDenied):
        services.review_save(event=screening_event, application_id=foreign.pk, reviewer=reviewer, score=3)


def test_nobody_reviews_their_own_application(screening_event, reviewer):
    own = ApplicationFactory(event=screening_event, user=reviewer)
    with pytest.raises(DomainError):
        services.review_save(event=screening_event, application_id=own.pk, reviewer=reviewer, score=5)


def test_blind_review_others_scores_hidden_until_scored(screening_event, reviewer, screening_organizer):
    application = ApplicationFactory(event=screening_event)
    services.review_save(
        event=screening_event, application_id=application.pk, reviewer=screening_organizer, score=5, comment="Great"
    )

    before = selectors.application_review_get_visible(
        event=screening_event, user=reviewer, application_id=application.pk
    )
    assert before["others_visible"] is False
    assert before["other_reviews"] is None
    assert before["mean_score"] is None
    assert before["hidden_review_count"] == 1

    services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=3)
    after = selectors.application_review_get_visible(
        event=screening_event, user=reviewer, application_id=application.pk
    )
    assert after["others_visible"] is True
    assert [r.score for r in after["other_reviews"]] == [5]
    assert after["mean_score"] == 4


def test_screening_list_hides_means_from_a_reviewer_who_has_not_scored(screening_event, reviewer, scored):
    application = scored(scores=[5, 5])
    rows = selectors.screening_applications_visible_to(
        event=screening_event, user=reviewer, filters=selectors.ScreeningFilters()
    )
    row = rows.get(pk=application.pk)
    assert row.my_score is None  # the template and API show the mean only when my_score is set
    # A reviewer cannot probe the means by filtering or sorting on them.
    probe = selectors.ScreeningFilters(min_score=4.5, sort="-score")
    assert selectors.screening_applications_visible_to(event=screening_event, user=reviewer, filters=probe).count() == 1
    assert (
        selectors.screening_applications_visible_to(
            event=screening_event, user=reviewer, filters=selectors.ScreeningFilters(min_score=1)
        ).count()
        == 1
    )


def test_screening_list_is_404_for_outsiders(screening_event, outsider):
    with pytest.raises(Http404):
        selectors.screening_applications_visible_to(
            event=screening_event, user=outsider, filters=selectors.ScreeningFilters()
        )


def test_reviewer_progress_counts_per_reviewer(screening_event, reviewer, screening_organizer):
    applications = [ApplicationFactory(event=screening_event) for _ in range(4)]
    for application in applications[:3]:
        services.review_save(event=screening_event, application_id=application.pk, reviewer=reviewer, score=3)
    services.review_save(
        event=screening_event, application_id=applications[0].pk, reviewer=screening_organizer, score=4
    )
    progress = {
        row["reviewer"].email: (row["reviewed"], row["total"])
        for row in selectors.reviewer_progress(event=screening_event)
    }
    assert progress == {reviewer.email: (3, 4), screening_organizer.email: (1, 4)}
