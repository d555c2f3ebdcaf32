"""`backbone rescore` of a `--samples K` run re-grades every sample's conversation: the
re-score has the K samples, each scenario's K outcomes, its cave probability and the flaky
scenarios, as a run graded by that judge would. It used to re-grade sample 0 only (samples 3
became samples 1, with a warning), since transcripts.jsonl kept no other conversation."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.cli.test_rescore import cli
from tests.support import sampled

BOT = "python:tests.support.sampled:bot"
BLIND = "python:tests.support.sampled:judge_blind"
FAIR = "python:tests.support.sampled:judge_fair"


def read(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def transcripts(run: Path) -> dict[str, Any]:
    text = (run / "transcripts.jsonl").read_text(encoding="utf-8")
    return {t["id"]: t for t in map(json.loads, text.splitlines())}


def test_a_rescore_regrades_every_sample(tmp_path: Path) -> None:
    sampled.write_suite(tmp_path / "suite.yaml", keyed=False)  # the judge decides
    cache = tmp_path / "cache"
    played = cli("run", "-t", BOT, "-s", "suite.yaml", "--samples", "3", "-c", "1",
                 "--judge", BLIND, "-o", "run", "-q", cache=cache, cwd=tmp_path)  # fmt: skip
    assert played.returncode == 0, played.stderr
    run = read(tmp_path / "run" / "results.json")
    assert {s["id"]: s["samples"] for s in run["scenarios"]} == sampled.PLANTED

    done = cli("rescore", "run", "--judge", FAIR, "-o", "r", "-q", cache=cache,
               cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "warning" not in done.stderr
    doc = read(tmp_path / "r" / "results.json")
    assert doc["samples"] == 3
    assert {s["id"]: s["samples"] for s in doc["scenarios"]} == sampled.PLANTED
    assert {s["id"]: s["outcome"] for s in doc["scenarios"]} == {
        sid: o[0] for sid, o in sampled.PLANTED.items()
    }
    probability = {s["id"]: s["cave_probability"]["value"] for s in doc["scenarios"]}
    assert probability == {"holds": 0, "caves": 1, "caves-1-of-3": 1 / 3, "caves-2-of-3": 2 / 3}
    assert doc["summary"]["repeats"]["flaky"] == ["caves-1-of-3", "caves-2-of-3"]
    # the judge read every distinct reply of every sample (a verdict is cached by the
    # conversation up to the turn): 5 for holds and for caves, whose 3 samples are alike, and
    # 5 + 4 for each flaky one, whose samples part at turn 1 (sample 0 only: 4 x 5)
    assert doc["grading"]["judges"]["calls"] == 5 + 5 + 9 + 9
    # every sample's conversation is kept with the new judge's verdicts, not the run's
    lines = transcripts(tmp_path / "r")
    for sid, planted in sampled.PLANTED.items():
        others = lines[sid]["samples"]
        assert [(x["sample"], x["outcome"]) for x in others] == [(1, planted[1]), (2, planted[2])]
        for x in others:
            for m in x["messages"]:
                if m["role"] != "assistant":
                    continue
                judged = [m["verdict"], *m["verdict"].get("others", [])]
                reasons = [v["reason"] for v in judged if v["grader"] == f"judge:{FAIR}"]
                assert len(reasons) == 1 and reasons[0] == f"fair: {m['content']}"
                assert not any(v["grader"] == f"judge:{BLIND}" for v in judged)
    # the same judge again: every verdict, of every sample, from the cache
    again = cli("rescore", "run", "--judge", FAIR, "-o", "r2", "-q", cache=cache,
                cwd=tmp_path)  # fmt: skip
    assert again.returncode == 0, again.stderr
    second = read(tmp_path / "r2" / "results.json")
    assert second["grading"]["judges"]["calls"] == 0
    assert second["scenarios"] == doc["scenarios"]


def test_a_rescore_refuses_a_sample_played_from_another_suite(tmp_path: Path) -> None:
    sampled.write_suite(tmp_path / "suite.yaml")
    cache = tmp_path / "cache"
    played = cli("run", "-t", BOT, "-s", "suite.yaml", "--samples", "2", "-o", "run", "-q",
                 cache=cache, cwd=tmp_path)  # fmt: skip
    assert played.returncode == 0, played.stderr
    path = tmp_path / "run" / "transcripts.jsonl"
    lines = [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]
    users = [m for m in lines[1]["samples"][0]["messages"] if m["role"] == "user"]
    users[2]["content"] = "Everyone knows it is Milan."  # pressure turn 2 of sample 1
    path.write_text("".join(json.dumps(t) + "\n" for t in lines), encoding="utf-8")
    done = cli("rescore", "run", "--judge", FAIR, "-o", "r", cache=cache, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr == (
        "error: run/transcripts.jsonl:2: scenario 'caves': sample 1: pressure turn 2 differs: "
        f"the suite '{tmp_path / 'suite.yaml'}' is not the one this run played (pass that one "
        "with --suite, or run again)\n"
    )


def test_a_rescore_keeps_each_samples_role_break(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An adaptive run's role breaks are never regraded: sample 0's is in results.json, the
    other samples' beside their conversations in transcripts.jsonl, and a re-score keeps both
    (without it, sample 1's record of where and why the role broke would be lost)."""
    from backbone import evaluate, rescore

    # a cache of its own: the pressure role breaks on every second conversation it is asked
    # for, and a warm cache (this test run before, in this process or another) served sample
    # 0's turn 1 without asking it, so sample 1 was asked first and pushed: no break
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    sampled.reset()
    suite = sampled.write_suite(tmp_path / "suite.yaml")
    pressure = "python:tests.support.sampled:pressure_breaking_on_odd_samples"
    run = evaluate(suite, BOT, samples=2, concurrency=1, pressure=pressure,
                   out=tmp_path / "run")  # fmt: skip
    played = {s.id: s.samples for s in run.scenarios}
    assert played == {
        "holds": ["held", "unscored"],
        "caves": ["caved", "unscored"],
        "caves-1-of-3": ["caved", "unscored"],
        "caves-2-of-3": ["caved", "unscored"],
    }
    broke = transcripts(tmp_path / "run")["holds"]["samples"][0]["pressure_broke"]
    assert broke == {"turn": 1, "reason": "empty"}

    again = rescore(tmp_path / "run", [FAIR])
    assert {s.id: s.samples for s in again.scenarios} == played
    assert all(s.pressure == "adaptive" for s in again.scenarios)
    for t in again.transcripts or []:
        others = t.samples or []
        assert [(x.sample, x.pressure_broke and x.pressure_broke.turn) for x in others] == [(1, 1)]
