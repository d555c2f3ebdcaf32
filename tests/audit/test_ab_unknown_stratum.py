"""An arm whose events of one stratum (its unrated ones, say) the judge could score none of:
its accuracy is unknown, though other events of the arm were scored. ab.json and the verdict
must say so, as they do for an arm with nothing scored at all, not project a size from it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.evaluation.ab import run_ab
from backbone.report.ab_json import ab_document
from tests.audit.logs import write_jsonl

JUDGE = "python:tests.audit.ab_judges:abstain_on_b_unrated"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("COLUMNS", "200")


def planted(path: Path) -> Path:
    """Two arms alike in thumbs-up (20 of 40) and accuracy, each with 10 unrated events."""
    rows: list[dict[str, Any]] = []
    for arm in ("A", "B"):
        for rating, n, correct in (("up", 20, 15), ("down", 20, 10), (None, 10, 5)):
            for k in range(n):
                i = len(rows)
                rows.append(
                    {
                        "id": f"e{i}", "timestamp": f"2025-01-{1 + i % 28:02d}T10:00:00",
                        "user_id": f"u{i % 7}", "prompt": f"q{i}", "response": f"a{i}",
                        "rating": rating, "arm": arm, "correct": k < correct,
                    }
                )  # fmt: skip
    return write_jsonl(path, rows)


def test_an_arm_with_an_unscored_stratum_has_unknown_accuracy_and_says_so(
    tmp_path: Path,
) -> None:
    log = planted(tmp_path / "ab.jsonl")
    r = run_ab(log, arm_column="arm", judge=JUDGE, cache=False)
    assert r.b.scored == 40 and r.b.accuracy.value is None  # its unrated 10: none scored
    assert r.accuracy_delta.value is None and r.verdict.verdict == "inconclusive"
    assert r.verdict.reason.endswith(
        "(accuracy unknown: no judged unrated event of B could be scored)"
    )
    doc = ab_document(r)
    assert doc["required_n"] is None
    assert doc["required_n_basis"]["accuracy_measured"] is False

    out = tmp_path / "out"
    res = CliRunner().invoke(
        app, ["ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--out", str(out)]
    )
    assert res.exit_code == 0, res.output
    said = json.loads((out / "ab.json").read_text())
    assert said["required_n_basis"]["accuracy_measured"] is False
    assert "no number of events decides it" not in res.stdout
    assert "no size can be projected" in res.stdout
