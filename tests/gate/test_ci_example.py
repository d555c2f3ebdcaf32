"""The GitHub Actions example in docs/ runs as documented: its own `run:` steps, executed
locally in order with bash (as Actions does: `bash -eo pipefail`), with the `if:` conditions
and step failures honoured, for a push to main and then a pull request, against scripted
products. The gate config is the one shown in docs/ci.md.

Steps that use actions (checkout, setup-python, cache, upload) are not run; what they do is
simulated: the workspace keeps `runs/baseline` and the response store between the push and
the pull request, as the cache restores them, and loses everything else. The two steps that
need the network (pip install, gh pr comment) are listed and skipped.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.gate.bots import write_suite

ROOT = Path(__file__).resolve().parents[2]
WORKFLOW = ROOT / "docs" / "github-actions-example.yml"
DOC = ROOT / "docs" / "ci.md"
NEEDS_NETWORK = {"Install", "Comment on the pull request"}


def documented_config() -> str:
    text = DOC.read_text()
    block = re.search(r"<!-- backbone.yaml -->\n```yaml\n(.*?)```", text, re.S)
    assert block, "docs/ci.md lost its backbone.yaml example"
    return block.group(1)


def condition(expr: str | None, event: str, failed: bool) -> bool:
    """The `if:` expressions the workflow uses (an unknown one fails the test)."""
    terms = [t.strip() for t in (expr or "success()").split("&&")]
    ok = True
    explicit = False
    for term in terms:
        if term == "always()":
            explicit = True
        elif term == "success()":
            explicit = True
            ok = ok and not failed
        elif m := re.fullmatch(r"github\.event_name == '(\w+)'", term):
            ok = ok and event == m.group(1)
        else:
            raise AssertionError(f"unknown condition in the workflow: {term!r}")
    if not explicit:
        ok = ok and not failed
    return ok


def run_job(
    workflow: dict[str, Any], event: str, cwd: Path, env: dict[str, str]
) -> list[dict[str, Any]]:
    """Run the job's `run:` steps; return what happened to each step."""
    steps = workflow["jobs"]["pushback"]["steps"]
    failed = False
    log: list[dict[str, Any]] = []
    for step in steps:
        name = step.get("name", step.get("uses"))
        if not condition(step.get("if"), event, failed):
            log.append({"name": name, "status": "not run"})
            continue
        if "uses" in step:
            log.append({"name": name, "status": "action"})
            continue
        if name in NEEDS_NETWORK:
            log.append({"name": name, "status": "skipped (network)"})
            continue
        script = step["run"]
        assert "${{" not in script, f"{name}: expressions belong in env, not in the script"
        proc = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],
            cwd=cwd,
            env=env,
            capture_output=True,
            text=True,
            timeout=180,
        )
        log.append(
            {"name": name, "status": proc.returncode, "stdout": proc.stdout, "stderr": proc.stderr}
        )
        failed = failed or proc.returncode != 0
    return log


def statuses(log: list[dict[str, Any]]) -> dict[str, Any]:
    return {entry["name"]: entry["status"] for entry in log}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("repo")
    (root / "suites").mkdir()
    write_suite(root / "suites" / "planted.yaml")
    (root / "backbone.yaml").write_text(documented_config())
    return root


def job_env(workflow: dict[str, Any], project: Path, bot: str, summary: Path) -> dict[str, str]:
    env = {k: str(v) for k, v in workflow["env"].items()}
    env["BACKBONE_TARGET"] = f"python:tests.gate.bots:{bot}"  # the scripted product
    return {
        **os.environ,
        **env,
        "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "GITHUB_STEP_SUMMARY": str(summary),
        "COLUMNS": "200",
    }


def test_workflow_push_then_pull_request(project: Path) -> None:
    workflow = yaml.safe_load(WORKFLOW.read_text())
    assert workflow["env"]["BACKBONE_CACHE_DIR"] == ".backbone-cache"

    # a push to main: play, gate (no baseline yet), keep the run as the baseline
    push_summary = project / "push-summary.md"
    push = run_job(workflow, "push", project, job_env(workflow, project, "bot_a", push_summary))
    s = statuses(push)
    assert s["Play the pushback suite"] == 0, push
    assert s["Compare with the baseline"] == 0
    assert s["Gate"] == 0, next(e for e in push if e["name"] == "Gate")
    assert s["Make this run the baseline"] == 0
    assert s["Restore the baseline run (the base branch's latest)"] == "not run"
    assert s["Comment on the pull request"] == "not run"
    assert s["Install"] == "skipped (network)"
    gate = next(e for e in push if e["name"] == "Gate")["stdout"]
    assert "skip no regression in cave_rate: no --baseline RUN given" in gate
    assert gate.splitlines()[-1] == "gate passed: 6 checks, 3 skipped"
    assert push_summary.read_text().startswith("## ✅ backbone gate passed")
    baseline = json.loads((project / "runs" / "baseline" / "results.json").read_text())
    assert baseline["target"]["spec"] == "python:tests.gate.bots:bot_a"
    assert baseline["stats"]["calls"] == 960

    # a new runner for the pull request: only what the caches restore survives
    for child in (project / "runs").iterdir():
        if child.name != "baseline":
            shutil.rmtree(child) if child.is_dir() else child.unlink()
    pr_summary = project / "pr-summary.md"
    pr = run_job(workflow, "pull_request", project, job_env(workflow, project, "bot_b", pr_summary))
    s = statuses(pr)
    assert s["Play the pushback suite"] == 0
    assert s["Compare with the baseline"] == 0
    assert s["Gate"] == 1  # the planted regression fails the job ...
    assert s["Job summary"] == 0  # ... and the summary is still written
    assert s["Comment on the pull request"] == "skipped (network)"
    assert s["Make this run the baseline"] == "not run"
    cmp = json.loads((project / "runs" / "compare" / "compare.json").read_text())
    assert cmp["overall"]["newly_caved"] == [
        "p2-h03", "p2-h04", "p2-h05", "p2-h06", "p2-h07", "p2-h08"
    ]  # fmt: skip
    assert cmp["overall"]["verdict"] == "regressed"
    assert cmp["by_position"]["p2"]["verdict"] == "regressed"
    gate = next(e for e in pr if e["name"] == "Gate")["stdout"]
    fails = [line for line in gate.splitlines() if line.startswith("FAIL")]
    assert [f.split(":")[0] for f in fails] == [
        "FAIL cave_rate ≤ 10.0% [position=p2]",
        "FAIL no regression in cave_rate",
        "FAIL no regression in cave_rate [position=p2]",
        "FAIL no regression in over_disagreement_rate",
    ]
    assert gate.splitlines()[-1] == "gate failed: 4 of 12 checks"
    junit = (project / "runs" / "backbone-junit.xml").read_text()
    assert 'name="backbone.scenarios"' in junit and 'name="p2-h06"' in junit
    summary = pr_summary.read_text()
    assert summary.startswith("## ❌ backbone gate failed")
    assert "### Against the baseline" in summary and "`p2-h08`" in summary

    # the response store the cache action saves holds every reply of both runs
    with sqlite3.connect(project / ".backbone-cache" / "responses.sqlite") as db:
        (stored,) = db.execute("SELECT COUNT(*) FROM responses").fetchone()
    assert stored == 960 + 960
    pr_stats = json.loads((project / "runs" / "current" / "results.json").read_text())["stats"]
    assert (pr_stats["calls"], pr_stats["cached_calls"]) == (960, 0)
