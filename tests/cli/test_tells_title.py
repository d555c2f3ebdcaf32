"""The tells table's title names the period's series in English: `--period day` printed
"operational tells (dayly series, ...)"."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


@pytest.mark.parametrize(("period", "series"), [("day", "daily"), ("week", "weekly")])
def test_the_title_names_the_series(tmp_path: Path, period: str, series: str) -> None:
    rows = [
        {"id": f"e{i}", "timestamp": f"{date(2026, 1, 1) + timedelta(days=i)}T10:00:00Z",
         "user_id": f"u{i % 5}", "prompt": "q", "response": "a", "rating": "up"}
        for i in range(70)
    ]  # fmt: skip
    log = tmp_path / "log.jsonl"
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    r = CliRunner().invoke(
        app, ["tells", str(log), "--period", period, "--out", str(tmp_path / "t")]
    )
    assert r.exit_code == 0, r.output
    title = " ".join(r.output.split())
    assert f"operational tells ({series} series, alpha 0.05," in title
    assert "dayly" not in title
