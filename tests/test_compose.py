"""docker-compose.yml: no shipped secret, every queue has a consumer, control tasks have their own worker."""

from pathlib import Path

import yaml
from django.conf import settings

COMPOSE = yaml.safe_load((Path(settings.BASE_DIR) / "docker-compose.yml").read_text())


def queues_of(service: dict) -> set[str]:
    command = service.get("command", "")
    if "celery" not in command or " worker" not in command:
        return set()
    parts = command.split()
    return set(parts[parts.index("-Q") + 1].split(","))


def test_secret_key_has_no_default():
    assert COMPOSE["x-app"]["environment"]["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_every_queue_has_a_consumer_and_control_tasks_have_their_own_worker():
    consumed = [queues_of(service) for service in COMPOSE["services"].values()]
    assert set().union(*consumed) >= {"default", "cpu", "npu", "quantize"}
    assert {"default"} in consumed  # a worker that runs nothing but control tasks
    assert not any("default" in queues and len(queues) > 1 for queues in consumed)


def test_every_service_restarts_when_it_exits():
    for name, service in COMPOSE["services"].items():
        assert service.get("restart", COMPOSE["x-app"]["restart"]) == "unless-stopped", name
