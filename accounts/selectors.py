"""Reads about people: the profile card other pages show, at the level of detail the caller decided."""

from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path

from accounts.models import User
from accounts.profile_rules import avatar_colour, initials_of
from core.uploads import media_path


class ProfileDetail(IntEnum):
    """How much of a person's profile a viewer sees. The page that shows people decides the level (teams: a
    teammate sees CONTACT, the event's organizers and mentors see PROFILE, anyone else NAME)."""

    NAME = 0  # the display name and initials
    PROFILE = 1  # + skills, GitHub, avatar
    CONTACT = 2  # + how to reach them, and the email if they chose to show it


@dataclass(frozen=True)
class ProfileCard:
    user_id: int
    display_name: str
    initials: str
    colour: str
    detail: ProfileDetail
    skills: tuple[str, ...] = ()
    github_username: str = ""
    has_avatar: bool = False
    avatar_version: str = ""  # changes with the file: a cache-busting query for the avatar URL
    contact: str = ""
    email: str = ""

    @property
    def detail_name(self) -> str:
        return self.detail.name.lower()

    @property
    def github_url(self) -> str:
        return f"https://github.com/{self.github_username}" if self.github_username else ""


def profile_card(user: User, *, detail: ProfileDetail) -> ProfileCard:
    card = ProfileCard(
        user_id=user.pk,
        display_name=user.display_name,
        initials=initials_of(user.display_name),
        colour=avatar_colour(user.pk),
        detail=detail,
    )
    if detail < ProfileDetail.PROFILE:
        return card
    extra: dict = {
        "skills": tuple(user.skills or ()),
        "github_username": user.github_username,
        "has_avatar": bool(user.avatar),
        "avatar_version": Path(user.avatar).parent.name[:12] if user.avatar else "",
    }
    if detail >= ProfileDetail.CONTACT:
        extra["contact"] = user.contact
        extra["email"] = user.email if user.show_email_to_team else ""
    return ProfileCard(**{**card.__dict__, **extra})


def avatar_file(user: User) -> Path | None:
    """The person's avatar on disk, or None. Callers check who may see it first."""
    if not user.avatar:
        return None
    path = media_path(user.avatar)
    return path if path.is_file() else None
