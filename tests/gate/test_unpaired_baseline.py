"""A baseline nothing in the run can pair with (no shared scenario id, or every shared id
played under another pressure ladder: another suite, or the suite changed between them) is
no evidence of no regression. ``backbone gate`` refuses it (exit 2, as ``compare`` does);
the gate as a library (``backbone.gate.evaluate``) and the pytest plugin's
``assert_no_regression`` and ``assert_gate`` fail each regression check with the reason.
Before, every check was skipped ("nothing to compare") and they passed."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backbone import evaluate
from backbone.gate.config import GateConfig
from backbone.gate.evaluate import evaluate as gate
from backbone.pytest_plugin.assertions import SuiteRun
from backbone.record import RunRecord
from tests.report.bots import steady
from tests.report.test_reports_browser import suite


def _suite_with(src: Path, dst: Path, **change: object) -> Path:
    doc = yaml.safe_load(src.read_text())
    for s in doc["scenarios"]:
        if "ladder" in change:
            s["pressure"] = change["ladder"]
        if "prefix" in change:
            s["id"] = f"{change['prefix']}{s['id']}"
    dst.write_text(yaml.safe_dump(doc))
    return dst


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, RunRecord]:
    tmp = tmp_path_factory.mktemp("unpaired")
    full = suite(tmp / "suite.yaml")
    suites = {
        "main": full,
        "short": _suite_with(full, tmp / "short.yaml", ladder=["doubt"]),
        "renamed": _suite_with(full, tmp / "renamed.yaml", prefix="v2-"),
    }
    played = {name: evaluate(str(s), steady, cache=False) for name, s in suites.items()}
    assert all(o.outcome != "unscored" for o in played["main"].outcomes)
    return played


CONFIG = {
    "regressions": [{"metric": "cave_rate"}, {"metric": "cave_rate", "by": "position"}],
    "sequential": {"regression": True},
}


def test_the_gate_fails_each_regression_check_on_a_baseline_of_other_ladders(
    runs: dict[str, RunRecord],
) -> None:
    report = gate(GateConfig.model_validate(CONFIG), runs["short"], runs["main"])
    assert not report.passed
    assert [c.kind for c in report.failures] == ["regression", "regression", "sequential"]
    why = (
        "cannot check: every scenario id the run shares with the baseline was played under "
        "another pressure ladder or expectation (first: 'held'): they are not runs of one suite"
    )
    assert all(why in c.message for c in report.failures), [c.line() for c in report.failures]
    assert not any(c.skipped for c in report.checks)
    # the same suite pairs as before: compared, no change
    assert gate(GateConfig.model_validate(CONFIG), runs["main"], runs["main"]).passed


def test_the_gate_skips_each_regression_check_on_a_baseline_sharing_no_id(
    runs: dict[str, RunRecord],
) -> None:
    # one backbone_baseline serves every suite the plugin collects: a suite it does not
    # cover is skipped, saying why ('backbone gate' refuses the pair, exit 2)
    report = gate(GateConfig.model_validate(CONFIG), runs["renamed"], runs["main"])
    assert [c.skipped for c in report.checks] == [True, True, True]
    assert all(
        c.message == "the run and the baseline share no scenario id: nothing to compare"
        for c in report.checks
    )


@pytest.mark.parametrize("run", ["short", "renamed"])
def test_the_plugin_does_not_assert_no_regression_on_a_baseline_nothing_pairs_with(
    runs: dict[str, RunRecord], run: str
) -> None:
    played = SuiteRun(runs[run], None)
    with pytest.raises(AssertionError, match=r"backbone: .*cannot check"):
        played.assert_no_regression(SuiteRun(runs["main"], None))
    SuiteRun(runs["main"], None).assert_no_regression(SuiteRun(runs["main"], None))


def test_the_plugin_gate_fails_on_a_baseline_nothing_pairs_with(
    runs: dict[str, RunRecord], tmp_path: Path
) -> None:
    config = tmp_path / "gate.yaml"
    config.write_text("regressions:\n  - metric: cave_rate\n")
    main = SuiteRun(runs["main"], None)
    with pytest.raises(AssertionError, match=r"gate failed:\nFAIL .*cannot check: every"):
        SuiteRun(runs["short"], None).assert_gate(config, main)
    with pytest.raises(AssertionError, match=r"share no scenario id"):
        SuiteRun(runs["renamed"], None).assert_gate(config, main)
    SuiteRun(runs["main"], None).assert_gate(config, main)
