"""Judging pages: the judge's dashboard and scoring page, the organizer's page, exports and the public results.
Views parse the request, call one service or selector, and render."""

import csv
import html
import io

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.actions import post_action
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from core.sections import page_sections
from hackathon.decorators import event_page
from hackathon.models import EventRole
from hackathon.permissions import is_judge, is_organizer
from judging import selectors, services
from judging.forms import (
    AwardCategoryForm,
    ConflictRecordForm,
    CriterionForm,
    OverrideForm,
    ReasonForm,
    ScoreForm,
    SettingsForm,
)
from judging.models import Award, AwardCategory, Criterion, Score

Role = EventRole.Role
RANKING_PAGE_SIZE = 50  # the page costs the same for 30 teams or 300


def _run(request, event, fallback: str, call, success: str, **kwargs):
    return post_action(request, call, success, fallback, event_slug=event.slug, **kwargs)


@event_page(Role.JUDGE, Role.ORGANIZER)
def home(request, event):
    if is_judge(request.user, event):
        return redirect("judging:dashboard", event_slug=event.slug)
    return redirect("judging:manage", event_slug=event.slug)


# --- judges ---------------------------------------------------------------------------------------


@event_page(Role.JUDGE)
def dashboard(request, event):
    settings = selectors.judging_settings_of(event)
    criteria = selectors.criteria_of(event)
    assignments = selectors.assignments_of_judge(event=event, judge=request.user)
    done = sum(1 for a in assignments if a.submitted >= len(criteria))
    next_team = next((a for a in assignments if a.submitted < len(criteria)), None)
    context = {
        "settings": settings,
        "criteria_count": len(criteria),
        "assignments": assignments,
        "done": done,
        "next_team": next_team,
        "conflicts": list(selectors.conflicts_of_judge(event=event, judge=request.user)),
    }
    return render(request, "judging/dashboard.html", context)


def _assignment_or_404(request, event, team_id):
    assignment = selectors.assignment_of_judge(event=event, judge=request.user, team_id=team_id)
    if assignment is None:
        raise Http404
    return assignment


def _score_rows(event, judge, team_id):
    criteria = list(selectors.criteria_of(event))
    scores = {s.criterion_id: s for s in selectors.scores_of_judge(event=event, judge=judge, team_id=team_id)}
    return [{"criterion": c, "score": scores.get(c.pk)} for c in criteria]


@event_page(Role.JUDGE)
def score_team(request, event, team_id):
    assignment = _assignment_or_404(request, event, team_id)
    team = assignment.team
    rows = _score_rows(event, request.user, team.pk)
    assignments = selectors.assignments_of_judge(event=event, judge=request.user)
    later = [a for a in assignments if a.team_id != team.pk and a.submitted < len(rows)]
    context = {
        "settings": selectors.judging_settings_of(event),
        "team": team,
        "rows": rows,
        "all_submitted": all(r["score"] and r["score"].state == Score.State.SUBMITTED for r in rows),
        "any_saved": any(r["score"] and r["score"].state != Score.State.WITHDRAWN for r in rows),
        "evidence": selectors.evidence_of_team(team=team),
        "sections": page_sections("judging.team", request=request, team=team, event=event),
        "next_assignment": later[0] if later else None,
        "has_economics": any(r["criterion"].key == "economics" for r in rows),
    }
    return render(request, "judging/score_team.html", context)


@require_POST
@event_page(Role.JUDGE)
def score_save(request, event, team_id):
    """htmx autosave of one criterion: answers the criterion's fragment with its saved state or the error."""
    _assignment_or_404(request, event, team_id)
    form = ScoreForm(request.POST)
    error = ""
    if form.is_valid():
        try:
            services.score_save(
                event=event,
                judge=request.user,
                team_id=team_id,
                criterion_id=form.cleaned_data["criterion"],
                value=form.cleaned_data["value"],
                comment=form.cleaned_data["comment"],
            )
        except DomainError as exc:
            error = exc.message
        except PermissionDenied as exc:
            raise Http404 from exc
    else:
        error = _("Enter a whole number for the score.")
    criterion_id = form.cleaned_data.get("criterion") if form.is_valid() else request.POST.get("criterion")
    criterion = get_object_or_404(Criterion, event=event, pk=criterion_id)
    if not request.htmx:
        if error:
            messages.error(request, error)
        return redirect("judging:score_team", event_slug=event.slug, team_id=team_id)
    score = (
        selectors.scores_of_judge(event=event, judge=request.user, team_id=team_id).filter(criterion=criterion).first()
    )
    row = {"criterion": criterion, "score": score}
    context = {
        "row": row,
        "team_id": team_id,
        "error": error,
        "saved": not error,
        "settings": selectors.judging_settings_of(event),
    }
    return render(request, "judging/_score_row.html", context)


@require_POST
@event_page(Role.JUDGE)
def scores_submit(request, event, team_id):
    _assignment_or_404(request, event, team_id)
    return _run(
        request,
        event,
        "judging:score_team",
        lambda: services.scores_submit(event=event, judge=request.user, team_id=team_id),
        _("Submitted. You can still change a score until judging closes."),
        team_id=team_id,
    )


@require_POST
@event_page(Role.JUDGE)
def scores_withdraw(request, event, team_id):
    _assignment_or_404(request, event, team_id)
    return _run(
        request,
        event,
        "judging:score_team",
        lambda: services.scores_withdraw(event=event, judge=request.user, team_id=team_id),
        _("Withdrawn: your scores of this team no longer count. Score again to bring them back."),
        team_id=team_id,
    )


@require_POST
@event_page(Role.JUDGE)
def conflict_declare(request, event, team_id):
    _assignment_or_404(request, event, team_id)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        event,
        "judging:dashboard",
        lambda: services.conflict_declare(event=event, judge=request.user, team_id=team_id, reason=reason),
        _("Conflict declared: this team goes to another judge."),
    )


# --- organizers -----------------------------------------------------------------------------------


@event_page(Role.ORGANIZER)
def manage(request, event):
    settings = selectors.judging_settings_of(event)
    criteria = selectors.criteria_of(event)
    teams = selectors.candidate_team_specs(event)
    judges = list(selectors.judges_of(event).only("id", "name", "email"))
    method = _method(request, settings)
    ranking = selectors.ranking_of_event(event=event, method=method, settings=settings, criteria=criteria, teams=teams)
    per_judge = selectors.progress_of_judges(event=event, ranking=ranking, judges=judges)
    awards = selectors.awards_of_event(event=event)
    proposal = []
    if not awards:
        for_awards = ranking
        if method != settings.method:
            for_awards = selectors.ranking_of_event(event=event, settings=settings, criteria=criteria, teams=teams)
        proposal = selectors.award_proposal(event=event, ranking=for_awards)
    next_url, next_label, next_hint = _next_step(event, settings, per_judge, awards)
    context = {
        "next_url": next_url,
        "next_label": next_label,
        "next_hint": next_hint,
        "settings": settings,
        "criteria": criteria,
        "categories": selectors.award_categories_of(event),
        "per_judge": per_judge,
        "ranking": ranking,
        "top": ranking.results[:10],
        "method": method,
        "methods": settings.Method.choices,
        "proposal": proposal,
        "awards": awards,
        "conflicts": list(selectors.conflicts_of_event(event=event)),
        "settings_form": SettingsForm(instance=settings),
        "teams": teams,
        "judge_options": _options((j.pk, j.display_name) for j in judges),
        "team_options": _options((t.id, t.name) for t in teams),
    }
    return render(request, "judging/manage.html", context)


def _options(choices) -> str:
    """<option>s for a plain select, built once for every select that lists them: 300 teams through the template
    engine (or format_html) per select take milliseconds each time."""
    return mark_safe("".join(f'<option value="{int(pk)}">{html.escape(label)}</option>' for pk, label in choices))  # noqa: S308


def _next_step(event, settings, per_judge, awards) -> tuple[str, str, str]:
    """(link, button, line above it): the organizer's next step at each stage of judging."""
    if settings.state == settings.State.NOT_OPEN:
        return "#window-heading", _("Open judging"), _("Check the criteria, the awards and judges per team first.")
    if settings.is_open:
        assigned = sum(p.assigned for p in per_judge)
        done = sum(p.done for p in per_judge)
        if assigned and done >= assigned:
            return "#window-heading", _("Close judging"), _("Every judge has finished their teams.")
        return (
            "#progress-heading",
            _("Watch the progress"),
            _("Judges are scoring: %(done)d of %(assigned)d assignments finished.")
            % {"done": done, "assigned": assigned},
        )
    if not awards:
        return "#awards-heading", _("Confirm the awards"), _("Judging is closed: the ranking proposes the awards.")
    if settings.results_published_at is None:
        return "#awards-heading", _("Publish the results"), _("Override a place with a reason if you must.")
    return (
        reverse("judging_results:results", kwargs={"event_slug": event.slug}),
        _("See the published results"),
        _("Judging is done."),
    )


def _method(request, settings) -> str:
    method = request.GET.get("method") or settings.method
    return method if method in settings.Method.values else settings.method


@event_page(Role.ORGANIZER)
def ranking(request, event):
    """Every team in the chosen order, with per-team progress and the bias model's judge offsets."""
    settings = selectors.judging_settings_of(event)
    criteria = selectors.criteria_of(event)
    method = _method(request, settings)
    result = selectors.ranking_of_event(event=event, method=method, settings=settings, criteria=criteria)
    pages = max(1, -(-len(result.results) // RANKING_PAGE_SIZE))
    try:
        page = min(pages, max(1, int(request.GET.get("page", 1))))
    except ValueError:
        page = 1
    page_rows = result.results[(page - 1) * RANKING_PAGE_SIZE : page * RANKING_PAGE_SIZE]
    assigned = selectors.judges_assigned_per_team(event=event)
    for row in page_rows:
        row.assigned = assigned.get(row.team.id, 0)  # type: ignore[attr-defined]
    names = dict(selectors.judges_of(event).values_list("pk", "name"))
    context = {
        "ranking": result,
        "page_rows": page_rows,
        "page": page,
        "pages": pages,
        "page_numbers": range(1, pages + 1),
        "method": method,
        "methods": settings.Method.choices,
        "offsets": [
            (key, [(names.get(judge_id) or judge_id, offset) for judge_id, offset in sorted(offsets.items())])
            for key, offsets in result.judge_offsets.items()
        ],
    }
    return render(request, "judging/ranking.html", context)


def _setup_form(request, event, *, form, title, lede, submit_label, save, success, fixed):
    """The criterion and award-category forms: save through a service, or show why it cannot (judging has opened)."""
    settings = selectors.judging_settings_of(event)
    if request.method == "POST" and form.is_valid():
        try:
            save(form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, success)
            return redirect("judging:manage", event_slug=event.slug)
    context = {
        "form": form,
        "title": title,
        "lede": lede,
        "submit_label": submit_label,
        "fixed": fixed if settings.state != settings.State.NOT_OPEN else "",
    }
    return render(request, "judging/setup_form.html", context)


@event_page(Role.ORGANIZER)
def criterion_edit(request, event, criterion_id):
    criterion = get_object_or_404(Criterion, event=event, pk=criterion_id)
    return _setup_form(
        request,
        event,
        form=CriterionForm(request.POST or None, instance=criterion),
        title=_("Edit a criterion"),
        lede=_("Names in both languages, the weight and the scale. Criteria are fixed once judging opens."),
        submit_label=_("Save the criterion"),
        save=lambda data: services.criterion_update(
            event=event, criterion_id=criterion.pk, updated_by=request.user, **data
        ),
        success=_("Criterion saved."),
        fixed=_("Judging has opened: the criteria are fixed, so judges score every team on the same ones."),
    )


@event_page(Role.ORGANIZER)
def criterion_create(request, event):
    return _setup_form(
        request,
        event,
        form=CriterionForm(request.POST or None, initial={"weight": 1, "scale_min": 1, "scale_max": 10}),
        title=_("Add a criterion"),
        lede=_("Names in both languages, the weight and the scale. Criteria are fixed once judging opens."),
        submit_label=_("Add the criterion"),
        save=lambda data: services.criterion_create(event=event, created_by=request.user, **data),
        success=_("Criterion added."),
        fixed=_("Judging has opened: the criteria are fixed, so judges score every team on the same ones."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def criterion_delete(request, event, criterion_id):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.criterion_delete(event=event, criterion_id=criterion_id, deleted_by=request.user),
        _("Criterion deleted."),
    )


@event_page(Role.ORGANIZER)
def award_category_edit(request, event, category_id):
    category = get_object_or_404(AwardCategory, event=event, pk=category_id)
    return _setup_form(
        request,
        event,
        form=AwardCategoryForm(request.POST or None, instance=category),
        title=_("Edit an award"),
        lede=_("Its names and how many teams win it. Awards are fixed once judging opens."),
        submit_label=_("Save the award"),
        save=lambda data: services.award_category_update(
            event=event, category_id=category.pk, updated_by=request.user, **data
        ),
        success=_("Award saved."),
        fixed=_("Judging has opened: the awards are fixed."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def criteria_create_defaults(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.criteria_ensure(event),
        _("The criteria are saved for this event. Edit them until judging opens."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def settings_update(request, event):
    form = SettingsForm(request.POST, instance=selectors.judging_settings_of(event))
    if not form.is_valid():
        messages.error(request, _("Check the settings: %(errors)s") % {"errors": form.errors.as_text()})
        return redirect("judging:manage", event_slug=event.slug)
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.judging_settings_update(event=event, updated_by=request.user, **form.cleaned_data),
        _("Settings saved."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def judging_open(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.judging_open(event=event, opened_by=request.user),
        _("Judging is open. Judges see their teams on their dashboards."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def judging_close(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.judging_close(event=event, closed_by=request.user),
        _("Judging is closed. Confirm the awards next."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def conflicts_detect(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.conflicts_detect(event=event, detected_by=request.user),
        _("Conflicts checked against teams and join requests."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def conflict_record(request, event):
    form = ConflictRecordForm(request.POST, judges=selectors.judges_of(event), teams=selectors.candidate_teams(event))
    if not form.is_valid():
        messages.error(request, _("Choose a judge and a team, and say what the conflict is."))
        return redirect("judging:manage", event_slug=event.slug)
    data = form.cleaned_data
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.conflict_record(
            event=event, judge_id=data["judge"], team_id=data["team"], reason=data["reason"], recorded_by=request.user
        ),
        _("Conflict recorded."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def conflict_clear(request, event, conflict_id):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.conflict_clear(event=event, conflict_id=conflict_id, reason=reason, cleared_by=request.user),
        _("Conflict cleared."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def judge_drop(request, event, judge_id):
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.judge_drop(event=event, judge_id=judge_id, reason=reason, dropped_by=request.user),
        _("The judge is out; their teams went to other judges."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def awards_confirm(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.awards_confirm(event=event, confirmed_by=request.user),
        _("Awards confirmed from the ranking. Override a place if you must, then publish."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def award_override(request, event, award_id):
    get_object_or_404(Award, event=event, pk=award_id)
    form = OverrideForm(request.POST, teams=selectors.candidate_teams(event))
    if not form.is_valid():
        messages.error(request, _("Choose a team and say why."))
        return redirect("judging:manage", event_slug=event.slug)
    data = form.cleaned_data
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.award_override(
            event=event, award_id=award_id, team_id=data["team"], reason=data["reason"], overridden_by=request.user
        ),
        _("Place given to another team; the reason is recorded."),
    )


@require_POST
@event_page(Role.ORGANIZER)
def results_publish(request, event):
    return _run(
        request,
        event,
        "judging:manage",
        lambda: services.results_publish(event=event, published_by=request.user),
        _("Results published."),
    )


@event_page(Role.ORGANIZER)
def export_csv(request, event):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(selectors.export_rows(event=event))
    response = HttpResponse(buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-scores.csv"'
    return response


@event_page(Role.ORGANIZER)
def export_xlsx(request, event):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "scores"
    for row in selectors.export_rows(event=event):
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = HttpResponse(
        buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-scores.xlsx"'
    return response


# --- everyone -------------------------------------------------------------------------------------


@event_page(login_required=False)
def results(request, event):
    """The public results: 404 until an organizer publishes them (organizers may preview)."""
    published = selectors.results_published(event)
    if not published and not is_organizer(request.user, event):
        raise Http404
    winners = [
        {
            **row,
            # A section with nothing to say (e.g. no judged submission) is left out, so the team's idea shows instead.
            "sections": [
                section
                for section in page_sections("judging.result", request=request, team=row["award"].team, event=event)
                if section["context"]
            ],
        }
        for row in selectors.results_of_event(event=event)
    ]
    return render(request, "judging/results.html", {"published": published, "winners": winners})
