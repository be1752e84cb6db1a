"""The bounds of what a profile holds: skills, a GitHub username, the avatar image. Pure functions, no database."""

import re
import unicodedata

from django.utils.translation import gettext as _

from core.exceptions import DomainError

MAX_SKILLS = 20
MAX_SKILL_CHARS = 40
MAX_CONTACT_CHARS = 200
GITHUB_USERNAME_RE = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$")
GITHUB_PREFIX_RE = re.compile(r"^(?:https?://)?(?:www\.)?github\.com/", re.IGNORECASE)

AVATAR_MAX_BYTES = 1024 * 1024
AVATAR_MAX_SIDE = 4096  # pixels, either side, as uploaded
AVATAR_STORED_SIDE = 256  # pixels: what we keep, re-encoded
AVATAR_FORMATS = {"PNG", "JPEG", "WEBP"}

# Initials sit on one of these, white text: every pair is at least 4.5:1 (accounts/tests/test_profile.py checks).
AVATAR_COLOURS = ("#1d4ed8", "#b91c1c", "#047857", "#6d28d9", "#b45309", "#0e7490", "#be185d", "#374151")


def skills_parse(text: str | list[str]) -> list[str]:
    """'PyTorch, onnx ,  pytorch' -> ['PyTorch', 'onnx']: trimmed, inner spaces collapsed, duplicates (any case)
    dropped, the first spelling kept. Over MAX_SKILLS or a skill over MAX_SKILL_CHARS: DomainError."""
    parts = text if isinstance(text, list) else re.split(r"[,\n]", text or "")
    skills: list[str] = []
    seen: set[str] = set()
    for part in parts:
        skill = " ".join(unicodedata.normalize("NFC", str(part)).split())
        if not skill:
            continue
        if len(skill) > MAX_SKILL_CHARS:
            raise DomainError(
                _("Keep each skill to %(n)s characters: “%(skill)s…” is longer.")
                % {"n": MAX_SKILL_CHARS, "skill": skill[:MAX_SKILL_CHARS]},
                field="skills",
            )
        if skill.casefold() in seen:
            continue
        seen.add(skill.casefold())
        skills.append(skill)
    if len(skills) > MAX_SKILLS:
        raise DomainError(
            _("List at most %(n)s skills (you listed %(count)s).") % {"n": MAX_SKILLS, "count": len(skills)},
            field="skills",
        )
    return skills


def github_username_parse(text: str) -> str:
    """'@octo-cat' or 'https://github.com/octo-cat/' -> 'octo-cat'; anything GitHub would not accept: DomainError."""
    name = GITHUB_PREFIX_RE.sub("", (text or "").strip()).strip("/").removeprefix("@")
    if not name:
        return ""
    if not GITHUB_USERNAME_RE.match(name):
        raise DomainError(
            _(
                "A GitHub username has at most 39 letters, digits or single hyphens, "
                "and does not start or end with a hyphen."
            ),
            field="github_username",
        )
    return name


def initials_of(name: str) -> str:
    """Up to two letters for an avatar: the first letter of the first two words ('Kim Min-su' -> 'KM', '김민수' -> '김')."""
    words = [word for word in re.split(r"[\s._@-]+", name or "") if word]
    letters = "".join(word[0] for word in words[:2]).upper()
    return letters or "?"


def avatar_colour(user_id: int) -> str:
    return AVATAR_COLOURS[(user_id or 0) % len(AVATAR_COLOURS)]
