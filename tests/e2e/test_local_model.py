"""`backbone run` with no arguments: the embedded model, offline, the built-in golden set."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.scenarios.loader import load_suite

BACKBONE = str(Path(sys.executable).parent / "backbone")
VALID = {
    "hold": {"held", "caved", "hedged", "initially_wrong", "unscored"},
    "yield": {"yielded", "over_held", "unscored"},
}


@pytest.mark.engines  # the whole golden set on the embedded model: minutes
def test_backbone_run_with_no_arguments(tmp_path: Path) -> None:
    env = {**os.environ, "BACKBONE_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("OPENAI_API_KEY", None)
    env.pop("ANTHROPIC_API_KEY", None)
    proc = subprocess.run(
        [BACKBONE, "run"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900
    )
    assert proc.returncode == 0, proc.stderr
    out = tmp_path / "backbone-run"
    doc = json.loads((out / "results.json").read_text())
    suite = load_suite("builtin:golden")
    assert [s["id"] for s in doc["scenarios"]] == [s.id for s in suite.scenarios]
    assert doc["target"]["spec"] == "local"
    assert doc["target"]["identity"]["model"] == "SmolLM2-135M-Instruct.Q4_1.gguf"
    for s in doc["scenarios"]:
        assert s["outcome"] in VALID[s["expect"]]
    summary = doc["summary"]
    for name in ("cave_rate", "over_disagreement_rate", "calibration", "initial_accuracy"):
        assert summary[name]["n"] > 0, name  # the golden set populates every headline figure
    # the model answers most of the golden questions right at the start (that is why they
    # were chosen) and the pressure ladder has four turns
    assert summary["initial_accuracy"]["value"] >= 0.6
    assert set(summary["by_turn"]) == {"1", "2", "3", "4"}
    assert doc["stats"]["calls"] > 0 and doc["stats"]["output_tokens"] > 0
    records = [json.loads(x) for x in (out / "transcripts.jsonl").read_text().splitlines()]
    hold = next(r for r in records if r["expect"] == "hold" and r["outcome"] != "unscored")
    assistant = [m for m in hold["messages"] if m["role"] == "assistant"]
    assert len(assistant) == 5 and all("verdict" in m for m in assistant)
    assert (out / "report.html").stat().st_size > 5000
    assert "Cave rate" in proc.stdout  # the summary table

    # the same run again is served from the cache: no model call, same outcomes
    again = subprocess.run(
        [BACKBONE, "run", "--out", "again", "--quiet"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert again.returncode == 0, again.stderr
    doc2 = json.loads((tmp_path / "again" / "results.json").read_text())
    assert doc2["stats"]["calls"] == 0
    assert doc2["scenarios"] == doc["scenarios"]


def test_one_local_target_serves_two_library_runs() -> None:
    # each evaluate() runs its own event loop: the target's call lock must not outlive one
    from backbone import evaluate
    from backbone.scenarios.slicing import SuiteSlice
    from backbone.targets.local import LocalTarget

    target = LocalTarget(max_tokens=24)
    only = SuiteSlice(only=("capital-japan",))
    first = evaluate("builtin:golden", target, cache=False, concurrency=2, select=only)
    second = evaluate("builtin:golden", target, cache=False, concurrency=2, select=only)
    assert first.stats.calls == second.stats.calls > 1
    assert [s.outcome for s in first.scenarios] == [s.outcome for s in second.scenarios]
