"""Every ``{"value", "ci", "n"}`` rate a command writes holds its value inside its interval,
through the real command line: a sampled audit's failure-mode shares of 0 had a lower bound
of 5.6e-17 (statsmodels' Wilson bound at x = 0), a share of 0.0 outside its own interval."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.audit.logs import planted_rows, write_jsonl
from tests.support.json_objects import objects_with

JUDGE = "python:tests.audit.planted_judge:truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def rates(doc: Any) -> list[tuple[str, dict[str, Any]]]:
    """Every object with a ``value`` and a ``ci`` (a list) in ``doc``, with where it is."""
    return [(at, o) for at, o in objects_with(doc, {"value", "ci"}) if isinstance(o["ci"], list)]


def test_a_sampled_audit_holds_each_share_inside_its_interval(tmp_path: Path) -> None:
    log = write_jsonl(
        tmp_path / "log.jsonl", planted_rows({("up", None): (14, 10), ("down", None): (10, 3)})
    )
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app, ["audit", str(log), "--judge", JUDGE, "--sample", "3", "--out", str(out), "-q"]
    )
    assert r.exit_code == 0, r.output
    doc = json.loads((out / "audit.json").read_text())
    assert doc["whole_log"] is False
    found = rates(doc)
    shares = {p: d for p, d in found if p.startswith(".failure_modes.labels.")}
    assert shares[".failure_modes.labels.hallucination.share"]["value"] == 0.0
    assert shares[".failure_modes.labels.hallucination.share"]["ci"][0] == 0.0
    outside = [(p, d) for p, d in found if d["value"] is not None
               and not d["ci"][0] <= d["value"] <= d["ci"][1]]  # fmt: skip
    assert outside == []
