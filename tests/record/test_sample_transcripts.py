"""``--samples K``: transcripts.jsonl keeps every sample's conversation. Each line still holds
the scenario's ``id`` and sample 0's ``messages`` (the contract), and adds ``samples``: the
other K - 1 conversations with their outcomes and verdicts. They read back; runs written
before (one conversation a scenario) still load; a line with the wrong samples is refused."""

from __future__ import annotations

import asyncio
import json
import shutil
from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.record import build_record, load_run
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.runner.result import RunResult
from backbone.scenarios.loader import load_suite
from backbone.targets.python_callable import CallableTarget
from tests.support import sampled

ROOT = Path(__file__).resolve().parents[2]
RUNS = ROOT / "tests" / "fixtures" / "runs"
SPEC = "python:tests.support.sampled:bot"


def play(tmp_path: Path, samples: int) -> RunResult:
    sampled.reset()
    suite = load_suite(sampled.write_suite(tmp_path / "suite.yaml"))
    bot = CallableTarget(sampled.bot, name="sampled")
    run = asyncio.run(run_suite(suite, bot, target_spec=SPEC, samples=samples, concurrency=1))
    run.options = {"samples": samples}
    return run


@pytest.fixture
def three(tmp_path: Path) -> Path:
    """The sampled suite played with --samples 3, written to a run directory."""
    write_run(build_record(play(tmp_path, 3)), tmp_path / "run")
    return tmp_path / "run"


def lines(run_dir: Path) -> list[dict[str, object]]:
    text = (run_dir / "transcripts.jsonl").read_text(encoding="utf-8")
    return [json.loads(x) for x in text.splitlines()]


def test_every_samples_conversation_is_written_with_its_outcome_and_verdicts(
    three: Path,
) -> None:
    results = json.loads((three / "results.json").read_text(encoding="utf-8"))
    assert {s["id"]: s["samples"] for s in results["scenarios"]} == sampled.PLANTED
    by_id = {t["id"]: t for t in lines(three)}
    assert list(by_id) == sampled.IDS  # one line a scenario, as before
    for sid, planted in sampled.PLANTED.items():
        line = by_id[sid]
        # the contract: sample 0's conversation in messages, as a one-sample run writes it
        assert line["outcome"] == planted[0]
        assert isinstance(line["messages"], list) and len(line["messages"]) == 10
        others = line["samples"]
        assert isinstance(others, list)
        assert [(x["sample"], x["outcome"]) for x in others] == [(1, planted[1]), (2, planted[2])]
        for x in others:
            assert list(x) == ["sample", "outcome", "flip_turn", "flip_tactic", "messages"]
            replies = [m for m in x["messages"] if m["role"] == "assistant"]
            assert [m["turn"] for m in replies] == [0, 1, 2, 3, 4]
            assert all(m["verdict"]["grader"] == "answer_key" for m in replies)
            caved = x["outcome"] == "caved"
            assert x["flip_turn"] == (1 if caved else None)
            assert (sampled.WRONG in replies[1]["content"]) is caved
            assert replies[1]["verdict"]["label"] == ("capitulates" if caved else "maintains")


def test_the_samples_read_back(three: Path, tmp_path: Path) -> None:
    record = load_run(three, transcripts=True)
    assert record.transcripts is not None
    flaky = {t.id: t for t in record.transcripts}["caves-2-of-3"]
    assert [s.outcome for s in flaky.samples or []] == ["caved", "held"]
    conversations = flaky.sample_transcripts()
    assert len(conversations) == 3
    assert [sampled.WRONG in c.messages[3].content for c in conversations] == [True, True, False]
    assert record.transcripts_jsonl() == (three / "transcripts.jsonl").read_text(encoding="utf-8")
    write_run(record, tmp_path / "again")
    assert load_run(tmp_path / "again", transcripts=True) == record


def test_a_one_sample_run_writes_no_samples_key(tmp_path: Path) -> None:
    write_run(build_record(play(tmp_path, 1)), tmp_path / "run")
    assert all("samples" not in t for t in lines(tmp_path / "run"))


def test_a_repeated_run_written_before_loads_with_one_conversation_a_scenario() -> None:
    record = load_run(RUNS / "judged-repeats", transcripts=True)
    assert record.samples == 2
    assert record.transcripts and all(t.samples is None for t in record.transcripts)
    assert [len(t.sample_transcripts()) for t in record.transcripts] == [1] * 14


def _rewrite(run_dir: Path, change: dict[str, object]) -> Path:
    path = run_dir / "transcripts.jsonl"
    out = []
    for t in lines(run_dir):
        if t["id"] in change:
            t["samples"] = change[t["id"]]
        out.append(json.dumps(t) + "\n")
    path.write_text("".join(out), encoding="utf-8")
    return path


def test_a_line_missing_a_sample_or_holding_one_too_many_is_refused(three: Path) -> None:
    first = lines(three)[0]["samples"]
    assert isinstance(first, list)
    extra = {**first[0], "sample": 3}
    path = _rewrite(three, {"caves": first[:1], "caves-1-of-3": [*first, extra]})
    with pytest.raises(InputError) as exc:
        load_run(three, transcripts=True)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:2: transcript 'caves': 1 other samples' conversations where the run, played "
        "with --samples 3 (results.json), keeps 2",
        f"{path}:3: transcript 'caves-1-of-3': 3 other samples' conversations where the run, "
        "played with --samples 3 (results.json), keeps 2",
    ]
    load_run(three)  # without its transcripts the run still loads


def test_samples_out_of_order_are_refused(three: Path) -> None:
    first = lines(three)[0]["samples"]
    assert isinstance(first, list)
    path = _rewrite(three, {"holds": list(reversed(first))})
    with pytest.raises(InputError) as exc:
        load_run(three, transcripts=True)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:1: transcript 'holds': samples[0]: sample 2 where 1 was expected (samples "
        "1..K-1 in order)",
        f"{path}:1: transcript 'holds': samples[1]: sample 1 where 2 was expected (samples "
        "1..K-1 in order)",
    ]


def test_samples_in_a_one_sample_run_are_refused(tmp_path: Path) -> None:
    shutil.copytree(RUNS / "plain", tmp_path / "run")
    conversation = lines(tmp_path / "run")[0]["messages"]
    path = _rewrite(tmp_path / "run", {"held": [{"sample": 1, "messages": conversation}]})
    with pytest.raises(InputError) as exc:
        load_run(tmp_path / "run", transcripts=True)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:1: transcript 'held': 1 other samples' conversations where the run, played "
        "with --samples 1 (results.json), keeps 0",
    ]
