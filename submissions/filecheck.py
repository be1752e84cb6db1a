"""What an uploaded file really is, read from its content (never from its name or the browser's content type)."""

from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from core.exceptions import DomainError

MAX_BYTES = {
    "slides": getattr(settings, "SUBMISSIONS_MAX_SLIDES_BYTES", 20 * 1024 * 1024),
    "screenshot": getattr(settings, "SUBMISSIONS_MAX_SCREENSHOT_BYTES", 5 * 1024 * 1024),
}
MAX_FILES = {"slides": 1, "screenshot": 8}
MAX_IMAGE_SIDE = 8000
MIN_IMAGE_SIDE = 16
IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}


@dataclass(frozen=True)
class CheckedFile:
    content_type: str


def check_file(path: Path, *, kind: str, name: str) -> CheckedFile:
    """Raise DomainError unless the file at `path` is what `kind` asks for."""
    if kind == "slides":
        with open(path, "rb") as handle:
            head = handle.read(1024)
        # A PDF starts with %PDF- (readers allow a little junk before it; we allow none).
        if not head.startswith(b"%PDF-"):
            raise DomainError(_("%(name)s is not a PDF file.") % {"name": name}, field="file", code="not_pdf")
        return CheckedFile(content_type="application/pdf")
    try:
        with Image.open(path) as image:
            image_format = image.format or ""
            width, height = image.size
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as error:
        raise DomainError(
            _("%(name)s is not an image we can read (PNG, JPEG, WebP or GIF).") % {"name": name},
            field="file",
            code="not_image",
        ) from error
    if image_format not in IMAGE_TYPES:
        raise DomainError(
            _("%(name)s is not a PNG, JPEG, WebP or GIF image.") % {"name": name}, field="file", code="not_image"
        )
    if not (MIN_IMAGE_SIDE <= width <= MAX_IMAGE_SIDE and MIN_IMAGE_SIDE <= height <= MAX_IMAGE_SIDE):
        raise DomainError(
            _("%(name)s is %(w)s×%(h)s pixels; each side must be between %(min)s and %(max)s pixels.")
            % {"name": name, "w": width, "h": height, "min": MIN_IMAGE_SIDE, "max": MAX_IMAGE_SIDE},
            field="file",
            code="image_size",
        )
    return CheckedFile(content_type=IMAGE_TYPES[image_format])
