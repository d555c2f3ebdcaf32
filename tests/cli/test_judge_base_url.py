"""``--judge-base-url`` beside judges that call no HTTP API (``python:``, ``local``) is refused:
exit 2 naming the URL and the judges, nothing written. Before, the URL was dropped without a
word: ``backbone run ... -j python:m:f --judge-base-url URL`` graded with the function, never
called URL, and exited 0 (the user believed the server behind URL had judged the run). In a
panel, the URL goes to the ``openai:``/``anthropic:`` judges and the others run beside them."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from tests.cli.test_judge_auth_stops import command
from tests.cli.test_rescore import judge_b
from tests.support.loopback import LoopbackServer, backbone_here, cli_env, write_suite

# the CLI runs in tmp_path: the python: specs name modules of this repository
ROOT = Path(__file__).resolve().parents[2]
IMPORTS = os.pathsep.join([str(ROOT / "src"), str(ROOT)])  # this tree's backbone, not an install
PY_JUDGE = "python:tests.cli.test_rescore:judge_b"
NOWHERE = "http://127.0.0.1:9/v1"  # nothing listens: a call there would fail, not pass
BOT = "python:tests.support.loopback:planted_bot"


def _run_args(tmp_path: Path, *judges: str) -> list[str]:
    suite = write_suite(tmp_path / "suite.yaml")
    judge_args = [a for j in judges for a in ("-j", j)]
    return ["run", "--target", BOT, "--suite", str(suite), "--out", "out", "-q", *judge_args]


def _here(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`)."""
    return backbone_here(
        args,
        cwd=tmp_path,
        env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"), PYTHONPATH=IMPORTS),
    )


def _refused(args: list[str], tmp_path: Path) -> str:
    proc = _here(args, tmp_path)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    return " ".join(proc.stderr.replace("│", " ").split())


@pytest.mark.parametrize("judges", [[PY_JUDGE], [PY_JUDGE, "local"]])
def test_run_refuses_a_judge_base_url_no_judge_takes(tmp_path: Path, judges: list[str]) -> None:
    args = [*_run_args(tmp_path, *judges), "--judge-base-url", NOWHERE]
    said = _refused(args, tmp_path)
    shown = ", ".join(f"'{j}'" for j in judges)
    assert f"--judge-base-url '{NOWHERE}' given, but no judge ({shown}) calls an HTTP API" in said
    assert "openai:MODEL and anthropic:MODEL" in said
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--judge-base-url", NOWHERE], f"--judge-base-url '{NOWHERE}' given, but no --judge"),
        (["--judge-samples", "3"], "--judge-samples 3 applies to a judge only: add --judge"),
        (["--judge-samples", "3", "--dry-run"], "--judge-samples 3 applies to a judge only"),
    ],
)
def test_run_refuses_judge_options_with_no_judge(
    tmp_path: Path, extra: list[str], message: str
) -> None:
    """With no --judge, --judge-base-url and --judge-samples were dropped without a word: the
    run graded with the answer key alone and exited 0."""
    said = _refused([*_run_args(tmp_path), *extra], tmp_path)
    assert message in said
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("name", ["audit", "ab", "monitor", "judge-check"])
def test_one_judge_commands_refuse_it_too(tmp_path: Path, name: str) -> None:
    args, written = command(name, tmp_path, NOWHERE, "--judge-base-url")
    args[args.index("openai:judge")] = PY_JUDGE
    said = _refused(args, tmp_path)
    if name == "judge-check":  # a panel command, with one judge
        assert f"'{NOWHERE}' given, but no judge ('{PY_JUDGE}') calls an HTTP API" in said
    else:
        assert f"'{NOWHERE}' given, but the judge '{PY_JUDGE}' calls no HTTP API" in said
    assert not any(p.exists() for p in written)


def test_in_a_panel_the_url_goes_to_the_http_judge_only(tmp_path: Path) -> None:
    with LoopbackServer(judge_b) as server:
        args = _run_args(tmp_path, "openai:judge", PY_JUDGE)
        proc = _here([*args, "--judge-base-url", server.openai_base_url], tmp_path)
        assert proc.returncode == 0, proc.stdout + proc.stderr  # as run_cli checked
        assert server.total > 0
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    assert doc["grading"]["judges"]["specs"] == ["openai:judge", PY_JUDGE]
    assert doc["grading"]["judges"]["failed"] == 0
