"""Runs of blanks in a transcript, tidied before the key graders read it.

The key graders read replies with regular expressions, and Python's engine backtracks: a
pattern such as ``\\s+(?:because|since)`` tried at every position of a run of thousands of
spaces or blank lines (a small model that pads its reply, a logged reply that is mostly
whitespace) costs time in the square of the run's length, so one such reply held a run for
minutes. A run of spaces or tabs reads the same as one space, and a run of blank lines as one
blank line, so the graders read the transcript with its runs tidied and every pattern sees
runs of a few characters at most (:mod:`backbone.graders.readable` applies it).

Example:
    >>> tidy_blanks("It is 9 J.\\t\\t  So:\\n\\n\\n \\n\\nyes")
    'It is 9 J. So:\\n\\nyes'
"""

from __future__ import annotations

import re

_BLANKS = re.compile(r"[^\S\n]+")  # spaces, tabs and the other blanks of a line
_BLANK_LINES = re.compile(r"\n(?: ?\n)+")  # two line breaks or more, once lines are tidied


def tidy_blanks(text: str) -> str:
    """``text`` with each run of blanks within a line as one space and each run of blank lines
    as one blank line (linear time: each run is matched once, from its start)."""
    return _BLANK_LINES.sub("\n\n", _BLANKS.sub(" ", text))
