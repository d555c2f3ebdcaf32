"""``backbone tells`` on timestamps DuckDB reads but the tells could not use, through
the real CLI: each exits 2 naming the file, the line and the column, nothing written.

Before: a timestamp past the year 9999 or before the year 1 ('20260-01-05', a year typed with
five digits; '0000-01-01') came back from DuckDB as text and raised TypeError sorting the
periods (a traceback, exit 1); 'infinity' was read as 9999-12-31 and made the series span
8,000 years of gaps, none of them at the bad line in a ticket table."""

from __future__ import annotations

import csv
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("planted")
    r = CliRunner().invoke(app, ["synth", "tells", "--out", str(d), "--seed", "1"])
    assert r.exit_code == 0, r.output
    return d


def tells(log: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(app, ["tells", str(log), "--out", str(out), *extra])


def refused(r: Any, out: Path, *fragments: str) -> None:
    assert r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert "Traceback" not in r.output and not out.exists()
    for fragment in fragments:
        assert fragment in r.stderr, r.stderr


def edited_csv(src: Path, dst: Path, line: int, column: str, value: str) -> Path:
    """``src`` with the record on ``line`` (the header is line 1) given ``value`` in ``column``."""
    with src.open(newline="") as f:
        rows = list(csv.DictReader(f))
    rows[line - 2][column] = value
    with dst.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return dst


OUT_OF_RANGE_TIMES = ["20260-01-05T10:00:00Z", "0000-01-01", "infinity", "-infinity"]


@pytest.mark.parametrize("value", OUT_OF_RANGE_TIMES)
def test_a_ticket_time_outside_years_1_to_9999_is_refused_at_its_line(
    planted: Path, tmp_path: Path, value: str
) -> None:
    tickets = edited_csv(planted / "tickets.csv", tmp_path / "tickets.csv", 40, "timestamp", value)
    out = tmp_path / "out"
    r = tells(planted / "feedback.jsonl", out, "--tickets", str(tickets))
    refused(r, out, f"{tickets}:40: column 'timestamp': '{value}' is not a timestamp")


@pytest.mark.parametrize("value", OUT_OF_RANGE_TIMES)
def test_an_event_time_outside_years_1_to_9999_is_refused_at_its_line(
    planted: Path, tmp_path: Path, value: str
) -> None:
    lines = (planted / "feedback.jsonl").read_text().splitlines()
    event = json.loads(lines[99])
    event["timestamp"] = value
    lines[99] = json.dumps(event)
    log = tmp_path / "feedback.jsonl"
    log.write_text("\n".join(lines) + "\n")
    out = tmp_path / "out"
    refused(
        tells(log, out),
        out,
        f"{log}:100: column 'timestamp': '{value}' is not a timestamp",
    )
