"""The installed `notinschool` command, run as a script would, on a fresh SQLite folder."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

from notinschool.intake.tests.helpers import DELETION_HEADER, deletion


def _run(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    binary = shutil.which("notinschool") or str(Path(sys.executable).with_name("notinschool"))
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    return subprocess.run([binary, *args], cwd=folder, env=env, capture_output=True, text=True,
                          timeout=120, check=False)


def test_bad_input_exits_2_and_a_good_file_exports(tmp_path: Path):
    bad = tmp_path / "bad.csv"
    bad.write_text(",".join(DELETION_HEADER) + "\n" + ",".join(deletion(on="2026-13-01")) + "\n")
    result = _run(tmp_path, "--as-of", "2026-11-23", "import", "roll-deletions", "bad.csv")
    assert result.returncode == 2
    assert result.stderr.startswith("bad.csv:2:deletion_date: ")

    good = tmp_path / "good.csv"
    good.write_text(",".join(DELETION_HEADER) + "\n" + ",".join(deletion()) + "\n")
    assert _run(tmp_path, "--as-of", "2026-11-23", "import", "roll-deletions", "good.csv").returncode == 0
    exported = _run(tmp_path, "--as-of", "2027-09-10", "export", "register")
    assert exported.returncode == 0
    _header, row = exported.stdout.splitlines()
    assert row.startswith("C0000001,Alexander,Smith-Jones,2015-03-05,LS6 1AB,ehe,8,")
