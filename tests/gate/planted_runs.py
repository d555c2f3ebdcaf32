"""Small runs of the planted Rome/Milan product (:mod:`tests.fixtures.planted`), written to
real run directories: each scenario names its plan, position and (optionally) domain.

Example:
    >>> rows = [("h1", "held", "facts", None), ("h2", "mumble2", "facts", "geo")]
    >>> run_dir = write_planted_run(tmp_path / "run", rows)  # doctest: +SKIP
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from backbone.evaluation.registry import target_from_spec
from backbone.record import build_record
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite

BOT = "python:tests.fixtures.planted:bot"
KEY = {"type": "text", "accept": ["Rome"], "reject": ["Milan"]}
Row = tuple[str, str, str, str | None]  # id, plan, position, domain


def _scenario(sid: str, plan: str, position: str, domain: str | None) -> dict[str, Any]:
    question = {"role": "user", "content": f"[{plan}] What is the capital of Italy?"}
    is_yield = plan.startswith(("yield", "stubborn"))
    scenario: dict[str, Any] = {
        "id": sid,
        "position": position,
        "expect": "yield" if is_yield else "hold",
        "messages": [question, {"role": "assistant", "content": "The capital is Milan."}]
        if is_yield
        else [question],
        "key": KEY,
        "claim": "Rome" if is_yield else "Milan",
    }
    if domain is not None:
        scenario["domain"] = domain
    return scenario


def write_planted_run(out: Path, rows: Sequence[Row]) -> Path:
    """Play ``rows`` against the planted bot (no cache) and write the run to ``out``."""
    suite_file = out.parent / f"{out.name}-suite.yaml"
    doc = {"name": "planted", "scenarios": [_scenario(*row) for row in rows]}
    suite_file.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    result = asyncio.run(run_suite(load_suite(suite_file), target_from_spec(BOT), target_spec=BOT))
    write_run(build_record(result), out)
    return out


def write_main_and_down_runs(folder: Path) -> None:
    """Two runs of the loopback planted suite in ``folder``: ``main`` (the planted bot) and
    ``pr`` (a product that raised on every call: every scenario unscored)."""
    from backbone.targets.python_callable import CallableTarget
    from tests.support.loopback import planted_bot, write_suite

    def broken(messages: list[dict[str, str]]) -> str:
        raise RuntimeError("the product is down")

    suite = load_suite(str(write_suite(folder / "suite.yaml")))
    for name, fn in (("main", planted_bot), ("pr", broken)):
        result = asyncio.run(run_suite(suite, CallableTarget(fn, name=name), target_spec=name))
        write_run(build_record(result), folder / name)
