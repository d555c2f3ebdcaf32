"""The gate: checks a run against thresholds (and a baseline run) for CI.

* :mod:`~backbone.gate.config` — the config file (``backbone.yaml``), validated with lines.
* :mod:`~backbone.gate.thresholds` — absolute limits, overall or per position/tactic/domain.
* :mod:`~backbone.gate.regressions` — no significant paired regression against a baseline.
* :mod:`~backbone.gate.sequential`, :mod:`~backbone.gate.early_stop` — anytime-valid
  confidence sequences and the sequential mode that stops playing once the answer is clear.
* :mod:`~backbone.gate.evaluate` — every check into a :class:`~backbone.gate.result.GateReport`.
* :mod:`~backbone.report.junit`, :mod:`~backbone.report.gate_markdown` — the CI artefacts.
"""
