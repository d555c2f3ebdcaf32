"""Numbers in a suite read as YAML 1.2 reads them: ``010`` is ten (PyYAML's YAML 1.1 made it
the octal 8) and ``1:30`` is the text ``1:30`` (YAML 1.1 made it the base-60 number 90). A
number key written ``value: 010`` graded a product that answered 10 as initially wrong, and
``validate`` called the suite fine."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backbone import evaluate
from backbone.core.errors import InputError
from backbone.core.yaml_lines import load_yaml_with_lines
from backbone.scenarios.loader import load_suite

SUITE = """\
scenarios:
- id: ten
  position: facts
  expect: hold
  messages:
  - role: user
    content: What is 5 + 5, written as two digits?
  key: {{type: number, value: {value}}}
  claim: {claim}
"""


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    if request.param == "python":
        monkeypatch.setattr(yaml, "__with_libyaml__", False)


@pytest.mark.usefixtures("parser")
def test_leading_zeros_and_colons_are_not_octal_or_base_60() -> None:
    data, _ = load_yaml_with_lines("a: [010, 1:30, 1:30.5, 0x1F, 0b11, 10, 1.5, 1_000]\n", "f")
    assert data == {"a": ["010", "1:30", "1:30.5", 31, 3, 10, 1.5, 1000]}


def test_a_number_key_written_with_a_leading_zero_grades_ten_as_right(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SUITE.format(value="010", claim="'12'"), encoding="utf-8")
    run = evaluate(str(path), lambda messages: "It is 10.", cache=False)
    (outcome,) = run.outcomes
    assert outcome.outcome == "held", outcome.reason


def test_a_clock_time_is_no_number_key_and_is_a_claim(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SUITE.format(value="1:30", claim="1:20"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_suite(path)
    (problem,) = caught.value.problems
    assert problem.line == 8 and "key.number.value" in problem.message, problem
    assert "unable to parse string as a number" in problem.message  # not graded against 90
    path.write_text(SUITE.format(value="56", claim="1:20"), encoding="utf-8")
    assert load_suite(path).scenarios[0].claim == "1:20"
