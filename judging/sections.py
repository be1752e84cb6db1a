"""What judging shows on other apps' pages (registered in JudgingConfig.ready())."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from hackathon.models import EventRole, Milestone
from hackathon.sections import attention_item
from judging.models import JudgingSettings
from judging.selectors import (
    assignments_left_count,
    assignments_of_judge,
    award_categories_of,
    criteria_of,
    judging_settings_of,
    results_published,
)


def event_criteria(**kwargs: Any) -> dict[str, Any]:
    """The event page lists the award categories and the criteria the judges score (the defaults until saved), and
    links the results once they are published."""
    event = kwargs.get("event")
    criteria = criteria_of(event) if event is not None else []
    categories = award_categories_of(event) if event is not None else []
    total = sum(c.weight for c in criteria) or 1
    return {
        "criteria": [{"name": c.name, "description": c.description, "share": 100 * c.weight / total} for c in criteria],
        "awards": [{"name": c.name, "count": c.count} for c in categories],
        "results_published": event is not None and results_published(event),
        "event": event,
    }


def home_judge(*, request, event, roles: set[str], now, **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home: the judge's teams left to score and when scores are due."""
    if EventRole.Role.JUDGE not in roles:
        return None
    slug = {"event_slug": event.slug}
    state = judging_settings_of(event).state
    criteria_count = len(criteria_of(event))
    assignments = assignments_of_judge(event=event, judge=request.user)
    left = [a for a in assignments if a.submitted < criteria_count]  # type: ignore[attr-defined]
    section: dict[str, Any] = {
        "event": event,
        "now": now,
        "state": state,
        "assigned": len(assignments),
        "left": left[:5],
        "left_count": len(left),
        "deadline": Milestone("scores_due", _("Scores due"), event.judging_ends_at)
        if state != JudgingSettings.State.CLOSED
        else None,
        "next_url": reverse("judging:dashboard", kwargs=slug),
    }
    if state == JudgingSettings.State.OPEN and left:
        section["next_url"] = reverse("judging:score_team", kwargs={**slug, "team_id": left[0].team_id})
        section["next_label"] = _("Score the next team")
        section["text"] = _("Score each team on every criterion, then submit its scores.")
    elif state == JudgingSettings.State.OPEN:
        section["next_label"] = _("Review your scores")
        section["text"] = _("All your teams are scored. You can still change a score until judging closes.")
    elif state == JudgingSettings.State.CLOSED:
        section["next_label"] = _("See your scores")
        section["text"] = _("Judging is closed. Thank you for judging!")
    else:
        section["next_label"] = _("See your teams")
        section["text"] = _("Judging opens when hacking ends. Read the criteria and your teams in the meantime.")
    return section


def home_judging_left(*, event, roles: set[str], **kwargs: Any) -> dict[str, Any] | None:
    """hackathon:my_home_attention (organizers): judge-team pairs still to score while judging is open."""
    if EventRole.Role.ORGANIZER not in roles or not judging_settings_of(event).is_open:
        return None
    _assigned, left = assignments_left_count(event=event, criteria_count=len(criteria_of(event)))
    return attention_item(
        event,
        key="judging-left",
        count=left,
        text=_("judge–team pairs still to score"),
        url_name="judging:manage",
        next_label=_("See judging"),
    )
