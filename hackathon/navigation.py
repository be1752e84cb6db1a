"""The event menu: one list for every app. An entry whose URL does not exist yet is skipped."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from hackathon.models import EventRole

Role = EventRole.Role
EVERYONE = "*"  # anyone who can see the event, signed in or not
SIGNED_IN = "+"  # any signed-in person


@dataclass(frozen=True)
class NavEntry:
    label: str
    url_name: str
    roles: tuple[str, ...]
    # For entries that only make sense at some times: shown when this returns True for (event, roles).
    when: Callable[[Any, set[str]], bool] | None = None


def _applying_makes_sense(event, roles: set[str]) -> bool:
    """ "Apply" is for people without a role in the event, while applications are open (not judges mid-hack)."""
    return not roles and event.applications_open()


EVENT_NAV = [
    NavEntry(_("Overview"), "hackathon:event_home", (EVERYONE,)),
    NavEntry(_("Apply"), "applications:apply", (SIGNED_IN,), when=_applying_makes_sense),
    NavEntry(_("Screening"), "applications:screening", (Role.ORGANIZER, Role.REVIEWER)),
    NavEntry(_("Check-in"), "applications:checkin", (Role.ORGANIZER,)),
    NavEntry(_("Teams"), "teams:board", (Role.PARTICIPANT, Role.ORGANIZER, Role.MENTOR, Role.JUDGE)),
    NavEntry(_("My team"), "teams:my_team", (Role.PARTICIPANT,)),
    NavEntry(_("NPU jobs"), "npu_jobs:job_list", (Role.PARTICIPANT,)),
    NavEntry(_("Compute"), "npu_jobs:organizer_overview", (Role.ORGANIZER,)),
    NavEntry(_("Utilization"), "utilization:dashboard", (Role.ORGANIZER,)),
    NavEntry(_("Mentoring"), "mentoring:home", (Role.PARTICIPANT, Role.MENTOR, Role.ORGANIZER)),
    NavEntry(_("Help queue"), "mentoring:queue", (Role.MENTOR,)),
    NavEntry(_("Mentors"), "mentoring:overview", (Role.ORGANIZER,)),
    NavEntry(_("Submissions"), "submissions:home", (Role.PARTICIPANT, Role.ORGANIZER)),
    NavEntry(_("Score teams"), "judging:dashboard", (Role.JUDGE,)),
    NavEntry(_("Judging"), "judging:manage", (Role.ORGANIZER,)),
    NavEntry(_("Manage"), "hackathon:event_manage", (Role.ORGANIZER,)),
    NavEntry(_("People"), "hackathon:event_people", (Role.ORGANIZER,)),
]


def event_nav(*, event, user, roles: set[str], current_path: str) -> list[dict]:
    items = []
    for entry in EVENT_NAV:
        allowed = (
            EVERYONE in entry.roles
            or (SIGNED_IN in entry.roles and user.is_authenticated)
            or bool(roles & set(entry.roles))
        )
        if not allowed or (entry.when is not None and not entry.when(event, roles)):
            continue
        try:
            url = reverse(entry.url_name, kwargs={"event_slug": event.slug})
        except NoReverseMatch:
            continue
        items.append({"label": entry.label, "url": url, "current": current_path == url})
    return items


# --- the landing page's call to action ------------------------------------------------------------------------------

# The page each role goes to first, in the order a person with several roles is sent (their own work first).
ROLE_CTA = [
    (Role.PARTICIPANT, _("Go to your team"), "teams:my_team"),
    (Role.JUDGE, _("Score teams"), "judging:dashboard"),
    (Role.MENTOR, _("Open mentoring"), "mentoring:home"),
    (Role.REVIEWER, _("Review applications"), "applications:screening"),
    (Role.ORGANIZER, _("Manage the event"), "hackathon:event_manage"),
]


def _cta(url: str, label: str, testid: str, hint: str = "", login_url: str = "") -> dict[str, Any]:
    return {
        "template": "hackathon/_cta.html",
        "context": {"url": url, "label": label, "testid": testid, "hint": hint, "login_url": login_url},
    }


def landing_cta(*, event, user, roles: set[str], sections: list[dict], now) -> dict[str, Any] | None:
    """The one next step the landing page offers, as {"template", "context"} to include.

    A person with a role goes to their work. Otherwise an upper app may answer (applications: "See your
    application"), through the page sections of "hackathon:event_home.cta": the first with a context wins. Otherwise,
    while applications are open, "Apply": an anonymous visitor goes to sign-up with ?next= the form, so that signing
    up (or logging in, from the link on the sign-up page) lands on the form, not on the home page."""
    kwargs = {"event_slug": event.slug}
    for role, label, url_name in ROLE_CTA:
        if role in roles:
            try:
                return _cta(reverse(url_name, kwargs=kwargs), str(label), f"cta-{role}")
            except NoReverseMatch:
                continue
    for section in sections:
        if section["context"]:
            return section
    if not event.applications_open(now):
        return None
    apply_url = reverse("applications:apply", kwargs=kwargs)
    if not user.is_authenticated:
        query = urlencode({"next": apply_url})
        return _cta(
            f"{reverse('account_signup')}?{query}",
            str(_("Apply")),
            "apply-cta",
            hint=str(_("Sign up, then fill in the form.")),
            login_url=f"{reverse('account_login')}?{query}",
        )
    return _cta(apply_url, str(_("Apply")), "apply-cta")
