"""Each role's main pages on the demo data, in a real Chromium: at 390 px and 1,280 px nothing scrolls sideways and
nothing logs a console error, and axe-core finds no serious or critical violation, in English and Korean."""

import io

import pytest
from django.core.management import call_command

from hackathon.demo import DEMO_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]

MODEL = "/e/furiosa-npu-hackathon"
OPEN = "/e/warboy-vision-challenge"
WIDTHS = (390, 1280)
TABLET = 768  # judges score on tablets: the scoring page is checked at this width too


@pytest.fixture
def demo(settings, tmp_path):
    """The demo of `make demo`: the model event mid-hack (1,000 applications, nine teams, jobs) and an open one."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command("seed_demo", stdout=io.StringIO())


def scoring_page() -> str:
    from judging.models import Assignment

    assignment = Assignment.objects.filter(judge__email=LOGINS["reviewer"]).order_by("team__name").first()
    return f"{MODEL}/judging/teams/{assignment.team_id}/"


def pages_for(role: str) -> list[str]:
    from judging.models import AwardCategory, Criterion
    from npu_jobs.models import NpuJob

    if role == "anonymous":
        return [
            "/",
            f"{MODEL}/",
            f"{OPEN}/",
            f"{MODEL}/results/",
            "/accounts/login/",
            "/accounts/signup/",
            "/accounts/password/reset/",
        ]
    if role == "participant":
        job = NpuJob.objects.filter(team__leader__email="pm01@demo.hacknpu.dev").order_by("pk").first()
        return [
            f"{MODEL}/me/",
            f"{MODEL}/",
            f"{MODEL}/apply/status/",
            f"{MODEL}/teams/",
            f"{MODEL}/teams/mine/",
            f"{MODEL}/jobs/",
            f"{MODEL}/jobs/new/",
            f"{MODEL}/jobs/{job.pk}/",
            f"{OPEN}/apply/",
            "/accounts/profile/",
        ]
    if role == "reviewer":
        # judge1 is a reviewer and a judge: the demo's judging is closed, so the scoring page is read-only.
        return [
            f"{MODEL}/me/",
            f"{MODEL}/",
            f"{MODEL}/apply/screening/",
            f"{MODEL}/apply/screening/progress/",
            f"{MODEL}/judging/judge/",
            scoring_page(),
        ]
    if role in ("mentor", "applicant", "no_role"):
        return ["/", f"{MODEL}/me/", f"{OPEN}/me/"] if role == "no_role" else [f"{MODEL}/me/"]
    criterion = Criterion.objects.filter(event__slug=MODEL.split("/")[-1]).order_by("order", "pk").first()
    category = AwardCategory.objects.filter(event__slug=MODEL.split("/")[-1]).order_by("order", "pk").first()
    return [
        f"{MODEL}/me/",
        f"{MODEL}/",
        f"{MODEL}/apply/screening/",
        f"{MODEL}/apply/selection/",
        f"{MODEL}/apply/checkin/",
        f"{MODEL}/people/",
        f"{MODEL}/manage/",
        f"{MODEL}/teams/",
        f"{MODEL}/teams/round/",
        f"{MODEL}/jobs/compute/",
        f"{MODEL}/jobs/compute/resources/",
        f"{MODEL}/judging/manage/",
        f"{MODEL}/judging/manage/ranking/",
        f"{MODEL}/judging/manage/ranking/?method=raw",
        f"{MODEL}/judging/manage/criteria/{criterion.pk}/",  # judging has closed: says the criteria are fixed
        f"{MODEL}/judging/manage/awards/categories/{category.pk}/",
        f"{MODEL}/results/",
        f"{MODEL}/utilization/",
        "/design/",
    ]


LOGINS = {
    "participant": "pm01@demo.hacknpu.dev",
    "reviewer": "judge1@demo.hacknpu.dev",
    "organizer": "organizer@demo.hacknpu.dev",
    "mentor": "mentor1@demo.hacknpu.dev",
    "applicant": "applicant0001@demo.hacknpu.dev",
    "no_role": "nobody@demo.hacknpu.dev",
}


def visit_all(new_context, axe_check, role: str, language: str, *, color_scheme="light"):
    context = new_context(locale="ko-KR" if language == "ko" else "en-US", color_scheme=color_scheme)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    if role in ("no_role", "applicant"):
        # The demo's applicants cannot log in (no password is hashed for a thousand of them); nobody has no role.
        from accounts.models import User

        user = User.objects.filter(email=LOGINS[role]).first() or User(email=LOGINS[role])
        user.set_password(DEMO_PASSWORD)
        user.save()
    if role in LOGINS:
        page.goto("/accounts/login/")
        page.fill("input[name=login]", LOGINS[role])
        page.fill("input[name=password]", DEMO_PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url(lambda url: "/accounts/login/" not in url)
    problems = []
    tablet_pages = {scoring_page()} if role == "reviewer" else set()
    for path in pages_for(role):
        for width in WIDTHS + ((TABLET,) if path in tablet_pages else ()):
            page.set_viewport_size({"width": width, "height": 900})
            errors.clear()
            response = page.goto(path)
            assert response.status == 200, f"{path}: {response.status}"
            assert page.locator("html").get_attribute("lang") == language
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            inner_width = page.evaluate("window.innerWidth")
            if scroll_width > inner_width:
                problems.append(f"{path} at {width} px ({language}): {scroll_width} px wide")
            if errors:
                problems.append(f"{path} at {width} px ({language}): console errors {errors}")
            if width == 1280 or color_scheme == "dark":
                axe_check(page, where=f"{path} ({language}, {color_scheme}, {width} px)")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "role", ["anonymous", "participant", "reviewer", "organizer", "mentor", "applicant", "no_role"]
)
def test_main_pages_fit_the_screen_and_pass_axe_in_both_languages(demo, new_context, axe_check, role):
    for language in ("en", "ko"):
        visit_all(new_context, axe_check, role, language)


@pytest.mark.parametrize("role", ["anonymous", "organizer"])
def test_main_pages_pass_axe_in_dark_mode(demo, new_context, axe_check, role):
    visit_all(new_context, axe_check, role, "en", color_scheme="dark")


def test_controls_are_wide_enough_to_read_and_auth_fields_are_not_page_wide(demo, new_context):
    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    page.goto("/accounts/login/")
    assert page.locator("#id_login").bounding_box()["width"] <= 520  # a narrow column, not 1,200 px
    page.fill("input[name=login]", LOGINS["organizer"])
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)
    page.goto(f"{MODEL}/jobs/compute/resources/")
    team_selects = page.locator("select[id^=assign-]")
    assert team_selects.count() > 0
    for width in team_selects.evaluate_all("els => els.map(e => e.getBoundingClientRect().width)"):
        assert width >= 200, f"the Team select is {width} px wide"
    page.goto(f"{MODEL}/apply/screening/")
    for width in page.locator(".filter-bar select").evaluate_all(
        "els => els.map(e => e.getBoundingClientRect().width)"
    ):
        assert width >= 150, f"a screening filter is {width} px wide"
