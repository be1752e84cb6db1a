"""Organizers set up judging in the browser: criteria (add, edit, delete) and award categories, with bounds, until
judging opens; then they are fixed, with a message. Other visitors get 404. The organizer page says the next step."""

import pytest
from django.urls import reverse

from judging import services
from judging.models import AwardCategory, Criterion
from judging.tests import factories
from teams.tests.factories import add_member

pytestmark = pytest.mark.django_db

CRITERION = {
    "name_en": "Impact",
    "name_ko": "파급력",
    "description_en": "Who it helps.",
    "description_ko": "누구에게 도움이 되는가.",
    "weight": "2.5",
    "scale_min": "1",
    "scale_max": "5",
    "order": "9",
}


def url(name, event, **kwargs):
    return reverse(f"judging:{name}", kwargs={"event_slug": event.slug, **kwargs})


@pytest.fixture
def ready(jevent, boss, judges, jteams):
    """Criteria and awards saved, judging not open."""
    services.criteria_ensure(jevent)
    return jevent


def test_an_organizer_adds_edits_and_deletes_criteria_in_the_browser(client, ready, boss):
    client.force_login(boss)
    manage = client.get(url("manage", ready)).content.decode()
    assert 'data-testid="add-criterion"' in manage and 'data-testid="delete-criterion-planning"' in manage
    assert 'data-confirm="Delete the criterion' in manage  # the design system's confirm before a delete

    response = client.post(url("criterion_create", ready), CRITERION)
    assert response.status_code == 302
    impact = Criterion.objects.get(event=ready, key="impact")
    assert (impact.name_ko, impact.description_en, float(impact.weight), impact.scale_max) == (
        "파급력",
        "Who it helps.",
        2.5,
        5,
    )

    response = client.post(
        url("criterion_edit", ready, criterion_id=impact.pk), {**CRITERION, "name_en": "Reach", "weight": "3"}
    )
    assert response.status_code == 302
    impact.refresh_from_db()
    assert (impact.name_en, float(impact.weight)) == ("Reach", 3.0)

    assert client.post(url("criterion_delete", ready, criterion_id=impact.pk)).status_code == 302
    assert not Criterion.objects.filter(pk=impact.pk).exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"weight": "0"}, "weight"),
        ({"weight": "101"}, "weight"),
        ({"scale_min": "5", "scale_max": "5"}, "scale_max"),
        ({"scale_max": "101"}, "scale_max"),
        ({"name_en": ""}, "name_en"),
    ],
)
def test_criteria_out_of_bounds_are_refused_next_to_the_field(client, ready, boss, change, field):
    client.force_login(boss)
    count = Criterion.objects.filter(event=ready).count()
    response = client.post(url("criterion_create", ready), {**CRITERION, **change})
    assert response.status_code == 200 and response.context["form"].errors.get(field)
    assert Criterion.objects.filter(event=ready).count() == count


def test_the_last_criterion_cannot_be_deleted(client, ready, boss):
    client.force_login(boss)
    *others, last = list(Criterion.objects.filter(event=ready))
    for criterion in others:
        client.post(url("criterion_delete", ready, criterion_id=criterion.pk))
    response = client.post(url("criterion_delete", ready, criterion_id=last.pk), follow=True)
    assert "at least one criterion" in response.content.decode()
    assert list(Criterion.objects.filter(event=ready)) == [last]


def test_an_organizer_edits_an_award_and_its_count_within_bounds(client, ready, boss):
    client.force_login(boss)
    merit = AwardCategory.objects.get(event=ready, key="merit")
    data = {"name_en": "Merit award", "name_ko": "우수상", "count": "4"}
    assert client.post(url("award_category_edit", ready, category_id=merit.pk), data).status_code == 302
    merit.refresh_from_db()
    assert (merit.name_en, merit.count) == ("Merit award", 4)
    for count in ("0", "51"):
        response = client.post(url("award_category_edit", ready, category_id=merit.pk), {**data, "count": count})
        assert response.status_code == 200 and response.context["form"].errors.get("count")
    merit.refresh_from_db()
    assert merit.count == 4


def test_once_judging_opens_criteria_and_awards_are_fixed_with_a_message(client, ready, boss):
    services.judging_open(event=ready, opened_by=boss)
    client.force_login(boss)
    criterion = Criterion.objects.filter(event=ready).first()
    grand = AwardCategory.objects.get(event=ready, key="grand")
    manage = client.get(url("manage", ready)).content.decode()
    assert 'data-testid="setup-fixed"' in manage and 'data-testid="add-criterion"' not in manage
    assert "delete-criterion-" not in manage and "edit-award-" not in manage
    for page in (
        url("criterion_edit", ready, criterion_id=criterion.pk),
        url("criterion_create", ready),
        url("award_category_edit", ready, category_id=grand.pk),
    ):
        body = client.get(page).content.decode()
        assert 'data-testid="setup-fixed"' in body and '<form method="post" novalidate>' not in body
    response = client.post(url("criterion_create", ready), CRITERION)
    assert 'data-testid="setup-fixed"' in response.content.decode()
    response = client.post(url("criterion_delete", ready, criterion_id=criterion.pk), follow=True)
    assert "the criteria are fixed" in response.content.decode()
    response = client.post(url("award_category_edit", ready, category_id=grand.pk), {"name_en": "X", "count": "2"})
    assert 'data-testid="setup-fixed"' in response.content.decode()
    assert Criterion.objects.filter(pk=criterion.pk).exists() and AwardCategory.objects.get(pk=grand.pk).count == 1


def test_judges_participants_and_visitors_cannot_set_up_judging(client, ready, judges, jteams):
    criterion = Criterion.objects.filter(event=ready).first()
    grand = AwardCategory.objects.get(event=ready, key="grand")
    pages = [
        ("get", url("criterion_create", ready)),
        ("post", url("criterion_create", ready)),
        ("post", url("criterion_delete", ready, criterion_id=criterion.pk)),
        ("get", url("award_category_edit", ready, category_id=grand.pk)),
        ("post", url("award_category_edit", ready, category_id=grand.pk)),
    ]
    for person in (judges[0], add_member(jteams[0], "ai"), factories.person()):
        client.force_login(person)
        for method, page in pages:
            assert getattr(client, method)(page).status_code == 404, (person, page)
    client.logout()
    for method, page in pages:
        assert getattr(client, method)(page).status_code in (302, 404)
    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_the_organizer_page_says_the_next_step_at_each_stage(client, ready, boss, judges, jteams):
    client.force_login(boss)

    def next_step():
        body = client.get(url("manage", ready)).content.decode()
        start = body.index('data-testid="judging-next-step"')
        return body[start : body.index("</a>", start)]

    assert "Open judging" in next_step()
    services.judging_open(event=ready, opened_by=boss)
    assert "Watch the progress" in next_step()
    for judge in judges:
        for team in jteams:
            factories.score_all(ready, judge, team, [7] * 5)
    assert "Close judging" in next_step()
    services.judging_close(event=ready, closed_by=boss)
    assert "Confirm the awards" in next_step()
    services.awards_confirm(event=ready, confirmed_by=boss)
    assert "Publish the results" in next_step()
    services.results_publish(event=ready, published_by=boss)
    assert "See the published results" in next_step()
