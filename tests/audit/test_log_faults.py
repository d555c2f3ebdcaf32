"""Feedback logs that used to get a wrong message or no message at all, through the real CLI:
each exits 2 naming the file and what is wrong, with no traceback and nothing written."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.feedback_log import open_log
from backbone.audit.judging import read_reply
from backbone.core.errors import InputError
from tests.audit.logs import planted_rows, write
from tests.support.loopback import backbone_here, cli_env

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.audit.planted_judge:truth"
CELLS = {("down", None): (20, 5), ("up", None): (40, 30)}


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in ``cwd``, in this process (none of these tests is about the
    process: a subprocess each cost the file 1-2 s of CPU)."""
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the planted judge module
    return backbone_here(list(args), env=env, cwd=cwd)


def refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def renamed(rows: list[dict[str, Any]], old: str, new: str) -> list[dict[str, Any]]:
    return [{(new if k == old else k): v for k, v in r.items()} for r in rows]


def daily(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Spread the rows over ten days (for the tells) with two arms (for ab)."""
    return [
        {**r, "timestamp": f"2025-01-{1 + i % 10:02d}T10:00:00", "arm": "AB"[i % 2]}
        for i, r in enumerate(rows)
    ]


COMMANDS = {
    "audit": ["audit", "log.jsonl", "--judge", JUDGE, "-q"],
    "ab": ["ab", "log.jsonl", "--arm-column", "arm", "--judge", JUDGE, "-q"],
    "tells": ["tells", "log.jsonl", "--period", "day"],
}


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_jsonl_log_whose_rating_field_has_another_name(tmp_path: Path, command: str) -> None:
    # was "no rated events: all 60 records have an empty or neutral rating" (a CSV without
    # the column was named as such)
    rows = renamed(daily(planted_rows(CELLS)), "rating", "thumbs")
    write(tmp_path / "log.jsonl", rows)
    proc = backbone(*COMMANDS[command], "--out", "out", cwd=tmp_path)
    refused(
        proc,
        "error: log.jsonl: no record has a 'rating' field (fields seen: id, timestamp, user_id, "
        "prompt, response, thumbs, truth, arm); map yours with --map rating=FIELD",
    )
    assert "no rated events" not in proc.stderr
    assert not (tmp_path / "out").exists()
    proc = backbone(*COMMANDS[command], "--out", "out", "--map", "rating=thumb", cwd=tmp_path)
    refused(proc, "error: log.jsonl: no record has a 'thumb' field for field 'rating'")
    proc = backbone(*COMMANDS[command], "--out", "out", "--map", "rating=thumbs", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr


def test_a_map_to_a_field_no_jsonl_record_has_is_named_as_in_a_csv(tmp_path: Path) -> None:
    # a JSONL log took --map timestamp=when silently (every timestamp null) where the same
    # log as CSV exits 2
    rows = planted_rows(CELLS)
    for name in ("log.jsonl", "log.csv"):
        write(tmp_path / name, rows)
        proc = backbone(
            "audit",
            name,
            "--judge",
            JUDGE,
            "--map",
            "timestamp=when",
            "--map",
            "user_id=who",
            "--out",
            "out",
            "-q",
            cwd=tmp_path,
        )
        refused(proc, f"error: {name}: no ", "'when'", "for field 'timestamp'", "'who'")
        assert not (tmp_path / "out").exists()


def test_a_rating_field_that_every_record_has_empty_is_still_no_rated_events(
    tmp_path: Path,
) -> None:
    log = write(tmp_path / "log.jsonl", [{**r, "rating": None} for r in planted_rows(CELLS)])
    with pytest.raises(InputError) as exc:
        open_log(log)
    assert [p.message for p in exc.value.problems] == [
        "no rated events: all 60 records have an empty or neutral rating"
    ]
    # and a field some records have is read where they have it
    rows = [{**r, "rating": None} if i % 2 else r for i, r in enumerate(planted_rows(CELLS))]
    rows = [{k: v for k, v in r.items() if v is not None} for r in rows]
    with open_log(write(tmp_path / "half.jsonl", rows)) as log_half:
        assert (log_half.info.rated, log_half.info.unrated) == (30, 30)


def test_channels_map_to_a_field_no_jsonl_record_has(tmp_path: Path) -> None:
    # --map disagreed=pushbak (a typo) on JSONL judged nothing and wrote an empty queue, exit
    # 0; the same map on CSV exits 2
    rows = [
        {**r, "experience": "good", "pushback": "yes" if i % 3 == 0 else "no"}
        for i, r in enumerate(planted_rows(CELLS))
    ]
    for r in rows:
        del r["rating"]
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = backbone(
        "audit-channels",
        "log.jsonl",
        "--judge",
        JUDGE,
        "--map",
        "disagreed=pushbak",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    refused(proc, "error: log.jsonl: no record has a 'pushbak' field for field 'disagreed'")
    assert not (tmp_path / "out").exists()
    proc = backbone(
        "audit-channels",
        "log.jsonl",
        "--judge",
        JUDGE,
        "--map",
        "disagreed=pushback",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "out" / "channels.json").read_text())["disagree"]["events"] == 20


def test_tells_power_user_map_to_a_column_the_log_lacks(tmp_path: Path) -> None:
    # --map power_user=is_power (no such column) fell back to the top decile by activity
    # without a word, and --map power_user= (no column at all) was taken too
    rows = [{**r, "power": i % 10 == 0} for i, r in enumerate(daily(planted_rows(CELLS)))]
    for name in ("log.jsonl", "log.csv"):
        write(tmp_path / name, rows)
        args = ["tells", name, "--period", "day", "--out", "out"]
        proc = backbone(*args, "--map", "power_user=is_power", cwd=tmp_path)
        refused(proc, f"error: {name}: no ", "'is_power'", "for --map power_user=is_power")
        refused(backbone(*args, "--map", "power_user=", cwd=tmp_path), "'power_user=': expected")
        assert not (tmp_path / "out").exists()
        proc = backbone(*args, "--map", "power_user=power", cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        doc = json.loads((tmp_path / "out" / "tells.json").read_text())
        churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")
        assert churn["evidence"]["power_definition"] == "the log's power-user column"
        (tmp_path / "out" / "tells.json").unlink()
        (tmp_path / "out" / "report.html").unlink()
        (tmp_path / "out").rmdir()


def test_tells_lower_is_better_names_a_metric_the_table_lacks(tmp_path: Path) -> None:
    # --lower-is-better complaint-rate (the table says complaint_rate) was taken silently; the
    # names given replace the default, so dispute_rate and complaint_rate both counted as
    # higher-is-better
    write(tmp_path / "log.jsonl", daily(planted_rows(CELLS)))
    (tmp_path / "task.csv").write_text(
        "timestamp,metric,value\n"
        + "".join(
            f"2025-01-{d:02d}T12:00:00,{m},{v}\n"
            for d in range(1, 11)
            for m, v in (("accuracy", 0.8), ("dispute_rate", 0.1), ("complaint_rate", 0.05))
        )
    )
    args = ["tells", "log.jsonl", "--task-metrics", "task.csv", "--period", "day", "--out", "out"]
    proc = backbone(*args, "--lower-is-better", "complaint-rate", cwd=tmp_path)
    refused(
        proc,
        "error: --lower-is-better: 'complaint-rate': no such metric in task.csv (metrics: "
        "accuracy, complaint_rate, dispute_rate)",
    )
    assert not (tmp_path / "out").exists()
    ok = [*args, "--lower-is-better", "complaint_rate", "--lower-is-better", "dispute_rate"]
    assert backbone(*ok, cwd=tmp_path).returncode == 0
    doc = json.loads((tmp_path / "out" / "tells.json").read_text())
    sat = next(t for t in doc["tells"] if t["name"] == "satisfaction_vs_task")
    assert sat["evidence"]["lower_is_better"] == ["complaint_rate", "dispute_rate"]


def test_channels_map_of_one_field_twice(tmp_path: Path) -> None:
    # the last --map disagreed=... silently won (the audit's --map says "mapped twice")
    rows = [{**r, "disagreed": "yes", "pushback": "no"} for r in planted_rows(CELLS)]
    write(tmp_path / "log.jsonl", rows)
    proc = backbone(
        "audit-channels",
        "log.jsonl",
        "--judge",
        JUDGE,
        "--map",
        "disagreed=disagreed",
        "--map",
        "disagreed=pushback",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    refused(proc, "error: --map: 'disagreed=pushback': field 'disagreed' mapped twice")
    assert not (tmp_path / "out").exists()


def test_a_whole_log_with_unscored_judgments_is_not_called_exact(tmp_path: Path) -> None:
    # every event judged, 3 of the 20 thumbs-down unscored (the judge raised): the interval
    # is an estimate's (not a point), but the terminal said "[exact: whole log judged]"
    rows = [
        {**r, "misbehave": "raise" if r["rating"] == "down" and i % 7 == 0 else None}
        for i, r in enumerate(planted_rows(CELLS))
    ]
    write(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:strict_truth"
    proc = backbone("audit", "log.jsonl", "--judge", judge, "--out", "out", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert doc["whole_log"] is True and doc["grid"]["down"]["unscored"] == 3
    lo, hi = doc["unwelcome_correct_share"]["ci"]
    assert lo < hi
    assert "exact" not in proc.stdout
    assert "[whole log judged, 3 unscored: estimated]" in proc.stdout


def test_a_csv_log_with_a_long_reply(tmp_path: Path) -> None:
    # a 3 MB reply: DuckDB's 2 MB line limit refused the file, then naming its line raised
    # _csv.Error (field larger than field limit) from Python's csv module: a traceback; a
    # 200 KB reply before a bad record did the same when the bad record was named
    rows = planted_rows(CELLS)
    rows[3]["response"] = "y" * 3_000_000
    write(tmp_path / "log.csv", rows)
    proc = backbone("audit", "log.csv", "--judge", JUDGE, "--out", "out", "-q", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert json.loads((tmp_path / "out" / "audit.json").read_text())["counts"]["rated"] == 60
    rows[3]["response"] = "y" * 200_000
    rows[10]["rating"] = "meh"
    write(tmp_path / "bad.csv", rows)
    proc = backbone("audit", "bad.csv", "--judge", JUDGE, "--out", "out2", "-q", cwd=tmp_path)
    refused(proc, "error: bad.csv:12: rating 'meh' is not 'up' or 'down'")
    assert not (tmp_path / "out2").exists()


def test_channels_signals_in_a_float_column(tmp_path: Path) -> None:
    # pandas writes an int column with gaps as float64: disagreed 1.0 / 0.0 and experience
    # 1.0 / -1.0 were each "'1.0' is not yes or no" (exit 2) where 1 and 0 are synonyms
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = planted_rows(CELLS)
    table = pa.table(
        {
            "id": [r["id"] for r in rows],
            "prompt": [r["prompt"] for r in rows],
            "response": [r["response"] for r in rows],
            "truth": [r["truth"] for r in rows],
            "disagreed": pa.array([(1.0, 0.0, None)[i % 3] for i in range(60)], pa.float64()),
            "experience": pa.array([(1.0, -1.0, None)[i % 3] for i in range(60)], pa.float64()),
            "was_correct": pa.array([(1.0, 0.0, 2.0)[i % 3] for i in range(59)] + [None]),
        }
    )
    pq.write_table(table, tmp_path / "log.parquet")
    args = ["audit-channels", "log.parquet", "--judge", JUDGE, "--out", "out", "-q"]
    refused(backbone(*args, cwd=tmp_path), "was_correct '2.0' is not yes, no or unsure")
    pq.write_table(
        table.set_column(6, "was_correct", pa.array([None] * 60, pa.float64())),
        tmp_path / "log.parquet",
    )
    proc = backbone(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "channels.json").read_text())
    assert doc["counts"]["disagreed"] == {"yes": 20, "no": 20, "not_asked": 20}
    assert doc["counts"]["experience"] == {"good": 20, "bad": 20, "none": 20}


def test_tells_power_user_in_a_float_column(tmp_path: Path) -> None:
    # power_user 1.0 / 0.0 (a float column) was "'1.0' is not true or false" for every event
    import pyarrow as pa
    import pyarrow.parquet as pq

    rows = daily(planted_rows(CELLS))
    columns = {k: [r[k] for r in rows] for k in ("id", "timestamp", "user_id", "prompt")}
    columns |= {"response": [r["response"] for r in rows], "rating": [r["rating"] for r in rows]}
    flags = pa.array([(1.0 if i % 5 == 0 else 0.0) if i % 7 else None for i in range(60)])
    pq.write_table(pa.table({**columns, "power_user": flags}), tmp_path / "log.parquet")
    proc = backbone("tells", "log.parquet", "--period", "day", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "tells.json").read_text())
    churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")
    assert churn["evidence"]["power_definition"] == "the log's power-user column"
    pq.write_table(
        pa.table({**columns, "power_user": pa.array([2.0] * 60)}), tmp_path / "bad.parquet"
    )
    proc = backbone("tells", "bad.parquet", "--period", "day", "--out", "out2", cwd=tmp_path)
    refused(proc, "error: bad.parquet:1: column 'power_user': '2.0' is not true or false")


def test_synth_tells_with_a_negative_seed(tmp_path: Path) -> None:
    # numpy's generator raised ValueError (expected non-negative integer): a traceback
    proc = backbone("synth", "tells", "--out", "demo", "--seed", "-1", cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr and "--seed" in proc.stderr
    assert not (tmp_path / "demo").exists()


def test_ab_numeric_arms_take_number_order(tmp_path: Path) -> None:
    # arms 9 and 10 (an int column: prompt version 9 against 10) sorted as text, so A was
    # "10" and every delta B - A came out turned around (9 - 10)
    from backbone.audit.synthetic.ab_traffic import ab_rows

    rows = ab_rows(n_per_arm=200, preference=(0.6, 0.8), accuracy=(0.8, 0.8))
    write(tmp_path / "log.jsonl", [{**r, "arm": {"A": 9, "B": 10}[r["arm"]]} for r in rows])
    judge = "python:backbone.audit.synthetic.ab_traffic:planted_truth"
    proc = backbone(
        "ab", "log.jsonl", "--arm-column", "arm", "--judge", judge, "--out", "out", "-q",
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "ab.json").read_text())
    assert doc["arms"] == {"a": "9", "b": "10"}
    assert doc["preference_delta"]["value"] == pytest.approx(0.2)


@pytest.mark.parametrize("command", ["ab", "audit", "audit-channels"])
def test_a_judge_reason_with_a_lone_surrogate(tmp_path: Path, command: str) -> None:
    # a reason or error text ending inside an escaped pair ("\ud83d", as a reply cut at the
    # token limit ends): the judging finished, then writing the JSON raised UnicodeEncodeError
    # (a traceback, nothing written)
    rows = [{**r, "disagreed": "yes"} for r in daily(planted_rows(CELLS))]
    write(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:raises_a_lone_surrogate"
    args = {
        "audit-channels": ["audit-channels", "log.jsonl", "--judge", judge, "-q"],
        **{k: [*v[:-2], judge, "-q"] for k, v in COMMANDS.items()},
    }[command]
    proc = backbone(*args, "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    name = {"audit": "audit.json", "ab": "ab.json", "audit-channels": "channels.json"}[command]
    doc = json.loads((tmp_path / "out" / name).read_text(encoding="utf-8"))
    reasons = doc.get("unscored_reasons") or doc["disagree"]["unscored_reasons"]
    assert any("cut at \ufffd" in r for r in reasons), reasons
    reply = read_reply('{"correct": true, "reason": "cut at \\ud83d"}')
    assert reply.correct is True and reply.reason == "cut at \ufffd"


def test_jsonl_fields_first_given_past_the_records_names_are_read_from(tmp_path: Path) -> None:
    # the field names of a JSONL log come from its first 10,000 records; a log whose split
    # signals, user_id and power_user were added later was refused by audit-channels ("none
    # of the three signal columns ... is present") and read by tells as having no user_id
    # column (power_user_churn "not available")
    from backbone.audit.source import KEY_SAMPLE

    lines = []
    for i in range(KEY_SAMPLE + 300):
        r: dict[str, Any] = {
            "id": f"e{i}",
            "timestamp": f"2025-01-{1 + i % 10:02d}T10:00:00Z",
            "prompt": "q",
            "response": "a",
            "rating": "up" if i % 3 else "down",
            "truth": i % 2 == 0,
        }
        if i >= KEY_SAMPLE:
            r |= {"disagreed": "yes", "user_id": f"u{i % 40}", "power_user": i % 40 < 6}
        lines.append(json.dumps(r) + "\n")
    (tmp_path / "log.jsonl").write_text("".join(lines))
    proc = backbone(
        "audit-channels", "log.jsonl", "--judge", JUDGE, "--out", "ch", "-q", cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "ch" / "channels.json").read_text())
    assert doc["disagree"]["events"] == 300
    proc = backbone("tells", "log.jsonl", "--period", "day", "--out", "tells", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "tells" / "tells.json").read_text())
    churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")
    assert churn["evidence"]["power_definition"] == "the log's power-user column", churn["why"]


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize("gz", [False, True], ids=["plain", "gzip"])
def test_a_jsonl_line_that_is_not_utf8_is_named_so(tmp_path: Path, command: str, gz: bool) -> None:
    # a line saved as Latin-1 ("café" as one byte é) was "not valid JSON", where the same line
    # in a CSV is "not UTF-8 text"; a line that is UTF-8 and broken JSON stays "not valid JSON"
    import gzip

    lines = [json.dumps(r) for r in daily(planted_rows(CELLS))]
    raw = [line.encode() for line in lines]
    raw[6] = lines[6].replace('"prompt": "', '"prompt": "caf\u00e9 ').encode("latin-1")
    raw[9] = b'{"id": "broken'
    data = b"\n".join(raw) + b"\n"
    name = "log.jsonl.gz" if gz else "log.jsonl"
    (tmp_path / name).write_bytes(gzip.compress(data) if gz else data)
    args = [name if a == "log.jsonl" else a for a in COMMANDS[command]]
    proc = backbone(*args, "--out", "out", cwd=tmp_path)
    refused(proc, f"{name}:7: not UTF-8 text: save the file as UTF-8", f"{name}:10: not valid JSON")
    assert not (tmp_path / "out").exists()


HALF = (
    "a string holds '\\ud83d', half of a character (a lone UTF-16 surrogate, as when a "
    "string is cut inside an emoji), which UTF-8 cannot hold: replace it, e.g. with '\\ufffd'"
)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_a_jsonl_line_holding_half_a_character_is_named_so(tmp_path: Path, command: str) -> None:
    # a logger that cut a reply inside an emoji wrote "\ud83d" alone: JSON's grammar takes
    # it, Python's json reads it, DuckDB refuses the line, and the line was "not valid JSON"
    # with no word of why (a whole pair, "\ud83d\ude00", is read as the emoji it is)
    lines = [json.dumps(r) for r in daily(planted_rows(CELLS))]
    lines[4] = lines[4].replace('"response": "', '"response": "cut \\ud83d ')
    lines[5] = lines[5].replace('"response": "', '"response": "whole \\ud83d\\ude00 ')
    lines[9] = '{"id": "broken'
    (tmp_path / "log.jsonl").write_text("\n".join(lines) + "\n")
    proc = backbone(*COMMANDS[command], "--out", "out", cwd=tmp_path)
    refused(proc, f"log.jsonl:5: {HALF}", "log.jsonl:10: not valid JSON")
    assert "log.jsonl:6:" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_a_conversation_holding_half_a_character_is_named_so(tmp_path: Path) -> None:
    # the monitor reads its JSONL through the same source: the same words
    turns = [{"role": "user", "content": "Capital of France?"}]
    rows = [
        {"id": f"c{i}", "timestamp": f"2026-01-0{i + 1}T00:00:00", "user_id": f"u{i}",
         "messages": [*turns, {"role": "assistant", "content": f"Paris {i}"}]}
        for i in range(5)
    ]  # fmt: skip
    lines = [json.dumps(r) for r in rows]
    lines[2] = lines[2].replace("Paris 2", "Paris \\ud83d")
    (tmp_path / "conv.jsonl").write_text("\n".join(lines) + "\n")
    proc = backbone("monitor", "conv.jsonl", "--judge", JUDGE, "-q", "--out", "out", cwd=tmp_path)
    refused(proc, f"conv.jsonl:3: {HALF}")
    assert not (tmp_path / "out").exists()


def _with_a_second(path: Path, rows: list[dict[str, Any]], column: str, value: Any) -> Path:
    """``rows`` as Parquet with ``column`` twice: the real one, then one all ``value`` (as
    pyarrow writes a table built with a repeated name)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    names = list(dict.fromkeys(k for r in rows for k in r))
    arrays = [pa.array([r.get(k) for r in rows]) for k in names]
    pq.write_table(
        pa.Table.from_arrays([*arrays, pa.array([value] * len(rows))], names=[*names, column]),
        path,
    )
    return path


@pytest.mark.parametrize("command", ["audit", "ab", "tells", "monitor"])
def test_a_parquet_column_given_twice_is_refused_as_in_a_csv(tmp_path: Path, command: str) -> None:
    """A Parquet schema may name a column twice (a CSV header may not: exit 2, "appears twice
    in the header"). DuckDB read the second as ``rating_1`` and every command used the first
    without a word: here the second says every event was a thumbs-up (the monitor's, that
    every message is the user's), so which one the team meant is anyone's guess."""
    if command == "monitor":
        said = [("user", "q"), ("assistant", "a"), ("user", "are you sure?"), ("assistant", "b")]
        rows = [
            {"conversation_id": "c", "turn": t, "role": r, "content": x}
            for t, (r, x) in enumerate(said)
        ]
        _with_a_second(tmp_path / "log.parquet", rows, "role", "user")
        args = ["monitor", "log.parquet", "--judge", "python:tests.monitor.judges:recording"]
        column = "role"
    else:
        _with_a_second(tmp_path / "log.parquet", daily(planted_rows(CELLS)), "rating", "up")
        args = [a.replace("log.jsonl", "log.parquet") for a in COMMANDS[command]]
        column = "rating"
    proc = backbone(*args, "--out", "out", cwd=tmp_path)
    refused(proc, f"error: log.parquet: column '{column}' appears twice in the file's schema")
    assert not (tmp_path / "out").exists()


def test_a_parquet_folder_with_a_column_twice_in_one_part_names_the_part(tmp_path: Path) -> None:
    rows = planted_rows(CELLS)
    (tmp_path / "log").mkdir()
    write(tmp_path / "log" / "part-0.parquet", rows[:30])
    _with_a_second(tmp_path / "log" / "part-1.parquet", rows[30:], "rating", "up")
    proc = backbone("audit", "log", "--judge", JUDGE, "-q", "--out", "out", cwd=tmp_path)
    refused(proc, "error: log/part-1.parquet: column 'rating' appears twice in the file's schema")
    assert not (tmp_path / "out").exists()


def test_nested_parquet_columns_may_share_names_with_top_level_ones(tmp_path: Path) -> None:
    """Only the top-level columns count: a struct's ``id`` or ``rating`` field is no repeat."""
    rows = [{**r, "meta": {"id": "x", "rating": [1, 2]}} for r in planted_rows(CELLS)]
    write(tmp_path / "log.parquet", rows)
    proc = backbone("audit", "log.parquet", "--judge", JUDGE, "-q", "--out", "out", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert doc["unwelcome_correct_share"]["value"] == 0.25 and doc["counts"]["events"] == 60


@pytest.mark.parametrize("command", sorted(COMMANDS))
@pytest.mark.parametrize(
    ("before", "message"),
    [
        ("\n", "blank line where the header row should be: make the header the first line"),
        ("   \n", "blank line where the header row should be: make the header the first line"),
        (None, "only blank lines: expected a header row"),
    ],
)
def test_a_csv_whose_first_line_is_blank(
    tmp_path: Path, command: str, before: str | None, message: str
) -> None:
    # a blank line before the header was "empty file: expected a header row" (the file held
    # 60 events); one of spaces was a header naming one column, '   ', and four problems
    # "no column 'id' for field 'id' (columns:    )"
    write(tmp_path / "rows.csv", daily(planted_rows(CELLS)))
    text = (tmp_path / "rows.csv").read_text()
    (tmp_path / "log.csv").write_text(before + text if before is not None else "  \n\n \n")
    args = [a.replace("log.jsonl", "log.csv") for a in COMMANDS[command]]
    proc = backbone(*args, "--out", "out", cwd=tmp_path)
    refused(proc, f"error: log.csv:1: {message}")
    assert proc.stderr.count("error:") == 1, proc.stderr
    assert not (tmp_path / "out").exists()
