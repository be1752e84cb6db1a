"""Page sections: how an app shows its part on a page that a lower app owns, without the lower app importing it.

The page's view calls page_sections("<url name of the page>", request=..., ...) and its template includes each
section; an upper app registers its section in its AppConfig.ready():

    page_section_register("hackathon:event_home", template="judging/_event_criteria.html", context=criteria)

`context` gets the keyword arguments the page passes (always `request`) and returns what the template reads as
`section`. Sections are shown in `order`, then in registration order.
"""

from collections.abc import Callable, Iterable
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


# --- which events a person takes part in -------------------------------------------------------------------------
# A person's home (hackathon:my_home) starts from the events they hold a role in; an upper app adds the events a
# person is involved in without a role (applications: an applicant before they are a finalist).

PersonEvents = Callable[[Any], Iterable[int]]
_person_events: dict[str, PersonEvents] = {}


def person_events_register(name: str, events: PersonEvents) -> None:
    """`events(user)` returns the ids of the events the person takes part in, as the app sees it."""
    _person_events[name] = events


def person_event_ids(user: Any) -> set[int]:
    """The ids of the events every registered app says the person takes part in (one query per app)."""
    ids: set[int] = set()
    for events in _person_events.values():
        ids.update(events(user))
    return ids
