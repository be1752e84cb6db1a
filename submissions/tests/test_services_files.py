import hashlib
from pathlib import Path

import pytest

from core.exceptions import DomainError
from submissions import filecheck, services
from submissions.models import SubmissionFile
from submissions.tests.factories import PDF_BYTES, pdf, png

pytestmark = pytest.mark.django_db

EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_slides_are_stored_privately_with_their_hash(team, member, media_root):
    stored = services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf())
    assert stored.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()
    assert stored.content_type == "application/pdf" and stored.size_bytes == len(PDF_BYTES)
    assert stored.path.startswith(f"submissions/team-{team.pk}/")
    assert files_under(media_root) == [media_root / stored.path]


def test_new_slides_replace_the_old_ones(team, member):
    first = services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf("a.pdf"))
    services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf("b.pdf"))
    first.refresh_from_db()
    assert first.removed_at is not None
    assert list(SubmissionFile.objects.filter(removed_at__isnull=True).values_list("name", flat=True)) == ["b.pdf"]


def test_a_renamed_executable_posing_as_a_pdf_is_refused(team, member, media_root):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("slides.pdf", EXE, content_type="application/pdf")
    with pytest.raises(DomainError) as refused:
        services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=upload)
    assert refused.value.code == "not_pdf"
    assert not SubmissionFile.objects.exists() and files_under(media_root) == []


def test_an_oversized_file_is_refused_with_nothing_partial_stored(team, member, media_root, monkeypatch):
    monkeypatch.setitem(filecheck.MAX_BYTES, "slides", 1024)
    with pytest.raises(DomainError) as refused:
        services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf(size=4096))
    assert "limit" in refused.value.message
    assert not SubmissionFile.objects.exists() and files_under(media_root) == []


def test_screenshots_are_real_images_of_bounded_size(team, member, media_root):
    stored = services.submission_file_upload(team=team, uploaded_by=member, kind="screenshot", upload=png())
    assert stored.content_type == "image/png"
    with pytest.raises(DomainError) as not_image:
        services.submission_file_upload(team=team, uploaded_by=member, kind="screenshot", upload=pdf("shot.png"))
    assert not_image.value.code == "not_image"
    with pytest.raises(DomainError) as too_wide:
        services.submission_file_upload(
            team=team, uploaded_by=member, kind="screenshot", upload=png(width=filecheck.MAX_IMAGE_SIDE + 1, height=20)
        )
    assert too_wide.value.code == "image_size"
    assert files_under(media_root) == [media_root / stored.path]


def test_another_teams_member_cannot_upload(team, outsider, media_root):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.submission_file_upload(team=team, uploaded_by=outsider, kind="slides", upload=pdf())
    assert files_under(media_root) == []
