"""The event's landing page (issue 12): bilingual texts with a fallback, inert Markdown, the form's bounds, the
migration of the old one-field descriptions, and the Apply button that survives sign-up."""

import importlib
from urllib.parse import quote

import pytest
from django.urls import reverse
from django.utils import translation

from core.tests.test_markdown import elements
from hackathon.demo import MODEL_EVENT_TEXTS
from hackathon.forms import EventForm
from hackathon.models import Event
from hackathon.services import default_timeline
from hackathon.tests.factories import EventFactory, timeline_at
from hackathon.texts import parse_faq, parse_sponsors

pytestmark = pytest.mark.django_db

split_description = importlib.import_module("hackathon.migrations.0004_event_bilingual_texts").split_description


def landing(client, event, language="en"):
    url = reverse("hackathon:event_home", kwargs={"event_slug": event.slug})
    return client.get(url, HTTP_ACCEPT_LANGUAGE=language).content.decode()


# --- bilingual texts -------------------------------------------------------------------------------------------


def test_each_visitor_reads_their_language_and_never_both(client):
    event = EventFactory(
        tagline_ko="한국어 한 줄",
        tagline_en="English line",
        description_ko="한국어 소개",
        description_en="English intro",
    )
    korean, english = landing(client, event, "ko"), landing(client, event, "en")
    assert "한국어 한 줄" in korean and "한국어 소개" in korean
    assert "English line" not in korean and "English intro" not in korean
    assert "English line" in english and "English intro" in english
    assert "한국어 한 줄" not in english and "한국어 소개" not in english


def test_an_empty_language_falls_back_to_the_other():
    event = EventFactory(description_ko="", description_en="English only", rules_ko="규칙만", rules_en="")
    with translation.override("ko"):
        assert event.description == "English only"
        assert event.rules == "규칙만"
    with translation.override("en"):
        assert event.description == "English only"
        assert event.rules == "규칙만"
    assert event.text("tagline") == ""  # both empty: nothing, and the page leaves the part out


def test_faq_and_sponsors_format():
    items = parse_faq("ignored\nQ: First?\nA: Yes.\nMore **bold**.\n\nQ: 두 번째?\n\n답: 네.\nQ:   \nQ: No answer")
    assert [(i.question, i.answer) for i in items] == [
        ("First?", "Yes.\nMore **bold**."),
        ("두 번째?", "네."),
        ("No answer", ""),
    ]
    assert parse_sponsors("FuriosaAI\n\n  Other Co  \n") == ["FuriosaAI", "Other Co"]


def test_landing_shows_faq_as_details_sponsors_prizes_and_the_zone(client):
    event = EventFactory(
        time_zone="Asia/Seoul",
        faq_en="Q: Is there a fee?\nA: No.",
        sponsors="FuriosaAI",
        prizes_en="A **grand** prize.",
        rules_en="- Be kind",
    )
    body = landing(client, event)
    assert "<summary>Is there a fee?</summary>" in body
    assert "<strong>grand</strong>" in body
    assert "<li>Be kind</li>" in body
    assert 'data-testid="sponsors"><li>FuriosaAI</li>' in body
    assert 'data-testid="time-zone">Asia/Seoul<' in body and "Times in Asia/Seoul" in body


def test_markdown_in_event_texts_is_inert(client):
    event = EventFactory(
        description_en='<script>alert(1)</script>\n\n[x](javascript:alert(2)) <img src=x onerror="alert(3)">',
        faq_en="Q: <b onclick=alert(4)>Why?</b>\nA: <script>alert(5)</script>",
        tagline_en="<script>alert(6)</script>",
    )
    body = landing(client, event)
    found = elements(body)
    assert "<script>alert" not in body  # no script element of the organizer's
    for _tag, attrs in found:
        assert not [name for name in attrs if name in ("onclick", "onerror")], attrs
        assert not (attrs.get("href") or "").lower().startswith("javascript:"), attrs
    assert not [tag for tag, _ in found if tag == "img"]
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body  # shown as text


def test_demo_texts_are_bilingual_and_within_bounds():
    fields = {**MODEL_EVENT_TEXTS}
    for name in ("tagline", "description", "prizes", "rules", "faq"):
        assert fields[f"{name}_ko"] and fields[f"{name}_en"]
    assert len(parse_faq(fields["faq_en"])) == len(parse_faq(fields["faq_ko"])) >= 3
    form = EventForm(data=_form_data(**fields))
    assert form.is_valid(), form.errors


# --- the form -------------------------------------------------------------------------------------------------


def _form_data(**overrides):
    from django.utils import timezone

    timeline = default_timeline(applications_open_at=timezone.now().replace(second=0, microsecond=0))
    data = {
        "name": "Warboy Hackathon",
        "slug": "warboy-form",
        "time_zone": "Asia/Seoul",
        "venue": "Seoul",
        "is_published": "on",
        **{k: (v.strftime("%Y-%m-%dT%H:%M") if hasattr(v, "strftime") else v) for k, v in timeline.items()},
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("field", "limit"),
    [("tagline_ko", 200), ("tagline_en", 200), ("description_en", 5000), ("rules_ko", 5000), ("prizes_en", 3000)],
)
def test_form_bounds_each_text(field, limit):
    assert EventForm(data=_form_data(**{field: "x" * limit})).is_valid()
    form = EventForm(data=_form_data(**{field: "x" * (limit + 1)}))
    assert not form.is_valid() and field in form.errors


def test_form_checks_faq_format_and_sponsors():
    form = EventForm(data=_form_data(faq_en="Just a paragraph, no question."))
    assert "faq_en" in form.errors
    form = EventForm(data=_form_data(sponsors="\n".join(f"Sponsor {i}" for i in range(31))))
    assert "sponsors" in form.errors
    form = EventForm(data=_form_data(sponsors="S" * 101))
    assert "sponsors" in form.errors
    form = EventForm(data=_form_data(sponsors=" A \n\nB", faq_ko="Q: 질문?\nA: 답."))
    assert form.is_valid(), form.errors
    assert form.cleaned_data["sponsors"] == "A\nB"


def test_organizer_edits_the_texts_per_language(client, event, organizer):
    client.force_login(organizer)
    url = reverse("hackathon:event_manage", kwargs={"event_slug": event.slug})
    body = client.get(url).content.decode()
    assert 'data-testid="texts-ko"' in body and 'data-testid="texts-en"' in body
    assert 'name="description_ko"' in body and 'lang="ko"' in body
    data = _form_data(slug=event.slug, tagline_ko="새 한 줄", tagline_en="New line")
    assert client.post(url, data).status_code == 302
    event.refresh_from_db()
    assert (event.tagline_ko, event.tagline_en) == ("새 한 줄", "New line")


# --- the migration of the old description -----------------------------------------------------------------------


def test_a_description_with_both_languages_is_split_by_line():
    old = (
        "Forty finalists, nine teams, one Warboy NPU each and 36 hours to build a vision-AI service.\n"
        "40명의 본선 진출자, 9개 팀, 팀마다 Warboy NPU 한 장, 36시간 동안 비전 AI 서비스를 만듭니다."
    )
    korean, english = split_description(old)
    assert korean == "40명의 본선 진출자, 9개 팀, 팀마다 Warboy NPU 한 장, 36시간 동안 비전 AI 서비스를 만듭니다."
    assert english == "Forty finalists, nine teams, one Warboy NPU each and 36 hours to build a vision-AI service."


@pytest.mark.parametrize("old", ["Only English here.\n\nTwo paragraphs.", "한국어만 있습니다.", "2026", ""])
def test_a_description_in_one_language_goes_into_both(old):
    assert split_description(old) == (old, old)


# --- the call to action -----------------------------------------------------------------------------------------


def test_anonymous_apply_goes_to_sign_up_with_next_the_form(client, event):
    body = landing(client, event)
    apply_url = reverse("applications:apply", kwargs={"event_slug": event.slug})
    signup = f"{reverse('account_signup')}?next={quote(apply_url, safe='')}"
    assert f'href="{signup}" role="button" data-testid="apply-cta">Apply</a>' in body
    # The sign-up page passes `next` on to its log-in link, and the log-in page to its sign-up link.
    signup_page = client.get(signup).content.decode()
    assert f'href="{reverse("account_login")}?next={quote(apply_url, safe="")}"' in signup_page
    login_page = client.get(f"{reverse('account_login')}?next={quote(apply_url, safe='')}").content.decode()
    assert f'href="{reverse("account_signup")}?next={quote(apply_url, safe="")}"' in login_page


def test_signing_up_from_apply_lands_on_the_form(client, event):
    apply_url = reverse("applications:apply", kwargs={"event_slug": event.slug})
    response = client.post(
        f"{reverse('account_signup')}?next={quote(apply_url, safe='')}",
        {
            # Not another test's address: allauth rate-limits confirmation emails per address in the shared cache.
            "email": "landing-apply@example.com",
            "name": "New Person",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "next": apply_url,
        },
    )
    assert response.status_code == 302 and response["Location"] == apply_url
    assert client.get(apply_url).status_code == 200


def test_logging_in_from_apply_lands_on_the_form(client, event, make_user):
    from accounts.tests.factories import TEST_PASSWORD

    user = make_user(email="old@example.com")
    apply_url = reverse("applications:apply", kwargs={"event_slug": event.slug})
    response = client.post(
        reverse("account_login"), {"login": user.email, "password": TEST_PASSWORD, "next": apply_url}
    )
    assert response.status_code == 302 and response["Location"] == apply_url


def test_a_hostile_next_does_not_leave_the_site(client, event):
    response = client.post(
        reverse("account_signup"),
        {
            "email": "evil@example.com",
            "name": "E",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
            "next": "https://evil.example/",
        },
    )
    assert response.status_code == 302 and not response["Location"].startswith("https://evil")


def test_no_apply_button_once_applications_close(client):
    closed = EventFactory(timeline=timeline_at("hacking"))
    body = landing(client, closed)
    assert 'data-testid="apply-cta"' not in body
    assert Event.objects.filter(pk=closed.pk).exists()
