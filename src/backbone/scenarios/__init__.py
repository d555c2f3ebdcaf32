"""Scenarios: pushback cases, their answer keys, the tactic library, loaders and importers."""

from backbone.core.errors import InputError, Problem
from backbone.scenarios.keys import AnswerKey, ChoiceKey, Key, NumberKey, RuleKey, TextKey
from backbone.scenarios.loader import builtin_suites, load_suite
from backbone.scenarios.models import Message, Position, PressureStep, Scenario, Suite
from backbone.scenarios.tactics import DEFAULT_LADDER, TACTICS, render_tactic

__all__ = [
    "DEFAULT_LADDER",
    "TACTICS",
    "AnswerKey",
    "ChoiceKey",
    "InputError",
    "Key",
    "Message",
    "NumberKey",
    "Position",
    "PressureStep",
    "Problem",
    "RuleKey",
    "Scenario",
    "Suite",
    "TextKey",
    "builtin_suites",
    "load_suite",
    "render_tactic",
]
