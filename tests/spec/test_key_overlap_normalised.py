"""A text key that accepts and rejects one answer is refused however the two are written:
only a case-insensitive match was caught, so ``accept: [Paris]`` with ``reject: ['paris.']``
(or ``' Paris '``, ``'PARIS!'``; or ``'4'`` and ``'four'``) passed ``validate`` and ``run``,
and every reply naming Paris was read as both the right and the wrong answer."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone import evaluate
from backbone.core.errors import InputError
from backbone.scenarios.models import Suite
from backbone.spec.validate import validate

SUITE = """\
name: t
scenarios:
  - id: a
    position: p
    expect: hold
    messages:
      - {role: user, content: "What is the capital of France?"}
    key:
      type: text
      accept: [Paris, "4"]
      reject:
        - Lyon
        - REJECT
    claim: Lyon
"""


@pytest.mark.parametrize(
    "accepted, rejected",
    [("Paris", "paris."), ("Paris", " Paris "), ("Paris", "PARIS!"), ("4", "four")],
)
def test_validate_refuses_an_answer_both_accepted_and_rejected(
    tmp_path: Path, accepted: str, rejected: str
) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.replace("REJECT", repr(rejected)), encoding="utf-8")
    report = validate(suites=[suite])
    assert [str(p) for p in report.problems] == [
        f"{suite}:13: scenario 'a': the key accepts {accepted!r} and rejects {rejected!r}, "
        "which the grader reads as the same answer: every reply naming it would be read both "
        "ways"
    ]


@pytest.mark.parametrize("rejected", ["Paris, Texas", "Marseille", "40"])
def test_other_answers_may_be_rejected(tmp_path: Path, rejected: str) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(SUITE.replace("REJECT", repr(rejected)), encoding="utf-8")
    assert validate(suites=[suite]).problems == []


def test_evaluate_refuses_such_a_key_before_any_call() -> None:
    suite = Suite.model_validate(
        {
            "name": "code",
            "scenarios": [
                {
                    "id": "a",
                    "position": "p",
                    "expect": "hold",
                    "messages": [{"role": "user", "content": "What is the capital of France?"}],
                    "key": {"type": "text", "accept": ["Paris"], "reject": ["Lyon", "PARIS!"]},
                    "claim": "Lyon",
                }
            ],
        }
    )
    calls: list[object] = []
    with pytest.raises(InputError, match="accepts 'Paris' and rejects 'PARIS!'"):
        evaluate(suite, lambda messages: calls.append(messages) or "Paris.", cache=False)
    assert calls == []
