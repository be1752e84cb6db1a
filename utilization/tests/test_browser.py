"""The organizer's utilization dashboard in a real Chromium, on an event with the simulated demo history and one real
NPU host: every chart draws with data, the simulated history says so, and a sample recorded on the server appears
through htmx without a reload. At 390 px nothing scrolls sideways and nothing logs a console error."""

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from npu_jobs.models import ComputeDevice, ResourcePool, WorkerHost
from utilization import demo, services
from utilization.services import Reading

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

NONZERO = re.compile(r"^[1-9][0-9]*$")
CHARTS = ("pools", "devices", "teams", "queue", "outcomes")


def chart_points(page, name: str) -> list[int]:
    """How many points each dataset of a drawn Chart.js chart holds (Chart.getChart: the chart on that canvas)."""
    return page.evaluate(
        """name => {
            const chart = Chart.getChart(document.querySelector(`canvas[data-chart="${name}"]`));
            return chart ? chart.data.datasets.map(d => d.data.length) : [];
        }""",
        name,
    )


def chart_labels(page, name: str) -> list[str]:
    return page.evaluate(
        """name => Chart.getChart(document.querySelector(`canvas[data-chart="${name}"]`)).data.datasets.map(d => d.label)""",
        name,
    )


def test_the_dashboard_draws_every_chart_and_refreshes_itself_with_a_new_sample(
    event, organizer, team, give_quota, new_context, log_in
):
    pool = ResourcePool.objects.create(event=event, kind="npu", name="Warboy")
    demo.seed(SimpleNamespace(event=event))  # 36 h of simulated history on four simulated devices
    now = timezone.now()
    host = WorkerHost.objects.create(
        name="celery@npu-1", hostname="npu-1", queues=["npu"], backends=["furiosa-warboy"], started_at=now,
        last_heartbeat_at=now,
    )  # fmt: skip
    real = ComputeDevice.objects.create(worker=host, pool=pool, kind="npu", index=0, spec="npu:0:0-1")
    give_quota(team, 3600)

    page = new_context(viewport={"width": 1280, "height": 900}).new_page()
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    log_in(page, organizer)
    page.goto(f"/e/{event.slug}/utilization/")

    for name in CHARTS:
        expect(page.locator(f'canvas[data-chart="{name}"]')).to_have_attribute("data-points", NONZERO)
        points = chart_points(page, name)
        assert points and points[0] > 0, (name, points)
    assert len(chart_points(page, "devices")) == demo.DEVICES  # one line per simulated device
    expect(page.get_by_text("Simulated demo history").first).to_be_visible()
    # Every figure says its source, once: the demo's device lines, and the charts drawn from simulated demo jobs.
    for label in chart_labels(page, "devices"):
        assert label.count("simulated") == 1 and label.endswith("(simulated)"), label
    for name in ("outcomes", "queue"):
        assert all(label.endswith("(simulated)") for label in chart_labels(page, name)), chart_labels(page, name)
    outcomes_source = page.locator("#outcomes-title ~ p").first
    expect(outcomes_source).to_contain_text("Simulated demo history")
    # Quota in hours, the unit on the axis and the column: 3,600 s granted is 1.0 h.
    expect(page.locator("[data-testid=team-table] thead")).to_contain_text("Granted (h)")
    expect(page.locator(f"[data-testid=team-table] [data-team-used='{team.pk}']")).to_have_text("0.0")
    assert "NPU-hours" in page.evaluate(
        """() => Chart.getChart(document.querySelector('canvas[data-chart="teams"]')).options.scales.x.title.text"""
    )
    expect(page.locator(f'[data-device="{real.pk}-device_counters"]')).to_have_count(0)
    updated = page.locator("[data-updated]").get_attribute("data-updated")
    page.evaluate("window.notReloaded = true")

    # The real host measures its device; beat rolls the sample up. The page asks for fresh figures every 15 s.
    services.device_samples_record(
        readings=[Reading(device_id=real.pk, at=timezone.now() - timedelta(seconds=s), busy_ratio=0.73) for s in (0, 5)]
    )
    services.device_rollups_update()
    with page.expect_response(lambda r: "/utilization/live/" in r.url, timeout=45_000) as refresh:
        pass
    assert refresh.value.status == 200
    cell = page.locator(f'[data-device="{real.pk}-device_counters"]')
    expect(cell).to_have_text("73.0 %")
    expect(page.locator("[data-updated]")).not_to_have_attribute("data-updated", updated)
    assert page.evaluate("window.notReloaded === true")  # swapped in by htmx, not a page load
    assert len(chart_points(page, "devices")) == demo.DEVICES + 1  # and the chart was drawn again with it
    for name in CHARTS:
        assert chart_points(page, name)[0] > 0, name

    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    expect(page.locator('canvas[data-chart="pools"]')).to_have_attribute("data-points", NONZERO)
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert not errors, errors
