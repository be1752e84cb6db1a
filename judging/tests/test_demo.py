"""judging.demo on a small copy of the model event: BlurCast wins, the story's awards follow, idempotent."""

import random

import pytest

from hackathon.demo import DemoContext
from judging import demo
from judging.models import Award, JudgingSettings, Score
from judging.tests import factories
from teams.tests.factories import TeamFactory

pytestmark = pytest.mark.django_db

STORY = ["BlurCast", "ShelfSight", "SafeSite", "SignBridge", "FallAlert", "CrossGuard"]


def test_the_model_event_is_judged_as_the_story_says_and_seeding_twice_changes_nothing():
    event = factories.judging_event()
    judges = [factories.judge(event) for _ in range(5)]
    teams = [TeamFactory(event=event, name=name) for name in demo.QUALITY]
    ctx = DemoContext(
        event=event,
        next_event=event,
        organizer=factories.organizer(event),
        mentors=[],
        judges=judges,
        finalists={"pm": [teams[0].leader]},
        applicants=[],
        random=random.Random(1),
    )
    demo.seed(ctx)
    awards = list(Award.objects.filter(event=event).select_related("category", "team"))
    assert [(a.category.key, a.team.name) for a in awards] == [
        ("grand", "BlurCast"),
        ("excellence", "ShelfSight"),
        ("excellence", "SafeSite"),
        ("excellence", "SignBridge"),
        ("merit", "FallAlert"),
        ("merit", "CrossGuard"),
    ]
    assert JudgingSettings.objects.get(event=event).results_published_at is not None
    count = Score.objects.filter(event=event).count()
    assert count == 5 * 9 * 5
    demo.seed(ctx)
    assert Score.objects.filter(event=event).count() == count
