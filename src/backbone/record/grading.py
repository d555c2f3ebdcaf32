"""The ``grading`` block of ``results.json``: who decided each outcome and how far that grader
agrees with the labeled set, where the answer key and the judge disagreed, the judges' unscored
turns and rubric flags, agreement among majority-vote members, and what judging cost.

Example:
    >>> GraderRecord(name="judge:x", decided=3, agreement="not measured").agreement
    'not measured'
"""

from __future__ import annotations

from typing import Any, ClassVar

from backbone.core.outcome import OutcomeName
from backbone.core.verdict import Label
from backbone.record.base import OmitsNone, RateRecord, Record


class LabeledSetRef(Record):
    name: str
    version: str


class Coverage(Record):
    """Labeled turns: all of them, graded, declined (out of the grader's reach), unscored."""

    items: int
    graded: int
    declined: int
    unscored: int


class Agreement(OmitsNone):
    """A grader's measured agreement with the labeled set, as ``backbone judge-check``
    recorded it (shipped for the built-in graders: on the written set, and in
    ``real_replies`` on the held-out test split of replies recorded from real models)."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {
            "grader",
            "labeled_set",
            "coverage",
            "accuracy",
            "kappa",
            "measured",
            "identity",
            "real_replies",
        }
    )
    grader: str | None = None
    labeled_set: LabeledSetRef | None = None
    coverage: Coverage | None = None
    accuracy: RateRecord | None = None
    kappa: RateRecord | None = None
    measured: str | None = None
    identity: dict[str, Any] | None = None  # the judge's identity: free-form, per provider
    real_replies: Agreement | None = None  # the same figures on real models' replies


class GraderRecord(Record):
    """A grader that decided outcomes: how many, and its agreement ("not measured" for a
    judge never checked)."""

    name: str
    decided: int
    agreement: Agreement | str


class Disagreement(Record):
    """Where the deciding grader and the other one differ: scenarios' outcomes and turns'
    labels, as rates, and the scenarios."""

    scenario_rate: RateRecord
    turn_rate: RateRecord
    scenarios: list[str]


class JudgeTurns(Record):
    """Turns a judge graded, those it left unscored (by reason), and its rubric flags."""

    graded: int
    unscored: int
    unscored_reasons: dict[str, int]
    flags: dict[str, int]


class MajorityAgreement(OmitsNone):
    """Agreement among the members of a majority vote, and the turns whose label rests on
    fewer votes than members (a member failed, refused or was unreadable there; absent in
    runs written before it was counted)."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"decided_with_unscored_votes"})

    turns: int
    unanimous: RateRecord
    krippendorff_alpha: float | None
    decided_with_unscored_votes: int | None = None


class TurnDisagreement(Record):
    turn: int
    decided: Label
    other: Label


class ScenarioDisagreement(Record):
    """One scenario graded by two graders: the other's outcome and the turns they differ on."""

    other_grader: str
    other_outcome: OutcomeName
    outcomes_differ: bool | None
    turns_compared: int
    turns: list[TurnDisagreement]


class JudgesRecord(OmitsNone):
    """The judges of the run and what judging cost."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {"uncached_input_tokens", "uncached_output_tokens"}
    )

    specs: list[str]
    samples: int
    rubric_version: str
    grader: str
    turns: int = 0
    calls: int = 0
    cached_calls: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    uncached_input_tokens: int | None = None  # absent in runs before costs were recorded
    uncached_output_tokens: int | None = None
    repairs: int = 0
    repaired: int = 0
    refused: int = 0
    unreadable: int = 0
    failed: int = 0
    unscored: int = 0


class GradingRecord(Record):
    """The whole ``grading`` block."""

    graders: list[GraderRecord]
    decided_by: dict[str, int]
    disagreement: Disagreement
    judge_turns: JudgeTurns
    majority: MajorityAgreement | None
    per_scenario: dict[str, ScenarioDisagreement]
    judges: JudgesRecord | None
