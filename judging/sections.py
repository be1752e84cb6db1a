"""What judging shows on other apps' pages (registered in JudgingConfig.ready())."""

from typing import Any

from judging.selectors import criteria_of


def event_criteria(**kwargs: Any) -> dict[str, Any]:
    """The event page lists the criteria the judges score, with their weights (the defaults until saved)."""
    criteria = criteria_of(kwargs["event"]) if kwargs.get("event") is not None else []
    total = sum(c.weight for c in criteria) or 1
    return {
        "criteria": [{"name": c.name, "description": c.description, "share": 100 * c.weight / total} for c in criteria]
    }
