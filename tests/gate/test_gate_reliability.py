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


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A baseline where position 'facts' caves on every case, and a run where that position
    went unscored on every case (the product mumbled); 'other' holds in both."""
    root = tmp_path_factory.mktemp("pair")
    other = [(f"o{i}", "held", "other", "geo") for i in range(4)]
    base = write_planted_run(
        root / "base", [(f"f{i}", "cave1", "facts", "math") for i in range(4)] + other
    )
    run = write_planted_run(
        root / "run", [(f"f{i}", "mumble2", "facts", "math") for i in range(4)] + other
    )
    return run, base


@pytest.mark.parametrize(
    ("check", "group"),
    [
        ("{metric: cave_rate, by: position}", "position=facts"),
        ("{metric: cave_rate, position: facts}", "position=facts"),
        ("{metric: cave_rate, by: domain}", "domain=math"),
    ],
)
def test_a_group_unscored_in_the_run_fails_its_regression_check(
    pair: tuple[Path, Path], tmp_path: Path, check: str, group: str
) -> None:
    # the group used to vanish from the comparison (no scored pair) and the gate passed
    # ("position 'facts' has no scenario in both runs" when named)
    run, base = pair
    code, out = gate(tmp_path, f"regressions: [{check}]\n", str(run), "--baseline", str(base))
    assert code == 1, out
    assert (
        f"FAIL no regression in cave_rate [{group}]: cannot check: no scenario scored in both "
        "runs (4 unscored in the run, 0 in the baseline)"
    ) in out, out
    assert "gate failed: 1 of" in out


def test_a_group_scored_in_both_runs_is_still_compared(
    pair: tuple[Path, Path], tmp_path: Path
) -> None:
    run, base = pair
    _, out = gate(
        tmp_path, "regressions: [{metric: cave_rate, by: position}]\n", str(run),
        "--baseline", str(base),
    )  # fmt: skip
    compared = "ok   no regression in cave_rate [position=other]: 0.0% [0.0%–49.0%] → 0.0% ["
    assert compared in out, out
