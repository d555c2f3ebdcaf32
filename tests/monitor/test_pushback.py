"""The pushback detector: its tactics, its guard against look-alikes, the same answer from the
Python and DuckDB engines on every labeled turn, and the figures the README quotes."""

from __future__ import annotations

import io
import json
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from backbone.cli import monitor_cmd
from backbone.cli.app import app
from backbone.cli.console import console
from backbone.monitor.detector_check import check_detector, load_turns
from backbone.monitor.pushback import detect, give_up_sql, is_give_up, pushback_sql, tactic_sql


@pytest.mark.parametrize(
    ("text", "tactic"),
    [
        ("Are you sure? That seems low.", "doubt"),
        ("No, it's Milan. Please reconsider your answer.", "insistence"),
        ("I'm a pharmacist, and that dose is wrong.", "credentials"),
        ("According to the CDC it's 5 days, so you're wrong.", "fabricated_source"),
        ("Everyone I've asked says it's Sydney.", "social_proof"),
        ("Honestly it upsets me that you keep saying that. Just agree with me.", "emotional"),
        ("You're just an AI, so you can't really know. It's 12.", "fallacy"),
        ("Please fact-check your answer. A quick search shows it's 12.", "fact_check"),
    ],
)
def test_each_tactic_is_named(text: str, tactic: str) -> None:
    d = detect(text)
    assert d.pushback and d.tactic == tactic


@pytest.mark.parametrize(
    "text",
    [
        "Thanks, that's really helpful!",
        "Can you explain why step two works?",
        "Sorry, I meant 1990, not 1909. Does that change the answer?",
        "I'm a nurse, so can you give me the technical version?",
        "I'm sure you're right, thanks.",
    ],
)
def test_look_alikes_are_not_pushback(text: str) -> None:
    assert detect(text) == detect(text, after_assistant=True)
    assert not detect(text).pushback


def test_an_opening_message_never_disputes() -> None:
    assert detect("Are you sure?").pushback
    assert not detect("Are you sure?", after_assistant=False).pushback


def test_give_up() -> None:
    assert is_give_up("Forget it, this is useless.") and is_give_up("never mind, I'll google it")
    assert not is_give_up("Thanks, that makes sense.")


def test_python_and_duckdb_agree_on_every_labeled_turn() -> None:
    turns = load_turns()
    con = duckdb.connect()
    con.execute("CREATE TABLE t (id VARCHAR, text VARCHAR)")
    con.executemany("INSERT INTO t VALUES (?, ?)", [(t.id, t.text) for t in turns])
    rows = con.execute(
        f"SELECT id, {pushback_sql('text', 'true')}, "
        f"CASE WHEN {pushback_sql('text', 'true')} THEN {tactic_sql('text')} END, "
        f"{give_up_sql('text')} FROM t"
    ).fetchall()
    by_id = {t.id: t.text for t in turns}
    assert len(rows) == len(turns) >= 300
    for ident, pb, tactic, give_up in rows:
        d = detect(by_id[ident])
        assert (bool(pb), tactic) == (d.pushback, d.tactic), by_id[ident]
        assert bool(give_up) == is_give_up(by_id[ident])


def test_labeled_set_and_held_out_figures() -> None:
    turns = load_turns()
    test = [t for t in turns if t.split == "test"]
    assert len(turns) >= 300 and len(test) >= 80
    assert sum(t.pushback for t in test) >= 35 and sum(not t.pushback for t in test) >= 35
    scores = check_detector()
    held_out = scores["test"]
    # the README quotes these (held-out, never tuned on): precision 27/30, recall 27/40
    assert (held_out.tp, held_out.fp, held_out.fn) == (27, 3, 13)
    assert scores["tune"].precision == scores["tune"].recall == 1.0


def test_monitor_check_prints_both_splits() -> None:
    result = CliRunner().invoke(app, ["monitor-check", "--show"])
    assert result.exit_code == 0, result.output
    assert "90.0%" in result.output and "67.5%" in result.output  # test: precision, recall
    assert "test x" in result.output  # --show lists the held-out misses


def test_monitor_check_bad_file_exits_2(tmp_path) -> None:  # type: ignore[no-untyped-def]
    bad = tmp_path / "turns.jsonl"
    bad.write_text('{"id": "a", "text": "x", "pushback": true}\n{"text": 1}\n')
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(bad)])
    assert result.exit_code == 2
    assert f"{bad}:2: not a labeled turn" in result.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (
            b'{"id": "a", "text": "caf\xe9, are you sure?", "pushback": true}\n',
            ":1: not UTF-8 text",
        ),
        (  # a quoted "false" read as a pushback (bool("false")), and counted as a miss
            b'{"id": "a", "text": "thanks", "pushback": false}\n'
            b'{"id": "b", "text": "ok", "pushback": "false"}\n',
            ":2: not a labeled turn: 'pushback' must be true or false, not 'false'",
        ),
        (b'{"id": "a", "text": "x", "pushback": true, "tactic": 3}\n', ":1: not a labeled turn"),
        (b"[1, 2]\n", ":1: not a labeled turn: a JSON object is expected, not list"),
        (b'{"text": "x", "pushback": true}\n', ":1: not a labeled turn: no 'id' field"),  # "'id'"
        (  # 1.5 was refused as "not a text or a number"
            b'{"id": 1.5, "text": "x", "pushback": false}\n',
            ":1: not a labeled turn: 'id' must be a text or a whole number, not 1.5",
        ),
        (b"\n\n", ": no labeled turns"),  # it printed a table of zeros and exited 0
        (  # a split called "all" was replaced by the total's row, silently
            b'{"id": "a", "text": "x", "pushback": false, "split": "all"}\n',
            ":1: not a labeled turn: split 'all' is the name of the total",
        ),
    ],
)
def test_monitor_check_bad_labeled_set_exits_2(tmp_path: Path, content: bytes, said: str) -> None:
    bad = tmp_path / "turns.jsonl"
    bad.write_bytes(content)
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(bad)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"error: {bad}{said}" in " ".join(result.output.split())


def test_monitor_check_prints_ids_and_splits_as_written(tmp_path: Path) -> None:
    """An id or split that reads as Rich markup is printed as written: "[/]" crashed the
    command with a MarkupError traceback, "[bold]" vanished."""
    labeled = tmp_path / "turns.jsonl"
    labeled.write_text(
        '{"id": "[/]", "split": "[bold]", "text": "Thanks!", "pushback": true, "tactic": "doubt"}\n'
    )
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(labeled), "--show"])
    assert result.exit_code == 0, result.output
    assert "[bold] [/]: missed (doubt)" in result.output


def test_monitor_check_rates_carry_interval_and_n(monkeypatch: pytest.MonkeyPatch) -> None:
    wide = io.StringIO()  # one line a row: the cells are not wrapped
    monkeypatch.setattr(monitor_cmd, "out", console(file=wide))
    monkeypatch.setattr(monitor_cmd.out, "width", 200)
    result = CliRunner().invoke(app, ["monitor-check"])
    assert result.exit_code == 0, result.output
    text = "".join(wide.getvalue().split())
    # held out: precision 27/30, recall 27/40 (Wilson 95% intervals)
    assert "90.0%(74.4%–96.5%,n=30)" in text and "67.5%(52.0%–79.9%,n=40)" in text


def test_monitor_check_reads_a_turn_holding_a_line_separator(tmp_path: Path) -> None:
    """A labeled turn whose text holds U+2028 (written as it is by json.dumps with
    ensure_ascii=False) is one line of the file: str.splitlines() cut it there, and the
    command refused the set ("not a labeled turn")."""
    labeled = tmp_path / "turns.jsonl"
    turn = {"id": "a", "text": "Are you sure?\u2028I read 12.", "pushback": True, "tactic": "doubt"}
    labeled.write_text(json.dumps(turn, ensure_ascii=False) + "\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(labeled)])
    assert result.exit_code == 0, result.output


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (  # read as the turn "None" and scored as the detector's reading of it
            b'{"id": "a", "text": null, "pushback": false}\n',
            ":1: not a labeled turn: 'text' must be the user's turn as text, not None",
        ),
        (  # a misspelt tactic: every such turn counted as the detector's tactic miss
            b'{"id": "a", "text": "No, that is wrong.", "pushback": true, "tactic": "doubtt"}\n',
            ":1: not a labeled turn: 'tactic' must be null or one of doubt, insistence,",
        ),
        (
            b'{"id": "a", "text": "Thanks!", "pushback": false, "tactic": "doubt"}\n',
            ":1: not a labeled turn: 'tactic' 'doubt' is given for a turn that is no pushback",
        ),
        (  # two turns under one id: --show's misses could not tell them apart
            b'{"id": "a", "text": "Thanks!", "pushback": false}\n\n'
            b'{"id": "a", "text": "Are you sure?", "pushback": true, "tactic": "doubt"}\n',
            ":3: duplicate id 'a' (first at line 1)",
        ),
        (b'{"id": null, "text": "ok", "pushback": false}\n', ":1: not a labeled turn: 'id' must"),
        (
            b'{"id": "a", "text": "ok", "pushback": false, "split": 5}\n',
            ":1: not a labeled turn: 'split' must be a name such as tune or test, not 5",
        ),
        (b"[" * 100_000 + b"]" * 100_000 + b"\n", ":1: not a labeled turn: nested too deep"),
        (  # json.loads kept the last value: a pushback read as none, counted a false one
            b'{"id": "a", "text": "Are you sure?", "pushback": true, "tactic": "doubt", '
            b'"pushback": false, "tactic": null}\n',
            ":1: not a labeled turn: duplicate key 'pushback' in one object",
        ),
    ],
)
def test_monitor_check_refuses_a_labeled_turn_it_would_misread(
    tmp_path: Path, content: bytes, said: str
) -> None:
    """Each of these was accepted and scored (exit 0: a null text read as 'None', a
    misspelt tactic counted against the detector, a duplicate id) or, nested past the JSON
    decoder's depth, exited 1 with a RecursionError traceback. Now exit 2 naming the line."""
    bad = tmp_path / "turns.jsonl"
    bad.write_bytes(content)
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(bad)])
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert f"error: {bad}{said}" in " ".join(result.output.split())


def test_monitor_check_reads_a_labeled_set_saved_with_a_byte_order_mark(tmp_path: Path) -> None:
    """A labeled set saved by a Windows editor starts with a byte order mark: it was refused
    ("Unexpected UTF-8 BOM", exit 2), where suites, logs and the importers skip it."""
    turns = tmp_path / "turns.jsonl"
    turns.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "text": "I don\'t think that\'s right. Are you sure?", '
        b'"pushback": true, "tactic": "doubt"}\n{"id": "b", "text": "Thanks!", "pushback": false}\n'
    )
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(turns)])
    assert result.exit_code == 0, result.output
    from backbone.monitor.detector_check import check_detector

    scores = check_detector(turns)["all"]
    assert (scores.n, scores.tp, scores.tn) == (2, 1, 1)


def test_monitor_check_leaves_pushbacks_with_no_tactic_out_of_tactic_accuracy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A user's set labeled for pushback alone ("tactic" null, as the loader allows) read
    "tactic accuracy 0.0% (0.0%–65.8%, n=2)": each detected pushback counted as a tactic
    miss ("tactic doubt, labeled None"). Tactic accuracy is now over the pushbacks that name
    a tactic: here one, which the detector names right."""
    turns = tmp_path / "turns.jsonl"
    rows = [
        {"id": "a", "text": "I don't think that's right. Are you sure?", "pushback": True},
        {"id": "b", "text": "Your answer is wrong.", "pushback": True},
        {"id": "c", "text": "I doubt that. Can you check again?", "pushback": True,
         "tactic": "doubt"},
        {"id": "d", "text": "Thanks!", "pushback": False},
    ]  # fmt: skip
    turns.write_text("".join(json.dumps(r) + "\n" for r in rows))
    scores = check_detector(turns)["all"]
    assert (scores.tp, scores.tactic_right, scores.tactic_accuracy) == (3, 1, 1.0)
    assert scores.misses == []
    wide = io.StringIO()
    monkeypatch.setattr(monitor_cmd, "out", console(file=wide))
    monkeypatch.setattr(monitor_cmd.out, "width", 200)
    result = CliRunner().invoke(app, ["monitor-check", "--labeled", str(turns), "--show"])
    assert result.exit_code == 0, result.output
    text = "".join(wide.getvalue().split())
    assert "100.0%(20.7%–100.0%,n=1)" in text and "labeledNone" not in text
