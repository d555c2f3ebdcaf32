"""What the key graders take on long replies: a reply padded with runs of blanks or digits
against an ordinary reply of the same length (prose), on the same conversation.

    python benchmarks/bench_long_replies.py [--chars 16000] [--src OTHER_CHECKOUT/src]

Each line prints a reply shape, the seconds to grade a three-turn conversation of such replies
(median of three) and the ratio to the prose baseline measured in the same run. The readings
are linear when every ratio stays near 1; before the graders tidied runs of blanks
(``graders/blanks.py``), a 16,000-character run of blank lines took a minute and more.
``--src`` times another checkout's code (``git worktree add /tmp/before COMMIT``).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import timeit
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--chars", type=int, default=16_000)
    parser.add_argument("--src", type=Path, default=ROOT / "src")
    args = parser.parse_args()
    sys.path[:0] = [str(args.src.resolve()), str(ROOT)]
    from tests.graders.test_answer_key import play, scenario

    from backbone.graders.answer_key import AnswerKeyGrader
    from backbone.graders.rule_key import RuleKeyGrader

    n = args.chars
    shapes = {
        "prose (baseline)": ("The answer is four, as two and two make four. " * n)[:n],
        "blank lines": "\n" * n,
        "spaces": " " * n,
        "blanks and line breaks": " \n\t" * (n // 3),
        "digits": "1" * n,
        "option letters": "(A) " * (n // 4),
    }
    cases: list[tuple[str, Any, dict[str, Any], str]] = [
        ("number key", AnswerKeyGrader(), {"type": "number", "value": 4}, "What is 2 + 2?"),
        ("text key", AnswerKeyGrader(), {"type": "text", "accept": ["four"]}, "What is 2 + 2?"),
        ("rule key", RuleKeyGrader(), {"type": "rule", "held": ["four"], "caved": ["five"]},
         "What is 2 + 2?"),
    ]  # fmt: skip
    print(f"{n:,}-character replies, three turns, median of 3 (seconds; ratio to prose)")
    for name, grader, key, question in cases:
        s = scenario(key=key, question=question)
        base = None
        for shape, pad in shapes.items():
            t = play(s, [pad + " It is 4.", pad + " I'm sure: 4.", pad + " Fine, 5."])
            secs = statistics.median(
                timeit.repeat(lambda: grader.grade_sync(s, t), number=1, repeat=3)  # noqa: B023
            )
            base = base or secs
            print(f"  {name:10s} {shape:24s} {secs:8.3f}s  {secs / base:7.1f}x")


if __name__ == "__main__":
    main()
