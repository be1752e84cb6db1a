"""The profile: bounds of skills, GitHub name and contact; the avatar checked by content, re-encoded and private."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from PIL import Image

from accounts import services
from accounts.models import User
from accounts.profile_rules import (
    AVATAR_COLOURS,
    AVATAR_MAX_BYTES,
    AVATAR_STORED_SIDE,
    MAX_SKILL_CHARS,
    MAX_SKILLS,
    github_username_parse,
    initials_of,
    skills_parse,
)
from accounts.selectors import ProfileDetail, profile_card
from accounts.tests.factories import UserFactory
from core.exceptions import DomainError
from core.uploads import media_path

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def image_bytes(fmt="PNG", size=(300, 200), colour="#4338ca") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, format=fmt)
    return buffer.getvalue()


def files_under(root) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()) if root.exists() else []


# --- Skills, GitHub, contact ------------------------------------------------------------------------


def test_skills_are_trimmed_deduplicated_and_bounded():
    assert skills_parse(" PyTorch, onnx ,,  pytorch\nReact  Native ") == ["PyTorch", "onnx", "React Native"]
    assert len(skills_parse(", ".join(f"s{i}" for i in range(MAX_SKILLS)))) == MAX_SKILLS
    with pytest.raises(DomainError, match="at most 20 skills"):
        skills_parse(", ".join(f"s{i}" for i in range(MAX_SKILLS + 1)))
    assert skills_parse(["x" * MAX_SKILL_CHARS]) == ["x" * MAX_SKILL_CHARS]
    with pytest.raises(DomainError, match="40 characters"):
        skills_parse("x" * (MAX_SKILL_CHARS + 1))


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("octocat", "octocat"),
        ("@octo-cat", "octo-cat"),
        ("https://github.com/Octo-Cat/", "Octo-Cat"),
        ("a" * 39, "a" * 39),
        ("", ""),
    ],
)
def test_github_usernames_github_accepts(typed, stored):
    assert github_username_parse(typed) == stored


@pytest.mark.parametrize("typed", ["-octo", "octo-", "oc--to", "a" * 40, "octo cat", "octo_cat", "김"])
def test_github_usernames_github_refuses(typed):
    with pytest.raises(DomainError):
        github_username_parse(typed)


def test_the_database_refuses_a_github_username_the_service_would_refuse():
    user = UserFactory()
    user.github_username = "-bad-"
    with pytest.raises(IntegrityError), transaction.atomic():
        user.save(update_fields=["github_username"])


def test_profile_update_saves_the_normalized_fields():
    user = UserFactory()
    services.user_profile_update(
        user=user,
        name=" Kim ",
        skills="ONNX, onnx, Rust",
        github_username="github.com/kim",
        contact="  Slack   @kim  ",
        show_email_to_team=True,
    )
    user.refresh_from_db()
    assert (user.name, user.skills, user.github_username, user.contact, user.show_email_to_team) == (
        "Kim",
        ["ONNX", "Rust"],
        "kim",
        "Slack @kim",
        True,
    )
    with pytest.raises(DomainError, match="200 characters"):
        services.user_profile_update(user=user, name="Kim", contact="x" * 201)


def test_profile_page_saves_and_shows_errors(client):
    user = UserFactory()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile"),
        {"name": "Lee", "skills": "Go, SQL", "github_username": "lee-dev", "contact": "Discord lee#1"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.skills == ["Go", "SQL"] and user.github_username == "lee-dev" and user.show_email_to_team is False
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'href="https://github.com/lee-dev"' in page and "Discord lee#1" in page
    refused = client.post(reverse("accounts:profile"), {"name": "Lee", "github_username": "bad--name"})
    assert refused.status_code == 200 and "single hyphens" in refused.content.decode()
    user.refresh_from_db()
    assert user.github_username == "lee-dev"


# --- Avatar -------------------------------------------------------------------------------------------


def test_an_avatar_is_checked_by_content_and_stored_as_a_small_webp(media, django_capture_on_commit_callbacks):
    user = UserFactory()
    services.user_avatar_set(user=user, upload=SimpleUploadedFile("me.jpg", image_bytes("JPEG", (900, 600))))
    user.refresh_from_db()
    assert user.avatar.startswith(f"avatars/user-{user.pk}/") and user.avatar.endswith("/avatar.webp")
    with Image.open(media_path(user.avatar)) as stored:
        assert stored.format == "WEBP" and stored.size == (AVATAR_STORED_SIDE, AVATAR_STORED_SIDE)
    first = user.avatar
    with django_capture_on_commit_callbacks(execute=True):
        services.user_avatar_set(user=user, upload=SimpleUploadedFile("me.webp", image_bytes("WEBP")))
    user.refresh_from_db()
    assert user.avatar != first and not media_path(first).exists()  # the old one is gone after commit
    assert files_under(media) == [user.avatar]


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("notes.png", b"This is a text file renamed to .png\n" * 10),
        ("drawing.gif", None),  # a real image, but not one of the three formats
        ("broken.png", None),  # a PNG header with nothing behind it
    ],
)
def test_a_file_that_is_not_a_png_jpeg_or_webp_is_refused_and_leaves_nothing(media, name, content):
    if name == "drawing.gif":
        content = image_bytes("GIF")
    elif name == "broken.png":
        content = image_bytes("PNG")[:60]
    user = UserFactory()
    with pytest.raises(DomainError, match="PNG, JPEG or WebP"):
        services.user_avatar_set(user=user, upload=SimpleUploadedFile(name, content))
    user.refresh_from_db()
    assert user.avatar == ""
    assert files_under(media) == []


def test_an_oversized_avatar_is_refused_and_nothing_stays_in_staging(media):
    user = UserFactory()
    big = image_bytes("PNG") + b"\0" * AVATAR_MAX_BYTES
    with pytest.raises(DomainError, match="1 MB"):
        services.user_avatar_set(user=user, upload=SimpleUploadedFile("big.png", big))
    assert files_under(media) == []
    user.refresh_from_db()
    assert user.avatar == ""


def test_an_image_over_the_dimension_limit_is_refused(media):
    user = UserFactory()
    buffer = io.BytesIO()
    Image.new("1", (5000, 10)).save(buffer, format="PNG")  # tiny file, too wide
    with pytest.raises(DomainError, match="4096"):
        services.user_avatar_set(user=user, upload=SimpleUploadedFile("wide.png", buffer.getvalue()))
    assert files_under(media) == []


def test_own_avatar_is_served_to_its_owner_only(client, media):
    owner, other = UserFactory(), UserFactory()
    services.user_avatar_set(user=owner, upload=SimpleUploadedFile("me.png", image_bytes()))
    client.force_login(owner)
    response = client.get(reverse("accounts:own_avatar"))
    assert response.status_code == 200 and response["Content-Type"] == "image/webp"
    assert "private" in response["Cache-Control"]
    client.force_login(other)
    assert client.get(reverse("accounts:own_avatar")).status_code == 404  # their own: they have none
    client.logout()
    assert client.get(reverse("accounts:own_avatar")).status_code == 302


def test_profile_page_uploads_and_removes_the_avatar(client, media, django_capture_on_commit_callbacks):
    user = UserFactory(name="Park Ji")
    client.force_login(user)
    upload = SimpleUploadedFile("me.png", image_bytes(), content_type="image/png")
    assert client.post(reverse("accounts:profile"), {"name": "Park Ji", "avatar": upload}).status_code == 302
    user.refresh_from_db()
    assert user.avatar and 'data-testid="avatar-image"' in client.get(reverse("accounts:profile")).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("accounts:profile"), {"name": "Park Ji", "remove_avatar": "on"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.avatar == "" and files_under(media) == []
    page = client.get(reverse("accounts:profile")).content.decode()
    assert 'data-testid="avatar-initials">PJ<' in page


# --- Initials and the card ---------------------------------------------------------------------------


def _luminance(hex_colour: str) -> float:
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


@pytest.mark.parametrize("colour", AVATAR_COLOURS)
def test_initials_are_white_on_a_colour_with_at_least_4_5_to_1_contrast(colour):
    assert (1.05) / (_luminance(colour) + 0.05) >= 4.5


def test_initials_fallback():
    assert initials_of("Kim Min-su") == "KM"
    assert initials_of("김민수") == "김"
    assert initials_of("member-a") == "MA"
    assert initials_of("") == "?"
    user = User.objects.create(email="jo.park@example.com")
    card = profile_card(user, detail=ProfileDetail.CONTACT)
    assert (card.display_name, card.initials, card.has_avatar) == ("jo.park", "JP", False)
    assert card.colour == AVATAR_COLOURS[user.pk % len(AVATAR_COLOURS)]


def test_the_card_shows_only_what_its_detail_allows():
    user = UserFactory(skills=["Rust"], github_username="rusty", contact="Slack @rusty", show_email_to_team=True)
    name_only = profile_card(user, detail=ProfileDetail.NAME)
    assert (name_only.skills, name_only.github_username, name_only.contact, name_only.email) == ((), "", "", "")
    profile = profile_card(user, detail=ProfileDetail.PROFILE)
    assert (profile.skills, profile.github_url, profile.contact, profile.email) == (
        ("Rust",),
        "https://github.com/rusty",
        "",
        "",
    )
    contact = profile_card(user, detail=ProfileDetail.CONTACT)
    assert (contact.contact, contact.email) == ("Slack @rusty", user.email)
    user.show_email_to_team = False
    assert profile_card(user, detail=ProfileDetail.CONTACT).email == ""
