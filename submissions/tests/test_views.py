import io
import zipfile
from datetime import timedelta

import pytest
from django.urls import reverse

from core.sections import page_sections
from hackathon.models import EventRole
from submissions import services
from submissions.tests.factories import TEXT, npu_and_cpu_jobs, pdf

pytestmark = pytest.mark.django_db


def url(name, event, **kwargs):
    return reverse(f"submissions:{name}", kwargs={"event_slug": event.slug, **kwargs})


@pytest.fixture
def submitted(team, member):
    services.submission_version_save(team=team, author=member, data={**TEXT, "description": "<script>x()</script>"})
    slides = services.submission_file_upload(team=team, uploaded_by=member, kind="slides", upload=pdf())
    cpu, npu = npu_and_cpu_jobs(team)
    services.evidence_pin_add(team=team, job_id=npu.pk, pinned_by=member)
    services.evidence_pin_add(team=team, job_id=cpu.pk, pinned_by=member)
    version = services.submission_submit(team=team, submitted_by=member)
    return version, slides


@pytest.fixture
def judge(hack_event, make_user, grant):
    user = make_user()
    grant(user, hack_event, EventRole.Role.JUDGE)
    return user


@pytest.fixture
def organizer_user(hack_event, make_user, grant):
    user = make_user()
    grant(user, hack_event, EventRole.Role.ORGANIZER)
    return user


def test_the_team_fills_in_saves_and_sees_its_checklist(client, hack_event, member, django_assert_max_num_queries):
    client.force_login(member)
    response = client.post(url("team", hack_event), {**TEXT, "title": "Blur"})
    assert response.status_code == 302
    with django_assert_max_num_queries(40):
        page = client.get(url("team", hack_event))
    text = page.content.decode()
    assert "Upload your slides (PDF)." in text and 'data-state="draft"' in text
    assert "(Asia/Seoul)" in text


def test_the_banner_says_submitted_with_version_and_time(client, hack_event, member, submitted):
    version, _ = submitted
    client.force_login(member)
    text = client.get(url("team", hack_event)).content.decode()
    local = version.submitted_at.astimezone(hack_event.tz)
    assert 'data-state="submitted"' in text and f"Version {version.number} at {local:%H:%M}" in text


def test_private_files_for_the_team_and_a_judge_404_for_another_team_login_for_anonymous(
    client, hack_event, member, judge, outsider, submitted
):
    _, slides = submitted
    file_url = url("file_download", hack_event, file_id=slides.pk)
    for allowed in (member, judge):
        client.force_login(allowed)
        response = client.get(file_url)
        assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    client.force_login(outsider)
    assert client.get(file_url).status_code == 404
    client.logout()
    response = client.get(file_url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_read_only_view_shows_evidence_labels_and_inert_markdown(client, hack_event, judge, team, submitted):
    client.force_login(judge)
    text = client.get(url("view", hack_event, team_id=team.pk)).content.decode()
    assert "<script>x()</script>" not in text and "&lt;script&gt;" in text
    assert 'data-run-kind="npu"' in text and 'data-run-kind="cpu"' in text
    assert "25.00" in text  # 1,000 ÷ 40 inferences per second
    assert "About a third of the cost." in text


def test_the_public_gallery_opens_only_when_an_organizer_says_so(client, hack_event, organizer_user, team, submitted):
    _, slides = submitted
    assert client.get(url("gallery", hack_event)).status_code == 404
    client.force_login(organizer_user)
    client.post(url("settings_update", hack_event), {"gallery_public": "on"})
    client.logout()
    assert "BlurCast" in client.get(url("gallery", hack_event)).content.decode()
    assert client.get(url("file_download", hack_event, file_id=slides.pk)).status_code == 200


def test_organizers_see_the_overview_grant_extensions_and_export(
    client, hack_event, organizer_user, team, submitted, django_assert_max_num_queries
):
    client.force_login(organizer_user)
    with django_assert_max_num_queries(30):
        page = client.get(url("overview", hack_event))
    assert "BlurCast" in page.content.decode()
    ends_at = (hack_event.hacking_ends_at + timedelta(hours=1)).astimezone(hack_event.tz)
    client.post(
        url("extension_grant", hack_event),
        {"team": team.pk, "ends_at": ends_at.strftime("%Y-%m-%dT%H:%M"), "reason": "Power cut"},
    )
    assert team.submission_extension.reason == "Power cut"
    assert team.submission_extension.ends_at == ends_at.replace(second=0, microsecond=0)
    csv_text = client.get(url("export_csv", hack_event)).content.decode()
    assert "BlurCast,submitted" in csv_text and "Power cut" in csv_text
    archive = zipfile.ZipFile(io.BytesIO(client.get(url("export_zip", hack_event)).content))
    assert [n.split("/")[0] for n in archive.namelist()] == ["BlurCast"]


def test_participants_cannot_use_organizer_pages(client, hack_event, member):
    client.force_login(member)
    for name in ("overview", "export_csv", "export_zip"):
        assert client.get(url(name, hack_event)).status_code == 404


def test_the_judging_section_renders_the_judged_version(rf, team, judge, submitted):
    from django.template.loader import render_to_string

    request = rf.get("/")
    request.user = judge
    (section,) = page_sections("judging.team", team=team, request=request, user=judge)
    html = render_to_string(section["template"], {"section": section["context"], "request": request})
    assert "BlurCast" in html and 'data-run-kind="npu"' in html and 'data-testid="team-claim"' in html
    assert 'data-testid="speedup"' in html


def test_a_succeeded_job_page_says_pin_it_then_where_it_is_pinned(client, team, member, hack_event):
    from submissions.tests.factories import job

    measured, failed = job(team, queue="cpu", throughput_per_second=40.0), job(team, state="failed")
    page = reverse("npu_jobs:job_detail", kwargs={"event_slug": hack_event.slug, "job_id": measured.pk})
    client.force_login(member)
    body = client.get(page).text
    assert 'data-testid="job-next-step"' in body and "Pin it as evidence" in body
    assert url("team", hack_event) + "#evidence-heading" in body
    services.evidence_pin_add(team=team, job_id=measured.pk, pinned_by=member)
    body = client.get(page).text
    assert "pinned in your submission as: CPU baseline" in body and "Pin it as evidence" not in body
    # A failed job's next step is to fix and run again, not to pin.
    failed_page = reverse("npu_jobs:job_detail", kwargs={"event_slug": hack_event.slug, "job_id": failed.pk})
    body = client.get(failed_page).text
    assert "run it again" in body and "Pin it as evidence" not in body
    # After the deadline there is nothing to pin into.
    hack_event.__class__.objects.filter(pk=hack_event.pk).update(
        hacking_ends_at=hack_event.hacking_starts_at + timedelta(minutes=1)
    )
    assert 'data-testid="job-next-step"' not in client.get(page).text
