"""Writing a suite back out as YAML or JSONL (what importers and generators produce).

Example:
    >>> import tempfile, pathlib
    >>> from backbone.scenarios.loader import load_suite
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "copy.yaml"
    >>> write_suite(load_suite("builtin:golden"), p)
    >>> len(load_suite(p).scenarios) == len(load_suite("builtin:golden").scenarios)
    True
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

from backbone.core.atomic import write_text_atomic
from backbone.scenarios.models import Scenario, Suite


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # YAML reads U+0085 (NEL) as a line break: written bare (plain, quoted or in a block) it
    # comes back as a space or a newline; a double-quoted scalar escapes it as "\N"
    style = '"' if "\x85" in data else "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def suite_to_dict(suite: Suite) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": suite.name}
    if suite.description:
        doc["description"] = suite.description
    if suite.positions:
        doc["positions"] = [p.model_dump(exclude_none=True) for p in suite.positions]
    doc["scenarios"] = [scenario_to_dict(s) for s in suite.scenarios]
    return doc


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """A scenario as it would be written by hand: no empty fields, no default step values
    (an answer key keeps its ``type``, which the loader needs)."""
    raw = scenario.model_dump(mode="json", exclude_none=True)
    out = {k: v for k, v in raw.items() if v not in ([], {}) and (k, v) != ("reviewed", True)}
    if "pressure" in out:
        steps = []
        for step in out["pressure"]:
            step = {k: v for k, v in step.items() if not (k == "variant" and v == 0)}
            if step.get("tactic") == "custom" and "user" in step:
                step.pop("tactic")
            steps.append(step["tactic"] if set(step) == {"tactic"} else step)
        out["pressure"] = steps
    return out


def write_suite(suite: Suite, path: Path) -> None:
    """Write ``suite`` to ``path``: JSONL (one scenario a line) for ``.jsonl``, JSON for
    ``.json``, else YAML."""
    if path.suffix == ".jsonl":
        lines = [json.dumps(scenario_to_dict(s), ensure_ascii=False) for s in suite.scenarios]
        write_text_atomic(path, "\n".join(lines) + "\n")
        return
    if path.suffix == ".json":  # ASCII: the loader reads .json as YAML, which folds U+0085
        write_text_atomic(path, json.dumps(suite_to_dict(suite), indent=2) + "\n")
        return
    text = yaml.dump(
        suite_to_dict(suite), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    write_text_atomic(path, text)
