"""HTML pages: the applicant's form and status, and the organizers' screening, selection and check-in."""

import segno
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from applications import selectors, services
from applications.forms import (
    ApplicationForm,
    CheckinScanForm,
    DecisionForm,
    ReviewForm,
    ScreeningFilterForm,
    SelectionSettingsForm,
)
from applications.models import Application
from applications.permissions import REVIEWER_ROLES
from core.csv_export import csv_response
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from hackathon.decorators import event_page
from hackathon.models import Track
from hackathon.permissions import Role, is_organizer

SCREENING_PAGE_SIZE = 50


# --- Applicants -------------------------------------------------------------------------------


@event_page()
def apply(request, event):
    application = selectors.application_of_user(user=request.user, event=event)
    now = timezone.now()
    window_open = event.applications_open(now)
    editing = application is not None and application.status != Application.Status.WITHDRAWN
    if editing and not (application.is_open and window_open):
        return redirect("applications:status", event_slug=event.slug)
    form = None
    if window_open:
        form = ApplicationForm(request.POST or None, instance=application if editing else None, editing=editing)
    if request.method == "POST" and form is not None and form.is_valid():
        answers = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if editing:
                services.application_update(application_id=application.pk, user=request.user, **answers)
            else:
                services.application_submit(
                    event=event, user=request.user, privacy_consent=form.cleaned_data["privacy_consent"], **answers
                )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request,
                _("Your application was saved.") if editing else _("Thank you! Your application was submitted."),
            )
            return redirect("applications:status", event_slug=event.slug)
    elif request.method == "POST" and form is None:
        # The window closed while the form was open: say so clearly, server-side.
        try:
            services.applying.check_applications_open(event, now)
        except DomainError as error:
            messages.error(request, error.message)
    return render(
        request,
        "applications/apply.html",
        {
            "form": form,
            "application": application,
            "editing": editing,
            "window_open": window_open,
            "before_open": now < event.applications_open_at,
            "close_at": event.applications_close_at,
        },
    )


@event_page()
def status(request, event):
    application = selectors.application_of_user(user=request.user, event=event)
    if application is None:
        return redirect("applications:apply", event_slug=event.slug)
    qr_svg = ""
    if application.status == Application.Status.CONFIRMED:
        qr_svg = segno.make(_checkin_url(request, event, application), error="m").svg_inline(
            scale=6, title=_("Check-in code"), border=2
        )
    return render(
        request,
        "applications/status.html",
        {
            "application": application,
            "position": selectors.waitlist_position(application),
            "can_change": application.is_open and event.applications_open(),
            "qr_svg": qr_svg,
            "statuses": Application.Status,
        },
    )


def _checkin_url(request, event, application) -> str:
    path = reverse("applications:checkin", kwargs={"event_slug": event.slug})
    return request.build_absolute_uri(f"{path}?token={application.checkin_token}")


@require_POST
@event_page()
def withdraw(request, event):
    application = selectors.application_of_user(user=request.user, event=event)
    if application is None:
        raise Http404
    services.application_withdraw(application_id=application.pk, user=request.user)
    messages.success(request, _("Your application was withdrawn. You can apply again until applications close."))
    return redirect("applications:status", event_slug=event.slug)


@require_POST
@event_page()
def rsvp(request, event):
    application = selectors.application_of_user(user=request.user, event=event)
    if application is None:
        raise Http404
    attending = request.POST.get("answer") == "yes"
    services.application_rsvp(application_id=application.pk, user=request.user, attending=attending)
    if attending:
        messages.success(request, _("You are confirmed. See you at the event!"))
    else:
        messages.info(request, _("You declined your place. Thank you for telling us."))
    return redirect("applications:status", event_slug=event.slug)


# --- Reviewers and organizers ------------------------------------------------------------------


def _filters(request) -> tuple[ScreeningFilterForm, selectors.ScreeningFilters]:
    form = ScreeningFilterForm(request.GET or None)
    data = form.cleaned_data if form.is_valid() else {}
    return form, selectors.ScreeningFilters(
        track=data.get("track", ""),
        status=data.get("status", ""),
        training=data.get("training", ""),
        min_score=data.get("min_score"),
        reviewed=data.get("reviewed", ""),
        q=data.get("q", ""),
        sort=data.get("sort") or "submitted",
    )


@event_page(*REVIEWER_ROLES)
def screening(request, event):
    form, filters = _filters(request)
    applications = selectors.screening_applications_visible_to(event=event, user=request.user, filters=filters)
    page = Paginator(applications, SCREENING_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "applications/screening.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "organizer": is_organizer(request.user, event),
        },
    )


@event_page(Role.ORGANIZER)
def screening_export(request, event):
    _form, filters = _filters(request)
    applications = selectors.screening_applications_visible_to(event=event, user=request.user, filters=filters)

    header = [
        "id",
        "name",
        "email",
        "track",
        "status",
        "decision",
        "experience",
        "sdk_training",
        "sdk_training_on",
        "skills",
        "portfolio_url",
        "mean_score",
        "review_count",
        "submitted_at",
    ]

    def rows():
        for a in applications.iterator(chunk_size=500):
            yield (
                [
                    a.pk,
                    a.user.name,
                    a.user.email,
                    a.track,
                    a.status,
                    a.decision,
                    a.experience,
                    a.sdk_training_completed,
                    a.sdk_training_completed_on,
                    a.skills,
                    a.portfolio_url,
                    f"{a.mean_score:.2f}" if a.mean_score is not None else "",
                    a.review_count,
                    a.submitted_at,
                ]
            )

    return csv_response(filename=f"{event.slug}-applications.csv", header=header, rows=rows())


@event_page(*REVIEWER_ROLES)
def application_review(request, event, application_id):
    detail = selectors.application_review_get_visible(event=event, user=request.user, application_id=application_id)
    mine = detail["my_review"]
    form = ReviewForm(request.POST or None, initial={"score": mine.score, "comment": mine.comment} if mine else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.review_save(
                event=event,
                application_id=application_id,
                reviewer=request.user,
                score=form.cleaned_data["score"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your score was saved."))
            next_id = (
                selectors.screening_applications_visible_to(
                    event=event, user=request.user, filters=selectors.ScreeningFilters(reviewed="not_mine")
                )
                .values_list("pk", flat=True)
                .first()
            )
            if next_id and request.POST.get("then") == "next":
                return redirect("applications:application_review", event_slug=event.slug, application_id=next_id)
            return redirect("applications:application_review", event_slug=event.slug, application_id=application_id)
    return render(
        request, "applications/review.html", {**detail, "form": form, "organizer": is_organizer(request.user, event)}
    )


@event_page(*REVIEWER_ROLES)
def reviewer_progress(request, event):
    return render(
        request,
        "applications/progress.html",
        {"rows": selectors.reviewer_progress(event=event), "organizer": is_organizer(request.user, event)},
    )


@event_page(Role.ORGANIZER)
def selection(request, event):
    board = selectors.selection_board_visible_to(event=event, user=request.user)
    settings_row = board["selection"]
    initial = {
        "rsvp_deadline": timezone.localtime(settings_row.rsvp_deadline, event.tz)
        if settings_row.rsvp_deadline
        else None,
        "promoted_rsvp_hours": settings_row.promoted_rsvp_hours,
        "waitlist_length": settings_row.waitlist_length,
        **{f"places_{t['track'].value}": t["places"] for t in board["tracks"]},
    }
    timezone.activate(event.tz)  # the deadline is typed and shown in the event's time zone
    form = SelectionSettingsForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.selection_settings_update(
                event=event,
                updated_by=request.user,
                places=form.places(),
                rsvp_deadline=form.cleaned_data["rsvp_deadline"],
                promoted_rsvp_hours=form.cleaned_data["promoted_rsvp_hours"],
                waitlist_length=form.cleaned_data["waitlist_length"],
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Selection settings saved."))
            return redirect("applications:selection", event_slug=event.slug)
    return render(
        request,
        "applications/selection.html",
        {
            **board,
            "form": form,
            "decisions": Application.Decision.choices,
            "emails": selectors.decision_email_stats(event=event),
            "applications_open": event.applications_open(),
        },
    )


@require_POST
@event_page(Role.ORGANIZER)
def selection_propose(request, event):
    summary = services.selection_propose(event=event, proposed_by=request.user)
    accepted = sum(row["accept"] for row in summary.values())
    waitlisted = sum(row["waitlist"] for row in summary.values())
    messages.success(
        request,
        _("Proposal ready: %(accepted)s to accept, %(waitlisted)s on the waitlists.")
        % {"accepted": accepted, "waitlisted": waitlisted},
    )
    return redirect("applications:selection", event_slug=event.slug)


@require_POST
@event_page(Role.ORGANIZER)
def selection_adjust(request, event, application_id):
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
    else:
        services.selection_adjust(
            event=event,
            application_id=application_id,
            decision=form.cleaned_data["decision"],
            waitlist_rank=form.cleaned_data["waitlist_rank"],
            adjusted_by=request.user,
        )
        messages.success(request, _("Decision changed."))
    back = request.POST.get("next", "")
    if back.startswith(f"/e/{event.slug}/"):
        return redirect(back)
    return redirect("applications:selection", event_slug=event.slug)


@require_POST
@event_page(Role.ORGANIZER)
def selection_send(request, event):
    counts = services.selection_decisions_send(event=event, sent_by=request.user)
    messages.success(
        request,
        _(
            "Decisions sent: %(accepted)s accepted, %(waitlisted)s waitlisted, %(rejected)s not selected. The emails are on their way."
        )
        % {
            "accepted": counts[Application.Status.ACCEPTED],
            "waitlisted": counts[Application.Status.WAITLISTED],
            "rejected": counts[Application.Status.REJECTED],
        },
    )
    return redirect("applications:selection", event_slug=event.slug)


@require_POST
@event_page(Role.ORGANIZER)
def waitlist_promote(request, event, track):
    if track not in Track.values:
        raise Http404
    promoted = services.waitlist_promote(event=event, track=track, promoted_by=request.user)
    messages.success(request, _("%(count)s promoted from the waitlist.") % {"count": len(promoted)})
    return redirect("applications:selection", event_slug=event.slug)


# --- Check-in -----------------------------------------------------------------------------------


@event_page(Role.ORGANIZER)
def checkin(request, event):
    form = CheckinScanForm(request.POST or None)
    result = None
    if request.method == "POST":
        token = request.POST.get("code", "")
        application_id = request.POST.get("application_id")
        try:
            application, newly = services.checkin_record(
                event=event,
                checked_in_by=request.user,
                token=token,
                application_id=int(application_id) if application_id and application_id.isdigit() else None,
            )
        except DomainError as error:
            result = {"ok": False, "message": error.message}
        else:
            result = {"ok": True, "newly": newly, "application": application}
        form = CheckinScanForm()  # ready for the next scan
    scanned = None
    if request.method == "GET" and request.GET.get("token"):
        token = services.checkin_token_parse(request.GET["token"])
        scanned = Application.objects.filter(event=event, checkin_token=token).select_related("user").first()
        if scanned is None:
            result = {"ok": False, "message": _("No finalist of this event has this code.")}
    q = request.GET.get("q", "")
    context = {
        "form": form,
        "result": result,
        "scanned": scanned,
        "q": q,
        "found": selectors.checkin_finalists_visible_to(event=event, user=request.user, q=q),
        "counts": selectors.checkin_counts(event=event),
    }
    return render(request, "applications/checkin.html", context)


@event_page(Role.ORGANIZER)
def checkin_counts(request, event):
    return render(request, "applications/_checkin_counts.html", {"counts": selectors.checkin_counts(event=event)})
