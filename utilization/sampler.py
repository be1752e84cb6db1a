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
"""

from __future__ import annotations

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


def _list_devices():
    try:
        from furiosa.device.sync import list_devices  # furiosa-sdk 0.10

        return list_devices()
    except ImportError:
        from furiosa_device.sync import list_devices_sync  # the binding itself

        return list_devices_sync()


def _core_status(device) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for core, status in sorted(device.get_status_all().items()):
        kind = str(getattr(status.status_type, "name", status.status_type)).rsplit(".", 1)[-1].lower()
        out[str(core)] = {"status": kind, "by": status.value or ""}
    return out


class WarboySampler:
    def __init__(self, sysfs: Path = SYSFS) -> None:
        self.sysfs = sysfs
        self.previous: dict[int, dict[int, CoreCounters]] = {}

    def detect(self) -> tuple[bool, str]:
        """(available, why not). Never raises."""
        try:
            devices = _list_devices()
        except ImportError as exc:
            return False, f"furiosa-device not installed ({exc})"
        except Exception as exc:
            return False, f"no Warboy driver or device ({exc})"
        if not devices:
            return False, "the device API lists no Warboy device"
        return True, f"{len(devices)} Warboy device(s)"

    def read(self) -> list[DeviceReading]:
        readings = []
        for device in _list_devices():
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
