"""The event menu shows what a person can do now: "Apply" only to people without a role, while applications are
open (issue 12: it was in every signed-in menu, judges and mentors mid-hack included)."""

import pytest

from hackathon.navigation import event_nav
from hackathon.permissions import roles_in_event
from hackathon.tests.factories import EventFactory, timeline_at

pytestmark = pytest.mark.django_db


def labels(event, user):
    return [
        str(item["label"])
        for item in event_nav(event=event, user=user, roles=roles_in_event(user, event), current_path="")
    ]


def test_apply_is_offered_to_people_without_a_role_while_applications_are_open(make_user, grant):
    open_event = EventFactory()
    newcomer, judge = make_user(), make_user()
    grant(judge, open_event, "judge")
    assert "Apply" in labels(open_event, newcomer)
    assert "Apply" not in labels(open_event, judge)

    hacking = EventFactory(timeline=timeline_at("hacking"))
    mentor = make_user()
    grant(mentor, hacking, "mentor")
    assert "Apply" not in labels(hacking, newcomer)  # applications closed long ago
    assert "Apply" not in labels(hacking, mentor)
