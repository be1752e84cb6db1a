"""Evidence figures come from the pinned jobs' stored metrics; a CPU run is never an NPU run."""

from decimal import Decimal

import pytest

from core.exceptions import DomainError
from submissions import selectors, services
from submissions.models import EvidencePin
from submissions.tests.factories import TEXT, comparison, job, npu_and_cpu_jobs

pytestmark = pytest.mark.django_db


def test_figures_and_the_npu_to_cpu_ratio_on_hand_computed_metrics(team, member):
    cpu, npu = npu_and_cpu_jobs(team)
    services.evidence_pin_add(team=team, job_id=npu.pk, pinned_by=member)
    services.evidence_pin_add(team=team, job_id=cpu.pk, pinned_by=member, note="Same frames")
    version = services.submission_version_save(team=team, author=member, data=TEXT)

    evidence = selectors.evidence_of_version(version)

    by_role = {r.role: r for r in evidence.rows}
    assert by_role["npu_run"].figures.run_label == "NPU run" and by_role["npu_run"].figures.backend == "furiosa-rt"
    assert by_role["cpu_baseline"].figures.run_label == "CPU run"
    assert by_role["cpu_baseline"].figures.throughput_per_second == 40.0
    assert by_role["cpu_baseline"].figures.cost_per_1k == Decimal("0.3")
    assert by_role["cpu_baseline"].note == "Same frames"
    (pair,) = evidence.pairs
    assert pair.ratios.speedup == pytest.approx(1000 / 40)  # 25× as many inferences per second
    assert pair.ratios.cost_ratio == pytest.approx(0.1 / 0.3)  # a third of the cost per 1,000
    assert pair.ratios.same_hardware is False


def test_a_cpu_run_is_never_pinned_or_shown_as_an_npu_run(team, member):
    cpu = job(team, queue="cpu", throughput_per_second=40.0)
    fallback = job(team, queue="cpu", cpu_fallback=True, throughput_per_second=40.0)
    for candidate in (cpu, fallback):
        with pytest.raises(DomainError) as refused:
            services.evidence_pin_add(team=team, job_id=candidate.pk, pinned_by=member, role="npu_run")
        assert refused.value.code == "not_npu"
    pin = services.evidence_pin_add(team=team, job_id=fallback.pk, pinned_by=member)
    assert pin.role == EvidencePin.Role.CPU_BASELINE
    submission = selectors.submission_of_team(team)
    (row,) = selectors.evidence_of_submission(submission).rows
    assert row.figures.run_kind == "cpu_fallback" and row.figures.run_label == "CPU run (NPU fallback)"
    assert not selectors.evidence_of_submission(submission).has_npu_run


def test_simulated_failed_and_foreign_jobs_are_refused(team, member, other_team_and_members):
    other_team = other_team_and_members[0]
    cases = {
        "simulated": job(team, simulated=True),
        "not_succeeded": job(team, state="failed"),
        "not_team_job": job(other_team),
    }
    for code, candidate in cases.items():
        with pytest.raises(DomainError) as refused:
            services.evidence_pin_add(team=team, job_id=candidate.pk, pinned_by=member)
        assert refused.value.code == code
    assert not EvidencePin.objects.exists()


def test_a_comparison_pins_both_sides_in_one_click(team, member):
    cpu, npu = npu_and_cpu_jobs(team)
    pins = services.evidence_pin_comparison(team=team, comparison_id=comparison(team, cpu, npu).pk, pinned_by=member)
    assert {(p.job_id, p.role) for p in pins} == {(cpu.pk, "cpu_baseline"), (npu.pk, "npu_run")}
    with pytest.raises(DomainError) as twice:
        services.evidence_pin_add(team=team, job_id=cpu.pk, pinned_by=member)
    assert twice.value.code == "already_pinned"
