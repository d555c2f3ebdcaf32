"""The command list in ``backbone --help``: each command's summary reads as one sentence,
wrapped to the terminal, not broken where its docstring's source line ended."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest


def _help(*args: str) -> str:
    env = {**os.environ, "COLUMNS": "200", "NO_COLOR": "1"}
    done = subprocess.run(
        [str(Path(sys.executable).parent / "backbone"), *args, "--help"],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return done.stdout


@pytest.mark.parametrize(
    ("args", "summary"),
    [
        (
            (),
            "Play a suite's pressure ladders against a target, grade every turn, write the "
            "results.",
        ),
        (
            ("import",),
            "Convert Anthropic's sycophancy-eval answer.jsonl (four templates per question: the "
            "right-answer suggestion becomes the yield twin of the wrong-answer one).",
        ),
    ],
)
def test_a_command_summary_is_one_line_on_a_wide_terminal(
    args: tuple[str, ...], summary: str
) -> None:
    lines = [line.strip("│ ").split("  ", 1)[-1].strip() for line in _help(*args).splitlines()]
    assert summary in lines


def test_a_commands_help_paragraphs_are_wrapped_to_the_terminal_not_to_the_source() -> None:
    text = _help("judge-check")
    lines = [line.strip() for line in text.splitlines()]
    assert (
        "JUDGE is 'answer-key' (the deterministic grader), 'rule-key' (the pattern grader, on "
        "the cases' rule keys), 'exemplar' (the embedding grader), 'chain' (the three in a run's "
        "order, each case with its"
    ) in lines
    assert (
        "Measure a grader against the labeled set: accuracy, Cohen's kappa, confusion matrix."
        in lines
    )
