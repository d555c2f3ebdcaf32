"""A judge spec is checked as a judge, and ``run --dry-run`` checks every spec the real run
checks: ``run -j answer-key`` said "unknown target" (a judge is not a target), a judge with
no API key pointed at ``--base-url`` (the judge's is ``--judge-base-url``), and a misspelt
``--judge`` passed the dry run (exit 0, a plan with judge costs) and failed the real one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from tests.support.loopback import backbone_here, cli_env, write_suite

ROOT = Path(__file__).resolve().parents[2]  # a python:tests... spec imports from here

FUNCTION = "python:tests.fixtures.scripted_judge:judge"


def _run(tmp: Path, *args: str) -> subprocess.CompletedProcess[str]:
    write_suite(tmp / "suite.yaml")
    return backbone_here(
        ["run", "--suite", "suite.yaml", "-q", *args],
        cwd=tmp,
        env=cli_env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", BACKBONE_CACHE_DIR=str(tmp / "cache")),
    )


def test_a_built_in_grader_given_as_a_judge_is_named_as_such(tmp_path: Path) -> None:
    r = _run(tmp_path, "--target", FUNCTION, "--judge", "answer-key", "--out", "out")
    assert r.returncode == 2, r.stderr
    assert "unknown target" not in r.stderr
    assert "'answer-key' is a built-in grader, not a judge" in r.stderr
    assert "without --judge" in r.stderr
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_an_unknown_judge_is_called_a_judge(tmp_path: Path) -> None:
    r = _run(tmp_path, "--target", FUNCTION, "--judge", "opnai:gpt-4o", "--out", "out")
    assert r.returncode == 2, r.stderr
    assert "error: unknown judge 'opnai:gpt-4o': expected one of local, openai:MODEL" in r.stderr
    assert not (tmp_path / "out").exists()


def test_a_judge_with_no_key_names_the_judge_and_its_base_url_option(tmp_path: Path) -> None:
    r = _run(tmp_path, "--target", FUNCTION, "--judge", "openai:gpt-4o", "--out", "out")
    assert r.returncode == 2, r.stderr
    assert "openai judge needs OPENAI_API_KEY in the environment (or --judge-base-url " in (
        r.stderr
    )
    assert "--base-url for" not in r.stderr
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--judge", "opnai:gpt-4o"], "unknown judge 'opnai:gpt-4o'"),
        (["--judge", "answer-key"], "'answer-key' is a built-in grader, not a judge"),
        (["--judge", "python:tests.fixtures.scripted_judge:nosuch"], "has no function 'nosuch'"),
        (["--judge", FUNCTION, "--judge-base-url", "http://127.0.0.1:9/v1"], "no judge"),
        (["--pressure", "python:tests.fixtures.scripted_judge:nosuch"], "no function 'nosuch'"),
        (["--base-url", "http://127.0.0.1:9/v1"], "calls an HTTP API"),
        (["--batch"], "--batch needs an openai:MODEL or anthropic:MODEL target"),
    ],
    ids=["misspelt", "grader", "no-function", "judge-url", "pressure", "url", "batch"],
)
def test_the_dry_run_refuses_what_the_real_run_refuses(
    tmp_path: Path, args: list[str], message: str
) -> None:
    """Each of these exited 0 with a plan, then the run itself exited 2."""
    dry = _run(tmp_path, "--target", FUNCTION, *args, "--dry-run")
    assert dry.returncode == 2, dry.stdout + dry.stderr
    assert message in dry.stderr
    assert "dry run:" not in dry.stdout
    assert "Traceback" not in dry.stderr
    real = _run(tmp_path, "--target", FUNCTION, *args, "--out", "out")
    assert real.returncode == 2, real.stderr
    assert message in real.stderr


def test_a_dry_run_with_a_good_judge_still_plans(tmp_path: Path) -> None:
    r = _run(tmp_path, "--target", FUNCTION, "--judge", FUNCTION, "--dry-run")
    assert r.returncode == 0, r.stderr
    assert "judges:" in r.stdout
    assert not (tmp_path / "cache").exists() or not any((tmp_path / "cache").iterdir())


def test_a_dry_run_without_a_provider_key_estimates_and_warns(tmp_path: Path) -> None:
    """The estimate is what a user wants before setting a key: a missing key is a warning
    (the real run refuses it), and the other specs are still checked past it."""
    dry = _run(tmp_path, "--target", "openai:gpt-4o-mini", "--judge", "anthropic:claude-x",
               "--dry-run")  # fmt: skip
    assert dry.returncode == 0, dry.stderr
    assert "dry run:" in dry.stdout and "judges:" in dry.stdout
    assert "warning: openai target needs OPENAI_API_KEY" in dry.stderr
    assert "warning: anthropic judge needs ANTHROPIC_API_KEY in the environment" in dry.stderr
    assert "Traceback" not in dry.stderr
    misspelt = _run(tmp_path, "--target", "openai:gpt-4o-mini", "--judge", "opnai:x", "--dry-run")
    assert misspelt.returncode == 2 and "unknown judge 'opnai:x'" in misspelt.stderr
    real = _run(tmp_path, "--target", FUNCTION, "--judge", "openai:gpt-4o", "--out", "out")
    assert real.returncode == 2 and "openai judge needs OPENAI_API_KEY" in real.stderr
