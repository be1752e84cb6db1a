"""An event's texts come in Korean and English. A visitor reads the one in their language, or the other one when
theirs is empty; never both. FAQ and sponsors are written as plain text in a small documented format."""

import re
from dataclasses import dataclass

from django.utils.translation import get_language

LANGUAGES = ("ko", "en")

# Bounds of the event's texts (the form and the model both enforce them).
TAGLINE_MAX = 200
DESCRIPTION_MAX = 5000
RULES_MAX = 5000
FAQ_MAX = 5000
PRIZES_MAX = 3000
SPONSORS_MAX = 1000
SPONSOR_NAME_MAX = 100
SPONSORS_MAX_COUNT = 30


def visitor_language() -> str:
    """ "ko" for a Korean visitor, "en" for everyone else (the site's two languages)."""
    return "ko" if (get_language() or "").startswith("ko") else "en"


def pick_language(*, ko: str, en: str, language: str | None = None) -> str:
    """The text in the visitor's language, else the other one (an event may be written in one language only)."""
    language = language or visitor_language()
    first, second = (ko, en) if language == "ko" else (en, ko)
    return first if first.strip() else second


@dataclass(frozen=True)
class FaqItem:
    question: str
    answer: str  # Markdown


_QUESTION = re.compile(r"^\s*(?:Q|질문)\s*[:：]\s*(.*)$", re.IGNORECASE)
_ANSWER = re.compile(r"^\s*(?:A|답변?)\s*[:：]\s?(.*)$", re.IGNORECASE)


def parse_faq(text: str) -> list[FaqItem]:
    """FAQ text: each question on a line that starts with "Q:", its answer on the lines after, the first of them
    optionally starting with "A:". The answer is Markdown. Lines before the first "Q:" are ignored."""
    items: list[FaqItem] = []
    question: str | None = None
    answer: list[str] = []

    def close() -> None:
        if question:
            items.append(FaqItem(question=question, answer="\n".join(answer).strip()))

    for line in (text or "").splitlines():
        if match := _QUESTION.match(line):
            close()
            question, answer = match.group(1).strip(), []
        elif question is not None:
            match = _ANSWER.match(line) if not any(part.strip() for part in answer) else None
            answer.append(match.group(1) if match else line)
    close()
    return items


def parse_sponsors(text: str) -> list[str]:
    """Sponsors: one name per line; blank lines are skipped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
