from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from core.exceptions import DomainError
from hackathon import services
from hackathon.models import AuditEntry, Event, EventRole
from hackathon.tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def _fields(**overrides):
    fields = {
        "name": "Warboy Hackathon",
        "slug": "warboy",
        "time_zone": "Asia/Seoul",
        "venue": "Seoul",
        "description_en": "",
        "is_published": True,
        **services.default_timeline(applications_open_at=timezone.now()),
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def creator(make_user):
    user = make_user()
    user.user_permissions.add(Permission.objects.get(codename="add_event"))
    return user


def test_creator_becomes_organizer_and_it_is_audited(creator):
    event = services.event_create(created_by=creator, **_fields())
    assert EventRole.objects.filter(event=event, user=creator, role="organizer").exists()
    assert AuditEntry.objects.filter(event=event, actor=creator, action="event.create").count() == 1


def test_creating_needs_the_permission(make_user):
    with pytest.raises(PermissionDenied):
        services.event_create(created_by=make_user(), **_fields())
    assert not Event.objects.exists()


def test_timeline_out_of_order_is_a_clear_error(creator):
    fields = _fields()
    fields["hacking_ends_at"] = fields["hacking_starts_at"] - timedelta(minutes=1)
    with pytest.raises(DomainError) as error:
        services.event_create(created_by=creator, **fields)
    assert error.value.field == "hacking_ends_at"


def test_team_building_must_end_before_hacking(creator):
    fields = _fields(team_building_minutes=60)  # the default gap is 30 minutes
    with pytest.raises(DomainError) as error:
        services.event_create(created_by=creator, **fields)
    assert error.value.field == "team_building_minutes"


def test_duplicate_slug_is_refused(creator):
    services.event_create(created_by=creator, **_fields())
    with pytest.raises(DomainError):
        services.event_create(created_by=creator, **_fields(name="Other"))


def test_update_records_what_changed(organizer, event):
    services.event_update(event_id=event.pk, updated_by=organizer, venue="Pangyo", team_building_minutes=25)
    entry = AuditEntry.objects.get(event=event, action="event.update")
    assert entry.data["changed"]["venue"][1] == "Pangyo"
    assert "team_building_minutes" in entry.data["changed"]


def test_outsiders_cannot_update(event, make_user, grant):
    judge = make_user()
    grant(judge, event, "judge")
    other_organizer = make_user()
    grant(other_organizer, EventFactory(), "organizer")
    for outsider in (judge, other_organizer):
        with pytest.raises(PermissionDenied):
            services.event_update(event_id=event.pk, updated_by=outsider, venue="Nowhere")
    event.refresh_from_db()
    assert event.venue == "Seoul"


def test_grant_and_revoke_roles(organizer, event, make_user):
    person = make_user()
    role = services.event_role_grant(event=event, user=person, role="mentor", granted_by=organizer)
    again = services.event_role_grant(event=event, user=person, role="mentor", granted_by=organizer)
    assert role.pk == again.pk
    services.event_role_revoke(role_id=role.pk, revoked_by=organizer)
    assert not EventRole.objects.filter(pk=role.pk).exists()
    assert AuditEntry.objects.filter(action__in=["role.grant", "role.revoke"]).count() == 2


def test_participant_needs_a_track(organizer, event, make_user):
    with pytest.raises(DomainError):
        services.event_role_grant(event=event, user=make_user(), role="participant", granted_by=organizer)


def test_last_organizer_cannot_be_removed(organizer, event):
    role = EventRole.objects.get(event=event, user=organizer, role="organizer")
    with pytest.raises(DomainError):
        services.event_role_revoke(role_id=role.pk, revoked_by=organizer)


def test_outsider_cannot_grant(event, make_user, grant):
    participant = make_user()
    grant(participant, event, "participant", track="pm")
    with pytest.raises(PermissionDenied):
        services.event_role_grant(event=event, user=participant, role="organizer", granted_by=participant)


def test_model_update_audited_saves_only_what_changed_and_audits_it_once(organizer, event, django_assert_num_queries):
    old_updated_at = event.updated_at
    data = {"venue": "Pangyo", "name": event.name, "team_building_minutes": 25}
    with django_assert_num_queries(2):  # one UPDATE of the changed columns, one audit INSERT
        changes = services.model_update_audited(
            instance=event, data=data, fields=services.EVENT_FIELDS, event=event, actor=organizer, action="event.test"
        )
    assert changes == {"venue": ["Seoul", "Pangyo"], "team_building_minutes": [20, 25]}
    event.refresh_from_db()
    assert (event.venue, event.team_building_minutes) == ("Pangyo", 25) and event.updated_at > old_updated_at
    entry = AuditEntry.objects.get(action="event.test")
    assert entry.actor == organizer and entry.target_id == str(event.pk) and entry.data == {"changed": changes}


def test_model_update_audited_does_nothing_when_nothing_changed(organizer, event, django_assert_num_queries):
    with django_assert_num_queries(0):
        changes = services.model_update_audited(
            instance=event, data={"venue": "Seoul"}, fields=["venue"], event=event, actor=organizer, action="event.test"
        )
    assert changes == {}


def test_model_update_audited_refuses_fields_the_caller_did_not_allow(organizer, event):
    with pytest.raises(TypeError):
        services.model_update_audited(
            instance=event, data={"slug": "x"}, fields=["venue"], event=event, actor=organizer, action="event.test"
        )


def test_a_track_change_on_an_existing_role_is_audited(organizer, event, make_user):
    person = make_user()
    services.event_role_grant(event=event, user=person, role="participant", track="pm", granted_by=organizer)
    role = services.event_role_grant(event=event, user=person, role="participant", track="ai", granted_by=organizer)
    assert role.track == "ai"
    entry = AuditEntry.objects.get(event=event, action="role.update")
    assert entry.actor == organizer and entry.target_id == str(role.pk)
    assert entry.data == {"changed": {"track": ["pm", "ai"]}, "user": person.email, "role": "participant"}
    # The same grant again changes nothing and records nothing.
    services.event_role_grant(event=event, user=person, role="participant", track="ai", granted_by=organizer)
    assert AuditEntry.objects.filter(event=event, action="role.update").count() == 1
