"""``backbone tells`` on timestamps and numbers DuckDB reads but the tells could not use, through
the real CLI: each exits 2 naming the file, the line and the column, nothing written.

Before: a timestamp past the year 9999 or before the year 1 ('20260-01-05', a year typed with
five digits; '0000-01-01') came back from DuckDB as text and raised TypeError sorting the
periods (a traceback, exit 1); 'infinity' was read as 9999-12-31 and made the series span
8,000 years of gaps, none of them at the bad line in a ticket table. A score or metric near
the float limit (1.7e308) overflowed when averaged or standardized: a traceback ('a trend
needs finite values', or the report's template on a null slope), or, at 1e300, the task index
read as flat and satisfaction_vs_task switched on for a task metric rising every week."""

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


@pytest.mark.parametrize("value", ["1.7e308", "-1e300", "1e101"])
def test_a_task_metric_too_large_to_average_is_refused_at_its_line(
    planted: Path, tmp_path: Path, value: str
) -> None:
    task = edited_csv(planted / "task_metrics.csv", tmp_path / "task.csv", 12, "value", value)
    out = tmp_path / "out"
    refused(
        tells(planted / "feedback.jsonl", out, "--task-metrics", str(task)),
        out,
        f"{task}:12: column 'value': '{value}' is out of range: a score or metric is at most "
        "1e+100 in size",
    )


def test_eval_scores_too_large_to_standardize_are_refused_at_their_lines(
    planted: Path, tmp_path: Path
) -> None:
    evals = edited_csv(planted / "evals.csv", tmp_path / "evals.csv", 5, "internal", "1.7e308")
    evals = edited_csv(evals, evals, 6, "external", "-1.7e308")
    out = tmp_path / "out"
    refused(
        tells(planted / "feedback.jsonl", out, "--evals", str(evals)),
        out,
        f"{evals}:5: column 'internal': '1.7e308' is out of range",
        f"{evals}:6: column 'external': '-1.7e308' is out of range",
    )


def test_scores_up_to_the_bound_are_read(planted: Path, tmp_path: Path) -> None:
    # the largest accepted size, alternating in sign, still gives a finite trend
    evals = tmp_path / "evals.csv"
    with evals.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["release", "timestamp", "internal", "external"])
        for i in range(8):
            w.writerow([f"r{i}", f"2026-01-{i + 5:02d}", 1e100 * (-1) ** i, 0.5 + i / 100])
    out = tmp_path / "out"
    r = tells(planted / "feedback.jsonl", out, "--evals", str(evals))
    assert r.exit_code == 0, r.output
    (gap,) = [
        t
        for t in json.loads((out / "tells.json").read_text())["tells"]
        if t["name"] == "eval_divergence"
    ]
    assert gap["available"] and gap["evidence"]["gap"]["slope"] is not None
