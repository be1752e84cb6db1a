"""The parent side of the runner child: start it, send it a job, read its events with a timeout, kill it."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent.parent


class ChildDied(Exception):
    def __init__(self, returncode: int | None):
        self.returncode = returncode
        if returncode is not None and returncode < 0:
            try:
                name = signal.Signals(-returncode).name
            except ValueError:
                name = str(-returncode)
            text = f"killed by signal {name}"
        else:
            text = f"exit code {returncode}"
        super().__init__(text)


class JsonLinesReader:
    """Events a child writes as JSON lines on a pipe, read with a timeout. Lines that are not JSON are skipped."""

    def __init__(self, stream):
        self.stream = stream
        self._buffer = b""

    def next_event(self, timeout: float) -> dict | None:
        """The next event, or None if none arrived within timeout. Raises EOFError when the pipe closed."""
        deadline = time.monotonic() + timeout
        while True:
            while b"\n" in self._buffer:
                line, self._buffer = self._buffer.split(b"\n", 1)
                try:
                    event = json.loads(line)
                except json.JSONDecodeError:
                    continue
                if isinstance(event, dict):
                    return event
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            fd = self.stream.fileno()
            readable, _, _ = select.select([fd], [], [], remaining)
            if not readable:
                return None
            chunk = os.read(fd, 65536)
            if not chunk:
                raise EOFError
            self._buffer += chunk


class RunnerChild:
    def __init__(self):
        self.process: subprocess.Popen | None = None
        self.jobs_run = 0
        self.ready = False
        self._reader: JsonLinesReader | None = None

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the child without waiting for it (a pool process starts it warm at init)."""
        if self.alive:
            return
        self.kill()
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "npu_jobs.runner.child"],
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=None,
        )
        self._reader = JsonLinesReader(self.process.stdout)
        self.jobs_run = 0
        self.ready = False

    def ensure(self, timeout: float = 120) -> None:
        """A started child that said it is ready."""
        if not self.alive:
            self.start()
        if not self.ready:
            event = self.next_event(timeout=timeout)
            if not event or event.get("event") != "ready":
                self.kill()
                raise RuntimeError(f"runner child did not start: {event!r}")
            self.ready = True

    def send(self, job: dict) -> None:
        self.jobs_run += 1
        self.process.stdin.write((json.dumps(job) + "\n").encode())
        self.process.stdin.flush()

    def next_event(self, timeout: float) -> dict | None:
        """The next event, or None if none arrived within timeout. Raises ChildDied if the child is gone."""
        try:
            return self._reader.next_event(timeout)
        except EOFError:
            returncode = self.process.wait(timeout=5)
            self.process = None
            raise ChildDied(returncode) from None

    def kill(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.kill()
            self.process.wait(timeout=10)
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
        self.process = None
        self._reader = None


_runner: RunnerChild | None = None


def runner_for_this_process() -> RunnerChild:
    global _runner
    if _runner is None:
        _runner = RunnerChild()
    return _runner
