"""Same inputs, same bytes; other seed, other data; and fast enough."""

from __future__ import annotations

import datetime as dt
import time

from notinschool.synth import generate_authority

AS_OF = dt.date(2026, 11, 20)


def _files(path):
    return {p.name: p.read_bytes() for p in sorted(path.iterdir())}


def test_same_seed_same_bytes(tmp_path):
    a, b, c = tmp_path / "a", tmp_path / "b", tmp_path / "c"
    generate_authority(children=300, seed=11, out=a, as_of=AS_OF)
    generate_authority(children=300, seed=11, out=b, as_of=AS_OF)
    generate_authority(children=300, seed=12, out=c, as_of=AS_OF)
    fa, fb, fc = _files(a), _files(b), _files(c)
    assert fa == fb
    assert len(fa) == 13
    assert fa["roll-deletions.csv"] != fc["roll-deletions.csv"]
    assert fa["agency-health.csv"] != fc["agency-health.csv"]


def test_progress_and_small_runs(tmp_path):
    calls: list[int] = []
    summary = generate_authority(children=2500, seed=1, out=tmp_path / "p", as_of=AS_OF,
                                 progress=calls.append, agency_ratio=1.0)  # fmt: skip
    assert len(calls) == 3 and calls == sorted(calls) and calls[-1] == 2500
    assert summary["register_children"] == 2500
    empty = generate_authority(children=0, seed=1, out=tmp_path / "e", as_of=AS_OF)
    assert sum(empty["files"].values()) == 0


def test_speed_smoke(tmp_path):
    start = time.process_time()
    summary = generate_authority(children=5000, seed=3, out=tmp_path / "s", as_of=AS_OF)
    spent = time.process_time() - start
    agency = sum(n for name, n in summary["files"].items() if name.startswith("agency-"))
    assert agency >= 24_000
    assert spent < 20, spent  # about 2 s on a quiet laptop core
