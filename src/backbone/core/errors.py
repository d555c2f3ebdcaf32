"""Problems found in an input file, each with its file and line."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input: where, and what. ``kind`` names what a warning repeated
    once per scenario is about ("hold cases without a yield twin"), so that a terminal can
    show the many as one line; "" for a one-off."""

    file: str
    line: int | None
    message: str
    kind: str = field(default="", compare=False)

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class InputError(Exception):
    """Bad input: one or more problems, all reported at once."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def single(cls, file: str, line: int | None, message: str) -> InputError:
        return cls([Problem(file, line, message)])
