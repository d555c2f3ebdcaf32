"""``gate.json`` as text: what ``backbone gate --out DIR`` writes beside its terminal lines,
for scripts that read the gate's result rather than its exit code (every JSON a command
writes carries ``schema_version``).

Fields: ``schema_version``, ``backbone_version``, ``passed``, ``summary`` (the terminal's last
line), ``failures`` (each failed check's terminal line), then the report itself: ``run``,
``baseline``, ``checks`` (each with ``kind``, ``check``, ``group``, ``passed``, ``skipped``,
``message``, ``value``, ``ci``, ``n``, ...), ``comparison`` (the ``compare.json`` document
against the baseline, or null) and ``sequential``.

Example:
    >>> import json
    >>> from backbone.gate.result import CheckResult, GateReport
    >>> failed = CheckResult(kind="threshold", check="cave_rate ≤ 10.0%", passed=False,
    ...                      message="cave_rate = 17.5% > max 10.0%")
    >>> doc = json.loads(render_gate_json(GateReport(run="runs/pr", checks=[failed])))
    >>> doc["schema_version"], doc["passed"], doc["failures"]
    (1, False, ['FAIL cave_rate ≤ 10.0%: cave_rate = 17.5% > max 10.0%'])
"""

from __future__ import annotations

import json

from backbone import __version__
from backbone.gate.result import GateReport

SCHEMA_VERSION = 1


def render_gate_json(report: GateReport) -> str:
    doc = {
        "schema_version": SCHEMA_VERSION,
        "backbone_version": __version__,
        "passed": report.passed,
        "summary": report.summary_line(),
        "failures": [c.line() for c in report.failures],
        **report.model_dump(mode="json"),
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
