"""The Warboy sampler: reads each device's per-core performance counters, hwmon sensors, core status and
versions, and turns two consecutive readings into figures (utilization.counters does the arithmetic).

furiosa-sdk 0.10's device API (`furiosa.device`, package furiosa-device) is imported lazily: a host without it,
or without the driver, records no device samples and says why (WarboySampler.detect).
API used (furiosa-ai/device-api, bindings/python/furiosa_device.pyi): list_devices_sync() / sync.list_devices(),
Device.name(), device_index(), arch(), device_uuid(), firmware_version(), driver_version(), cores(),
get_status_all() -> {core: CoreStatus(status_type Available|Occupied|Unavailable, value)}, get_hwmon_fetcher()
-> read_temperatures() (millidegrees Celsius) and read_powers_average() (microwatts). The Python binding does not
expose the performance counters, so they are read from sysfs as the Rust device API does
(/sys/class/npu_mgmt/npu<N>pe<core>/perf_regs, device-api/src/sysfs.rs).

furiosa-device 0.10.2 needs furiosa-native-device 0.2.x, whose wheels stop at CPython 3.10, so on our Python 3.11
image the binding is absent. Then the sampler lists the devices from the same sysfs tree the device API reads
(device-api/src/list.rs, sysfs.rs, hwmon.rs): class/npu_mgmt/npu<N>_mgmt/{platform_type, busname, device_type,
device_uuid, fw_version, version}, the cores' npu<N>pe<core> folders, and bus/pci/devices/<busname>/hwmon/hwmon*/
temp*_input (millidegrees) and power*_average (microwatts). Core status (which process holds a core) needs the
binding, so it is left out there. The sysfs root is UTILIZATION_SYSFS_ROOT (default /sys).
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from utilization.counters import CoreCounters, CoreFigures, core_figures, device_figures, perf_regs_parse, sensor_mean

SYSFS = Path("/sys")


@dataclass
class DeviceReading:
    index: int
    name: str
    uuid: str
    arch: str
    firmware_version: str
    driver_version: str
    counters: dict[int, CoreCounters]
    temperature_c: float | None
    power_w: float | None
    core_status: dict[str, dict[str, Any]] = field(default_factory=dict)


def _binding_list_devices():
    """furiosa-device's sync list_devices, or None when neither it nor the native binding is installed."""
    try:
        from furiosa.device.sync import list_devices  # furiosa-sdk 0.10 (furiosa-device)
    except ImportError:
        try:
            from furiosa_native_device.sync import list_devices  # the binding furiosa-device re-exports
        except ImportError:
            return None
    return list_devices


MGMT = re.compile(r"^npu(\d+)_mgmt$")
CORE = re.compile(r"^npu(\d+)pe(\d+)$")
FURIOSA_PLATFORMS = ("FuriosaAI", "VITIS")  # device-api sysfs.rs is_furiosa_platform


def _read(path: Path) -> str:
    try:
        return path.read_text().strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class SensorValue:
    label: str
    value: int


class SysfsHwmon:
    """hwmon sensors of one PCI device, as device-api/src/hwmon.rs reads them (one hwmon folder per device)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def _values(self, prefix: str, item: str) -> list[SensorValue]:
        out = []
        for path in sorted(self.folder.glob(f"{prefix}*_{item}")):
            raw = _read(path)
            if raw.lstrip("-").isdigit():
                out.append(SensorValue(label=path.name.split("_", 1)[0], value=int(raw)))
        return out

    def read_temperatures(self) -> list[SensorValue]:
        return self._values("temp", "input")

    def read_powers_average(self) -> list[SensorValue]:
        return self._values("power", "average")


class SysfsDevice:
    """One Warboy as its driver's sysfs tree shows it: the part of the binding's Device the sampler uses."""

    def __init__(self, sysfs: Path, index: int, cores: list[int]) -> None:
        self.sysfs, self.index, self._cores = sysfs, index, cores
        self.mgmt = sysfs / "class" / "npu_mgmt" / f"npu{index}_mgmt"

    def device_index(self) -> int:
        return self.index

    def name(self) -> str:
        return f"npu{self.index}"

    def device_uuid(self) -> str:
        return _read(self.mgmt / "device_uuid")

    def arch(self) -> str:
        return _read(self.mgmt / "device_type").lower() or "warboy"

    def firmware_version(self) -> str:
        return _read(self.mgmt / "fw_version")

    def driver_version(self) -> str:
        return _read(self.mgmt / "version")

    def cores(self) -> list[int]:
        return self._cores

    def get_status_all(self) -> dict:
        return {}  # who holds a core is known to the device API only

    def get_hwmon_fetcher(self) -> SysfsHwmon:
        hwmon = self.sysfs / "bus" / "pci" / "devices" / _read(self.mgmt / "busname") / "hwmon"
        folders = sorted(hwmon.glob("hwmon*")) if _read(self.mgmt / "busname") else []
        return SysfsHwmon(folders[0] if folders else hwmon / "absent")


def sysfs_devices(sysfs: Path) -> list[SysfsDevice]:
    """The FuriosaAI devices the driver's sysfs tree lists, with their cores, by index."""
    root = sysfs / "class" / "npu_mgmt"
    try:
        names = sorted(p.name for p in root.iterdir())
    except OSError:
        return []
    cores: dict[int, list[int]] = {}
    for name in names:
        if match := CORE.match(name):
            cores.setdefault(int(match.group(1)), []).append(int(match.group(2)))
    devices = []
    for name in names:
        match = MGMT.match(name)
        if match and _read(root / name / "platform_type") in FURIOSA_PLATFORMS:
            index = int(match.group(1))
            devices.append(SysfsDevice(sysfs, index, sorted(cores.get(index, []))))
    return sorted(devices, key=lambda d: d.index)


def _core_status(device) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for core, status in sorted(device.get_status_all().items()):
        kind = str(getattr(status.status_type, "name", status.status_type)).rsplit(".", 1)[-1].lower()
        out[str(core)] = {"status": kind, "by": status.value or ""}
    return out


class WarboySampler:
    def __init__(self, sysfs: Path = SYSFS) -> None:
        self.sysfs = Path(sysfs)
        self.previous: dict[int, dict[int, CoreCounters]] = {}

    def _list_devices(self) -> list:
        list_devices = _binding_list_devices()
        return list(list_devices()) if list_devices is not None else sysfs_devices(self.sysfs)

    def detect(self) -> tuple[bool, str]:
        """(available, what or why not). Never raises."""
        binding = _binding_list_devices() is not None
        try:
            devices = self._list_devices()
        except Exception as exc:
            return False, f"no Warboy driver or device ({exc})"
        if not devices:
            if binding:
                return False, "the device API lists no Warboy device"
            return False, (
                f"furiosa-device is not installed and {self.sysfs / 'class' / 'npu_mgmt'} lists no FuriosaAI device "
                "(no Warboy driver)"
            )
        via = "the device API" if binding else f"the driver's sysfs tree at {self.sysfs} (furiosa-device not installed)"
        return True, f"{len(devices)} Warboy device(s) through {via}"

    def read(self) -> list[DeviceReading]:
        readings = []
        for device in self._list_devices():
            index = device.device_index()
            counters = {}
            for core in device.cores():
                path = self.sysfs / "class" / "npu_mgmt" / f"npu{index}pe{core}" / "perf_regs"
                try:
                    counters[core] = perf_regs_parse(path.read_text(), at=time.monotonic())
                except (OSError, ValueError):
                    continue  # a core the caller may not read (not in use) or an unexpected format
            fetcher = device.get_hwmon_fetcher()
            readings.append(
                DeviceReading(
                    index=index,
                    name=device.name(),
                    uuid=device.device_uuid(),
                    arch=str(device.arch()).rsplit(".", 1)[-1],
                    firmware_version=device.firmware_version(),
                    driver_version=device.driver_version(),
                    counters=counters,
                    temperature_c=sensor_mean([s.value for s in fetcher.read_temperatures()], scale=1000.0),
                    power_w=sensor_mean([s.value for s in fetcher.read_powers_average()], scale=1_000_000.0),
                    core_status=_core_status(device),
                )
            )
        return readings

    def figures(self, reading: DeviceReading) -> tuple[CoreFigures | None, dict[int, CoreFigures | None]]:
        """The device's figures since its previous reading (None on the first one), and each core's."""
        previous = self.previous.get(reading.index, {})
        per_core = {
            core: core_figures(previous[core], now) if core in previous else None
            for core, now in reading.counters.items()
        }
        self.previous[reading.index] = reading.counters
        return device_figures(list(per_core.values())), per_core
