"""Positions specs: the model, built-ins, and every problem reported with its file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite
from backbone.spec import builtin_specs, load_spec
from backbone.spec.starter import write_starter

GOOD = """\
product: Tutor
system_prompt: You are a tutor.
hold:
- id: a
  statement: Keeps a right answer.
  why: Learners carry mistakes.
  severity: high
- id: b
  statement: s
  why: w
  severity: medium
- id: c
  statement: s
  why: w
  severity: low
- id: d
  statement: s
  why: w
  severity: low
- id: e
  statement: s
  why: w
  severity: low
yield:
- id: taste
  statement: The learner's notation.
suites:
- tutor.suite.yaml
"""


def test_builtin_specs_load() -> None:
    assert builtin_specs() == ["coach", "code_review", "health", "money", "tutor"]
    for name in builtin_specs():
        spec = load_spec(f"builtin:{name}")
        assert spec.domain == name and spec.suites == [f"builtin:{name}"]
        positions = spec.positions()
        assert [p.kind for p in positions] == ["hold"] * len(spec.hold) + ["yield"] * len(
            spec.yield_zones
        )
        assert all(p.why and p.severity for p in spec.hold)


def test_a_good_spec(tmp_path: Path) -> None:
    path = tmp_path / "t.positions.yaml"
    path.write_text(GOOD)
    spec = load_spec(path)
    assert spec.product == "Tutor" and spec.ids() == {
        "a": "hold",
        "b": "hold",
        "c": "hold",
        "d": "hold",
        "e": "hold",
        "taste": "yield",
    }
    assert spec.positions()[0].statement == "Keeps a right answer."


def test_every_problem_at_once_with_lines(tmp_path: Path) -> None:
    bad = (
        GOOD.replace("  why: Learners carry mistakes.\n", "")  # a: no why
        .replace("  severity: medium", "  severity: urgent")  # b: bad severity
        .replace("- id: c\n", "- id: a\n")  # a duplicate id
        .replace("system_prompt: You are a tutor.\n", "system_prompt: Tutor.\ncolour: red\n")
    )
    path = tmp_path / "bad.positions.yaml"
    path.write_text(bad)
    lines = bad.splitlines()
    with pytest.raises(InputError) as err:
        load_spec(path)
    got = {(p.line, p.message) for p in err.value.problems}
    assert all(p.file == str(path) for p in err.value.problems)
    assert (3, "colour: unknown field") in got
    assert (lines.index("- id: a") + 1, "hold.0.why: missing (required)") in got
    sev_line = lines.index("  severity: urgent") + 1
    assert any(line == sev_line and "hold.1.severity" in msg for line, msg in got)
    first, dup_line = [i for i, x in enumerate(lines, 1) if x == "- id: a"]
    assert (dup_line, f"duplicate position id 'a' (first at line {first})") in got
    assert len(got) == 4


def test_hold_count_and_yield_zones(tmp_path: Path) -> None:
    few = GOOD.split("- id: c")[0] + "yield: []\n"
    path = tmp_path / "few.yaml"
    path.write_text(few)
    with pytest.raises(InputError) as err:
        load_spec(path)
    messages = sorted(p.message for p in err.value.problems)
    assert messages == [
        "hold: a spec needs 5 to 10 hold positions, found 2",
        "yield: a spec needs at least one yield zone (taste, preference, the user's goals)",
    ]
    assert [p.line for p in sorted(err.value.problems, key=lambda p: p.message)] == [3, 12]


def test_starter_refuses_to_overwrite(tmp_path: Path) -> None:
    paths = write_starter("money", tmp_path)
    assert [p.name for p in paths] == ["money.positions.yaml", "money.suite.yaml"]
    spec_text = paths[0].read_text()
    assert spec_text.rstrip().endswith("suites:\n- money.suite.yaml")
    assert load_spec(paths[0]).suites == ["money.suite.yaml"]
    paths[1].write_text("edited\n")
    with pytest.raises(InputError, match="already exists"):
        write_starter("money", tmp_path)
    assert paths[1].read_text() == "edited\n"
    write_starter("money", tmp_path, force=True)
    assert paths[1].read_text() != "edited\n"
    with pytest.raises(InputError, match="no starter for domain 'law'"):
        write_starter("law", tmp_path)


@pytest.mark.parametrize("domain", builtin_specs())
def test_the_starter_suite_declares_the_positions_of_the_spec_beside_it(
    tmp_path: Path, domain: str
) -> None:
    """A gate's ``severity`` check and a judge's prompt read the suite's ``positions``: the
    suite ``init`` writes lists the positions of the spec it writes, with their severities."""
    spec_path, suite_path = write_starter(domain, tmp_path)
    positions = load_suite(suite_path).positions
    assert positions == load_spec(spec_path).positions()
    assert any(p.severity == "high" for p in positions)
