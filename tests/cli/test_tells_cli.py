"""``backbone synth tells`` and ``backbone tells`` through the real CLI (typer's runner,
in-process): the planted files switch on the planted tells and raise the alarm, tables read
from CSV and Parquet alike, a missing optional table makes its tell unavailable (not on, not
counted), and bad input exits 2 naming the file, the line and the column, with nothing
written."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.support.disk_faults import full_disk_for
from tests.support.loopback import backbone_exe, cli_env

THREE = "satisfaction_vs_task,power_user_churn,ticket_shift"


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def tells(d: Path, out: Path, *extra: str) -> Any:
    return cli(
        "tells",
        str(d / "feedback.jsonl"),
        "--task-metrics",
        str(d / "task_metrics.csv"),
        "--tickets",
        str(d / "tickets.parquet"),
        "--evals",
        str(d / "evals.csv"),
        "--out",
        str(out),
        *extra,
    )


@pytest.fixture(scope="module")
def planted(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("planted")
    r = cli("synth", "tells", "--out", str(d), "--on", THREE, "--seed", "1")
    assert r.exit_code == 0, r.output
    assert "planted: satisfaction_vs_task, power_user_churn, ticket_shift" in r.output
    con = duckdb.connect()
    con.execute(
        f"COPY (SELECT * FROM read_csv('{d / 'tickets.csv'}')) TO '{d / 'tickets.parquet'}' "
        "(FORMAT parquet)"
    )
    return d


def load(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "tells.json").read_text())
    return doc


def test_three_planted_tells_raise_the_alarm(planted: Path, tmp_path: Path) -> None:
    r = tells(planted, tmp_path / "out")
    assert r.exit_code == 0, r.output
    doc = load(tmp_path / "out")
    assert doc["schema_version"] == 1
    names = [t["name"] for t in doc["tells"]]
    assert names == ["satisfaction_vs_task", "power_user_churn", "ticket_shift", "eval_divergence"]
    state = {t["name"]: t["on"] for t in doc["tells"]}
    assert state == {
        "satisfaction_vs_task": True,
        "power_user_churn": True,
        "ticket_shift": True,
        "eval_divergence": False,
    }
    assert doc["on_count"] == 3 and doc["alarm"] is True
    for t in doc["tells"]:
        assert t["available"] is True
        assert set(t) >= {"name", "on", "available", "p_value", "evidence"}
        assert (t["p_value"] <= doc["alpha"]) == t["on"]
    sat = next(t for t in doc["tells"] if t["name"] == "satisfaction_vs_task")
    assert sat["evidence"]["satisfaction"]["slope"] > 0 and not sat["evidence"]["task_improving"]
    rates = sat["series"]["satisfaction"]
    assert len(rates) == 26 and set(rates[0]) == {"value", "ci", "n"}
    churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")
    assert churn["evidence"]["power_definition"] == "the log's power-user column"
    lr = churn["evidence"]["logrank"]
    assert lr["observed_power"] > lr["expected_power"]
    tickets = next(t for t in doc["tells"] if t["name"] == "ticket_shift")
    # the varied words of the generator all landed in their buckets
    buckets = {c: v["bucket"] for c, v in tickets["evidence"]["categories"].items()}
    assert buckets["The AI was wrong"] == "wrong" and buckets["unclear"] == "vague"
    assert buckets["agreed with me and I got burned"] == "agreed_then_burned"
    assert buckets["billing"] == "other"
    assert (tmp_path / "out" / "report.html").stat().st_size > 10_000
    assert "ALARM" in r.output and "3 tell(s) on" in r.output
    # --fail-on-alarm turns the alarm into exit 1 (the files are still written)
    assert tells(planted, tmp_path / "again", "--fail-on-alarm").exit_code == 1
    assert (tmp_path / "again" / "tells.json").exists()


def test_pure_noise_switches_on_nothing(tmp_path: Path) -> None:
    d = tmp_path / "noise"
    assert cli("synth", "tells", "--out", str(d), "--seed", "1").exit_code == 0
    r = cli(
        "tells",
        str(d / "feedback.jsonl"),
        "--task-metrics",
        str(d / "task_metrics.csv"),
        "--tickets",
        str(d / "tickets.csv"),
        "--evals",
        str(d / "evals.csv"),
        "--out",
        str(tmp_path / "out"),
    )
    assert r.exit_code == 0, r.output
    doc = load(tmp_path / "out")
    assert doc["on_count"] == 0 and doc["alarm"] is False
    assert all(t["available"] and not t["on"] for t in doc["tells"])


def test_a_missing_optional_table_makes_its_tell_unavailable(planted: Path, tmp_path: Path) -> None:
    r = cli(
        "tells",
        str(planted / "feedback.jsonl"),
        "--tickets",
        str(planted / "tickets.csv"),
        "--out",
        str(tmp_path / "out"),
    )
    assert r.exit_code == 0, r.output
    doc = load(tmp_path / "out")
    by = {t["name"]: t for t in doc["tells"]}
    for name in ("satisfaction_vs_task", "eval_divergence"):
        assert by[name]["available"] is False and by[name]["on"] is False
        assert by[name]["p_value"] is None
    assert by["power_user_churn"]["on"] and by["ticket_shift"]["on"]
    assert doc["on_count"] == 2 and doc["alarm"] is False  # two of two available: no alarm
    assert "no --task-metrics table" in by["satisfaction_vs_task"]["why"]


# --- bad input: exit 2, file, line and column named, nothing written ------------------------


def _log(path: Path, weeks: list[int], bad: dict[int, object] | None = None) -> Path:
    rows = []
    for w in weeks:
        for k in range(4):
            day = 5 + 7 * w
            stamp = f"2026-{1 + (day - 1) // 31:02d}-{1 + (day - 1) % 31:02d}T10:0{k}:00Z"
            rows.append(
                {
                    "id": f"e{len(rows)}",
                    "timestamp": stamp,
                    "user_id": f"u{k}",
                    "prompt": "q",
                    "response": "a",
                    "rating": "up" if k % 2 else "down",
                }
            )
    for i, value in (bad or {}).items():
        rows[i]["timestamp"] = value  # type: ignore[assignment]
    if path.suffix == ".csv":
        with path.open("w", newline="") as f:
            writer = csv.DictWriter(f, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
    else:
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def _bad(tmp_path: Path, *args: str) -> str:
    out = tmp_path / "out"
    r = cli("tells", *args, "--out", str(out))
    assert r.exit_code == 2, r.output
    assert not out.exists()
    return str(r.stderr if hasattr(r, "stderr") else r.output)


def test_unparsable_timestamp_names_file_line_and_column(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.jsonl", list(range(8)), bad={5: "last tuesday"})
    err = _bad(tmp_path, str(log))
    assert f"{log}:6: column 'timestamp': 'last tuesday' is not a timestamp" in err


def test_a_number_among_iso_timestamps_is_one_error_at_its_line(tmp_path: Path) -> None:
    # 12345 used to be read as epoch seconds (1970): fifty "no event in the week of 1970-..."
    # gap errors followed, each naming line 1, and none naming line 11
    log = _log(tmp_path / "log.jsonl", list(range(8)), bad={10: 12345})
    out = tmp_path / "out"
    proc = subprocess.run(
        [backbone_exe(), "tells", str(log), "--out", str(out)],
        env=cli_env(),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and not out.exists()
    assert proc.stderr.strip().splitlines() == [
        f"error: {log}:11: column 'timestamp': 12345 is a number (as epoch seconds: "
        "1970-01-01 03:25:45 UTC), but 31 other timestamps in the column are dates or times "
        "written as text: write this one the same way"
    ]
    # CSV cannot tell a number from text: the same column (line 12: after the header) is
    # refused the same way
    csv_log = _log(tmp_path / "log.csv", list(range(8)), bad={10: "12345"})
    err = _bad(tmp_path, str(csv_log))
    assert f"{csv_log}:12: column 'timestamp': 12345 is a number" in err
    assert "no event in the week" not in err
    # and the other way round: one ISO date among epoch seconds
    epochs = {i: 1767607200 + 7 * 86400 * (i // 4) for i in range(32)}
    epochs[20] = "2026-02-09T10:00:00Z"
    err = _bad(tmp_path, str(_log(tmp_path / "e.jsonl", list(range(8)), bad=epochs)))
    assert (
        "e.jsonl:21: column 'timestamp': '2026-02-09T10:00:00Z' is a date or time written as "
        "text, but 31 other timestamps in the column are numbers (epoch seconds)"
    ) in err


def test_epoch_seconds_throughout_are_read_as_times(tmp_path: Path) -> None:
    # a column of numbers alone is epoch seconds, as periods.py has always read it
    weeks = {i: 1767607200 + 7 * 86400 * (i // 4) + i for i in range(32)}  # from 2026-01-05
    for path in (tmp_path / "e.jsonl", tmp_path / "e.csv"):
        _log(path, list(range(8)), bad=weeks)
        out = tmp_path / f"out-{path.suffix[1:]}"
        r = cli("tells", str(path), "--out", str(out))
        assert r.exit_code == 0, r.output
        periods = load(out)["input"]["periods"]
        assert periods == {"first": "2026-01-05", "last": "2026-02-23", "count": 8}
    # epoch milliseconds (JavaScript's Date.now()) were "not a timestamp": the same weeks
    millis = {i: t * 1000 + 250 for i, t in weeks.items()}
    path = _log(tmp_path / "ms.jsonl", list(range(8)), bad=millis)
    r = cli("tells", str(path), "--out", str(tmp_path / "out-ms"))
    assert r.exit_code == 0, r.output
    seconds = load(tmp_path / "out-jsonl")
    assert load(tmp_path / "out-ms")["tells"] == seconds["tells"]
    assert load(tmp_path / "out-ms")["input"]["periods"] == seconds["input"]["periods"]


def test_a_period_with_no_events_names_the_gap(tmp_path: Path) -> None:
    log = _log(tmp_path / "log.jsonl", [0, 1, 2, 4, 5, 6, 7])
    err = _bad(tmp_path, str(log))
    # line 13: the first event after the gap (weeks 0-2 hold 12 events)
    assert f"{log}:13: column 'timestamp': no event in the week of 2026-01-26" in err


def test_tables_with_wrong_columns_or_values_exit_2(planted: Path, tmp_path: Path) -> None:
    log = str(planted / "feedback.jsonl")
    wrong = tmp_path / "tickets.csv"
    wrong.write_text("when,kind\n2026-01-05,vague\n")
    err = _bad(tmp_path, log, "--tickets", str(wrong))
    assert f"{wrong}: no column 'timestamp', 'category' (columns: when, kind)" in err
    evals = tmp_path / "evals.csv"
    evals.write_text(
        "release,timestamp,internal,external\nr1,2026-01-05,70,0.6\nr2,2026-01-12,high,0.6\n"
    )
    err = _bad(tmp_path, log, "--evals", str(evals))
    assert f"{evals}:3: column 'internal': 'high' is not a number" in err
    task = tmp_path / "task.csv"
    lines = (
        ["timestamp,metric,value"]
        + [f"2026-01-{5 + 7 * w:02d},accuracy,0.8" for w in range(4)]
        + [f"2026-01-{5 + 7 * w:02d},dispute_rate,0.1" for w in (0, 1, 3)]
    )
    task.write_text("\n".join(lines) + "\n")
    err = _bad(tmp_path, log, "--task-metrics", str(task))
    assert "metric 'dispute_rate'" in err and "no value in the week of 2026-01-19" in err
    # a table's timestamps keep to one form too: 12345 among dates is not a week in 1970
    task.write_text("\n".join([*lines[:4], "12345,accuracy,0.8", *lines[4:]]) + "\n")
    err = _bad(tmp_path, log, "--task-metrics", str(task))
    assert f"{task}:5: column 'timestamp': 12345 is a number (as epoch seconds: 1970" in err
    assert "no value in the week" not in err


def test_bad_options_exit_2(planted: Path, tmp_path: Path) -> None:
    log = str(planted / "feedback.jsonl")
    assert "'month': expected day or week" in _bad(tmp_path, log, "--period", "month")
    err = _bad(tmp_path, log, "--tickets", str(planted / "tickets.csv"), "--ticket-map", "x=y")
    assert "unknown bucket 'y'" in err
    assert "expected 0 < alpha < 1" in _bad(tmp_path, log, "--alpha", "1.5")
    assert "expected 1 or more periods" in _bad(tmp_path, log, "--active-window", "0")
    r = cli("synth", "tells", "--out", str(tmp_path / "s"), "--on", "vibes")
    assert r.exit_code == 2 and not (tmp_path / "s").exists()


def test_more_gaps_than_are_listed_are_counted(tmp_path: Path) -> None:
    log = tmp_path / "log.jsonl"
    rows = [
        {"id": f"e{i}", "timestamp": stamp, "user_id": "u", "prompt": "q", "response": "a",
         "rating": "up"}
        for i, stamp in enumerate(["2026-01-05T10:00:00Z", "2027-04-05T10:00:00Z"])
    ]  # fmt: skip
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    err = " ".join(_bad(tmp_path, str(log)).split())
    # 64 empty weeks between the two: fifty named, the rest counted
    assert err.count("no event in the week of") == 50
    assert f"{log}: ... and 14 more periods like these" in err


def test_a_full_disk_on_the_second_file_writes_neither(
    planted: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """report.html is written first; when tells.json cannot be, the old report stays."""
    out = tmp_path / "out"
    assert tells(planted, out).exit_code == 0
    old = {name: (out / name).stat().st_ino for name in ("report.html", "tells.json")}
    full_disk_for(monkeypatch, "tells.json")
    r = tells(planted, out)
    assert r.exit_code == 2, r.output
    assert f"error: {out / 'tells.json'}: cannot write: No space left on device" in r.output
    assert "Traceback" not in r.output and isinstance(r.exception, SystemExit)
    assert {p.name: p.stat().st_ino for p in out.iterdir()} == old  # no new file, no .tmp
    fresh = tmp_path / "fresh"
    assert tells(planted, fresh).exit_code == 2
    assert not fresh.exists() or list(fresh.iterdir()) == []


def test_a_directory_where_tells_json_goes_is_refused_with_nothing_written(
    planted: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    (out / "tells.json").mkdir(parents=True)
    r = tells(planted, out)
    assert r.exit_code == 2, r.output
    assert f"error: {out / 'tells.json'}: cannot write: it is a directory" in r.output
    assert [p.name for p in out.iterdir()] == ["tells.json"]


def test_synth_tells_on_a_full_disk_writes_none_of_its_four_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    full_disk_for(monkeypatch, "tickets.csv")  # the third of the four
    out = tmp_path / "demo"
    r = cli("synth", "tells", "--out", str(out), "--seed", "1")
    assert r.exit_code == 2, r.output
    assert f"error: {out / 'tickets.csv'}: cannot write: No space left on device" in r.output
    assert not out.exists() or list(out.iterdir()) == []


def _bare_rates(node: Any, path: str = "") -> list[str]:
    """Every ``*_share`` / ``*_rate`` value in the document that is a bare number (or null)
    rather than a ``{"value", "ci", "n"}`` rate (a user's own metric named ``*_rate`` holds a
    series or a trend, not a number, and is not one)."""
    found: list[str] = []
    if isinstance(node, dict):
        for k, v in node.items():
            here = f"{path}.{k}"
            bare = v is None or (isinstance(v, int | float) and not isinstance(v, bool))
            if k.endswith(("_share", "_rate")) and bare:
                found.append(f"{here} = {v!r}")
            found += _bare_rates(v, here)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            found += _bare_rates(v, f"{path}[{i}]")
    return found


def test_every_share_in_tells_json_is_a_rate_with_its_interval_and_n(
    planted: Path, tmp_path: Path
) -> None:
    """PRODUCT.md: every rate has its interval and n. The churn tell's per-group churn share
    was a bare float; it is ``{"value", "ci", "n"}`` with n the group's users."""
    assert tells(planted, tmp_path / "out").exit_code == 0
    doc = load(tmp_path / "out")
    assert _bare_rates(doc) == []
    churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")["evidence"]
    for group in ("power", "casual"):
        g = churn[group]
        share = g["churn_share"]
        assert set(share) == {"value", "ci", "n"}
        assert share["n"] == g["users"] and share["value"] == g["churned"] / g["users"]
        low, high = share["ci"]
        assert 0.0 <= low <= share["value"] <= high <= 1.0
