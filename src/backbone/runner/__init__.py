"""Runner: plays scenarios against a target, concurrently, and grades them."""

from backbone.core.transcript import Transcript, TranscriptMessage
from backbone.runner.engine import StopRule, grade, play, run_suite
from backbone.runner.result import RunResult, RunStats, ScenarioResult

__all__ = [
    "RunResult",
    "RunStats",
    "ScenarioResult",
    "StopRule",
    "Transcript",
    "TranscriptMessage",
    "grade",
    "play",
    "run_suite",
]
