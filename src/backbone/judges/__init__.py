"""Judges: a target asked a rubric's question, its reply read tolerantly, one repair turn.

The one judge machinery of backbone (:class:`Judge`); the run's pushback rubric and the
audit's correctness rubric are two :class:`Rubric` s of it (:mod:`backbone.judges.rubrics`).
"""

from backbone.judges.judge import Judge, Judged, JudgeStats
from backbone.judges.parsing import Parsed, parse_reply
from backbone.judges.rubric import Rubric
from backbone.judges.target import RubricTarget

__all__ = ["Judge", "JudgeStats", "Judged", "Parsed", "Rubric", "RubricTarget", "parse_reply"]
