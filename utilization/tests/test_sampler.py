"""An NPU host's sampler, end to end without a Warboy: a temporary folder laid out like the driver's sysfs tree
(npu_mgmt, the cores' perf_regs with FuriosaAI's recorded counter values, hwmon), two ticks of the code a worker
host runs, and the DeviceSample rows they store. And a host without the driver: no samples, and the page says why.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from npu_jobs import worker as npu_worker
from utilization import worker
from utilization.models import DeviceIdentity, DeviceSample, SamplerStatus, Source
from utilization.sampler import WarboySampler
from utilization.tests.test_counters import FIRST, SECOND

pytestmark = pytest.mark.django_db

BUS = "0000:6d:00.0"
# The idle core: cycles run on, no task cycles.
IDLE_FIRST = "TaskExecutionTime: 0x100\nTensorExecutionTime: 0x80\nCycleCount: 0x1000\nCycleCountHigh: 0x0\n"
IDLE_SECOND = "TaskExecutionTime: 0x100\nTensorExecutionTime: 0x80\nCycleCount: 0x9000\nCycleCountHigh: 0x0\n"


def warboy_sysfs(root: Path) -> Path:
    """One Warboy (npu0) with two cores, as the driver lays it out under /sys."""
    mgmt = root / "class" / "npu_mgmt" / "npu0_mgmt"
    mgmt.mkdir(parents=True)
    for name, value in {
        "platform_type": "FuriosaAI",
        "busname": BUS,
        "device_type": "Warboy",
        "soc_rev": "B0",
        "device_uuid": "A76AAD68-6855-40B1-9E86-D080852D1C80",
        "fw_version": "1.6.0, c1bebfd",
        "version": "1.9.2, 3def9c2",
    }.items():
        (mgmt / name).write_text(value + "\n")
    for core in (0, 1):
        (root / "class" / "npu_mgmt" / f"npu0pe{core}").mkdir()
    hwmon = root / "bus" / "pci" / "devices" / BUS / "hwmon" / "hwmon3"
    hwmon.mkdir(parents=True)
    for name, value in {
        "temp1_input": "36000",
        "temp1_label": "Temp1",
        "temp2_input": "38000",
        "power1_average": "40000000",
        "curr1_input": "1000",
    }.items():
        (hwmon / name).write_text(value + "\n")
    return root


def write_counters(root: Path, core: int, text: str) -> None:
    (root / "class" / "npu_mgmt" / f"npu0pe{core}" / "perf_regs").write_text(text)


def test_two_ticks_on_a_sysfs_tree_store_one_measured_sample_with_per_core_figures(tmp_path, device, settings):
    settings.UTILIZATION_SYSFS_ROOT = str(warboy_sysfs(tmp_path))
    sampler = WarboySampler(sysfs=settings.UTILIZATION_SYSFS_ROOT)
    available, what = sampler.detect()
    assert available, what
    assert "1 Warboy device" in what and str(tmp_path) in what

    write_counters(tmp_path, 0, FIRST)
    write_counters(tmp_path, 1, IDLE_FIRST)
    assert worker.sample_once(sampler, device.worker.name) == 0  # one reading alone gives no figure
    assert not DeviceSample.objects.exists()
    identity = DeviceIdentity.objects.get(device=device)
    assert (identity.uuid, identity.arch) == ("A76AAD68-6855-40B1-9E86-D080852D1C80", "warboy")
    assert (identity.firmware_version, identity.driver_version) == ("1.6.0, c1bebfd", "1.9.2, 3def9c2")

    write_counters(tmp_path, 0, SECOND)
    write_counters(tmp_path, 1, IDLE_SECOND)
    assert worker.sample_once(sampler, device.worker.name) == 1

    sample = DeviceSample.objects.get()
    assert (sample.device_id, sample.source) == (device.pk, Source.DEVICE_COUNTERS)
    # Core 0: FuriosaAI's recorded readings (busy 0.4880, compute 0.9811); core 1 idle; the device is their mean.
    assert round(sample.core_status["0"]["busy"], 4) == 0.4880
    assert sample.core_status["1"]["busy"] == 0.0
    assert round(sample.busy_ratio, 4) == round(0.4880 / 2, 4)
    assert round(sample.compute_ratio, 4) == round(0.9811 / 2, 4)
    assert sample.temperature_c == 37.0  # two sensors, millidegrees
    assert sample.power_w == 40.0  # microwatts


def test_a_core_whose_counters_are_unreadable_is_left_out(tmp_path, device):
    sampler = WarboySampler(sysfs=warboy_sysfs(tmp_path))
    write_counters(tmp_path, 0, FIRST)
    worker.sample_once(sampler, device.worker.name)
    write_counters(tmp_path, 0, SECOND)  # core 1 has no perf_regs at all
    assert worker.sample_once(sampler, device.worker.name) == 1
    sample = DeviceSample.objects.get()
    assert round(sample.busy_ratio, 4) == 0.4880
    assert set(sample.core_status) == {"0"}


@pytest.fixture
def registered_worker(npu_host):
    """The worker's own record of itself, as npu_jobs' worker_ready handler leaves it."""
    saved = dict(npu_worker.WORKER)
    npu_worker.WORKER.update(name=npu_host.name, queues=["npu"])
    yield npu_host
    npu_worker.WORKER.clear()
    npu_worker.WORKER.update(saved)


def test_a_host_without_the_driver_records_nothing_and_the_dashboard_says_why(
    tmp_path, settings, registered_worker, device, client, organizer, event
):
    settings.UTILIZATION_SYSFS_ROOT = str(tmp_path)  # an empty /sys: no npu_mgmt class, no driver
    worker.start_sampling(sender=registered_worker.name)

    status = SamplerStatus.objects.get(worker=registered_worker)
    assert not status.sampling
    assert status.status.startswith("Device sampling unavailable: furiosa-device is not installed")
    assert "no Warboy driver" in status.status and "No device samples are recorded" in status.status
    assert not DeviceSample.objects.exists()
    # And the sampler itself reads nothing there, tick after tick.
    assert worker.sample_once(WarboySampler(sysfs=tmp_path), registered_worker.name) == 0

    client.force_login(organizer)
    page = client.get(reverse("utilization:dashboard", kwargs={"event_slug": event.slug})).content.decode()
    assert "Device sampling unavailable: furiosa-device is not installed" in page


def test_a_tree_of_another_vendor_is_not_a_warboy(tmp_path):
    root = warboy_sysfs(tmp_path)
    (root / "class" / "npu_mgmt" / "npu0_mgmt" / "platform_type").write_text("SomeoneElse\n")
    available, why = WarboySampler(sysfs=root).detect()
    assert not available and "lists no FuriosaAI device" in why
