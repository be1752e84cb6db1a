"""The public results page shows a winner's project through submissions' "judging.result" section: judging and
submissions never import each other, so this test of both lives outside them."""

import pytest
from django.urls import reverse
from django.utils import translation

from judging import services as judging
from judging.tests import factories as judging_factories
from submissions import services as submissions
from submissions.tests.factories import TEXT, hacking_event, npu_and_cpu_jobs, pdf, team_with_members

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def test_the_results_page_shows_the_winners_project_title_not_only_the_team(client, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    event = hacking_event()
    (with_project, members), (without, _) = (
        team_with_members(event, name="Team Aurora"),
        team_with_members(event, name="Team Borealis"),
    )
    without.idea = "An idea that was never submitted."
    without.save(update_fields=["idea"])
    submissions.submission_version_save(
        team=with_project, author=members[0], data={**TEXT, "title": "BlurCast Live", "summary": "Faces blurred live."}
    )
    submissions.submission_file_upload(team=with_project, uploaded_by=members[0], kind="slides", upload=pdf())
    _cpu, npu = npu_and_cpu_jobs(with_project)
    submissions.evidence_pin_add(team=with_project, job_id=npu.pk, pinned_by=members[0])
    submissions.submission_submit(team=with_project, submitted_by=members[0])
    boss = judging_factories.organizer(event)
    judge = judging_factories.judge(event)
    judging.judging_open(event=event, opened_by=boss)
    judging_factories.score_all(event, judge, with_project, [9] * 5)
    judging_factories.score_all(event, judge, without, [5] * 5)
    judging.judging_close(event=event, closed_by=boss)
    judging.awards_confirm(event=event, confirmed_by=boss)
    judging.results_publish(event=event, published_by=boss)

    results = reverse("judging_results:results", kwargs={"event_slug": event.slug})
    project = reverse("submissions:view", kwargs={"event_slug": event.slug, "team_id": with_project.pk})
    body = client.get(results).content.decode()
    assert "BlurCast Live" in body and "Faces blurred live." in body and "Team Aurora" in body
    assert "An idea that was never submitted." in body  # no judged submission: the team's idea instead
    assert project not in body  # the gallery is not public: visitors get no link to a page they cannot open
    client.force_login(boss)
    assert project in client.get(results).content.decode()
