"""A saved write answers 2xx when the broker is down: the database row is the truth, the sweeper sends the email.

The requests run in a separate Django process whose REDIS_URL points at a closed port, so Celery really cannot
publish (nothing in our code is replaced).
"""

import json
import socket
import subprocess
import sys
from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone

from applications.models import Application, SelectionSettings
from applications.services.places import selection_settings_ensure
from applications.tests.factories import ApplicationFactory
from core.models import OutboundEmail
from core.testing import worker_env
from hackathon.models import EventRole
from hackathon.tests.factories import EventFactory, timeline_at
from teams.models import JoinRequest, TeamMembership
from teams.tests.factories import TeamFactory, finalist, round_event

pytestmark = pytest.mark.django_db(transaction=True)

REQUESTS = """
import json, sys, time
import django
django.setup()
from django.test import Client
from accounts.models import User

args = json.loads(sys.argv[1])
out = {}


def call(user_id, url, body=None):
    client = Client()
    client.force_login(User.objects.get(pk=user_id))
    started = time.monotonic()
    response = client.post(url, body or {}, content_type="application/json")
    return {"status": response.status_code, "body": response.json(), "seconds": time.monotonic() - started}


teams = f"/api/v1/events/{args['round_event']}/teams/"
out["join"] = call(args["engineer"], f"{teams}{args['team']}/join-requests/", {"message": "hi"})
out["accept"] = call(args["leader"], f"{teams}join-requests/{out['join']['body']['id']}/accept/")
out["send"] = call(args["organizer"], f"/api/v1/events/{args['selection_event']}/applications/selection/send/")
print(json.dumps(out))
"""


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens here once the probe closes


def test_join_request_accept_and_decisions_answer_2xx_and_save_with_the_broker_down(make_user):
    event = round_event()
    team = TeamFactory(event=event)
    engineer = finalist(event, "backend")
    selection_event = EventFactory(timeline=timeline_at("screening"))
    organizer = make_user()
    EventRole.objects.create(event=selection_event, user=organizer, role="organizer")
    selection_settings_ensure(event=selection_event)
    SelectionSettings.objects.filter(event=selection_event).update(rsvp_deadline=timezone.now() + timedelta(days=3))
    applications = [ApplicationFactory(event=selection_event, decision="accept") for _ in range(2)]

    env = worker_env(REDIS_URL=f"redis://127.0.0.1:{closed_port()}/0", ALLOWED_HOSTS="testserver", CELERY_KEY_PREFIX="")
    args = {
        "round_event": event.slug,
        "team": team.pk,
        "engineer": engineer.pk,
        "leader": team.leader_id,
        "organizer": organizer.pk,
        "selection_event": selection_event.slug,
    }
    result = subprocess.run(
        [sys.executable, "-c", REQUESTS, json.dumps(args)],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert "could not hand email" in result.stderr  # the broker really was down

    assert out["join"]["status"] == 201, out
    assert out["accept"]["status"] == 200, out
    assert out["send"]["status"] == 200 and out["send"]["body"]["accepted"] == 2, out
    assert all(call["seconds"] < 30 for call in out.values()), out
    assert JoinRequest.objects.get(pk=out["join"]["body"]["id"]).status == "accepted"
    assert TeamMembership.objects.filter(team=team, user=engineer).exists()
    assert all(Application.objects.get(pk=a.pk).status == "accepted" for a in applications)
    # The emails are recorded, queued, and due for the sweeper (core.services.emails_resend_due).
    queued = OutboundEmail.objects.filter(status="queued", next_attempt_at__isnull=False)
    assert queued.filter(to=team.leader.email, purpose="teams.join_request").exists()
    assert queued.filter(to=engineer.email).count() >= 1
    assert all(queued.filter(to=a.user.email).exists() for a in applications)
