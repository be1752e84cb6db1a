"""Emails are written in their recipient's language, whoever sends them (issue 11: beat's emails were always
English). People's language is remembered as they browse."""

import pytest
from django.utils import translation

from applications import services
from applications.models import decision_email_purpose
from applications.tests.test_services_selection import ready_to_send
from core.models import OutboundEmail

pytestmark = pytest.mark.django_db


def test_decisions_go_out_in_each_applicants_language(screening_event, screening_organizer, scored):
    korean, english = scored("ai", [5]), scored("ai", [4])
    korean.user.language = "ko"
    korean.user.save(update_fields=["language"])
    ready_to_send(screening_event, screening_organizer)
    services.selection_propose(event=screening_event, proposed_by=screening_organizer)
    with translation.override("en"):  # whatever the sender's (or beat's) language
        services.selection_decisions_send(event=screening_event, sent_by=screening_organizer)
    emails = OutboundEmail.objects.filter(purpose=decision_email_purpose(screening_event.pk))
    assert "본선에 진출하셨습니다" in emails.get(to=korean.user.email).subject
    assert emails.get(to=english.user.email).subject.startswith("You are")


def test_the_language_a_person_browses_in_is_remembered(client, make_user):
    person = make_user()
    client.force_login(person)
    client.get("/", headers={"Accept-Language": "ko"})
    person.refresh_from_db()
    assert person.language == "ko"
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    client.get("/")
    person.refresh_from_db()
    assert person.language == "en"
