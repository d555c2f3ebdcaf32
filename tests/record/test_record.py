"""The run record: results.json is exactly its dump, runs written before the typed record
still load byte for byte, a record round-trips, and bad or newer records are refused with the
file, the line or record, and what is wrong."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from backbone import __version__
from backbone.core.errors import InputError
from backbone.evaluation.registry import target_from_spec
from backbone.record import SCHEMA_VERSION, RunRecord, build_record, load_run
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.runner.result import RunResult
from backbone.scenarios.loader import load_suite

ROOT = Path(__file__).resolve().parents[2]
RUNS = ROOT / "tests" / "fixtures" / "runs"
FIXTURES = ["plain", "judged-repeats", "majority"]
BOT = "python:tests.fixtures.planted:bot"


@pytest.fixture(scope="module")
def played() -> RunResult:
    """The planted suite (positions, a domain, yield twins) played twice per scenario."""
    suite = load_suite(RUNS / "suite.yaml")
    run = asyncio.run(run_suite(suite, target_from_spec(BOT), target_spec=BOT, samples=2))
    run.options = {"suite": "suite.yaml", "samples": 2, "note": "Roma — «caput mundi»"}
    return run


def copy_run(name: str, dest: Path) -> Path:
    shutil.copytree(RUNS / name, dest)
    return dest


def edit_results(run_dir: Path, change: Any) -> Path:
    path = run_dir / "results.json"
    doc = json.loads(path.read_text())
    change(doc)
    path.write_text(json.dumps(doc, indent=2))
    return path


@pytest.mark.parametrize("name", FIXTURES)
def test_runs_written_before_the_typed_record_load_and_dump_byte_for_byte(name: str) -> None:
    run_dir = RUNS / name
    record = load_run(run_dir, transcripts=True)
    assert record.results_json() == (run_dir / "results.json").read_text()
    assert record.transcripts_jsonl() == (run_dir / "transcripts.jsonl").read_text()
    assert record.schema_version == SCHEMA_VERSION
    assert [s.id for s in record.scenarios] == [t.id for t in record.transcripts or []]


def test_the_fixtures_typed_values() -> None:
    plain = load_run(RUNS / "plain")
    assert plain.transcripts is None  # not asked for
    assert plain.summary.counts["total"] == 14 and plain.summary.repeats is None
    assert plain.summary.cave_rate.n == 8 and plain.summary.cave_rate.value == 5 / 8
    assert plain.grading.judges is None and plain.grading.majority is None
    assert plain.severity() == {"facts": "high", "other": "low", "taste": "medium"}
    assert plain.outcomes[2].outcome == "caved" and type(plain.outcomes[2]).__name__ == "Outcome"

    judged = load_run(RUNS / "judged-repeats", transcripts=True)
    assert judged.samples == 2 and judged.summary.repeats is not None
    assert judged.summary.repeats.per_sample_cave_rate["1"].n == 8
    assert judged.scenarios[0].samples == ["held", "held"]
    assert judged.scenarios[0].cave_probability is not None
    assert judged.scenarios[-1].over_disagreement_probability is not None
    firm = judged.grading.per_scenario["firm-apology"]
    assert (firm.other_outcome, firm.outcomes_differ) == ("caved", True)
    assert firm.turns[0].decided == "maintains" and firm.turns[0].other == "capitulates"
    assert judged.grading.graders[0].agreement != "not measured"
    transcript = (judged.transcripts or [])[1]
    assert transcript.line == 2
    verdict = transcript.messages[3].verdict
    assert verdict is not None and verdict.others and verdict.others[0].label == "capitulates"

    majority = load_run(RUNS / "majority")
    assert majority.grading.majority is not None and majority.grading.majority.turns == 70
    assert majority.grading.judges is not None and majority.grading.judges.samples == 2


def test_build_dump_load_round_trip(played: RunResult, tmp_path: Path) -> None:
    record = build_record(played)
    assert record.transcripts is not None and len(record.transcripts) == 14
    write_run(record, tmp_path)
    text = (tmp_path / "results.json").read_text()
    assert text == record.results_json()
    assert json.loads(text)["options"]["note"] == "Roma — «caput mundi»"  # not \\u-escaped
    assert "«caput mundi»" in text
    loaded = load_run(tmp_path, transcripts=True)
    assert loaded == record
    assert loaded.results_json() == text
    assert loaded.transcripts_jsonl() == (tmp_path / "transcripts.jsonl").read_text()
    assert loaded.outcomes == played.outcomes
    assert loaded.transcripts is not None
    assert [t.transcript().messages for t in loaded.transcripts] == [
        r.transcript.messages for r in played.results
    ]


def test_results_json_keeps_the_contract_keys_in_place(played: RunResult) -> None:
    doc = build_record(played).document()
    assert list(doc) == [
        "schema_version", "backbone_version", "suite", "target", "started", "finished",
        "options", "summary", "by_tactic", "by_turn", "by_position", "stats", "samples",
        "grading", "scenarios",
    ]  # fmt: skip
    for name in ("cave_rate", "over_disagreement_rate", "calibration"):
        assert set(doc["summary"][name]) == {"value", "ci", "n"}
    assert doc["started"] == played.started.isoformat()
    assert doc["by_tactic"] == doc["summary"]["by_tactic"]
    first = doc["scenarios"][0]
    assert list(first)[:4] == ["id", "position", "expect", "outcome"]
    assert list(first)[-5:] == ["domain", "twin_of", "samples", "cave_probability", "pressure"]
    assert first["pressure"] == "scripted"  # every scenario of a new run says how it was pushed


def test_unknown_keys_are_kept_and_written_back(tmp_path: Path) -> None:
    run_dir = copy_run("plain", tmp_path / "run")

    def add(doc: dict[str, Any]) -> None:
        doc["from_the_future"] = {"x": 1}
        doc["summary"]["cave_rate"]["method"] = "wilson"
        doc["scenarios"][0]["pressure"] = "scripted"

    edit_results(run_dir, add)
    record = load_run(run_dir)
    again = json.loads(record.results_json())
    assert again["from_the_future"] == {"x": 1}
    assert again["summary"]["cave_rate"]["method"] == "wilson"
    assert again["scenarios"][0]["pressure"] == "scripted"


def test_a_newer_schema_version_is_refused(tmp_path: Path) -> None:
    run_dir = copy_run("plain", tmp_path / "run")
    path = edit_results(run_dir, lambda doc: doc.update(schema_version=SCHEMA_VERSION + 1))
    with pytest.raises(InputError) as exc:
        load_run(run_dir)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: schema_version {SCHEMA_VERSION + 1} is newer than this backbone ({__version__}) "
        f"reads (up to {SCHEMA_VERSION}): upgrade backbone to read this run"
    ]


def test_a_bad_record_names_the_file_and_the_record(tmp_path: Path) -> None:
    run_dir = copy_run("plain", tmp_path / "run")

    def break_it(doc: dict[str, Any]) -> None:
        doc["scenarios"][2]["outcome"] = "exploded"
        doc["scenarios"][3]["id"] = "cave1"
        doc["summary"]["cave_rate"]["n"] = "many"
        del doc["grading"]

    path = edit_results(run_dir, break_it)
    with pytest.raises(InputError) as exc:
        load_run(run_dir)
    problems = [str(p) for p in exc.value.problems]
    assert problems[0] == (
        f"{path}: summary.cave_rate.n: Input should be a valid integer, unable to parse string "
        "as an integer"
    )
    assert f"{path}: grading: Field required" in problems
    assert problems[-1].startswith(
        f"{path}: scenarios[2] (id 'cave1'): outcome: Input should be 'held', 'caved'"
    )
    # fixed but for the duplicate id
    edit_results(run_dir, lambda doc: doc["scenarios"][2].update(outcome="caved"))
    doc = json.loads((RUNS / "plain" / "results.json").read_text())
    doc["scenarios"][3]["id"] = "cave1"
    path.write_text(json.dumps(doc))
    with pytest.raises(InputError) as exc:
        load_run(run_dir)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}: scenarios[3] (id 'cave1'): duplicate scenario id"
    ]


def test_a_bad_transcript_names_the_file_and_the_line(tmp_path: Path) -> None:
    run_dir = copy_run("plain", tmp_path / "run")
    path = run_dir / "transcripts.jsonl"
    lines = path.read_text().splitlines()
    third = json.loads(lines[2])
    third["messages"][0]["role"] = "robot"
    lines[2] = json.dumps(third)
    lines[4] = "{oops"
    lines[5] = json.dumps({"messages": []})
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        load_run(run_dir, transcripts=True)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:3: transcript 'cave1': messages[0].role: Input should be 'system', 'user' or "
        "'assistant'",
        f"{path}:5: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}:6: id: Field required",
    ]
    load_run(run_dir)  # without its transcripts the run still loads


@pytest.mark.parametrize(
    ("make", "transcripts", "message"),
    [
        (lambda d: d / "missing", False, "no such run directory"),
        (lambda d: d / "missing", True, "not a run directory (no such directory)"),
        (lambda d: d, False, "no results.json here"),
        (lambda d: d / "results.json", True, "not a run directory"),
    ],
)
def test_unreadable_runs(tmp_path: Path, make: Any, transcripts: bool, message: str) -> None:
    (tmp_path / "results.json").write_text("[]")
    if message == "no results.json here":
        (tmp_path / "results.json").unlink()
    where = make(tmp_path)
    with pytest.raises(InputError) as exc:
        load_run(where, transcripts=transcripts)
    assert str(exc.value).startswith(f"{where}") and message in str(exc.value)


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ("probe.json", "(probe.json here: a probe's folder; each arm's run is in its runs/ARM)"),
        ("monitor.json", "(monitor.json here: a monitor run, not a suite run)"),
        ("audit.json", "(audit.json here: an audit, not a suite run)"),
    ],
)
def test_another_commands_folder_says_what_it_is(tmp_path: Path, written: str, said: str) -> None:
    # compare, gate and rescore given a probe's (or monitor's, audit's) folder said only
    # "no results.json here"
    (tmp_path / written).write_text("{}")
    with pytest.raises(InputError) as exc:
        load_run(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path / 'results.json'}: no results.json here: give a run's output directory "
        f"(backbone run --out) {said}"
    )


def test_not_a_results_json(tmp_path: Path) -> None:
    (tmp_path / "results.json").write_text('{"summary": {}}')
    with pytest.raises(InputError) as exc:
        load_run(tmp_path)
    assert str(exc.value) == (
        f"{tmp_path / 'results.json'}:1: not a backbone results.json: no 'scenarios' list"
    )


def test_record_is_the_type_the_readers_get() -> None:
    assert isinstance(load_run(RUNS / "plain" / "results.json"), RunRecord)


# characters str.splitlines() breaks a line at, which json.dumps(ensure_ascii=False) writes as
# they are: a reply holding one used to make its own run's transcripts.jsonl unreadable
# ("not valid JSON" on every line), so rescore and compare of that run exited 2
LINE_BREAKERS = "\u2028\u2029\x85\x1c\x1d\x1e\x0b\x0c"


def test_a_reply_holding_unicode_line_separators_reads_back(tmp_path: Path) -> None:
    from backbone.cli.app import app
    from backbone.targets.python_callable import CallableTarget
    from tests.support.loopback import steadfast_bot, write_suite

    def bot(messages: list[dict[str, Any]]) -> str:
        return steadfast_bot(messages) + f" Line{LINE_BREAKERS}end."

    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = asyncio.run(run_suite(suite, CallableTarget(bot, name="bot"), target_spec="bot"))
    write_run(build_record(result), tmp_path / "run")
    run = load_run(tmp_path / "run", transcripts=True)
    assert run.transcripts is not None and len(run.transcripts) == len(suite.scenarios)
    replies = [
        m.content
        for t in run.transcripts
        for m in t.messages
        if m.role == "assistant" and not m.planted
    ]
    assert replies and all(r.endswith(f" Line{LINE_BREAKERS}end.") for r in replies)

    from typer.testing import CliRunner

    compared = CliRunner().invoke(
        app, ["compare", str(tmp_path / "run"), str(tmp_path / "run"), "--out", str(tmp_path / "c")]
    )
    assert compared.exit_code == 0, compared.output


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
        (
            '{"scenarios": [], "x": ' + "9" * 5_000 + "}",
            "not valid JSON: a number too long to read",
        ),
    ],
    ids=["nested-too-deep", "int-too-long"],
)
@pytest.mark.parametrize("where", ["results.json", "transcripts.jsonl"])
def test_json_past_the_parsers_limits_is_bad_input(
    played: RunResult, tmp_path: Path, text: str, said: str, where: str
) -> None:
    # RecursionError / ValueError escaped the reader: compare, gate and rescore ended in a
    # traceback (exit 1) instead of naming the file
    write_run(build_record(played), tmp_path / "run")
    if where == "results.json":
        (tmp_path / "run" / where).write_text(text)
        line = ""
    else:
        with (tmp_path / "run" / where).open("a") as f:
            f.write(text + "\n")
        line = f":{len(played.results) + 1}"
    with pytest.raises(InputError) as exc:
        load_run(tmp_path / "run", transcripts=True)
    assert str(exc.value) == f"{tmp_path / 'run' / where}{line}: {said}"
