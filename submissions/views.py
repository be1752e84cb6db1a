"""Submission pages. Views parse the request, call one service or selector, and render."""

import csv
import io
import zipfile
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import post_action
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from core.uploads import media_path
from hackathon.decorators import event_page
from hackathon.models import EventRole
from hackathon.permissions import is_judge, is_organizer, is_participant
from submissions import selectors, services
from submissions.forms import ExtensionForm, FileUploadForm, GalleryForm, PinForm, SubmissionForm
from submissions.models import SubmissionFile
from teams.models import Team
from teams.selectors import team_of_user

Role = EventRole.Role
STAFF = (Role.ORGANIZER, Role.JUDGE)


def _event_time(value: datetime, event) -> datetime:
    """A form's datetime was read in the site's time zone; the person typed the event's wall-clock time."""
    return timezone.make_naive(value).replace(tzinfo=event.tz)


def _my_team(request, event) -> Team:
    team = team_of_user(user=request.user, event=event) if is_participant(request.user, event) else None
    if team is None:
        raise Http404
    return team


def _run(request, event, call, success: str, target: str = "submissions:team"):
    return post_action(request, call, success, target, event_slug=event.slug)


@event_page(Role.PARTICIPANT, Role.ORGANIZER, Role.JUDGE)
def home(request, event):
    if is_organizer(request.user, event) or is_judge(request.user, event):
        return redirect("submissions:overview", event_slug=event.slug)
    return redirect("submissions:team", event_slug=event.slug)


# --- the team's page --------------------------------------------------------------------------------


@event_page(Role.PARTICIPANT)
def team_page(request, event):
    team = team_of_user(user=request.user, event=event)
    if team is None:
        return render(request, "submissions/team.html", {"team": None})
    status = selectors.status_of_team(team)
    submission = status.submission
    current = submission.current_version if submission else None
    form = SubmissionForm(request.POST or None, instance=current)
    if request.method == "POST" and not status.locked and form.is_valid():
        try:
            version = services.submission_version_save(team=team, author=request.user, data=form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Saved as version %(n)s.") % {"n": version.number})
            return redirect("submissions:team", event_slug=event.slug)
    versions = list(selectors.versions_of_submission(submission)) if submission else []
    context = {
        "team": team,
        "status": status,
        "submission": submission,
        "form": form,
        "upload_form": FileUploadForm(),
        "pin_form": PinForm(jobs=selectors.pinnable_jobs_of_team(team)),
        "comparisons": list(selectors.pinnable_comparisons_of_team(team)),
        "files": list(selectors.live_files_of_submission(submission)) if submission else [],
        "pins": list(selectors.live_pins_of_submission(submission)) if submission else [],
        "evidence": selectors.evidence_of_submission(submission) if submission else None,
        "checks": selectors.checks_of_submission(submission),
        "versions": versions,
    }
    return render(request, "submissions/team.html", context)


@require_POST
@event_page(Role.PARTICIPANT)
def submit(request, event):
    team = _my_team(request, event)
    return _run(
        request,
        event,
        lambda: services.submission_submit(team=team, submitted_by=request.user),
        _("Submitted. The judges will see this version unless you submit again before the deadline."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def file_upload(request, event):
    team = _my_team(request, event)
    form = FileUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a kind and a file."))
        return redirect("submissions:team", event_slug=event.slug)
    return _run(
        request,
        event,
        lambda: services.submission_file_upload(
            team=team, uploaded_by=request.user, kind=form.cleaned_data["kind"], upload=form.cleaned_data["file"]
        ),
        _("Uploaded."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def file_remove(request, event, file_id):
    team = _my_team(request, event)
    return _run(
        request,
        event,
        lambda: services.submission_file_remove(team=team, file_id=file_id, removed_by=request.user),
        _("Removed."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def pin_add(request, event):
    team = _my_team(request, event)
    form = PinForm(request.POST, jobs=selectors.pinnable_jobs_of_team(team))
    if not form.is_valid():
        messages.error(request, _("Choose one of your team's succeeded jobs."))
        return redirect("submissions:team", event_slug=event.slug)
    data = form.cleaned_data
    return _run(
        request,
        event,
        lambda: services.evidence_pin_add(
            team=team, job_id=data["job"].pk, role=data["role"], note=data["note"], pinned_by=request.user
        ),
        _("Pinned."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def pin_comparison(request, event, comparison_id):
    team = _my_team(request, event)
    return _run(
        request,
        event,
        lambda: services.evidence_pin_comparison(team=team, comparison_id=comparison_id, pinned_by=request.user),
        _("Pinned both runs of the comparison."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def pin_remove(request, event, pin_id):
    team = _my_team(request, event)
    return _run(
        request,
        event,
        lambda: services.evidence_pin_remove(team=team, pin_id=pin_id, removed_by=request.user),
        _("Unpinned."),
    )


@event_page(Role.PARTICIPANT)
def version_detail(request, event, number):
    team = _my_team(request, event)
    submission = selectors.submission_of_team(team)
    versions = list(selectors.versions_of_submission(submission)) if submission else []
    by_number = {v.number: v for v in versions}
    version = by_number.get(number)
    if version is None:
        raise Http404
    previous = by_number.get(number - 1)
    context = {
        "team": team,
        "version": version,
        "previous": previous,
        "diff": selectors.version_diff(version, previous),
        "display": selectors.version_display(version),
    }
    return render(request, "submissions/version.html", context)


# --- reading a submission ---------------------------------------------------------------------------


@event_page(login_required=False)
def submission_view(request, event, team_id):
    """Read-only: the judged version (or, for the team and organizers, the current draft)."""
    try:
        submission = selectors.submission_get_visible(user=request.user, event=event, team_id=team_id)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    team = submission.team
    version = selectors.judged_version_of_team(team)
    staff_or_team = is_organizer(request.user, event) or selectors.is_team_member(request.user, team)
    if version is None and staff_or_team:
        version = submission.current_version
    context = {
        "team": team,
        "status": selectors.status_of_team(team),
        "display": selectors.version_display(version) if version else None,
    }
    return render(request, "submissions/view.html", context)


@event_page(login_required=False)
def file_download(request, event, file_id):
    try:
        stored = selectors.submission_file_get_visible(user=request.user, event=event, file_id=file_id)
    except Http404:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        raise
    path = media_path(stored.path)
    if not path.is_file():
        raise Http404
    response = FileResponse(
        open(path, "rb"),  # noqa: SIM115 -- FileResponse closes it
        content_type=stored.content_type,
        as_attachment=stored.kind == SubmissionFile.Kind.SLIDES,
        filename=stored.name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@event_page(login_required=False)
def gallery(request, event):
    if not selectors.submission_settings_of(event).gallery_public and not (
        request.user.is_authenticated and (is_organizer(request.user, event) or is_judge(request.user, event))
    ):
        raise Http404
    rows = []
    for submission in selectors.submissions_visible_to(user=request.user, event=event).filter(
        submitted_version__isnull=False
    ):
        version = selectors.judged_version_of_team(submission.team)
        if version is not None:
            rows.append(selectors.version_display(version))
    return render(request, "submissions/gallery.html", {"rows": rows})


# --- organizers -------------------------------------------------------------------------------------


@event_page(*STAFF)
def overview(request, event):
    organizer = is_organizer(request.user, event)
    rows = selectors.overview_of_event(event)
    settings = selectors.submission_settings_of(event)
    context = {
        "rows": rows,
        "organizer": organizer,
        "counts": {state: sum(1 for r in rows if r.state == state) for state in ("submitted", "draft", "nothing")},
        "extension_form": ExtensionForm(teams=Team.objects.filter(event=event).order_by("name")) if organizer else None,
        "gallery_form": GalleryForm(initial={"gallery_public": settings.gallery_public}) if organizer else None,
        "settings": settings,
    }
    return render(request, "submissions/overview.html", context)


@require_POST
@event_page(Role.ORGANIZER)
def extension_grant(request, event):
    form = ExtensionForm(request.POST, teams=Team.objects.filter(event=event))
    if not form.is_valid():
        messages.error(request, _("Choose a team, a new deadline and a reason."))
        return redirect("submissions:overview", event_slug=event.slug)
    data = form.cleaned_data
    return _run(
        request,
        event,
        lambda: services.submission_extension_grant(
            team=data["team"],
            granted_by=request.user,
            ends_at=_event_time(data["ends_at"], event),
            reason=data["reason"],
        ),
        _("Extension granted. The team and the judges see the new deadline."),
        target="submissions:overview",
    )


@require_POST
@event_page(Role.ORGANIZER)
def settings_update(request, event):
    form = GalleryForm(request.POST)
    form.is_valid()
    return _run(
        request,
        event,
        lambda: services.submission_settings_update(
            event=event, changed_by=request.user, gallery_public=bool(form.cleaned_data.get("gallery_public"))
        ),
        _("Saved."),
        target="submissions:overview",
    )


@event_page(Role.ORGANIZER)
def export_csv(request, event):
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["team", "state", "deadline", "extension_reason", "version", "submitted_at", "title", "summary",
                     "category", "repository_url", "demo_video_url", "files_sha256", "pinned_jobs"])  # fmt: skip
    for row in selectors.overview_of_event(event):
        version = selectors.judged_version_of_team(row.team)
        display = selectors.version_display(version) if version else None
        text = display.text if display else {}
        writer.writerow(
            [
                row.team.name,
                row.state,
                row.deadline.isoformat(),
                row.extension.reason if row.extension else "",
                version.number if version else "",
                version.submitted_at.isoformat() if version and version.submitted_at else "",
                text.get("title", ""),
                text.get("summary", ""),
                text.get("category", ""),
                text.get("repository_url", ""),
                text.get("demo_video_url", ""),
                " ".join(f.sha256 for f in display.files) if display else "",
                " ".join(f"{r.job.pk}:{r.role}" for r in display.evidence.rows) if display else "",
            ]
        )
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-submissions.csv"'
    return response


@event_page(Role.ORGANIZER)
def export_zip(request, event):
    """The judged versions' files, one folder per team."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for row in selectors.overview_of_event(event):
            version = selectors.judged_version_of_team(row.team)
            if version is None:
                continue
            for stored in selectors.files_of_version(version):
                path = media_path(stored.path)
                if path.is_file():
                    archive.write(path, f"{row.team.name}/v{version.number}/{stored.pk}-{stored.name}")
    response = HttpResponse(buffer.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-submissions.zip"'
    return response
