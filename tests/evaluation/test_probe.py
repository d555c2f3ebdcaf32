"""The probe wiring: every play goes through ``evaluate`` with the response cache (a rerun
makes no call), and ``out`` gets ``probe.json`` (the contract's names), ``report.html`` and
each arm's run files under ``runs/ARM/``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from backbone.core.errors import InputError
from backbone.evaluation import evaluate as evaluate_module
from backbone.evaluation.probe import probe
from tests.probes import bots
from tests.probes.scripted_play import code_word_suite

RATE = {"value", "ci", "n"}


def test_out_holds_probe_json_report_and_each_arms_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 5, extra=("wrong-0",))
    notes: list[str] = []
    seen: list[str] = []
    r = probe(
        "authority", str(suite), "python:tests.probes.bots:mixed", out=tmp_path / "out",
        options={"turns": 2}, on_note=notes.append, on_result=lambda s: seen.append(s.outcome.id),
    )  # fmt: skip
    out = tmp_path / "out"
    doc = json.loads((out / "probe.json").read_text())
    assert doc["schema_version"] == 1 and doc["kind"] == "authority"
    assert doc["target"]["spec"] == "python:tests.probes.bots:mixed"
    assert doc["target"]["identity"]["provider"] == "python"
    assert doc["suite"] == {"name": "probe-items", "ref": str(suite), "scenarios": 7}
    assert doc["options"] == {"turns": 2}
    assert set(doc["arms"]) == {"expert", "layperson", "doubt"}
    for arm in doc["arms"].values():
        assert set(arm["cave_rate"]) >= RATE and arm["cave_rate"]["n"] == 5
    gap = doc["authority_gap"]
    assert {"value", "ci", "n", "p_value"} <= set(gap) and gap["n"] == 5
    assert gap == r.figures["authority_gap"]  # the file is the result
    assert doc["figure_names"] == ["authority_gap", "expert_vs_doubt", "layperson_vs_doubt"]
    assert doc["n_items"] == 5 and len(doc["items"]) == 6
    assert any("wrong-0" in n for n in doc["notes"])
    # each arm is an ordinary run, its scenarios named ITEM@ARM
    for arm in ("expert", "layperson", "doubt"):
        run_dir = out / "runs" / arm
        assert {p.name for p in run_dir.iterdir()} == {
            "results.json", "transcripts.jsonl", "report.html"
        }  # fmt: skip
        results = json.loads((run_dir / "results.json").read_text())
        assert [s["id"] for s in results["scenarios"]] == [
            f"{i}@{arm}" for i in ("item-0", "item-1", "item-2", "item-3", "item-4", "wrong-0")
        ]
        assert results["options"]["probe"] == "authority" and results["options"]["arm"] == arm
        assert doc["runs"][arm]["dir"] == f"runs/{arm}" and doc["runs"][arm]["scenarios"] == 6
        first = json.loads((run_dir / "transcripts.jsonl").read_text().splitlines()[0])
        pushes = [m["content"] for m in first["messages"] if m["role"] == "user"][1:]
        assert len(pushes) == 2 and all("Milan" in p for p in pushes)
    assert (out / "report.html").read_text().startswith("<!doctype html>")
    assert [n.split(":")[0] for n in notes if n.startswith("authority")] == [
        "authority · expert", "authority · layperson", "authority · doubt"
    ]  # fmt: skip
    assert len(seen) == 18 and "item-0@expert" in seen
    assert not (out / ".backbone").exists()


def test_a_rerun_is_served_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 4)
    bots.CALLS.clear()
    first = probe("authority", str(suite), "python:tests.probes.bots:credentials_only")
    made = len(bots.CALLS)
    # 4 items x 3 arms x (opening + 3 pushbacks), less the openings of the second and third
    # arm: the same first question, already in the cache
    assert made == 4 * 3 * 4 - 2 * 4 == sum(r["calls"] for r in first.runs.values())
    again = probe("authority", str(suite), "python:tests.probes.bots:credentials_only")
    assert len(bots.CALLS) == made  # not one call more
    assert all(r["calls"] == 0 for r in again.runs.values())
    assert sum(r["cached_calls"] for r in again.runs.values()) == 4 * 3 * 4
    assert again.figures == first.figures and again.arms == first.arms


def test_every_play_is_one_call_of_evaluate(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[dict[str, object]] = []
    real = evaluate_module.evaluate

    def spy(*args: object, **kwargs: object) -> object:
        calls.append(kwargs)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("backbone.evaluation.probe.evaluate", spy)
    suite = bots.items(tmp_path / "s.yaml", 2)
    probe("persuasion", str(suite), bots.emotional_at_3, cache=False, concurrency=3,
          retries=1, options={"turns": 1})  # fmt: skip
    assert len(calls) == 4
    assert [c["options"]["arm"] for c in calls] == ["credibility", "logic", "emotional", "control"]  # type: ignore[index]
    assert all(c["cache"] is False and c["concurrency"] == 3 and c["retries"] == 1 for c in calls)


def test_a_failing_probe_writes_nothing(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 2)
    with pytest.raises(InputError, match="unknown option"):
        probe("authority", str(suite), bots.mixed, out=tmp_path / "out", options={"x": 1})
    assert not (tmp_path / "out" / "probe.json").exists()
    assert not (tmp_path / "out" / "runs").exists()


def test_unknown_kind_is_an_input_error() -> None:
    with pytest.raises(InputError, match="unknown probe kind 'flattery'"):
        probe("flattery", "builtin:golden", bots.mixed)


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ({"out": ""}, ValueError, "out is empty"),  # probe.json and runs/ went into the cwd
        ({"suite": None}, TypeError, "suite must be a path"),  # an AttributeError in the loader
        # a ValueError from dict(): 'dictionary update sequence element #0 has length 1'
        ({"options": "turns=1"}, TypeError, "options must be a mapping such as"),
    ],
    ids=repr,
)
def test_an_argument_of_the_wrong_type_is_named_before_anything_runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bad: dict[str, object],
    error: type[Exception],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    arguments: dict[str, Any] = {"suite": str(bots.items(tmp_path / "s.yaml", 2)), **bad}
    with pytest.raises(error, match=message):
        probe("authority", target=bots.mixed, cache=False, **arguments)
    assert [p.name for p in tmp_path.iterdir()] == ["s.yaml"]


def test_a_probe_into_an_earlier_probes_folder_keeps_only_its_own_plays(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``probe cues --out DIR`` then ``probe confidence --out DIR`` left runs/no_cue,
    runs/user_hint and runs/metadata beside runs/stated: a reader of runs/* saw arms that were
    not this probe's. The earlier probe's plays (as its probe.json lists them) are removed;
    a file of the user's in one of them, and a folder no probe.json names, stay."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = tmp_path / "s.yaml"
    doc = code_word_suite(4).model_dump(mode="json", exclude_none=True)
    suite.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    probe("cues", str(suite), "python:tests.probes.kind_bots:silent_follower", out=out)
    runs = out / "runs"
    assert sorted(p.name for p in runs.iterdir()) == ["metadata", "no_cue", "user_hint"]
    (runs / "no_cue" / "my-notes.txt").write_text("mine", encoding="utf-8")
    (runs / "mine").mkdir()
    (runs / "mine" / "results.json").write_text("{}", encoding="utf-8")
    notes: list[str] = []
    result = probe(
        "confidence", str(suite), "python:tests.probes.kind_bots:stated_bot", out=out,
        options={"stated": True}, on_note=notes.append,
    )  # fmt: skip
    assert set(result.runs) == {"stated"}
    assert sorted(p.name for p in runs.iterdir()) == ["mine", "no_cue", "stated"]
    assert sorted(p.name for p in (runs / "no_cue").iterdir()) == ["my-notes.txt"]
    assert (runs / "mine" / "results.json").read_text(encoding="utf-8") == "{}"
    assert sorted((runs / "stated").iterdir()) == sorted(
        runs / "stated" / n for n in ("results.json", "transcripts.jsonl", "report.html")
    )
    assert "removed runs/metadata/, a play of the probe written there before" in notes
    assert any(n.startswith("runs/no_cue/ (a play of the probe written there before)")
               for n in notes)  # fmt: skip
    assert json.loads((out / "probe.json").read_text())["kind"] == "confidence"


def test_an_out_whose_runs_is_a_file_is_refused_before_any_call(tmp_path: Path) -> None:
    """``--out DIR`` where DIR/runs is a file: every play was made (8 calls with --no-cache),
    then writing runs/ARM/ failed. It is refused before the first call, naming runs."""
    suite = bots.items(tmp_path / "s.yaml", 2)
    out = tmp_path / "out"
    out.mkdir()
    (out / "runs").write_text("mine", encoding="utf-8")
    with pytest.raises(InputError, match="runs: exists and is not a directory"):
        probe("authority", str(suite), bots.never_called, out=out, cache=False)
    assert sorted(p.name for p in out.iterdir()) == ["runs"]
    assert (out / "runs").read_text(encoding="utf-8") == "mine"
