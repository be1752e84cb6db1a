import zoneinfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from core.sections import page_sections
from hackathon import selectors, services
from hackathon.decorators import event_page
from hackathon.forms import EventForm, RoleGrantForm
from hackathon.models import EventRole
from hackathon.navigation import landing_cta
from hackathon.permissions import Role, roles_in_event


def home(request):
    """Anonymous visitors see the events; a signed-in person lands on their nearest event's home (my_home)."""
    if request.user.is_authenticated:
        mine = selectors.events_of_person(user=request.user)
        if mine:
            return redirect("hackathon:my_home", event_slug=mine[0].slug)
    return event_list(request)


def event_list(request):
    now = timezone.now()
    events = selectors.events_visible_to(request.user).order_by("-applications_open_at")
    return render(
        request,
        "hackathon/home.html",
        {
            "events": events,
            "open_events": list(selectors.open_events(now=now)[:20]),
            "my_roles": selectors.roles_of_user(request.user),
            "can_create_event": request.user.has_perm("hackathon.add_event"),
        },
    )


STAFF_ROLES = {Role.ORGANIZER, Role.REVIEWER}


def _next_step(panels: list[dict], now) -> dict | None:
    """The page's one next step: the panel whose deadline comes first, else the first panel with a step."""
    steps = [panel["context"] for panel in panels if panel["context"].get("next_url")]

    def urgency(step: dict) -> tuple[int, float]:
        deadline = step.get("deadline")
        if deadline is not None and deadline.at > now:
            return (0, deadline.at.timestamp())
        return (1, 0.0)

    return min(steps, key=urgency) if steps else None


@event_page()
def my_home(request, event):
    """The person's own page for the event: each app's panel for the roles they hold, the next deadline, and for
    staff what needs attention now. The panels come from the upper apps (core.sections, "hackathon:my_home")."""
    now = timezone.now()
    roles = roles_in_event(request.user, event)
    kwargs = {"request": request, "event": event, "roles": roles, "now": now}
    panels = [s for s in page_sections("hackathon:my_home", **kwargs) if s["context"]]
    attention = []
    if roles & STAFF_ROLES:
        attention = [s for s in page_sections("hackathon:my_home_attention", **kwargs) if s["context"]]
    deadlines = [panel["context"]["deadline"] for panel in panels if panel["context"].get("deadline")]
    milestone = event.next_milestone(now)
    if milestone is not None and all(d.at != milestone.at for d in deadlines):
        deadlines.append(milestone)  # unless a role's own deadline (the submission's) already says it
    deadlines = sorted((d for d in deadlines if d.at > now), key=lambda d: d.at)
    next_step = attention[0]["context"] if attention else _next_step(panels, now)
    return render(
        request,
        "hackathon/my_home.html",
        {
            "phase": event.phase_at(now),
            "now": now,
            "roles": roles,
            "panels": panels,
            "attention": attention,
            "is_staff_here": bool(roles & STAFF_ROLES),
            "is_organizer_here": Role.ORGANIZER in roles,
            "counts": selectors.event_role_counts(event=event) if Role.ORGANIZER in roles else None,
            "next_deadline": deadlines[0] if deadlines else None,
            "deadlines": deadlines[:5],
            "next_step": next_step,
            "other_events": [e for e in selectors.events_of_person(user=request.user) if e.pk != event.pk][:10],
        },
    )


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


@event_page(login_required=False)
def event_home(request, event):
    """The event's landing page: public once published, with one call to action for whoever is looking."""
    now = timezone.now()
    my_roles = roles_in_event(request.user, event)
    cta_sections = page_sections("hackathon:event_home.cta", request=request, event=event)
    return render(
        request,
        "hackathon/event_home.html",
        {
            "phase": event.phase_at(now),
            "next_milestone": event.next_milestone(now),
            "milestones": event.milestones(),
            "now": now,
            "counts": selectors.event_role_counts(event=event),
            "my_roles": my_roles,
            "cta": landing_cta(event=event, user=request.user, roles=my_roles, sections=cta_sections, now=now),
            # What upper apps add to the event page (judging: its awards and criteria), see core.sections.
            "sections": page_sections("hackathon:event_home", request=request, event=event),
        },
    )


def _timezone_from_post(request, default: str) -> str:
    name = request.POST.get("time_zone", default)
    return name if name in zoneinfo.available_timezones() else default


@login_required
def event_create(request):
    if not request.user.has_perm("hackathon.add_event"):
        raise PermissionDenied
    timezone.activate(zoneinfo.ZoneInfo(_timezone_from_post(request, "Asia/Seoul")))
    initial = services.default_timeline(applications_open_at=timezone.now().replace(second=0, microsecond=0))
    form = EventForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_create(created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The event was created. You are its organizer."))
            return redirect("hackathon:event_home", event_slug=event.slug)
    return render(request, "hackathon/event_form.html", {"form": form, "creating": True})


@event_page(Role.ORGANIZER)
def event_manage(request, event):
    timezone.activate(zoneinfo.ZoneInfo(_timezone_from_post(request, event.time_zone)))
    form = EventForm(request.POST or None, instance=event)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.event_update(event_id=event.pk, updated_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The event was saved."))
            return redirect("hackathon:event_home", event_slug=event.slug)
    return render(request, "hackathon/event_form.html", {"form": form, "creating": False})


@event_page(Role.ORGANIZER)
def event_people(request, event):
    form = RoleGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
        if user is None:
            form.add_error("email", _("Nobody has signed up with this email yet."))
        else:
            services.event_role_grant(
                event=event,
                user=user,
                role=form.cleaned_data["role"],
                track=form.cleaned_data["track"],
                granted_by=request.user,
            )
            messages.success(
                request,
                _("%(person)s now has the role “%(role)s”.")
                % {"person": user.display_name, "role": EventRole.Role(form.cleaned_data["role"]).label},
            )
            return redirect("hackathon:event_people", event_slug=event.slug)
    role_filter = request.GET.get("role", "")
    people = selectors.event_people(event=event, role=role_filter if role_filter in Role.values else None)
    return render(
        request,
        "hackathon/event_people.html",
        {"form": form, "people": people[:500], "role_filter": role_filter, "roles": Role.choices},
    )


@require_POST
@event_page(Role.ORGANIZER)
def event_role_revoke(request, event, role_id):
    granted = get_object_or_404(EventRole, pk=role_id, event=event)
    services.event_role_revoke(role_id=granted.pk, revoked_by=request.user)
    messages.success(request, _("The role was removed."))
    return redirect("hackathon:event_people", event_slug=event.slug)


@event_page(login_required=False)
def event_countdown(request, event):
    """htmx fragment: the phase banner, refreshed so the page changes phase without a reload."""
    now = timezone.now()
    return render(
        request,
        "hackathon/_phase_banner.html",
        {"phase": event.phase_at(now), "next_milestone": event.next_milestone(now), "now": now},
    )
