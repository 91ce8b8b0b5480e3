"""Time and peak resident memory per stage of a run, in this process.

Linux keeps the process's peak RSS as VmHWM in /proc/self/status and resets it when "5" is
written to /proc/self/clear_refs, so each stage's own peak is read exactly at its end. Where
that reset is not allowed, a thread samples VmRSS every 20 ms instead (and the figure is
labelled ``sampled``). DuckDB's memory is inside the process, so it is counted.
"""

from __future__ import annotations

import re
import resource
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

_STATUS = Path("/proc/self/status")
_CLEAR_REFS = Path("/proc/self/clear_refs")


def _status_kb(key: str) -> int:
    match = re.search(rf"^{key}:\s+(\d+) kB", _STATUS.read_text(), re.MULTILINE)
    return int(match.group(1)) if match else 0


def _reset_peak() -> bool:
    try:
        _CLEAR_REFS.write_text("5")
    except OSError:
        return False
    return True


def _cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Stage:
    name: str
    seconds: float
    cpu_seconds: float
    peak_mb: float


@dataclass
class StageMeter:
    """Call :meth:`start` with each stage's name as it begins and :meth:`stop` at the end."""

    stages: list[Stage] = field(default_factory=list)
    method: str = "VmHWM"
    _name: str | None = None
    _started: float = 0.0
    _cpu_started: float = 0.0
    _sampled_kb: int = 0
    _stop: threading.Event = field(default_factory=threading.Event)
    _thread: threading.Thread | None = None

    def start(self, name: str) -> None:
        self._close()
        self._name = name
        self._started = time.perf_counter()
        self._cpu_started = _cpu_seconds()
        if self.method == "VmHWM" and not _reset_peak():
            self.method = "sampled"
        self._sampled_kb = _status_kb("VmRSS")
        if self.method == "sampled" and self._thread is None:
            self._thread = threading.Thread(target=self._sample, daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._close()
        self._stop.set()

    def _sample(self) -> None:
        while not self._stop.wait(0.02):
            self._sampled_kb = max(self._sampled_kb, _status_kb("VmRSS"))

    def _close(self) -> None:
        if self._name is None:
            return
        seconds = time.perf_counter() - self._started
        cpu = _cpu_seconds() - self._cpu_started
        kb = _status_kb("VmHWM") if self.method == "VmHWM" else self._sampled_kb
        self.stages.append(Stage(self._name, seconds, cpu, kb / 1024))
        self._name = None

    def __call__(self, name: str) -> None:
        """Use the meter as an engine ``on_stage`` callback (``"done"`` stops it)."""
        if name == "done":
            self._close()
        else:
            self.start(name)

    @property
    def total_seconds(self) -> float:
        return sum(s.seconds for s in self.stages)

    @property
    def peak_mb(self) -> float:
        return max((s.peak_mb for s in self.stages), default=0.0)
