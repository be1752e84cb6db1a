from pathlib import Path, PurePosixPath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, ImageOps, UnidentifiedImageError
from rest_framework.authtoken.models import Token

from accounts.models import User
from accounts.profile_rules import (
    AVATAR_FORMATS,
    AVATAR_MAX_BYTES,
    AVATAR_MAX_SIDE,
    AVATAR_STORED_SIDE,
    MAX_CONTACT_CHARS,
    github_username_parse,
    skills_parse,
)
from core.exceptions import DomainError
from core.uploads import UploadStaging, media_path, remove

AVATAR_FILE = "avatar.webp"


@transaction.atomic
def user_profile_update(
    *,
    user: User,
    name: str,
    skills: str | list[str] | None = None,
    github_username: str | None = None,
    contact: str | None = None,
    show_email_to_team: bool | None = None,
) -> User:
    """Save what the person says about themself. Fields left as None keep their value."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    locked.name = name.strip()
    fields = ["name"]
    if skills is not None:
        locked.skills = skills_parse(skills)
        fields.append("skills")
    if github_username is not None:
        locked.github_username = github_username_parse(github_username)
        fields.append("github_username")
    if contact is not None:
        contact = " ".join(contact.split())
        if len(contact) > MAX_CONTACT_CHARS:
            raise DomainError(
                _("Keep how to reach you to %(n)s characters.") % {"n": MAX_CONTACT_CHARS}, field="contact"
            )
        locked.contact = contact
        fields.append("contact")
    if show_email_to_team is not None:
        locked.show_email_to_team = show_email_to_team
        fields.append("show_email_to_team")
    locked.save(update_fields=fields)
    for field in fields:
        setattr(user, field, getattr(locked, field))
    return locked


def _avatar_reencode(source: Path, target: Path) -> None:
    """Check by content that the file is a PNG, JPEG or WebP of bounded size, then keep a square 256 px WebP of it:
    whatever else the upload carried (metadata, trailing bytes, a second format) is not kept."""
    refused = DomainError(_("Upload a PNG, JPEG or WebP image."), field="avatar")
    try:
        with Image.open(source) as probe:
            if probe.format not in AVATAR_FORMATS:
                raise refused
            width, height = probe.size
            if width > AVATAR_MAX_SIDE or height > AVATAR_MAX_SIDE:
                raise DomainError(
                    _("The image is %(w)s × %(h)s pixels; keep it within %(max)s × %(max)s.")
                    % {"w": width, "h": height, "max": AVATAR_MAX_SIDE},
                    field="avatar",
                )
            probe.verify()
        with Image.open(source) as opened:
            opened.load()
            upright = ImageOps.exif_transpose(opened).convert("RGBA")
            square = ImageOps.fit(upright, (AVATAR_STORED_SIDE, AVATAR_STORED_SIDE), Image.Resampling.LANCZOS)
            square.save(target, format="WEBP", quality=85)
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise refused from error


def user_avatar_set(*, user: User, upload: UploadedFile) -> User:
    """Stage the upload (at most 1 MB), check and re-encode it, then record it; the old avatar goes after commit."""
    with UploadStaging(max_file_bytes=AVATAR_MAX_BYTES) as staging:
        staged = staging.add(upload, field="avatar", name="upload")
        _avatar_reencode(staged, media_path(f"{staging.relative}/{AVATAR_FILE}"))
        staged.unlink()
        staging.names = [AVATAR_FILE]
        with transaction.atomic():
            locked = User.objects.select_for_update().get(pk=user.pk)
            old = locked.avatar
            locked.avatar = staging.place_as(f"avatars/user-{user.pk}", single_file=True)
            locked.save(update_fields=["avatar"])
            if old:
                transaction.on_commit(lambda: remove(str(PurePosixPath(old).parent)))
    user.avatar = locked.avatar
    return locked


@transaction.atomic
def user_avatar_remove(*, user: User) -> User:
    locked = User.objects.select_for_update().get(pk=user.pk)
    old = locked.avatar
    if old:
        locked.avatar = ""
        locked.save(update_fields=["avatar"])
        transaction.on_commit(lambda: remove(str(PurePosixPath(old).parent)))
    user.avatar = ""
    return locked


@transaction.atomic
def api_token_rotate(*, user: User) -> Token:
    """Replace the person's API token: the old one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
