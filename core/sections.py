"""Page sections: how an app shows its part on a page that a lower app owns, without the lower app importing it.

The page's view calls page_sections("<url name of the page>", request=..., ...) and its template includes each
section; an upper app registers its section in its AppConfig.ready():

    page_section_register("hackathon:event_home", template="judging/_event_criteria.html", context=criteria)

`context` gets the keyword arguments the page passes (always `request`) and returns what the template reads as
`section`. Sections are shown in `order`, then in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

SectionContext = Callable[..., dict[str, Any]]


def _no_context(**kwargs: Any) -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class PageSection:
    template: str
    context: SectionContext
    order: int


_sections: dict[str, list[PageSection]] = {}


def page_section_register(page: str, *, template: str, context: SectionContext = _no_context, order: int = 100) -> None:
    """Add a section to a page. Registering the same template twice (ready() can run twice) keeps one."""
    sections = [s for s in _sections.get(page, []) if s.template != template]
    sections.append(PageSection(template=template, context=context, order=order))
    _sections[page] = sorted(sections, key=lambda s: s.order)


def page_sections(page: str, **kwargs: Any) -> list[dict[str, Any]]:
    """[{"template": ..., "context": ...}] for the page's template to include, each context built now."""
    return [{"template": s.template, "context": s.context(**kwargs)} for s in _sections.get(page, [])]
