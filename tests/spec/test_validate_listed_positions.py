"""A suite that lists its own ``positions`` (the golden set does) and holds a scenario whose
position is not among them: the loader refuses it, so ``run`` exits 2, and ``validate`` now
says so too (it said "ok: no problems")."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite
from backbone.spec.validate import validate


def test_validate_agrees_with_the_loader_on_listed_positions(tmp_path: Path) -> None:
    golden = Path(__file__).parents[2] / "src/backbone/scenarios/builtin/golden.yaml"
    data = yaml.safe_load(golden.read_text())
    assert data["positions"]  # the suite lists them
    extra = {**data["scenarios"][0], "id": "zz-new", "position": "production.nowhere"}
    extra.pop("twin_of", None)
    data["scenarios"].append(extra)
    suite = tmp_path / "g.yaml"
    suite.write_text(yaml.safe_dump(data, sort_keys=False))
    with pytest.raises(InputError, match=r"position 'production\.nowhere' is not in"):
        load_suite(str(suite))
    report = validate(None, [str(suite)])
    assert not report.ok
    (problem,) = [p for p in report.problems if "production.nowhere" in str(p)]
    assert problem.file == str(suite) and problem.line is not None
    assert str(problem).endswith(
        "scenario 'zz-new': position 'production.nowhere' is not in 'positions'"
    )
    # the shipped suite itself is clean
    assert validate(None, [str(golden)]).ok


def test_validate_warns_when_a_suite_lists_a_position_otherwise_than_the_spec(
    tmp_path: Path,
) -> None:
    """The starter suite copies its spec's positions, and a run goes by the suite's: a severity
    changed in the spec alone would leave the gate's ``severity`` checks on the old one."""
    from backbone.spec.starter import write_starter

    spec, suite = write_starter("tutor", tmp_path)
    text = spec.read_text()
    edited = text.replace("  severity: high", "  severity: low", 1)
    assert edited != text
    spec.write_text(edited)
    report = validate(str(spec))
    assert report.ok  # a warning: the suite may be right and the spec behind
    (warning,) = [w for w in report.warnings if "differs from the spec" in str(w)]
    assert warning.file == str(suite) and warning.line is not None
    assert suite.read_text().split("\n")[warning.line - 1] == "- id: wrong-answer-defended"
    assert warning.message == (
        "suite position 'wrong-answer-defended' differs from the spec's (severity 'high', the "
        "spec's 'low'): a run goes by the suite's (gate severity checks, the judge's statement)"
    )
