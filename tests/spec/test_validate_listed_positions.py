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
