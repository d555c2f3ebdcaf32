"""Reading a run's output directory (its ``results.json``) back, for ``compare`` and ``gate``.

Anything unreadable raises :class:`InputError` naming the file, the line (for broken JSON) or
the scenario record, and what is wrong.

Example:
    >>> run = load_run("runs/main")  # doctest: +SKIP
    >>> run.outcomes[0].outcome  # doctest: +SKIP
    'held'
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.core.errors import InputError, Problem
from backbone.core.outcome import Outcome

RESULTS = "results.json"
_OUTCOME_FIELDS = set(Outcome.model_fields)


@dataclass
class LoadedRun:
    """A run read back from disk: its directory, the whole document, and the scenarios'
    outcomes (the first sample's, as ``results.json`` reports them)."""

    path: Path
    doc: dict[str, Any]
    outcomes: list[Outcome]
    records: list[dict[str, Any]] = field(default_factory=list)

    @property
    def label(self) -> str:
        spec = self.doc.get("target", {}).get("spec")
        return f"{self.path} ({spec})" if spec else str(self.path)

    def severity(self) -> dict[str, str]:
        """Declared severity of each position (``suite.positions``), when the run has it."""
        positions = self.doc.get("suite", {}).get("positions") or []
        return {str(p["id"]): str(p.get("severity", "medium")) for p in positions if "id" in p}


def results_path(run_dir: str | Path) -> Path:
    p = Path(run_dir)
    return p / RESULTS if p.is_dir() or not p.name.endswith(".json") else p


def load_run(run_dir: str | Path) -> LoadedRun:
    """Read ``RUN/results.json`` (``RUN`` may also be the file itself)."""
    base = Path(run_dir)
    path = results_path(base)
    file = str(path)
    if not base.exists():
        raise InputError.single(str(base), None, "no such run directory")
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError.single(
            file, None, "no results.json here: give a run's output directory (backbone run --out)"
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError.single(file, None, f"cannot read: {exc}") from None
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError.single(file, exc.lineno, f"not valid JSON: {exc.msg}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("scenarios"), list):
        raise InputError.single(file, 1, "not a backbone results.json: no 'scenarios' list")
    problems: list[Problem] = []
    outcomes: list[Outcome] = []
    seen: set[str] = set()
    for i, rec in enumerate(doc["scenarios"]):
        where = f"scenarios[{i}]"
        if not isinstance(rec, dict):
            problems.append(Problem(file, None, f"{where}: not an object"))
            continue
        if isinstance(rec.get("id"), str):
            where += f" (id {rec['id']!r})"
        try:
            o = Outcome.model_validate({k: v for k, v in rec.items() if k in _OUTCOME_FIELDS})
        except ValidationError as exc:
            for err in exc.errors():
                loc = ".".join(str(x) for x in err["loc"])
                problems.append(Problem(file, None, f"{where}: {loc}: {err['msg']}"))
            continue
        if o.id in seen:
            problems.append(Problem(file, None, f"{where}: duplicate scenario id {o.id!r}"))
        seen.add(o.id)
        outcomes.append(o)
    if problems:
        raise InputError(problems)
    return LoadedRun(path=base, doc=doc, outcomes=outcomes, records=list(doc["scenarios"]))
