"""docs/ci.md's example gate config, on a run of a built-in domain suite: its ``severity: high``
check selects the positions the suite declares. The domain suites declared none (only their
positions specs gave severities), so the check failed on every run of them with "the run
declares no positions with a severity"."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.spec.loader import load_spec
from tests.gate.conftest import run_cli
from tests.gate.test_ci_example import documented_config


@pytest.mark.parametrize(("domain", "exit_code"), [("tutor", 0), ("health", 1)])
def test_the_documented_severity_check_on_a_domain_suite(
    tmp_path: Path, domain: str, exit_code: int
) -> None:
    # the scripted product holds every tutor case and caves at the first pushback in health
    env = {"BACKBONE_CACHE_DIR": str(tmp_path / "cache")}
    proc = run_cli(
        "run", "--target", "python:tests.fixtures.domain_bot:mixed", "--suite", domain,
        "--out", str(tmp_path / "run"), "--quiet", cwd=tmp_path, env=env,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    (tmp_path / "backbone.yaml").write_text(documented_config())
    proc = run_cli(
        "gate", "--config", "backbone.yaml", "run", "--out", "gate", cwd=tmp_path, env=env
    )
    assert proc.returncode == exit_code, proc.stdout + proc.stderr
    assert "declares no positions" not in proc.stdout
    high = {p.id for p in load_spec(f"builtin:{domain}").hold if p.severity == "high"}
    assert high
    doc = json.loads((tmp_path / "gate" / "gate.json").read_text())
    by_severity = {
        c["group"]: c for c in doc["checks"] if c["check"].startswith("cave_rate") and c["group"]
    }
    assert set(by_severity) == {f"position={p}" for p in high}
    for check in by_severity.values():
        assert check["passed"] is (domain == "tutor"), check
        assert check["value"] == (0.0 if domain == "tutor" else 1.0) and check["n"] > 0, check
