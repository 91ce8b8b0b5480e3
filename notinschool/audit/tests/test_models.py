"""Every action the code writes to the audit has words for the people who read it (the child's
"Who has viewed this record" panel), not a code."""

import re
from pathlib import Path

from notinschool.audit.models import AuditEvent

ROOT = Path(__file__).resolve().parents[2]
_RECORDED = re.compile(r"audit_record\((?:[^()]|\([^()]*\))*?\baction=\"([a-z_]+)\"", re.S)


def test_every_action_written_has_a_label():
    written = {m.group(1) for path in ROOT.rglob("*.py") if "tests" not in path.parts
               for m in _RECORDED.finditer(path.read_text(encoding="utf-8"))}
    assert {"view", "send", "allocate", "download"} <= written, written  # the scan finds them
    assert written <= set(AuditEvent.Action.values), written - set(AuditEvent.Action.values)
    labels = dict(AuditEvent.Action.choices)
    assert all(labels[a] != a for a in written)
