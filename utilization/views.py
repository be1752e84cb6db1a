import csv

from django.http import Http404, HttpResponse
from django.shortcuts import render

from hackathon.decorators import event_page
from hackathon.models import EventRole
from npu_jobs.selectors import team_for_participant
from utilization import selectors

Role = EventRole.Role


def _window(request) -> str:
    window = request.GET.get("window", selectors.DEFAULT_WINDOW)
    return window if window in selectors.WINDOWS else selectors.DEFAULT_WINDOW


@event_page(Role.ORGANIZER)
def dashboard(request, event):
    window = _window(request)
    figures = selectors.dashboard_figures(event=event, window=window)
    return render(
        request,
        "utilization/dashboard.html",
        {"event": event, "figures": figures, "window": window, "series_devices": selectors.SERIES_DEVICES},
    )


@event_page(Role.ORGANIZER)
def dashboard_live(request, event):
    """The dashboard's figures alone, for htmx to swap in every few seconds."""
    window = _window(request)
    figures = selectors.dashboard_figures(event=event, window=window)
    return render(
        request,
        "utilization/_live.html",
        {"event": event, "figures": figures, "window": window, "series_devices": selectors.SERIES_DEVICES},
    )


@event_page(Role.ORGANIZER)
def figures_csv(request, event):
    table = request.GET.get("table", "teams")
    if table not in selectors.CSV_TABLES:
        raise Http404
    rows = selectors.csv_rows(selectors.dashboard_figures(event=event, window=_window(request)), table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{event.slug}-utilization-{table}.csv"'
    writer = csv.DictWriter(response, fieldnames=list(rows[0]) if rows else ["empty"], extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return response


@event_page(Role.PARTICIPANT)
def team_usage(request, event):
    team = team_for_participant(user=request.user, event=event)
    return render(
        request, "utilization/team.html", {"event": event, "usage": selectors.team_usage(team=team), "team": team}
    )
