from types import SimpleNamespace

import pytest

from npu_jobs.models import ResourcePool
from utilization import demo
from utilization.models import DeviceHour, DeviceMinute, DeviceSample, QueueMinute, Source


@pytest.mark.django_db
def test_demo_history_is_simulated_36_hours_and_idempotent(event):
    ResourcePool.objects.create(event=event, kind="npu", name="Warboy")
    demo.seed(SimpleNamespace(event=event))
    assert DeviceMinute.objects.count() == demo.DEVICES * demo.HOURS * 60
    assert DeviceHour.objects.filter(source=Source.SIMULATED).count() >= demo.DEVICES * demo.HOURS
    assert set(DeviceSample.objects.values_list("source", flat=True)) == {Source.SIMULATED}
    assert set(DeviceMinute.objects.values_list("source", flat=True)) == {Source.SIMULATED}
    assert not QueueMinute.objects.filter(simulated=False).exists()
    before = DeviceMinute.objects.count(), DeviceSample.objects.count(), QueueMinute.objects.count()
    demo.seed(SimpleNamespace(event=event))
    assert (DeviceMinute.objects.count(), DeviceSample.objects.count(), QueueMinute.objects.count()) == before
