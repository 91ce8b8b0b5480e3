"""One generated authority shared by the tests (2,000 children)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import os
import pathlib
from typing import Any

import pytest

from notinschool.synth import generate_authority

AS_OF = dt.date(2026, 11, 20)
CHILDREN = 2000
SEED = int(os.environ.get("NOTINSCHOOL_SYNTH_SEED", "7"))  # try other seeds by hand


class Authority:
    def __init__(self, out: pathlib.Path, summary: dict[str, Any]) -> None:
        self.out = out
        self.summary = summary
        self.truth = json.loads((out / "truth.json").read_text(encoding="utf-8"))
        self._rows: dict[str, list[dict[str, str]]] = {}

    def rows(self, name: str) -> list[dict[str, str]]:
        if name not in self._rows:
            with open(self.out / name, encoding="utf-8", newline="") as f:
                self._rows[name] = list(csv.DictReader(f))
        return self._rows[name]

    def header(self, name: str) -> list[str]:
        with open(self.out / name, encoding="utf-8", newline="") as f:
            return next(csv.reader(f))

    def children(self) -> list[dict[str, Any]]:
        return self.truth["children"]


@pytest.fixture(scope="session")
def authority(tmp_path_factory: pytest.TempPathFactory) -> Authority:
    out = tmp_path_factory.mktemp("synth")
    summary = generate_authority(children=CHILDREN, seed=SEED, out=out, as_of=AS_OF)
    return Authority(out, summary)
