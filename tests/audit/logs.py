"""Planted feedback logs for the audit tests, written as JSONL, CSV or Parquet."""

from __future__ import annotations

import csv
import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb


def planted_rows(
    cells: Mapping[tuple[str, Any], tuple[int, int]], *, prefix: str = "e"
) -> list[dict[str, Any]]:
    """Rows with exact planted counts: ``cells[(rating, task)] = (events, correct)``.

    The correct events of a cell are spread through it (every k-th), ids are unique, and
    every row carries its planted ``truth``.
    """
    rows: list[dict[str, Any]] = []
    i = 0
    for (rating, task), (events, correct) in cells.items():
        for k in range(events):
            truth = (k * correct) // events != ((k + 1) * correct) // events
            row: dict[str, Any] = {
                "id": f"{prefix}{i}",
                "timestamp": f"2025-01-{1 + i % 28:02d}T10:00:00",
                "user_id": f"u{i % 37}",
                "prompt": f"question {i}?",
                "response": f"answer {i}.",
                "rating": rating,
                "truth": truth,
            }
            if task is not None:
                row["task"] = task
            rows.append(row)
            i += 1
    return rows


def write_jsonl(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def write_csv(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    names = list(dict.fromkeys(k for r in rows for k in r))
    with path.open("w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=names)
        w.writeheader()
        for r in rows:
            w.writerow({k: ("" if r.get(k) is None else _cell(r[k])) for k in names})
    return path


def _cell(v: Any) -> str:
    return ("true" if v else "false") if isinstance(v, bool) else str(v)


def write_parquet(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    tmp = path.with_suffix(".tmp.jsonl")
    write_jsonl(tmp, rows)
    con = duckdb.connect()
    con.execute(f"COPY (SELECT * FROM read_json_auto('{tmp}')) TO '{path}' (FORMAT parquet)")
    con.close()
    tmp.unlink()
    return path


def write(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    writer = {".jsonl": write_jsonl, ".csv": write_csv, ".parquet": write_parquet}[path.suffix]
    return writer(path, rows)


def forty_events(path: Path, *, control: str | None = None) -> Path:
    """A JSONL log of 40 events, every other one thumbs-down, five users; with ``control``, an
    ``arm`` column too (``control`` and ``treatment`` in turns of two): the small log the
    report and terminal tests feed a judge that fails in some way."""
    rows = [
        {
            "id": f"e-{i}",
            "timestamp": "2026-01-01T00:00:00Z",
            "user_id": f"u{i % 5}",
            "prompt": "q",
            "response": "a",
            "rating": "down" if i % 2 else "up",
            **({"arm": control if i % 4 < 2 else "treatment"} if control is not None else {}),
        }
        for i in range(40)
    ]
    return write_jsonl(path, rows)


# 3,000 events: a rating (30% down, 10% unrated), a task segment (a third of them NULL), and
# the planted truth the judge reads (60% correct)
_EVENTS = """
COPY (
  SELECT 'evt-' || i AS id, 'question ' || i || '?' AS prompt, 'answer ' || i AS response,
         CASE WHEN hash(i) % 10 < 3 THEN 'down' WHEN hash(i) % 10 = 3 THEN '' ELSE 'up' END
           AS rating,
         ['math', 'code', NULL][1 + (i % 3)::INT] AS task,
         hash(i * 7) % 10 < 6 AS truth, i % 997 AS latency_ms
  FROM range(3000) t(i)
) TO '{path}' (FORMAT parquet)
"""


def write_events(path: Path) -> Path:
    """The engine tests' Parquet log of 3,000 rated events, written to ``path``."""
    duckdb.sql(_EVENTS.format(path=path))
    return path
