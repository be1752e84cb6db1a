"""Mentoring pages. Views parse the request, call one service or selector, and render."""

from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.models import User
from core.actions import post_action
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from hackathon.decorators import event_page
from hackathon.permissions import is_mentor, is_organizer, is_participant
from mentoring import calendar, selectors, services
from mentoring.forms import (
    BookingForm,
    HelpRequestForm,
    MentorInviteForm,
    NotesForm,
    ProfileForm,
    RatingForm,
    SettingsForm,
    ShiftForm,
    SlotForm,
)
from mentoring.models import Booking, HelpRequest, MentorProfile, MentorSlot
from mentoring.permissions import MENTOR_PAGE_ROLES, MENTORING_ROLES, Role
from npu_jobs.models import ModelQuantization, NpuJob
from teams.models import Team
from teams.selectors import team_of_user


def _event_time(value: datetime, event) -> datetime:
    """A form's datetime was read in the site's time zone; the person typed the event's wall-clock time."""
    return timezone.make_naive(value).replace(tzinfo=event.tz)


def _back(request, fallback: str, event):
    return redirect(fallback, event_slug=event.slug)


def _run(request, event, fallback: str, call, success: str):
    """Call a service from a POST (core.actions.post_action), then go back to `fallback` in this event."""
    return post_action(request, call, success, fallback, event_slug=event.slug)


@event_page(*MENTORING_ROLES)
def home(request, event):
    if is_mentor(request.user, event):
        return redirect("mentoring:mentor_day", event_slug=event.slug)
    if is_organizer(request.user, event):
        return redirect("mentoring:overview", event_slug=event.slug)
    return redirect("mentoring:team_home", event_slug=event.slug)


# --- teams ----------------------------------------------------------------------------------------


def _my_team(request, event) -> Team | None:
    return team_of_user(user=request.user, event=event) if is_participant(request.user, event) else None


def _team_live_context(request, event, team: Team) -> dict:
    status = selectors.queue_status_of_team(team=team)
    return {
        "team": team,
        "status": status,
        "version": selectors.queue_version(event=event, user=request.user),
        "history": list(selectors.help_requests_of_team(team=team, limit=5)),
        "rating_form": RatingForm(),
    }


@event_page(Role.PARTICIPANT)
def team_home(request, event):
    team = _my_team(request, event)
    if team is None:
        return render(request, "mentoring/team_home.html", {"team": None})
    settings = selectors.mentoring_settings_of(event)
    bookings = list(selectors.bookings_of_team(team=team))
    used = sum(1 for b in bookings if b.state != Booking.State.CANCELLED)
    slots = list(selectors.slots_of_event(event=event))
    calendar_row = selectors.team_calendar_of(team=team)
    context = {
        **_team_live_context(request, event, team),
        "settings": settings,
        "bookings": bookings,
        "sessions_left": max(0, settings.sessions_per_team - used),
        "slots": slots,
        "open_slot_count": sum(1 for s in slots if not s.active_bookings),
        "booking_form": BookingForm(),
        "help_form": HelpRequestForm(failed_work=selectors.failed_work_of_team(team=team)),
        "calendar_url": calendar.feed_url(request, team_token=calendar_row.token) if calendar_row else "",
    }
    return render(request, "mentoring/team_home.html", context)


@event_page(Role.PARTICIPANT)
def team_live(request, event):
    """Polled every 2 s by the team page: the queue status. 204 when nothing changed since ?v=."""
    team = _my_team(request, event)
    if team is None:
        raise Http404
    if request.GET.get("v") == selectors.queue_version(event=event, user=request.user):
        return HttpResponse(status=204)
    return render(request, "mentoring/_team_live.html", _team_live_context(request, event, team))


@require_POST
@event_page(Role.PARTICIPANT)
def booking_create(request, event, slot_id):
    team = _my_team(request, event)
    slot = get_object_or_404(MentorSlot, pk=slot_id, event=event)
    if team is None:
        raise Http404
    form = BookingForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    return _run(
        request,
        event,
        "mentoring:team_home",
        lambda: services.booking_create(slot_id=slot.pk, team_id=team.pk, booked_by=request.user, note=note),
        _("Booked. Your mentor sees your note; you will get a reminder before the session."),
    )


def _visible_booking(request, event, booking_id) -> Booking:
    booking = selectors.booking_get_visible(user=request.user, event=event, booking_id=booking_id)
    if booking is None:
        raise Http404
    return booking


@event_page(*MENTORING_ROLES)
def booking_detail(request, event, booking_id):
    """The session and the mentor's notes: for the team, the mentor and organizers; 404 for anyone else."""
    booking = _visible_booking(request, event, booking_id)
    return render(request, "mentoring/booking_detail.html", {"booking": booking})


@require_POST
@event_page(*MENTORING_ROLES)
def booking_cancel(request, event, booking_id):
    booking = _visible_booking(request, event, booking_id)
    fallback = "mentoring:team_home" if booking.slot.mentor.user_id != request.user.pk else "mentoring:mentor_day"
    return _run(
        request,
        event,
        fallback,
        lambda: services.booking_cancel(booking_id=booking.pk, cancelled_by=request.user),
        _("The session was cancelled and the slot is open again."),
    )


@require_POST
@event_page(*MENTOR_PAGE_ROLES)
def booking_notes(request, event, booking_id):
    booking = _visible_booking(request, event, booking_id)
    form = NotesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Write a few words for the team."))
        return _back(request, "mentoring:mentor_day", event)
    return _run(
        request,
        event,
        "mentoring:mentor_day",
        lambda: services.booking_notes_save(
            booking_id=booking.pk, notes=form.cleaned_data["notes"], written_by=request.user
        ),
        _("Notes saved. The team can read them now."),
    )


@require_POST
@event_page(*MENTOR_PAGE_ROLES)
def booking_no_show(request, event, booking_id):
    booking = _visible_booking(request, event, booking_id)
    return _run(
        request,
        event,
        "mentoring:mentor_day",
        lambda: services.booking_mark_no_show(booking_id=booking.pk, marked_by=request.user),
        _("Marked as a no-show. You are on shift for the live queue until the slot ends: check the queue."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def team_calendar_create(request, event):
    team = _my_team(request, event)
    if team is None:
        raise Http404
    return _run(
        request,
        event,
        "mentoring:team_home",
        lambda: services.team_calendar_create(team=team, created_by=request.user),
        _("Your team's calendar link is ready. Add it to your calendar app."),
    )


# --- the live queue (teams) -----------------------------------------------------------------------


def _attachment(team: Team, value: str) -> dict:
    kind, _sep, pk = value.partition(":")
    if not pk.isdigit():
        return {}
    if kind == "job":
        return {"job": get_object_or_404(NpuJob, pk=pk, team=team)}
    if kind == "quantization":
        return {"quantization": get_object_or_404(ModelQuantization, pk=pk, team=team)}
    return {}


@require_POST
@event_page(Role.PARTICIPANT)
def help_request_raise(request, event):
    team = _my_team(request, event)
    if team is None:
        raise Http404
    form = HelpRequestForm(request.POST, failed_work=selectors.failed_work_of_team(team=team))
    if not form.is_valid():
        messages.error(request, _("Choose a topic and say in a sentence what is wrong."))
        return _back(request, "mentoring:team_home", event)
    data = form.cleaned_data
    attachment = _attachment(team, data["attachment"])
    return _run(
        request,
        event,
        "mentoring:team_home",
        lambda: services.help_request_raise(
            team=team, raised_by=request.user, topic=data["topic"], text=data["text"], **attachment
        ),
        _("You are in the queue. This page shows your position and who is coming."),
    )


def _team_request(request, event, request_id) -> HelpRequest:
    team = _my_team(request, event)
    if team is None:
        raise Http404
    return get_object_or_404(HelpRequest, pk=request_id, team=team)


@require_POST
@event_page(Role.PARTICIPANT)
def help_request_cancel(request, event, request_id):
    help_request = _team_request(request, event, request_id)
    return _run(
        request,
        event,
        "mentoring:team_home",
        lambda: services.help_request_cancel(request_id=help_request.pk, cancelled_by=request.user),
        _("Your request left the queue."),
    )


@require_POST
@event_page(Role.PARTICIPANT)
def help_request_rate(request, event, request_id):
    help_request = _team_request(request, event, request_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Rate from 1 to 5."))
        return _back(request, "mentoring:team_home", event)
    return _run(
        request,
        event,
        "mentoring:team_home",
        lambda: services.help_request_rate(
            request_id=help_request.pk,
            rated_by=request.user,
            rating=form.cleaned_data["rating"],
            comment=form.cleaned_data["comment"],
        ),
        _("Thank you. Your rating helps the organizers plan the mentors' shifts."),
    )


# --- mentors --------------------------------------------------------------------------------------


def _my_profile(request, event) -> MentorProfile:
    profile = selectors.mentor_profile_of(user=request.user, event=event)
    if profile is None:
        raise Http404
    return profile


@event_page(Role.MENTOR)
def mentor_day(request, event):
    profile = selectors.mentor_profile_of(user=request.user, event=event)
    if profile is None:
        return render(request, "mentoring/mentor_day.html", {"profile": None})
    return render(
        request,
        "mentoring/mentor_day.html",
        {
            "profile": profile,
            "sessions": selectors.sessions_of_mentor(profile=profile),
            "on_shift": selectors.mentor_is_on_shift(profile),
            "claim": selectors.claim_of_mentor(user=request.user, event=event),
            "open_count": len(selectors.queue_for_mentor(profile=profile)),
            "notes_form": NotesForm(),
            "now": timezone.now(),
            "calendar_url": calendar.feed_url(request, mentor_token=profile.calendar_token),
        },
    )


@event_page(Role.MENTOR)
def mentor_profile_edit(request, event):
    profile = _my_profile(request, event)
    form = ProfileForm(request.POST or None, request.FILES or None, instance=MentorProfile.objects.get(pk=profile.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.mentor_profile_update(
                profile_id=profile.pk,
                updated_by=request.user,
                tags=form.cleaned_data["tags"],
                bio=form.cleaned_data["bio"],
                photo=request.FILES.get("photo"),
            )
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your profile was saved. The queue now shows requests on your topics."))
            return redirect("mentoring:mentor_day", event_slug=event.slug)
    return render(request, "mentoring/profile_form.html", {"form": form, "profile": profile})


@require_POST
@event_page(Role.MENTOR)
def mentor_shift(request, event):
    profile = _my_profile(request, event)
    on_shift = request.POST.get("on_shift") == "1"
    return _run(
        request,
        event,
        "mentoring:queue" if on_shift else "mentoring:mentor_day",
        lambda: services.mentor_shift_set(profile_id=profile.pk, on_shift=on_shift, changed_by=request.user),
        _("You are on shift: claim a request from the queue.") if on_shift else _("Your shift ended. Thank you!"),
    )


def _slot_mentors(request, event):
    """Organizers publish for any mentor (a choice in the form); a mentor for themself (no choice)."""
    if is_organizer(request.user, event):
        return selectors.mentor_profiles_of_event(event=event)
    return None


def _slot_profile(request, event, form) -> MentorProfile:
    if "mentor" in form.fields:
        return form.cleaned_data["mentor"]
    return _my_profile(request, event)


@event_page(*MENTOR_PAGE_ROLES)
def slots_manage(request, event):
    mentors = _slot_mentors(request, event)
    profile = selectors.mentor_profile_of(user=request.user, event=event)
    if profile is None and mentors is None:
        raise Http404
    slot_form = SlotForm(request.POST if request.POST.get("kind") == "single" else None, mentors=mentors)
    shift_form = ShiftForm(request.POST if request.POST.get("kind") == "shift" else None, mentors=mentors)
    if request.method == "POST":
        form = slot_form if request.POST.get("kind") == "single" else shift_form
        if form.is_valid():
            data = dict(form.cleaned_data)
            target = _slot_profile(request, event, form)
            data.pop("mentor", None)
            try:
                if form is slot_form:
                    data["starts_at"] = _event_time(data["starts_at"], event)
                    services.slot_create(profile_id=target.pk, created_by=request.user, **data)
                    done = _("The slot is published. Teams can book it now.")
                else:
                    made = services.slots_create_shift(profile_id=target.pk, created_by=request.user, **data)
                    done = _("%(count)d slots are published. Teams can book them now.") % {"count": len(made)}
            except DomainError as error:
                form_add_domain_error(form, error)
            except PermissionDenied as error:
                raise Http404 from error
            else:
                messages.success(request, done)
                return redirect("mentoring:slots", event_slug=event.slug)
    if mentors is not None:
        slots = selectors.slots_of_event(event=event, upcoming_only=False)
    else:
        slots = selectors.slots_of_mentor(profile=profile)
    return render(
        request,
        "mentoring/slots.html",
        {"slot_form": slot_form, "shift_form": shift_form, "slots": slots, "profile": profile, "now": timezone.now()},
    )


@require_POST
@event_page(*MENTOR_PAGE_ROLES)
def slot_delete(request, event, slot_id):
    slot = get_object_or_404(MentorSlot, pk=slot_id, event=event)
    return _run(
        request,
        event,
        "mentoring:slots",
        lambda: services.slot_delete(slot_id=slot.pk, deleted_by=request.user),
        _("The slot was withdrawn."),
    )


def _queue_context(request, event, profile: MentorProfile) -> dict:
    all_topics = request.GET.get("all") == "1"
    return {
        "profile": profile,
        "all_topics": all_topics,
        "requests": selectors.queue_for_mentor(profile=profile, all_topics=all_topics),
        "claim": selectors.claim_of_mentor(user=request.user, event=event),
        "on_shift": selectors.mentor_is_on_shift(profile),
        "version": selectors.queue_version(event=event, user=request.user),
    }


@event_page(Role.MENTOR)
def queue(request, event):
    profile = _my_profile(request, event)
    return render(request, "mentoring/queue.html", _queue_context(request, event, profile))


@event_page(Role.MENTOR)
def queue_live(request, event):
    profile = _my_profile(request, event)
    if request.GET.get("v") == selectors.queue_version(event=event, user=request.user):
        return HttpResponse(status=204)
    return render(request, "mentoring/_queue_live.html", _queue_context(request, event, profile))


def _queue_action(request, event, request_id, service, actor: str, success: str):
    help_request = get_object_or_404(HelpRequest, pk=request_id, event=event)
    return _run(
        request, event, "mentoring:queue", lambda: service(request_id=help_request.pk, **{actor: request.user}), success
    )


@require_POST
@event_page(Role.MENTOR)
def help_request_claim(request, event, request_id):
    return _queue_action(
        request,
        event,
        request_id,
        services.help_request_claim,
        "mentor",
        _("It is yours: the team sees that you are coming. Close it when they are unblocked."),
    )


@require_POST
@event_page(*MENTOR_PAGE_ROLES)
def help_request_close(request, event, request_id):
    return _queue_action(
        request, event, request_id, services.help_request_close, "closed_by", _("Closed. Claim the next one.")
    )


@require_POST
@event_page(*MENTOR_PAGE_ROLES)
def help_request_release(request, event, request_id):
    return _queue_action(
        request,
        event,
        request_id,
        services.help_request_release,
        "released_by",
        _("Released: the request is back in the queue in its old place."),
    )


# --- organizers -----------------------------------------------------------------------------------


@event_page(Role.ORGANIZER)
def overview(request, event):
    settings = selectors.mentoring_settings_of(event)
    return render(
        request,
        "mentoring/overview.html",
        {
            "settings_form": SettingsForm(instance=settings),
            "invite_form": MentorInviteForm(),
            "mentors": list(selectors.mentor_load(event=event)),
            "slots": list(selectors.slots_of_event(event=event, upcoming_only=False)),
            "teams_without": list(selectors.teams_without_session(event=event)),
            "figures": selectors.queue_figures(event=event),
            "on_shift": selectors.mentors_on_shift(event=event).count(),
            "now": timezone.now(),
        },
    )


@require_POST
@event_page(Role.ORGANIZER)
def mentor_invite(request, event):
    form = MentorInviteForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the mentor's email."))
        return _back(request, "mentoring:overview", event)
    user = User.objects.filter(email__iexact=form.cleaned_data["email"]).first()
    if user is None:
        messages.error(request, _("Nobody has signed up with this email yet. Ask them to sign up, then invite them."))
        return _back(request, "mentoring:overview", event)
    return _run(
        request,
        event,
        "mentoring:overview",
        lambda: services.mentor_invite(event=event, user=user, tags=form.cleaned_data["tags"], invited_by=request.user),
        _("%(person)s is a mentor of this event. Publish slots for them, or let them do it.")
        % {"person": user.display_name},
    )


@require_POST
@event_page(Role.ORGANIZER)
def settings_update(request, event):
    form = SettingsForm(request.POST, instance=selectors.mentoring_settings_of(event))
    if not form.is_valid():
        messages.error(request, _("Check the numbers: %(errors)s") % {"errors": form.errors.as_text()})
        return _back(request, "mentoring:overview", event)
    return _run(
        request,
        event,
        "mentoring:overview",
        lambda: services.mentoring_settings_update(event=event, updated_by=request.user, **form.cleaned_data),
        _("The mentoring rules were saved."),
    )


# --- calendars ------------------------------------------------------------------------------------


def calendar_mentor(request, event_slug, token):
    """A mentor's private feed: the secret token is the only key (calendar apps do not sign in)."""
    profile = selectors.mentor_by_calendar_token(token)
    if profile is None or profile.event.slug != event_slug:
        raise Http404
    body = calendar.mentor_feed(profile, request=request)
    return HttpResponse(body, content_type="text/calendar; charset=utf-8")


def calendar_team(request, event_slug, token):
    team = selectors.team_by_calendar_token(token)
    if team is None or team.event.slug != event_slug:
        raise Http404
    return HttpResponse(calendar.team_feed(team, request=request), content_type="text/calendar; charset=utf-8")
