"""Who may call which URL: the expected status of every URL pattern, for every kind of visitor.

test_matrix.py walks every URL pattern of the project and calls it with each method, as each visitor of
world.py, and compares the status with this table. A pattern with no row here fails the test.

HOW TO ADD A ROW (one line per URL pattern, keyed by its name as reverse() spells it, "namespace:name"):

    "mentoring:slot_book": row("GET POST", page({MEMBER_A: 200, MENTOR: 200, ORGANIZER_A: 200})),

- methods: what the view means to accept. For a class-based or DRF view they must equal its handlers. Methods not
  listed are still called: they must answer 405 (or refuse as the listed method does, or, for a function page that
  treats them like GET, answer as GET does) and must change nothing.
- then who gets what, with a helper:
    everyone(200)          the same status for every visitor, signed in or not
    signed_in(200)         anonymous visitors are sent to log in; every signed-in visitor gets 200
    page({...})            an event page: anonymous -> 302 to log in, listed visitors -> their status,
                           everyone else -> 404 (STYLE: outsiders cannot tell a page from a missing one)
    api({...})             the same for the API: anonymous -> 401 or 403, unlisted -> 404
  A status may be a set ({200, 302}). Wrap a status in refused(...) when that visitor is refused with it (a 302
  back with an error message, a 400 or 403 from the service): the test then also checks the call changed nothing.
  Statuses 401, 403, 404, 405 and LOGIN count as refused without saying so.
- per-method differences: row("GET POST", page({ORGANIZER_A: 200}), POST={ORGANIZER_A: 302}).
- URL arguments come from world.py (event_slug is event A; team_id, job_id, ... are team A's objects). A row can
  override them: row("POST", ..., kwargs={"action": "decline"}), or pick another object of the world by its key
  there: row("POST", ..., kwargs={"request_id": From("help_open_id")}).

The visitors: ANON, NO_ROLE (signed in, no role anywhere), REJECTED (a rejected applicant of event A), MEMBER_A
(leader of team A), MEMBER_B (leader of team B), MENTOR, JUDGE, REVIEWER, ORGANIZER_A (organizer of event A),
ORGANIZER_B (organizer of event B only).

Mutating calls (POST, PUT, PATCH, DELETE) are sent with an empty body; allowed visitors may get 400 for that.
"""

from dataclasses import dataclass, field

from tests.authorization.world import (
    ANON,
    JUDGE,
    MEMBER_A,
    MEMBER_B,
    MENTOR,
    NO_ROLE,
    ORGANIZER_A,
    ORGANIZER_B,
    REJECTED,
    REVIEWER,
    VISITORS,
)

LOGIN = "302 to log in"
REFUSING = frozenset({401, 403, 404, 405, LOGIN})
API_ANONYMOUS = frozenset({401, 403})  # 401 once every API answers with WWW-Authenticate (issue 11)


@dataclass(frozen=True)
class Expect:
    statuses: frozenset
    refused: bool

    def __str__(self) -> str:
        shown = "|".join(str(s) for s in sorted(self.statuses, key=str))
        return f"refused({shown})" if self.refused and not self.statuses <= REFUSING else shown


def _expect(value) -> Expect:
    if isinstance(value, Expect):
        return value
    statuses = frozenset(value) if isinstance(value, set | frozenset) else frozenset({value})
    return Expect(statuses, refused=statuses <= REFUSING)


def refused(*statuses) -> Expect:
    """This visitor is refused with one of these statuses: the call must change nothing."""
    return Expect(frozenset(statuses), refused=True)


@dataclass(frozen=True)
class From:
    """A URL argument taken from another key of world.py's kwargs (the world's ids are known only once it is built)."""

    key: str


@dataclass(frozen=True)
class Row:
    methods: tuple[str, ...]
    expect: dict[str, dict[str, Expect]]  # method -> visitor -> expectation
    kwargs: dict = field(default_factory=dict)


def row(methods: str, who: dict, *, kwargs=None, **per_method) -> Row:
    names = tuple(methods.split())
    expect = {}
    for method in names:
        by_visitor = {**who, **per_method.get(method, {})}
        expect[method] = {visitor: _expect(by_visitor[visitor]) for visitor in VISITORS}
    return Row(names, expect, kwargs or {})


def everyone(status) -> dict:
    return dict.fromkeys(VISITORS, status)


def signed_in(status) -> dict:
    return {**dict.fromkeys(VISITORS, status), ANON: LOGIN}


def page(allowed: dict, *, outsider=404) -> dict:
    return {**dict.fromkeys(VISITORS, outsider), ANON: LOGIN, **allowed}


def api(allowed: dict, *, outsider=404) -> dict:
    return {**dict.fromkeys(VISITORS, outsider), ANON: API_ANONYMOUS, **allowed}


def each(status, *visitors) -> dict:
    return dict.fromkeys(visitors, status)


SIGNED_IN = (NO_ROLE, REJECTED, MEMBER_A, MEMBER_B, MENTOR, JUDGE, REVIEWER, ORGANIZER_A, ORGANIZER_B)
APPLICANTS = (REJECTED, MEMBER_A, MEMBER_B)  # people with an application in event A
BOARD = (MEMBER_A, MEMBER_B, MENTOR, JUDGE, ORGANIZER_A)  # the team board: finalists, mentors, judges, organizers
SEES_TEAM_A = (MEMBER_A, MENTOR, JUDGE, ORGANIZER_A)  # team A's own page: its members and the event's staff
FINALISTS = (MEMBER_A, MEMBER_B)
TEAM_A_AND_ORGANIZER = (MEMBER_A, ORGANIZER_A)
REVIEWERS = (REVIEWER, ORGANIZER_A)
MENTORING = (MEMBER_A, MEMBER_B, MENTOR, ORGANIZER_A)  # the mentoring pages: participants, mentors, organizers
HELP_OPEN = {"request_id": From("help_open_id")}  # team A's request waiting in the queue
HELP_CLOSED = {"request_id": From("help_closed_id")}  # team A's request another mentor closed, not rated yet
HELP_CLAIMED = {"request_id": From("help_claimed_id")}  # team B's request another mentor holds

# The Django admin is staff-only, whatever the model: one glob row covers every admin URL. None of the visitors is
# staff, so all of them are sent to the admin's log-in page.
ADMIN = row("GET POST", everyone(LOGIN))

EXPECTED: dict[str, Row] = {
    "admin:*": ADMIN,
    "admin/*": ADMIN,  # the admin's unnamed patterns (object redirects, the catch-all)
    "admin:login": row("GET POST", signed_in(200)),  # anonymous: sent to allauth's throttled log-in (issue 11)
    "admin:logout": row("GET POST", everyone(302)),
    # A signed-in person with a role or an application somewhere lands on that event's home (hackathon:my_home).
    "home": row("GET", {**everyone(302), ANON: 200, NO_ROLE: 200}),
    "event_list": row("GET", everyone(200)),
    "event_create": row("GET POST", signed_in(403)),
    "hackathon:event_home": row("GET", everyone(200)),
    "hackathon:event_countdown": row("GET", everyone(200)),
    "hackathon:my_home": row("GET", signed_in(200)),  # no role here: the page says how to apply
    "hackathon:event_manage": row("GET POST", page({ORGANIZER_A: 200})),
    "hackathon:event_people": row("GET POST", page({ORGANIZER_A: 200})),
    "hackathon:event_role_revoke": row("POST", page({ORGANIZER_A: 302})),
    "applications:apply": row(
        "GET POST",
        page(
            {
                NO_ROLE: 200,
                REJECTED: 302,
                MEMBER_A: 302,
                MEMBER_B: 302,
                MENTOR: 200,
                JUDGE: 200,
                REVIEWER: 200,
                ORGANIZER_A: 200,
                ORGANIZER_B: 200,
            }
        ),
    ),
    "applications:status": row(
        "GET",
        page(
            {
                NO_ROLE: 302,
                REJECTED: 200,
                MEMBER_A: 200,
                MEMBER_B: 200,
                MENTOR: 302,
                JUDGE: 302,
                REVIEWER: 302,
                ORGANIZER_A: 302,
                ORGANIZER_B: 302,
            }
        ),
    ),
    "applications:withdraw": row("POST", page({REJECTED: 302, MEMBER_A: 302, MEMBER_B: 302})),
    "applications:rsvp": row("POST", page({REJECTED: 302, MEMBER_A: 302, MEMBER_B: 302})),
    "applications:screening": row("GET", page({REVIEWER: 200, ORGANIZER_A: 200})),
    "applications:screening_export": row("GET", page({ORGANIZER_A: 200})),
    "applications:reviewer_progress": row("GET", page({REVIEWER: 200, ORGANIZER_A: 200})),
    "applications:application_review": row("GET POST", page({REVIEWER: 200, ORGANIZER_A: 200})),
    "applications:selection": row("GET POST", page({ORGANIZER_A: 200})),
    "applications:selection_propose": row("POST", page({ORGANIZER_A: 302})),
    "applications:selection_send": row("POST", page({ORGANIZER_A: 302})),
    "applications:waitlist_promote": row("POST", page({ORGANIZER_A: 302})),
    "applications:selection_adjust": row("POST", page({ORGANIZER_A: 302})),
    "applications:checkin": row("GET POST", page({ORGANIZER_A: 200})),
    "applications:checkin_counts": row("GET", page({ORGANIZER_A: 200})),
    "teams:board": row("GET", page({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    "teams:board_fragment": row("GET", page({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    "teams:my_team": row("GET", page({MEMBER_A: 302, MEMBER_B: 302})),
    "teams:team_create": row("GET POST", page({MEMBER_A: 200, MEMBER_B: 200})),
    "teams:round_manage": row("GET", page({ORGANIZER_A: 200})),
    "teams:round_rules": row("POST", page({ORGANIZER_A: 302})),
    "teams:round_extend": row("POST", page({ORGANIZER_A: 302})),
    "teams:round_match": row("POST", page({ORGANIZER_A: 302})),
    "teams:member_move": row("POST", page({ORGANIZER_A: 302})),
    "teams:join_request_answer": row("POST", page({MEMBER_A: 302}), kwargs={"action": "decline"}),
    "teams:invitation_answer": row("POST", page({MEMBER_A: 302}), kwargs={"action": "cancel"}),
    "teams:team_detail": row("GET", page({MEMBER_A: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    "teams:team_live": row("GET", page({MEMBER_A: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    # Members of team A (and the event's organizers and mentors) see its members' avatars; judges see names only.
    "teams:member_avatar": row("GET", page({MEMBER_A: 200, MENTOR: 200, ORGANIZER_A: 200})),
    "teams:team_edit": row("GET POST", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    "teams:join_request_create": row("GET POST", page({MEMBER_A: 200, MEMBER_B: 200})),
    "teams:invitation_create": row("POST", page({MEMBER_A: 302, **each(refused(302), MENTOR, JUDGE, ORGANIZER_A)})),
    "teams:member_leave": row("POST", page({MEMBER_A: 302, **each(refused(302), MENTOR, JUDGE, ORGANIZER_A)})),
    "teams:leader_transfer": row("POST", page({MEMBER_A: 302, **each(refused(302), MENTOR, JUDGE, ORGANIZER_A)})),
    "teams:team_disband": row("POST", page({MEMBER_A: 302, ORGANIZER_A: 302, **each(refused(302), MENTOR, JUDGE)})),
    "npu_jobs:job_list": row("GET", page({MEMBER_A: 200, MEMBER_B: 200})),
    "npu_jobs:job_submit": row("GET POST", page({MEMBER_A: 200, MEMBER_B: 200})),
    "npu_jobs:job_detail": row("GET", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs:job_cancel": row("POST", page({MEMBER_A: 302, ORGANIZER_A: 302})),
    "npu_jobs:job_log": row("GET", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs:model_download": row("GET", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs:quantization_request": row("GET POST", page({MEMBER_A: 200, MEMBER_B: 200})),
    "npu_jobs:quantization_detail": row("GET", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs:quantization_cancel": row("POST", page({MEMBER_A: 302, ORGANIZER_A: 302})),
    "npu_jobs:comparison_detail": row("GET", page({MEMBER_A: 200, ORGANIZER_A: 200})),
    # Deleting a model is the team's (the page is for participants), although the service also lets organizers.
    "npu_jobs:model_delete": row("POST", page({MEMBER_A: 302}), kwargs={"model_id": From("unused_model_id")}),
    "npu_jobs:organizer_overview": row("GET", page({ORGANIZER_A: 200})),
    "npu_jobs:quota_split": row("POST", page({ORGANIZER_A: 302})),
    "npu_jobs:quota_change": row("GET POST", page({ORGANIZER_A: 200})),
    "npu_jobs:resources": row("GET", page({ORGANIZER_A: 200})),
    "npu_jobs:pool_create": row("POST", page({ORGANIZER_A: 200})),
    "npu_jobs:pool_edit": row("GET POST", page({ORGANIZER_A: 200})),
    "npu_jobs:cloud_resource_create": row("POST", page({ORGANIZER_A: 200})),
    "npu_jobs:cloud_resource_edit": row("GET POST", page({ORGANIZER_A: 200})),
    "npu_jobs:cloud_resource_assign": row("POST", page({ORGANIZER_A: 302})),
    "npu_jobs:cloud_resource_delete": row("POST", page({ORGANIZER_A: 302})),
    "mentoring:home": row("GET", page(each(302, *MENTORING))),  # sent on by role
    "mentoring:team_home": row("GET", page(each(200, *FINALISTS))),
    "mentoring:team_live": row("GET", page(each(200, *FINALISTS))),
    "mentoring:team_calendar_create": row("POST", page(each(302, *FINALISTS))),
    "mentoring:booking_create": row("POST", page(each(302, *FINALISTS))),  # the free slot
    "mentoring:booking_detail": row("GET", page({MEMBER_A: 200, MENTOR: 200, ORGANIZER_A: 200})),
    "mentoring:booking_cancel": row("POST", page({MEMBER_A: 302, MENTOR: 302, ORGANIZER_A: 302})),
    "mentoring:help_request_raise": row("POST", page(each(302, *FINALISTS))),
    "mentoring:help_request_cancel": row("POST", page({MEMBER_A: 302}), kwargs=HELP_OPEN),
    "mentoring:help_request_rate": row("POST", page({MEMBER_A: 302}), kwargs=HELP_CLOSED),
    "mentoring:mentor_day": row("GET", page({MENTOR: 200})),
    "mentoring:mentor_profile": row("GET POST", page({MENTOR: 200})),
    "mentoring:mentor_shift": row("POST", page({MENTOR: 302})),
    "mentoring:slots": row("GET POST", page({MENTOR: 200, ORGANIZER_A: 200})),
    "mentoring:slot_delete": row("POST", page({MENTOR: 302, ORGANIZER_A: 302})),
    # The session has not started yet: notes and a no-show are refused with a message.
    "mentoring:booking_notes": row("POST", page(each(refused(302), MENTOR, ORGANIZER_A))),
    "mentoring:booking_no_show": row("POST", page(each(refused(302), MENTOR, ORGANIZER_A))),
    "mentoring:queue": row("GET", page({MENTOR: 200})),
    "mentoring:queue_live": row("GET", page({MENTOR: 200})),
    "mentoring:help_request_claim": row("POST", page({MENTOR: 302}), kwargs=HELP_OPEN),
    # Only the mentor who holds the request, or an organizer, closes or releases it; the mentor visitor does not.
    "mentoring:help_request_close": row("POST", page({ORGANIZER_A: 302}), kwargs=HELP_CLAIMED),
    "mentoring:help_request_release": row("POST", page({ORGANIZER_A: 302}), kwargs=HELP_CLAIMED),
    "mentoring:overview": row("GET", page({ORGANIZER_A: 200})),
    "mentoring:mentor_invite": row("POST", page({ORGANIZER_A: 302})),
    "mentoring:settings_update": row("POST", page({ORGANIZER_A: 302})),
    # Private feeds for calendar apps: the secret token is the key, nobody signs in.
    "mentoring:calendar_mentor": row("GET", everyone(200), kwargs={"token": From("mentor_calendar_token")}),
    "mentoring:calendar_team": row("GET", everyone(200), kwargs={"token": From("team_calendar_token")}),
    "design_system": row("GET", page(each(200, ORGANIZER_A, ORGANIZER_B))),  # organizers of any event, and staff
    # --- utilization -------------------------------------------------------------------------------------------
    "utilization:dashboard": row("GET", page({ORGANIZER_A: 200})),
    "utilization:dashboard_live": row("GET", page({ORGANIZER_A: 200})),
    "utilization:figures_csv": row("GET", page({ORGANIZER_A: 200})),
    "utilization:team_usage": row("GET", page({MEMBER_A: 200, MEMBER_B: 200})),  # each sees their own team only
    "utilization_api:figures": row("GET", api({ORGANIZER_A: 200})),
    "utilization_api:team_usage": row("GET", api({MEMBER_A: 200, MEMBER_B: 200})),
    # --- submissions ----------------------------------------------------------------------------------------------
    # Team A saved version 1, uploaded slides, pinned a CPU run and submitted; the gallery is not public. Team B has
    # no submission: on the pages without an id its member sees their own team's empty state.
    "submissions:home": row("GET", page(each(302, *FINALISTS, JUDGE, ORGANIZER_A))),  # sent on by role
    "submissions:team": row("GET POST", page(each(200, *FINALISTS))),  # an empty form: shown again with its errors
    "submissions:submit": row("POST", page({MEMBER_A: 302, MEMBER_B: refused(302)})),  # team B: nothing to submit
    "submissions:file_upload": row("POST", page(each(refused(302), *FINALISTS))),  # no file: refused with a message
    "submissions:file_remove": row("POST", page({MEMBER_A: 302})),
    "submissions:pin_add": row("POST", page(each(refused(302), *FINALISTS))),  # no job chosen: refused with a message
    # The comparison's NPU side fell back to the CPU, so it is no NPU run: refused with a message, as is team B's
    # member (not their team's comparison; the service refuses with a message, not a 404).
    "submissions:pin_comparison": row("POST", page(each(refused(302), *FINALISTS))),
    "submissions:pin_remove": row("POST", page({MEMBER_A: 302})),
    "submissions:version_detail": row("GET", page({MEMBER_A: 200})),
    "submissions:view": row("GET", page(each(200, MEMBER_A, JUDGE, ORGANIZER_A))),
    "submissions:file_download": row("GET", page(each(200, MEMBER_A, JUDGE, ORGANIZER_A))),
    # Until organizers open the gallery it does not exist for anyone else, anonymous visitors included (no log-in).
    "submissions:gallery": row("GET", {**page(each(200, JUDGE, ORGANIZER_A)), ANON: 404}),
    "submissions:overview": row("GET", page(each(200, JUDGE, ORGANIZER_A))),
    "submissions:extension_grant": row("POST", page({ORGANIZER_A: refused(302)})),  # an empty form: a message
    "submissions:settings_update": row("POST", page({ORGANIZER_A: 302})),
    "submissions:export_csv": row("GET", page({ORGANIZER_A: 200})),
    "submissions:export_zip": row("GET", page({ORGANIZER_A: 200})),
    "submissions_api:submission": row("GET", api(each(200, *FINALISTS))),
    "submissions_api:save": row("POST", api(each(201, *FINALISTS))),  # every field is optional
    "submissions_api:submit": row("POST", api({MEMBER_A: 200, MEMBER_B: refused(400)})),
    "submissions_api:version_list": row("GET", api(each(200, *FINALISTS))),
    "submissions_api:file_list": row("GET", api(each(200, *FINALISTS))),
    "submissions_api:file_upload": row("POST", api(each(400, *FINALISTS))),
    "submissions_api:file_remove": row("POST", api({MEMBER_A: 204})),
    "submissions_api:pin_list": row("GET", api(each(200, *FINALISTS))),
    "submissions_api:pin_ratios": row("GET", api(each(200, *FINALISTS))),
    "submissions_api:pin_add": row("POST", api(each(400, *FINALISTS))),
    "submissions_api:pin_remove": row("POST", api({MEMBER_A: 204})),
    "metrics": row("GET", everyone(401)),  # Prometheus: a bearer token (UTILIZATION_METRICS_TOKEN), never a session
    "account_login": row(
        "GET POST PUT", {**everyone(302), ANON: 200}, PUT=everyone(200)
    ),  # signed-in visitors are sent on
    "account_logout": row("GET POST", {**everyone(200), ANON: 302}, POST=everyone(302)),
    "account_inactive": row("GET", everyone(200)),
    "account_signup": row("GET POST PUT", {**everyone(302), ANON: 200}, PUT=everyone(200)),
    "account_reauthenticate": row("GET POST PUT", signed_in(200)),
    "account_email": row("GET POST PUT", signed_in(200), POST=dict.fromkeys(SIGNED_IN, 302)),
    "account_email_verification_sent": row("GET", everyone(200)),
    "account_change_password": row("GET POST PUT", signed_in(200)),
    "account_set_password": row("GET POST PUT", signed_in(302)),  # these users have a password: sent to change it
    "account_reset_password": row("GET POST PUT", everyone(200)),
    "account_confirm_login_code": row("GET POST PUT", signed_in(302)),
    "account_confirm_email": row("GET POST", everyone(200), POST=everyone(404)),  # an unknown key
    "account_reset_password_from_key_done": row("GET", everyone(200)),
    "account_reset_password_from_key": row("GET POST PUT", everyone(200)),
    "account_reset_password_done": row("GET", everyone(200)),
    "socialaccount_login_cancelled": row("GET", everyone(200)),
    "socialaccount_login_error": row("GET", everyone(401)),
    "socialaccount_signup": row("GET POST PUT", everyone(LOGIN)),
    "socialaccount_connections": row("GET POST PUT", signed_in(200)),
    "accounts/social/login/cancelled/": row("GET POST PUT PATCH DELETE", everyone(301)),
    "accounts/social/login/error/": row("GET POST PUT PATCH DELETE", everyone(301)),
    "accounts/social/signup/": row("GET POST PUT PATCH DELETE", everyone(301)),
    "accounts/social/connections/": row("GET POST PUT PATCH DELETE", everyone(301)),
    "accounts:profile": row("GET POST", signed_in(200)),
    "accounts:own_avatar": row("GET", {**signed_in(404), MEMBER_A: 200}),  # one's own avatar; only A has one
    "accounts:api_token_rotate": row("POST", signed_in(302)),
    "set_language": row("GET POST", everyone(302)),
    "javascript-catalog": row("GET", everyone(200)),
    "api-me": row(
        "GET",
        api(
            {
                NO_ROLE: 200,
                REJECTED: 200,
                MEMBER_A: 200,
                MEMBER_B: 200,
                MENTOR: 200,
                JUDGE: 200,
                REVIEWER: 200,
                ORGANIZER_A: 200,
                ORGANIZER_B: 200,
            }
        ),
    ),
    "api-event-list": row("GET", everyone(200)),
    "hackathon_api:event_detail": row("GET", everyone(200)),
    "hackathon_api:event_roles": row("GET", api({ORGANIZER_A: 200})),
    "applications_api:mine": row("GET", api({REJECTED: 200, MEMBER_A: 200, MEMBER_B: 200})),
    "applications_api:submit": row(
        "POST",
        api(
            {
                NO_ROLE: 400,
                REJECTED: 400,
                MEMBER_A: 400,
                MEMBER_B: 400,
                MENTOR: 400,
                JUDGE: 400,
                REVIEWER: 400,
                ORGANIZER_A: 400,
                ORGANIZER_B: 400,
            }
        ),
    ),
    "applications_api:update": row("PATCH", api({REJECTED: 400, MEMBER_A: 400, MEMBER_B: 400})),
    "applications_api:withdraw": row("POST", api({REJECTED: 400, MEMBER_A: 400, MEMBER_B: 400})),
    "applications_api:rsvp": row("POST", api({REJECTED: 400, MEMBER_A: 400, MEMBER_B: 400})),
    "applications_api:screening": row("GET", api({REVIEWER: 200, ORGANIZER_A: 200})),
    "applications_api:review_detail": row("GET", api({REVIEWER: 200, ORGANIZER_A: 200})),
    "applications_api:review_save": row("POST", api({REVIEWER: 400, ORGANIZER_A: 400})),
    "applications_api:selection": row("GET", api({ORGANIZER_A: 200})),
    "applications_api:selection_settings": row("POST", api({ORGANIZER_A: 400})),
    "applications_api:selection_propose": row("POST", api({ORGANIZER_A: 200})),
    "applications_api:selection_send": row("POST", api({ORGANIZER_A: 400})),
    "applications_api:selection_adjust": row("POST", api({ORGANIZER_A: 400})),
    "applications_api:checkin": row("POST", api({ORGANIZER_A: 400})),
    "teams_api:team_list": row("GET", api({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    "teams_api:team_create": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "teams_api:membership_list": row(
        "GET", api({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})
    ),
    "teams_api:member_move": row("POST", api({ORGANIZER_A: 400})),
    "teams_api:round_detail": row(
        "GET", api({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})
    ),
    "teams_api:round_rules": row("POST", api({ORGANIZER_A: 200})),
    "teams_api:round_extend": row("POST", api({ORGANIZER_A: 400})),
    "teams_api:round_match": row("POST", api({ORGANIZER_A: 200})),
    "teams_api:join_request_list": row(
        "GET", api({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})
    ),
    "teams_api:join_request_accept": row("POST", api({MEMBER_A: 400, ORGANIZER_A: 403})),
    "teams_api:join_request_decline": row("POST", api({MEMBER_A: 200, ORGANIZER_A: 403})),
    "teams_api:join_request_withdraw": row("POST", api({MEMBER_A: 403, ORGANIZER_A: 403})),  # only the asker
    "teams_api:invitation_list": row(
        "GET", api({MEMBER_A: 200, MEMBER_B: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})
    ),
    "teams_api:invitation_accept": row("POST", api({MEMBER_A: 403, ORGANIZER_A: 403})),
    "teams_api:invitation_decline": row("POST", api({MEMBER_A: 403, ORGANIZER_A: 403})),
    "teams_api:invitation_cancel": row("POST", api({MEMBER_A: 200, ORGANIZER_A: 403})),
    "teams_api:team_detail": row("GET", api({MEMBER_A: 200, MENTOR: 200, JUDGE: 200, ORGANIZER_A: 200})),
    "teams_api:team_pitch_update": row("POST", api({MEMBER_A: 200, MENTOR: 403, JUDGE: 403, ORGANIZER_A: 200})),
    "teams_api:team_leave": row("POST", api({MEMBER_A: 400, **each(refused(400), MENTOR, JUDGE, ORGANIZER_A)})),
    "teams_api:team_leader_transfer": row(
        "POST", api({MEMBER_A: 400, **each(refused(400, 403), MENTOR, JUDGE, ORGANIZER_A)})
    ),
    "teams_api:team_disband": row("POST", api({MEMBER_A: 400, MENTOR: 403, JUDGE: 403, ORGANIZER_A: 400})),
    "teams_api:join_request_create": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "teams_api:invitation_create": row(
        "POST", api({MEMBER_A: 400, **each(refused(400, 403), MENTOR, JUDGE, ORGANIZER_A)})
    ),
    "npu_jobs_api:job_list": row("GET", api({MEMBER_A: 200, MEMBER_B: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:job_submit": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "npu_jobs_api:job_compare": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "npu_jobs_api:comparison_detail": row("GET", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:job_detail": row("GET", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:job_cancel": row("POST", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:job_log": row("GET", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:model_list": row("GET", api({MEMBER_A: 200, MEMBER_B: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:model_upload": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "npu_jobs_api:model_download": row("GET", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:quantization_list": row("GET", api({MEMBER_A: 200, MEMBER_B: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:quantization_request": row("POST", api({MEMBER_A: 400, MEMBER_B: 400})),
    "npu_jobs_api:quantization_detail": row("GET", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:quantization_cancel": row("POST", api({MEMBER_A: 200, ORGANIZER_A: 200})),
    "npu_jobs_api:quota": row("GET", api({MEMBER_A: 200, MEMBER_B: 200})),
    "npu_jobs_api:quota_list": row("GET", api({ORGANIZER_A: 200})),
    "npu_jobs_api:quota_split": row("POST", api({ORGANIZER_A: 400})),
    "npu_jobs_api:quota_change": row("POST", api({ORGANIZER_A: 400})),
    "npu_jobs_api:worker_list": row("GET", api({ORGANIZER_A: 200})),
    "npu_jobs_api:pool_list": row("GET", api({ORGANIZER_A: 200})),
    "npu_jobs_api:pool_create": row("POST", api({ORGANIZER_A: 400})),
    "npu_jobs_api:pool_update": row("PATCH", api({ORGANIZER_A: 200})),
    "npu_jobs_api:cloud_resource_list": row("GET", api({ORGANIZER_A: 200})),
    "npu_jobs_api:cloud_resource_create": row("POST", api({ORGANIZER_A: 400})),
    "npu_jobs_api:cloud_resource_update": row("PATCH", api({ORGANIZER_A: 200})),
    "npu_jobs_api:cloud_resource_delete": row("POST DELETE", api({ORGANIZER_A: 204})),
    "mentoring_api:mentor_list": row("GET", api(each(200, *MENTORING))),
    "mentoring_api:slot_list": row("GET", api(each(200, *MENTORING))),
    "mentoring_api:slot_create": row("POST", api(each(400, MENTOR, ORGANIZER_A))),
    "mentoring_api:booking_list": row("GET", api(each(200, *MENTORING))),
    "mentoring_api:booking_create": row("POST", api(each(400, *FINALISTS))),
    "mentoring_api:booking_cancel": row("POST", api(each(200, MEMBER_A, MENTOR, ORGANIZER_A))),
    "mentoring_api:help_request_list": row("GET", api(each(200, *MENTORING))),
    "mentoring_api:help_request_raise": row("POST", api(each(400, *FINALISTS))),
    "mentoring_api:queue_status": row("GET", api(each(200, *FINALISTS))),
    "mentoring_api:help_request_claim": row("POST", api({MENTOR: 200}), kwargs=HELP_OPEN),
    # The mentor sees every request but holds not this one: 403.
    "mentoring_api:help_request_close": row("POST", api({MENTOR: 403, ORGANIZER_A: 200}), kwargs=HELP_CLAIMED),
    "mentoring_api:help_request_release": row("POST", api({MENTOR: 403, ORGANIZER_A: 200}), kwargs=HELP_CLAIMED),
    # The empty body is refused before the request is looked up: team B's member gets 400 too, as for any id.
    "mentoring_api:help_request_rate": row("POST", api(each(400, *FINALISTS)), kwargs=HELP_CLOSED),
    # --- judging ----------------------------------------------------------------------------------------------
    # Event A's judging is open; the judge (assigned to team A only) has a draft score of team A; nothing is
    # submitted, closed or published (world.py). Judges score, organizers manage; everyone else: 404.
    "judging:home": row("GET", page(each(302, JUDGE, ORGANIZER_A))),  # sent on by role
    "judging:dashboard": row("GET", page({JUDGE: 200})),
    "judging:score_team": row("GET", page({JUDGE: 200})),
    # An empty autosave names no criterion: the criterion lookup answers 404 (after the judge's assignment check).
    "judging:score_save": row("POST", page({JUDGE: 404})),
    "judging:scores_submit": row("POST", page({JUDGE: refused(302)})),  # one criterion of five: refused, a message
    "judging:scores_withdraw": row("POST", page({JUDGE: 302})),
    "judging:conflict_declare": row("POST", page({JUDGE: refused(302)})),  # no reason: refused with a message
    "judging:manage": row("GET", page({ORGANIZER_A: 200})),
    "judging:ranking": row("GET", page({ORGANIZER_A: 200})),
    "judging:criteria_create_defaults": row("POST", page({ORGANIZER_A: 302})),
    "judging:criterion_edit": row("GET POST", page({ORGANIZER_A: 200})),  # judging is open: the page says fixed
    "judging:criterion_create": row("GET POST", page({ORGANIZER_A: 200})),  # judging is open: the page says fixed
    "judging:criterion_delete": row("POST", page({ORGANIZER_A: refused(302)})),  # judging is open: fixed
    "judging:award_category_edit": row("GET POST", page({ORGANIZER_A: 200})),  # judging is open: the page says fixed
    "judging:settings_update": row("POST", page({ORGANIZER_A: refused(302)})),
    "judging:open": row("POST", page({ORGANIZER_A: refused(302)})),  # already open
    "judging:close": row("POST", page({ORGANIZER_A: 302})),
    "judging:conflicts_detect": row("POST", page({ORGANIZER_A: 302})),
    "judging:conflict_record": row("POST", page({ORGANIZER_A: refused(302)})),
    "judging:conflict_clear": row("POST", page({ORGANIZER_A: refused(302)})),  # no reason
    "judging:judge_drop": row("POST", page({ORGANIZER_A: 302})),
    "judging:awards_confirm": row("POST", page({ORGANIZER_A: refused(302)})),  # judging is not closed
    "judging:award_override": row("POST", page({ORGANIZER_A: refused(302)})),
    "judging:publish": row("POST", page({ORGANIZER_A: refused(302)})),
    "judging:export_csv": row("GET", page({ORGANIZER_A: 200})),
    "judging:export_xlsx": row("GET", page({ORGANIZER_A: 200})),
    # Unpublished results do not exist for anyone but organizer A (a preview), anonymous visitors included.
    "judging_results:results": row("GET", {**everyone(404), ORGANIZER_A: 200}),
    # The criteria are shown to the event's participants and mentors too.
    "judging_api:criterion_list": row("GET", api(each(200, *FINALISTS, MENTOR, JUDGE, ORGANIZER_A))),
    "judging_api:criterion_update": row("POST", api({ORGANIZER_A: refused(400)})),  # judging is open: fixed
    "judging_api:window": row("GET", api(each(200, JUDGE, ORGANIZER_A))),
    "judging_api:window_open": row("POST", api({ORGANIZER_A: refused(400)})),  # already open
    "judging_api:window_close": row("POST", api({ORGANIZER_A: 200})),
    "judging_api:settings_update": row("POST", api({ORGANIZER_A: 200})),  # every field is optional
    "judging_api:conflict_list": row("GET", api(each(200, JUDGE, ORGANIZER_A))),  # a judge: their own
    "judging_api:conflict_declare": row("POST", api({JUDGE: 400})),
    "judging_api:conflict_record": row("POST", api({ORGANIZER_A: 400})),
    "judging_api:conflict_clear": row("POST", api({ORGANIZER_A: 400})),
    "judging_api:assignment_list": row("GET", api(each(200, JUDGE, ORGANIZER_A))),  # a judge: their own
    "judging_api:assignment_rebuild": row("POST", api({ORGANIZER_A: 200})),
    "judging_api:score_list": row("GET", api(each(200, JUDGE, ORGANIZER_A))),  # a judge: their own
    "judging_api:score_detail": row("GET", api(each(200, JUDGE, ORGANIZER_A))),  # the judge's own score
    "judging_api:score_save": row("POST", api({JUDGE: 400})),
    "judging_api:scores_submit": row("POST", api({JUDGE: 400})),
    "judging_api:scores_withdraw": row("POST", api({JUDGE: 400})),
    "judging_api:ranking": row("GET", api({ORGANIZER_A: 200})),
    "judging_api:awards_confirm": row("POST", api({ORGANIZER_A: refused(400)})),  # judging is not closed
    "judging_api:award_override": row("POST", api({ORGANIZER_A: 400})),
    "judging_api:results_publish": row("POST", api({ORGANIZER_A: refused(400)})),
    # Public once published (AllowAny); unpublished, organizer A alone, anonymous visitors get 404 too.
    "judging_api:results": row("GET", {**everyone(404), ORGANIZER_A: 200}),
    "api-schema": row("GET", everyone(200)),
    "api-docs": row("GET", everyone(200)),
    "api-redoc": row("GET", everyone(200)),
    "healthz": row("GET", everyone(200)),
}
