"""Languages of people, not of requests: an email is written in its recipient's language, whoever or whatever (a
beat task) sends it."""

from contextlib import AbstractContextManager

from django.conf import settings
from django.utils import translation


def language_of(person) -> str:
    """The language the person chose (stored on their account as they browse), else the site's default."""
    code = getattr(person, "language", "") or ""
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def in_language_of(person) -> AbstractContextManager:
    """`with in_language_of(user): ...` renders gettext strings, dates and numbers in that person's language."""
    return translation.override(language_of(person))
