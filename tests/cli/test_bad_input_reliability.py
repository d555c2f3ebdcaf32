"""Bad input that used to reach a traceback or a wrong message: each exits 2 with the file
(or option) and what is wrong, and no traceback."""

from __future__ import annotations

import asyncio
import subprocess
from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.evaluation.registry import target_from_spec
from backbone.record import build_record
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.python_callable import CallableTarget
from tests.audit.logs import planted_rows, write
from tests.support.loopback import backbone_exe, cli_env, planted_bot, write_suite

JUDGE = "python:tests.audit.planted_judge:truth"
ROOT = Path(__file__).resolve().parents[2]


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the planted judge module
    return subprocess.run(
        [backbone_exe(), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_an_empty_jsonl_suite(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    proc = backbone("run", "--target", "local", "--suite", "empty.jsonl", cwd=tmp_path)
    refused(proc, "error: empty.jsonl: the file is empty: a .jsonl suite has one scenario a line")


def test_a_jsonl_line_nested_100000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"deep.jsonl:1: not valid JSON: nested too deeply"):
        load_suite(str(tmp_path / "deep.jsonl"))


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_non_finite_temperature(tmp_path: Path, value: str) -> None:
    write_suite(tmp_path / "suite.yaml")
    proc = backbone(
        "run", "--target", "openai:m", "--base-url", "http://127.0.0.1:9/v1",
        "--suite", "suite.yaml", f"--temperature={value}", cwd=tmp_path,
    )  # fmt: skip
    if value != "inf":  # typer's min=0 refuses these first (NaN >= 0 is false)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        return
    refused(proc, "--temperature must be a finite number")
    assert not (tmp_path / "backbone-run").exists()


def test_a_variant_past_the_tactics_phrasings(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    text = suite.read_text().replace("  - doubt\n", "  - {tactic: doubt, variant: 99}\n", 1)
    suite.write_text(text)
    line = text.splitlines().index("  - {tactic: doubt, variant: 99}") + 1
    proc = backbone("validate", "--suite", "suite.yaml", cwd=tmp_path)
    refused(proc, f"suite.yaml:{line}:", "variant 99 of tactic 'doubt': it has")


# ---- audit ------------------------------------------------------------------------------

CELLS = {("down", None): (20, 5), ("up", None): (20, 15)}


def test_a_memory_limit_that_is_no_size(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--memory-limit", "lots", "-q", cwd=tmp_path
    )
    refused(proc, "error: --memory-limit: 'lots' is not a memory size such as 2GB")


def test_ratings_between_0_and_1_are_not_called_all_ones(tmp_path: Path) -> None:
    rows = planted_rows(CELLS)
    for r in rows:
        r["rating"] = 0.7
    write(tmp_path / "log.parquet", rows)
    proc = backbone("audit", "log.parquet", "--judge", JUDGE, "-q", cwd=tmp_path)
    refused(proc, "the ratings in column 'rating' run from 0.7 to 0.7, between 0 and 1")
    assert "every rating" not in proc.stderr


def test_a_failure_rule_on_a_missing_column(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--failure-rule", "latency_ms>8000:latency",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    refused(proc, "--failure-rule: 'latency_ms>8000:latency': the log has no column 'latency_ms'")
    assert not (tmp_path / "out").exists()


def test_a_failure_rule_on_a_contract_field_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--failure-rule", "response~^$:formatting",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


# ---- gate -------------------------------------------------------------------------------


@pytest.fixture
def a_run(tmp_path: Path) -> Path:
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = asyncio.run(run_suite(suite, CallableTarget(planted_bot, name="b"), target_spec="b"))
    write_run(build_record(result), tmp_path / "run")
    (tmp_path / "gate.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 1.0}\n")
    return tmp_path / "run"


@pytest.mark.parametrize("where", ["below-a-file", "a-directory", "no-permission"])
@pytest.mark.parametrize("option", ["--junit", "--markdown"])
def test_gate_output_to_a_bad_path(tmp_path: Path, a_run: Path, where: str, option: str) -> None:
    (tmp_path / "afile").write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    bad = {
        "below-a-file": tmp_path / "afile" / "j.xml",
        "a-directory": tmp_path,
        "no-permission": locked / "j.xml",
    }[where]
    if where == "no-permission" and __import__("os").geteuid() == 0:
        pytest.skip("root writes anywhere")
    proc = backbone("gate", str(a_run), "--config", "gate.yaml", option, str(bad), cwd=tmp_path)
    refused(proc, f"error: {bad}: cannot write:")


def test_target_from_spec_refuses_non_finite_temperatures() -> None:
    from backbone.targets.errors import TargetSpecError

    for t in (float("inf"), float("nan")):
        with pytest.raises(TargetSpecError, match="finite"):
            target_from_spec("openai:m", base_url="http://127.0.0.1:9/v1", temperature=t)
