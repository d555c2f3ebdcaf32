"""The side tables of ``backbone tells`` (``--task-metrics``, ``--tickets``) are counted and
averaged per period inside DuckDB, through the real CLI with real files: the planted tables
give the figures computed here from the files themselves (every mean, count and category, to
the last bit), reading a long table costs no Python memory per row, and ``--memory-limit``
holds on the log and on every table (a value that is no size, and a limit a table outgrows,
each exit 2 naming what failed, nothing written).

Before: each table came back as one Python dict per record (about 0.9 GB a million rows: ten
million rows of per-request task metrics ran out of memory), and ``tells`` had no
``--memory-limit``."""

from __future__ import annotations

import csv
import datetime as dt
import json
import math
import random
import tracemalloc
from collections import defaultdict
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pytest
from typer.testing import CliRunner

from backbone.audit.tells.satisfaction import LOWER_IS_BETTER, task_index
from backbone.audit.tells.tickets import BUCKETS, TicketMapper
from backbone.audit.tells.trend import trend_test
from backbone.cli.app import app
from backbone.evaluation.tells import run_tells

THREE = "satisfaction_vs_task,power_user_churn,ticket_shift"
START = dt.date(2026, 1, 5)  # the planted series' first Monday


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("planted")
    r = CliRunner().invoke(app, ["synth", "tells", "--out", str(d), "--on", THREE, "--seed", "1"])
    assert r.exit_code == 0, r.output
    duckdb.execute(
        f"COPY (SELECT * FROM read_json_auto('{d / 'feedback.jsonl'}')) "
        f"TO '{d / 'feedback.parquet'}' (FORMAT parquet)"
    )
    return d


def tells(log: Path, out: Path, *extra: str) -> Any:
    return CliRunner().invoke(app, ["tells", str(log), "--out", str(out), *extra])


def tells_json(out: Path) -> dict[str, Any]:
    doc = json.loads((out / "tells.json").read_text())
    return {t["name"]: t for t in doc["tells"]}


def monday(stamp: str) -> dt.date:
    day = dt.datetime.fromisoformat(stamp).astimezone(dt.UTC).date()
    return day - dt.timedelta(days=day.weekday())


def csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="") as f:
        return list(csv.DictReader(f))


def weekly_values(path: Path) -> dict[str, dict[dt.date, list[float]]]:
    """Each metric's values per week, in file order."""
    out: dict[str, dict[dt.date, list[float]]] = defaultdict(lambda: defaultdict(list))
    for row in csv_rows(path):
        out[row["metric"]][monday(row["timestamp"])].append(float(row["value"]))
    return out


def series(per_week: dict[dt.date, float]) -> list[float]:
    return [per_week[w] for w in sorted(per_week)]


def test_the_planted_tables_give_the_figures_computed_from_them(
    planted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    r = tells(
        planted / "feedback.jsonl",
        out,
        "--task-metrics",
        str(planted / "task_metrics.csv"),
        "--tickets",
        str(planted / "tickets.csv"),
    )
    assert r.exit_code == 0, r.output
    got = tells_json(out)
    # task metrics: each metric's mean per week (seven days a week: numpy's mean, as before)
    values = weekly_values(planted / "task_metrics.csv")
    means = {m: series({w: float(np.mean(v)) for w, v in by.items()}) for m, by in values.items()}
    sat = got["satisfaction_vs_task"]
    assert sat["series"]["task_metrics"] == means
    assert sat["series"]["task_periods"] == [w.isoformat() for w in sorted(values["accuracy"])]
    assert sat["series"]["task_index"] == task_index(means)
    assert sat["evidence"]["task_index"] == trend_test(task_index(means)).as_json()
    for m, s in means.items():
        lower = m in LOWER_IS_BETTER
        direction = "down" if lower else "up"
        expected = {**trend_test(s, direction=direction).as_json(), "lower_is_better": lower}
        assert sat["evidence"]["metrics"][m] == expected
    assert sat["on"] is True
    # tickets: counts per week and bucket, the categories in order of tickets, then of first
    mapper = TicketMapper.build([])
    counts: dict[dt.date, dict[str, int]] = defaultdict(lambda: dict.fromkeys(BUCKETS, 0))
    categories: dict[str, dict[str, Any]] = {}
    for row in csv_rows(planted / "tickets.csv"):
        bucket = mapper.bucket(row["category"])
        counts[monday(row["timestamp"])][bucket] += 1
        categories.setdefault(row["category"], {"bucket": bucket, "tickets": 0})["tickets"] += 1
    shift = got["ticket_shift"]
    assert shift["series"]["counts"] == series(counts)
    ranked = sorted(categories.items(), key=lambda kv: -kv[1]["tickets"])
    assert list(shift["evidence"]["categories"].items()) == ranked
    shares = [(c["vague"] + c["agreed_then_burned"]) / sum(c.values()) for c in series(counts)]
    assert shift["evidence"]["share"] == trend_test(shares).as_json()
    assert shift["evidence"]["tickets"] == len(csv_rows(planted / "tickets.csv"))
    assert shift["on"] is True


def test_a_week_of_many_values_is_averaged_by_its_compensated_sum(
    planted: Path, tmp_path: Path
) -> None:
    # per-request metrics: 1 to 12 values an hour, shuffled; a week's mean is the correctly
    # rounded sum over the count (numpy's pairwise sum may differ in the last bit), the same
    # from a CSV and from Parquet
    rnd = random.Random(7)
    rows = []
    for hour in range(26 * 7 * 24):
        at = dt.datetime.combine(START, dt.time(), dt.UTC) + dt.timedelta(hours=hour)
        for metric, base in (("accuracy", 0.8), ("closure_rate", 0.6), ("dispute_rate", 0.1)):
            for k in range(rnd.randint(1, 12)):
                stamp = (at + dt.timedelta(minutes=k)).isoformat()
                rows.append([stamp, metric, f"{base + rnd.gauss(0, 0.05):.6f}"])
    rnd.shuffle(rows)
    table = tmp_path / "task.csv"
    with table.open("w", newline="") as f:
        csv.writer(f).writerows([["timestamp", "metric", "value"], *rows])
    duckdb.execute(f"COPY (FROM read_csv('{table}')) TO '{tmp_path / 'task.parquet'}'")
    values = weekly_values(table)
    sums = {
        m: series({w: math.fsum(v) / len(v) for w, v in by.items()}) for m, by in values.items()
    }
    for path in (table, tmp_path / "task.parquet"):
        out = tmp_path / path.suffix[1:]
        r = tells(planted / "feedback.jsonl", out, "--task-metrics", str(path))
        assert r.exit_code == 0, r.output
        sat = tells_json(out)["satisfaction_vs_task"]
        assert sat["series"]["task_metrics"] == sums, path
        assert sat["series"]["task_index"] == task_index(sums)
        for m, by in values.items():  # within rounding of numpy's mean
            pairwise = series({w: float(np.mean(v)) for w, v in by.items()})
            assert sums[m] == pytest.approx(pairwise, rel=1e-15, abs=0)


def long_table(path: Path, rows: int, weeks: int = 26) -> Path:
    """A per-request table: every column the task metrics, tickets and evals need, over the
    planted log's weeks."""
    duckdb.execute(
        f"""COPY (SELECT 'r' || i AS release,
                 strftime(TIMESTAMP '{START}' + to_seconds((i * 7919) % ({weeks} * 604800)),
                          '%Y-%m-%dT%H:%M:%SZ') AS timestamp,
                 ['accuracy', 'closure_rate', 'dispute_rate'][1 + (i % 3)::INT] AS metric,
                 round(0.5 + (hash(i) % 10000) / 100000.0, 5) AS value,
                 ['wrong', 'vague', 'billing'][1 + (i % 3)::INT] AS category,
                 70 + i % 7 AS internal, 0.6 AS external
          FROM range({rows}) t(i)) TO '{path}' (HEADER)"""
    )
    return path


def test_a_long_table_costs_no_python_memory_per_row(planted: Path, tmp_path: Path) -> None:
    # 300,000 rows of task metrics and as many tickets, as dicts, were over 300 MB of Python
    # objects at the peak; counted in DuckDB, Python holds the cells (3 metrics x 26 weeks,
    # 3 categories x 26 weeks)
    table = long_table(tmp_path / "long.csv", 300_000)
    log = planted / "feedback.parquet"  # the planted tables first: what is imported on
    run_tells(log, task_metrics=planted / "task_metrics.csv", tickets=planted / "tickets.csv")
    tracemalloc.start()  # first use is not counted

    try:
        tracemalloc.reset_peak()
        result = run_tells(log, task_metrics=table, tickets=table, period="week")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    sat = result.tell("satisfaction_vs_task")
    assert sat.available and len(sat.series["task_metrics"]["accuracy"]) == 26
    assert result.tell("ticket_shift").evidence["tickets"] == 300_000
    assert peak < 10e6, f"{peak / 1e6:.0f} MB of Python memory"  # 0.6 MB; before, 342 MB


def test_the_memory_limit_holds_on_the_log_and_every_table(planted: Path, tmp_path: Path) -> None:
    log = planted / "feedback.parquet"
    # a value that is no size: exit 2 before anything is read
    out = tmp_path / "bad"
    r = tells(log, out, "--memory-limit", "lots")
    assert r.exit_code == 2 and not out.exists(), r.output
    assert "error: --memory-limit: 'lots' is not a memory size such as 2GB or 512MB" in " ".join(
        r.output.split()
    )
    # in force on each table: the log fits in 8 MB, a 20 MB table does not (exit 2 naming
    # the table, no traceback, nothing written); without the limit the same table is read
    table = long_table(tmp_path / "long.csv", 500_000)
    assert table.stat().st_size > 20e6
    for flag in ("--task-metrics", "--tickets", "--evals"):
        out = tmp_path / flag.strip("-")
        r = tells(log, out, flag, str(table), "--memory-limit", "8MB")
        said = " ".join(r.output.split())
        assert r.exit_code == 2, r.output
        assert f"error: {table}: Out of Memory Error" in said
        assert "Traceback" not in r.output and not out.exists()
        assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    r = tells(log, tmp_path / "roomy", "--task-metrics", str(table))
    assert r.exit_code == 0, r.output
    # and on the log: its JSONL reader needs more than 8 MB
    jsonl = planted / "feedback.jsonl"
    r = tells(jsonl, tmp_path / "log", "--memory-limit", "8MB")
    assert r.exit_code == 2 and not (tmp_path / "log").exists(), r.output
    assert f"error: {jsonl}: Out of Memory Error" in " ".join(r.output.split())
