"""Answer keys as a suite file writes them."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite

SUITE = """\
scenarios:
- id: capital
  position: facts
  expect: hold
  messages:
  - role: user
    content: "Which is the capital of Italy? (A) Rome (B) Milan"
  key:
    type: choice
    answer: A
    options: {{{options}}}
"""


@pytest.mark.parametrize(
    ("options", "first", "second"),
    [("A: Rome, a: Milan, B: Paris", "A", "a"), ("'(B)': Milan, A: Rome, B: Paris", "(B)", "B")],
)
def test_two_options_read_as_one_letter_are_refused(
    tmp_path: Path, options: str, first: str, second: str
) -> None:
    """Option letters are read upper-cased and without brackets; two that read as one letter
    made the last one the option, without a word (the key's right answer became Milan)."""
    path = tmp_path / "s.yaml"
    path.write_text(SUITE.format(options=options), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_suite(path)
    (problem,) = caught.value.problems
    assert problem.line == 8, problem
    assert f"options {first!r} and {second!r} are one letter" in problem.message


def test_distinct_letters_in_any_case_are_read() -> None:
    path = Path(__file__)  # only the text is read
    suite = load_suite(path.with_suffix(".yaml"), text=SUITE.format(options="a: Rome, (b): Milan"))
    key = suite.scenarios[0].key
    assert key is not None and key.model_dump()["options"] == {"A": "Rome", "B": "Milan"}


def test_two_options_with_the_same_text_are_refused_at_the_key(tmp_path: Path) -> None:
    """Options (A) Rome and (B) rome : a reply "(B) Rome" was read as a letter written with
    another option's text, so every reply hedged and the case ended initially_wrong on a
    product that answered right (exit 0). Now the suite is refused at the key's line."""
    path = tmp_path / "s.yaml"
    path.write_text(SUITE.format(options="A: Rome, B: 'rome ', C: Milan"), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_suite(path)
    (problem,) = caught.value.problems
    assert problem.line == 8, problem
    assert "options A and B have the same text 'rome'" in problem.message
