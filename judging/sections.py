"""What judging shows on other apps' pages (registered in JudgingConfig.ready())."""

from typing import Any

from judging.selectors import award_categories_of, criteria_of, results_published


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
