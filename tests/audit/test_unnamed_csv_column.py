"""A CSV log whose header leaves a column unnamed (pandas' ``df.to_csv()`` writes its index
so: ``,id,prompt,...``) was refused by audit, ab, audit-channels and tells (and the tells'
tables) with DuckDB's own words, "Binder Error: No function matches the given name and
argument types 'struct_pack(STRING_LITERAL, ...)'", naming no column. The unnamed column is
now read as ``column{i}`` (its 0-based place), like any other extra column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.audit.source import open_source
from backbone.cli.app import app
from backbone.core.errors import InputError

JUDGE = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def pandas_csv(path: Path, columns: list[str], rows: list[list[Any]]) -> Path:
    """A CSV as pandas writes a frame with its index: the first header cell empty."""
    lines = ["," + ",".join(columns)]
    lines += [",".join([str(i), *(str(v) for v in row)]) for i, row in enumerate(rows)]
    path.write_text("\n".join(lines) + "\n")
    return path


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def test_the_index_column_is_named_by_its_place(tmp_path: Path) -> None:
    log = pandas_csv(tmp_path / "log.csv", ["id", "prompt"], [["a", "q"]])
    source = open_source(log)
    try:
        assert source.user_columns == ["column0", "id", "prompt"]
    finally:
        source.close()


def test_audit_ab_and_channels_read_a_pandas_csv(tmp_path: Path) -> None:
    cols = ["id", "prompt", "response", "rating", "arm", "correct", "disagreed"]
    rows = [
        [f"e{i}", f"q{i}", f"a{i}", "up" if i % 3 else "down", "AB"[i % 2], i % 4 > 0, "yes"]
        for i in range(12)
    ]
    log = pandas_csv(tmp_path / "log.csv", cols, rows)
    audit = cli("audit", str(log), "--judge", JUDGE, "--out", str(tmp_path / "a"), "-q")
    assert audit.exit_code == 0, audit.output
    doc = json.loads((tmp_path / "a" / "audit.json").read_text())
    assert doc["input"]["rows"] == 12
    ab = cli(
        "ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--out", str(tmp_path / "b"), "-q"
    )
    assert ab.exit_code == 0, ab.output
    channels = cli("audit-channels", str(log), "--judge", JUDGE, "--out", str(tmp_path / "c"), "-q")
    assert channels.exit_code == 0, channels.output


def test_tells_reads_a_pandas_csv_table(tmp_path: Path) -> None:
    events = [
        [f"e{i}", f"2026-01-{1 + i % 28:02d}T10:00:00Z", f"u{i % 5}", "q", "a", "up"]
        for i in range(56)
    ]
    log = pandas_csv(
        tmp_path / "log.csv", ["id", "timestamp", "user_id", "prompt", "response", "rating"], events
    )
    tickets = pandas_csv(
        tmp_path / "tickets.csv",
        ["timestamp", "category"],
        [[f"2026-01-{d:02d}", "vague" if d % 2 else "wrong"] for d in range(1, 29)],
    )
    out = tmp_path / "t"
    r = cli("tells", str(log), "--tickets", str(tickets), "--period", "day", "--out", str(out))
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "t" / "tells.json").read_text())
    (shift,) = [t for t in doc["tells"] if t["name"] == "ticket_shift"]
    assert shift["available"] is True and shift["evidence"]["tickets"] == 28


def test_an_unnamed_column_whose_name_is_taken_is_named_in_the_error(tmp_path: Path) -> None:
    log = pandas_csv(tmp_path / "log.csv", ["column0", "id"], [["x", "a"]])
    with pytest.raises(InputError) as caught:
        open_source(log)
    assert str(caught.value.problems[0]) == (
        f"{log}:1: column 1 of the header has no name, and the name it would get, 'column0', "
        "is another column's: name it"
    )
