"""Team-building pages. Views parse the request, call one service or selector, and render."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from accounts.avatars import avatar_response
from core.exceptions import DomainError
from core.forms import form_add_domain_error
from hackathon.decorators import event_page
from hackathon.models import Track
from hackathon.permissions import is_organizer, roles_in_event
from teams import selectors, services
from teams.forms import (
    InvitationForm,
    JoinRequestForm,
    LeaderTransferForm,
    MemberMoveForm,
    RoundExtendForm,
    RoundRulesForm,
    TeamForm,
)
from teams.matching import explain_unplaced
from teams.models import Invitation, JoinRequest, Team, TeamMembership
from teams.permissions import BOARD_ROLES, Role, is_team_leader

# Links on a team page to what other apps give a team, shown once those apps have the page.
TEAM_LINKS = [
    (gettext_lazy("NPU jobs and resources"), "npu_jobs:job_list"),
    (gettext_lazy("Mentoring"), "mentoring:home"),
    (gettext_lazy("Submission"), "submissions:home"),
]


def url_or_none(name: str, **kwargs) -> str | None:
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return None


def _my_track(request, event) -> str:
    if Role.PARTICIPANT not in roles_in_event(request.user, event):
        return ""
    return (
        request.user.event_roles.filter(event=event, role=Role.PARTICIPANT).values_list("track", flat=True).first()
        or ""
    )


def _board_context(request, event) -> dict:
    track = request.GET.get("track", "")
    track = track if track in Track.values else ""
    round_ = selectors.team_round_of(event)
    my_team = selectors.team_of_user(user=request.user, event=event)
    my_track = _my_track(request, event)
    requested = {}
    invitations = []
    if my_track and my_team is None:
        requested = {join.team_id: join for join in selectors.join_requests_of_user(user=request.user, event=event)}
        invitations = list(selectors.invitations_of_user(user=request.user, event=event))
    now = timezone.now()
    cards = selectors.team_board(event=event, round_=round_, track=track)
    for card in cards:
        card.my_request = requested.get(card.team.pk)
        card.slot_for_me = bool(my_track) and card.open_slots[my_track] > 0
    return {
        "round": round_,
        "round_open": round_.is_open(now),
        "now": now,
        "cards": cards,
        "track": track,
        "tracks": Track.choices,
        "my_team": my_team,
        "my_track": my_track,
        "requested": requested,
        "invitations": invitations,
        "can_create": my_track == Track.PM and my_team is None and round_.is_open(now),
        "can_manage": is_organizer(request.user, event),
        # Organizers, mentors and judges open every team's page; finalists open their own.
        "can_open_teams": bool(roles_in_event(request.user, event) & {Role.ORGANIZER, Role.MENTOR, Role.JUDGE}),
    }


@event_page(*BOARD_ROLES)
def board(request, event):
    version = selectors.board_version(
        event=event, user=request.user, track=request.GET.get("track", ""), now=timezone.now()
    )
    return render(request, "teams/board.html", {**_board_context(request, event), "version": version})


@event_page(*BOARD_ROLES)
def board_fragment(request, event):
    """Polled every second by the board: the round's state, the person's own status and every team.

    The poll sends the version it shows (?v=); if nothing changed since, the answer is an empty 204.
    """
    track = request.GET.get("track", "")
    version = selectors.board_version(event=event, user=request.user, track=track, now=timezone.now())
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return render(request, "teams/_board.html", {**_board_context(request, event), "version": version})


@event_page(Role.PARTICIPANT)
def my_team(request, event):
    team = selectors.team_of_user(user=request.user, event=event)
    if team is None:
        messages.info(request, _("You are not in a team yet. Find one on the board."))
        return redirect("teams:board", event_slug=event.slug)
    return redirect("teams:team_detail", event_slug=event.slug, team_id=team.pk)


@event_page(Role.PARTICIPANT)
def team_create(request, event):
    form = TeamForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            team = services.team_create(event=event, created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("Your team is on the board. Engineers can now ask to join."))
            return redirect("teams:team_detail", event_slug=event.slug, team_id=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "creating": True})


def _visible_team(request, event, team_id) -> Team:
    team = selectors.team_get_visible(user=request.user, event=event, team_id=team_id)
    if team is None:
        raise Http404
    return team


def _team_live_context(request, event, team) -> dict:
    round_ = selectors.team_round_of(event)
    (card,) = selectors.team_cards(teams=[team], round_=round_)
    leader = is_team_leader(request.user, team)
    organizer = is_organizer(request.user, event)
    now = timezone.now()
    return {
        "team": team,
        "card": card,
        "round": round_,
        "now": now,
        "round_open": round_.is_open(now),
        "can_edit": leader or organizer,
        "is_leader": leader,
        "is_member": any(m.user_id == request.user.pk for m in card.members),
        # Each member with their profile card, at the detail the viewer may see (selectors.member_profile_detail).
        "member_rows": list(
            zip(card.members, selectors.team_member_cards(viewer=request.user, team=team, event=event), strict=True)
        ),
        "join_requests": list(selectors.join_requests_of_team(team=team)) if leader or organizer else [],
        "invitations": list(selectors.invitations_of_team(team=team)) if leader or organizer else [],
    }


@event_page(*BOARD_ROLES)
def team_detail(request, event, team_id):
    team = _visible_team(request, event, team_id)
    context = _team_live_context(request, event, team)
    context["version"] = selectors.team_version(team=team, user=request.user, now=timezone.now())
    if context["is_leader"]:
        unassigned = [
            role for role in selectors.unassigned_finalists(event=event) if context["card"].open_slots[role.track] > 0
        ]
        context["invite_form"] = InvitationForm(finalists=unassigned)
        context["transfer_form"] = LeaderTransferForm(team=team)
    context["links"] = [(label, url) for label, name in TEAM_LINKS if (url := url_or_none(name, event_slug=event.slug))]
    context["placements"] = [
        p for p in selectors.placements_visible_to(user=request.user, event=event) if p.team_id == team.pk
    ]
    return render(request, "teams/team_detail.html", context)


@event_page(*BOARD_ROLES)
def team_live(request, event, team_id):
    """Polled by the team page: members, open slots and (for the leader) pending requests."""
    team = _visible_team(request, event, team_id)
    version = selectors.team_version(team=team, user=request.user, now=timezone.now())
    if request.GET.get("v") == version:
        return HttpResponse(status=204)
    return render(request, "teams/_team_live.html", {**_team_live_context(request, event, team), "version": version})


@event_page(*BOARD_ROLES)
def member_avatar(request, event, team_id, user_id):
    """A member's avatar, for who may see it on the team page (its members, the event's organizers and mentors)."""
    member = selectors.member_avatar_user(viewer=request.user, event=event, team_id=team_id, user_id=user_id)
    if member is None:
        raise Http404
    return avatar_response(member)


@event_page(*BOARD_ROLES)
def team_edit(request, event, team_id):
    team = _visible_team(request, event, team_id)
    if not (is_team_leader(request.user, team) or is_organizer(request.user, event)):
        raise Http404
    form = TeamForm(request.POST or None, instance=Team.objects.get(pk=team.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.team_pitch_update(team_id=team.pk, updated_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(request, _("The pitch was saved."))
            return redirect("teams:team_detail", event_slug=event.slug, team_id=team.pk)
    return render(request, "teams/team_form.html", {"form": form, "creating": False, "team": team})


def _board_team(event, team_id) -> Team:
    """A team everyone on the board may act on (ask to join): any team of the event."""
    return get_object_or_404(Team.objects.select_related("leader"), pk=team_id, event=event)


@event_page(Role.PARTICIPANT)
def join_request_create(request, event, team_id):
    team = _board_team(event, team_id)
    form = JoinRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.join_request_create(team_id=team.pk, user=request.user, message=form.cleaned_data["message"])
        except DomainError as error:
            form_add_domain_error(form, error)
        else:
            messages.success(
                request, _("You asked to join %(team)s. The leader will answer soon.") % {"team": team.name}
            )
            return redirect("teams:board", event_slug=event.slug)
    (card,) = selectors.team_cards(
        teams=Team.objects.filter(pk=team.pk).prefetch_related("memberships__user"),
        round_=selectors.team_round_of(event),
    )
    return render(request, "teams/join_request_form.html", {"form": form, "team": team, "card": card})


def _done(request, event, message: str, *, team_id: int | None = None):
    messages.success(request, message)
    if team_id is not None and Team.objects.filter(pk=team_id).exists():
        return redirect("teams:team_detail", event_slug=event.slug, team_id=team_id)
    return redirect("teams:board", event_slug=event.slug)


def _failed(request, event, error: Exception, *, team_id: int | None = None):
    messages.error(request, error.message if isinstance(error, DomainError) else _("You cannot do this."))
    if team_id is not None and Team.objects.filter(pk=team_id).exists():
        return redirect("teams:team_detail", event_slug=event.slug, team_id=team_id)
    return redirect("teams:board", event_slug=event.slug)


@require_POST
@event_page(*BOARD_ROLES)
def join_request_answer(request, event, request_id, action):
    join = get_object_or_404(JoinRequest, pk=request_id, event=event)
    actions = {
        "accept": (services.join_request_accept, "accepted_by", _("%(person)s joined the team.")),
        "decline": (services.join_request_decline, "declined_by", _("You declined %(person)s.")),
        "withdraw": (services.join_request_withdraw, "withdrawn_by", _("You withdrew your request.")),
    }
    if action not in actions:
        raise Http404
    if request.user.pk not in (
        join.user_id,
        Team.objects.filter(pk=join.team_id).values_list("leader_id", flat=True).first(),
    ):
        raise Http404
    service, actor, message = actions[action]
    back = join.team_id if action != "withdraw" else None
    try:
        service(request_id=join.pk, **{actor: request.user})
    except (DomainError, PermissionDenied) as error:
        return _failed(request, event, error, team_id=back)
    return _done(request, event, message % {"person": join.user.display_name}, team_id=back)


@require_POST
@event_page(*BOARD_ROLES)
def invitation_create(request, event, team_id):
    team = _visible_team(request, event, team_id)
    form = InvitationForm(request.POST, finalists=selectors.unassigned_finalists(event=event))
    if not form.is_valid():
        return _failed(request, event, DomainError(_("Choose a finalist without a team.")), team_id=team.pk)
    try:
        services.invitation_create(
            team_id=team.pk,
            user_id=form.cleaned_data["user"].pk,
            invited_by=request.user,
            message=form.cleaned_data["message"],
        )
    except (DomainError, PermissionDenied) as error:
        return _failed(request, event, error, team_id=team.pk)
    return _done(
        request,
        event,
        _("Invitation sent to %(person)s.") % {"person": form.cleaned_data["user"].display_name},
        team_id=team.pk,
    )


@require_POST
@event_page(*BOARD_ROLES)
def invitation_answer(request, event, invitation_id, action):
    invitation = get_object_or_404(Invitation.objects.select_related("team"), pk=invitation_id, event=event)
    if request.user.pk not in (invitation.user_id, invitation.team.leader_id):
        raise Http404
    try:
        if action == "accept":
            services.invitation_accept(invitation_id=invitation.pk, accepted_by=request.user)
            return _done(
                request, event, _("Welcome to %(team)s!") % {"team": invitation.team.name}, team_id=invitation.team_id
            )
        if action == "decline":
            services.invitation_decline(invitation_id=invitation.pk, declined_by=request.user)
            return _done(request, event, _("You declined the invitation."))
        if action == "cancel":
            services.invitation_cancel(invitation_id=invitation.pk, cancelled_by=request.user)
            return _done(request, event, _("The invitation was cancelled."), team_id=invitation.team_id)
    except (DomainError, PermissionDenied) as error:
        return _failed(request, event, error, team_id=invitation.team_id if action == "cancel" else None)
    raise Http404


@require_POST
@event_page(*BOARD_ROLES)
def member_leave(request, event, team_id):
    team = _visible_team(request, event, team_id)
    try:
        services.team_member_leave(team_id=team.pk, user=request.user)
    except DomainError as error:
        return _failed(request, event, error, team_id=team.pk)
    return _done(request, event, _("You left %(team)s.") % {"team": team.name})


@require_POST
@event_page(*BOARD_ROLES)
def leader_transfer(request, event, team_id):
    team = _visible_team(request, event, team_id)
    form = LeaderTransferForm(request.POST, team=team)
    if not form.is_valid():
        return _failed(request, event, DomainError(_("Choose a member of the team.")), team_id=team.pk)
    try:
        services.team_leader_transfer(
            team_id=team.pk, new_leader_id=form.cleaned_data["new_leader"].pk, transferred_by=request.user
        )
    except (DomainError, PermissionDenied) as error:
        return _failed(request, event, error, team_id=team.pk)
    return _done(
        request,
        event,
        _("%(person)s now leads the team.") % {"person": form.cleaned_data["new_leader"].display_name},
        team_id=team.pk,
    )


@require_POST
@event_page(*BOARD_ROLES)
def team_disband(request, event, team_id):
    team = _visible_team(request, event, team_id)
    try:
        services.team_disband(team_id=team.pk, disbanded_by=request.user)
    except (DomainError, PermissionDenied) as error:
        return _failed(request, event, error, team_id=team.pk)
    return _done(request, event, _("%(team)s was disbanded.") % {"team": team.name})


# --- organizers -----------------------------------------------------------------------------------


@event_page(Role.ORGANIZER)
def round_manage(request, event):
    round_ = selectors.team_round_of(event)
    finalists = list(selectors.unassigned_finalists(event=event))
    report = round_.matching_report or {}
    unplaced = [
        {**item, "why": explain_unplaced(item["reason"], item.get("facts", {}), track=item["track"])}
        for item in report.get("unplaced", [])
    ]
    all_finalists = list(
        request.event.roles.filter(role=Role.PARTICIPANT).select_related("user").order_by("track", "user__name")
    )
    return render(
        request,
        "teams/round_manage.html",
        {
            "round": round_,
            "round_open": round_.is_open(),
            "now": timezone.now(),
            "rules_form": RoundRulesForm(initial={name: getattr(round_, name) for name in RoundRulesForm.base_fields}),
            "extend_form": RoundExtendForm(),
            "move_form": MemberMoveForm(event=event, finalists=all_finalists),
            "unassigned": finalists,
            "report": report,
            "unplaced": unplaced,
            "placements": selectors.placements_visible_to(user=request.user, event=event),
            "team_count": Team.objects.filter(event=event).count(),
            "member_count": TeamMembership.objects.filter(event=event).count(),
        },
    )


def _round_back(event):
    return redirect("teams:round_manage", event_slug=event.slug)


@require_POST
@event_page(Role.ORGANIZER)
def round_rules(request, event):
    form = RoundRulesForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Check the numbers: every limit is a whole number of at least 1."))
        return _round_back(event)
    try:
        services.team_round_rules_update(event=event, updated_by=request.user, **form.cleaned_data)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The team rules were saved."))
    return _round_back(event)


@require_POST
@event_page(Role.ORGANIZER)
def round_extend(request, event):
    form = RoundExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Extend by 1 to 1440 minutes."))
        return _round_back(event)
    try:
        round_ = services.team_round_extend(event=event, minutes=form.cleaned_data["minutes"], extended_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _round_back(event)
    messages.success(
        request,
        _("Team building is open until %(time)s.")
        % {"time": timezone.localtime(round_.closes_at, event.tz).strftime("%H:%M")},
    )
    if round_.closes_at > event.hacking_starts_at:
        messages.warning(request, _("The round now ends after hacking starts. Tell the teams."))
    return _round_back(event)


@require_POST
@event_page(Role.ORGANIZER)
def round_match(request, event):
    try:
        outcome = services.team_auto_match(event_id=event.pk, run_by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return _round_back(event)
    if not outcome.ran:
        messages.info(request, _("Teams are already locked. Reopen the round to change them."))
    elif outcome.locked:
        messages.success(
            request, _("Auto-matching placed %(count)d finalists. Teams are locked.") % {"count": len(outcome.placed)}
        )
    else:
        messages.error(
            request,
            _(
                "Auto-matching could not place %(count)d finalists. Nobody was moved and teams are not locked: see why below."
            )
            % {"count": len(outcome.unplaced)},
        )
    return _round_back(event)


@require_POST
@event_page(Role.ORGANIZER)
def member_move(request, event):
    form = MemberMoveForm(request.POST, event=event)
    if not form.is_valid():
        messages.error(request, _("Choose a finalist and a team."))
        return _round_back(event)
    target = form.cleaned_data["team"]
    try:
        services.team_member_move(
            event=event,
            user_id=form.cleaned_data["user"].pk,
            to_team_id=target.pk if target else None,
            moved_by=request.user,
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s was moved.") % {"person": form.cleaned_data["user"].display_name})
    return _round_back(event)
