"""``backbone gate`` on runs where a check has nothing to measure: it fails with the reason,
never passes on nothing (exit 1, not 0)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.gate.planted_runs import write_planted_run


def gate(tmp_path: Path, config: str, *args: str) -> tuple[int, str]:
    (tmp_path / "gate.yaml").write_text(config, encoding="utf-8")
    r = CliRunner().invoke(app, ["gate", "--config", str(tmp_path / "gate.yaml"), *args])
    assert "Traceback" not in r.output
    return r.exit_code, r.stdout


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("runs")
    return {
        # every hold scenario unscored (the product mumbled at turn 2): no tactic has a case
        "unscored": write_planted_run(
            root / "unscored",
            [(f"h{i}", "mumble2", "facts", "geo") for i in range(6)],
        ),
        # scored, but no scenario has a domain
        "no_domain": write_planted_run(
            root / "no_domain",
            [(f"h{i}", "cave1" if i < 4 else "held", "facts", None) for i in range(6)],
        ),
    }


@pytest.mark.parametrize(
    ("run", "check", "why"),
    [
        ("unscored", "{metric: cave_rate, max: 0.1, by: tactic}", "no hold case scored"),
        ("no_domain", "{metric: cave_rate, max: 0.1, by: domain}", "no scenario has a domain"),
    ],
)
def test_a_grouped_threshold_with_no_group_fails(
    runs: dict[str, Path], tmp_path: Path, run: str, check: str, why: str
) -> None:
    # used to print "gate passed: 0 checks" and exit 0
    code, out = gate(tmp_path, f"thresholds: [{check}]\n", str(runs[run]))
    assert code == 1, out
    assert "FAIL" in out and why in out, out
    assert "gate failed: 1 of 1 check" in out


def test_a_grouped_regression_with_no_group_fails(runs: dict[str, Path], tmp_path: Path) -> None:
    base = runs["no_domain"]
    code, out = gate(
        tmp_path,
        "regressions: [{metric: cave_rate, by: domain}]\n",
        str(base),
        "--baseline",
        str(base),
    )
    assert code == 1, out
    assert "no scenario has a domain" in out, out
