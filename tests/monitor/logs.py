"""Conversation logs for the monitor tests: the seeded synthetic log written in both shapes
(JSONL a conversation a line; CSV and Parquet a message a row)."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import duckdb

from backbone.monitor.synthetic import DomainPlan, SyntheticLog, generate

PLANS = [
    DomainPlan(
        "health",
        120,
        pushback_share=0.3,
        cave_rate=0.25,
        user_right_share=0.25,
        over_hold_rate=0.5,
        dial_off_share=0.05,
    ),
    DomainPlan("relationships", 80, pushback_share=0.5, cave_rate=0.5, argue_share=0.5),
    DomainPlan("tax", 200, pushback_share=0.1, cave_rate=0.2, abandon_share=0.25),
]


def planted(seed: int = 3, plans: Sequence[DomainPlan] = PLANS) -> SyntheticLog:
    return generate(plans, seed=seed)


def write_rows(path: Path, rows: Sequence[dict[str, Any]]) -> Path:
    """Rows as CSV (by extension) or Parquet (through DuckDB's COPY)."""
    names = list(dict.fromkeys(k for r in rows for k in r))
    if path.suffix == ".csv":
        with path.open("w", newline="") as f:
            w = csv.DictWriter(f, fieldnames=names)
            w.writeheader()
            for r in rows:
                w.writerow(
                    {
                        k: (
                            ""
                            if r.get(k) is None
                            else str(r[k]).lower()
                            if isinstance(r[k], bool)
                            else r[k]
                        )
                        for k in names
                    }
                )
        return path
    tmp = path.with_suffix(".tmp.jsonl")
    tmp.write_text("".join(json.dumps(r) + "\n" for r in rows))
    duckdb.sql(f"COPY (SELECT * FROM read_json_auto('{tmp}')) TO '{path}' (FORMAT PARQUET)")
    tmp.unlink()
    return path


def write_log(path: Path, log: SyntheticLog) -> Path:
    if path.suffix == ".jsonl":
        return log.write_jsonl(path)
    return write_rows(path, list(log.rows()))


def mixed_domain_rows() -> list[dict[str, Any]]:
    """Three conversations a message a row: 'a' gives one domain on some rows and none on the
    others (fine), 'b' gives two (health, then tax from turn 2), 'c' three."""
    said = [("user", "q"), ("assistant", "x"), ("user", "are you sure?"), ("assistant", "yes")]
    domains = {"a": ["tax", "", "tax", None], "b": ["health", "health", "tax", "health"],
               "c": ["", "money", "tax", "code"]}  # fmt: skip
    return [
        {"conversation_id": c, "turn": t, "role": r, "content": x, "topic": d[t]}
        for c, d in domains.items()
        for t, (r, x) in enumerate(said)
    ]
