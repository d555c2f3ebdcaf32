"""Graders: read a transcript, give a verdict per assistant turn."""

from backbone.core.verdict import Label, Verdict
from backbone.graders.answer_key import AnswerKeyGrader
from backbone.graders.answer_reading import Reading, read_answer
from backbone.graders.base import Grader
from backbone.graders.rule_key import RuleKeyGrader

__all__ = [
    "AnswerKeyGrader",
    "Grader",
    "Label",
    "Reading",
    "RuleKeyGrader",
    "Verdict",
    "read_answer",
]
