"""What judging shows on other apps' pages (registered in JudgingConfig.ready())."""

from typing import Any

from judging.models import Criterion


def event_criteria(**kwargs: Any) -> dict[str, Any]:
    """The event page lists the criteria the judges score."""
    return {"criteria": Criterion}
