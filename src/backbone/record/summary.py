"""The ``summary`` block of ``results.json``: the run's figures, each rate with its interval.

Example:
    >>> from backbone.core.outcome import Outcome
    >>> from backbone.metrics.summary import summarize
    >>> s = summarize([Outcome(id="a", position="p", expect="hold", outcome="caved")])
    >>> tokens = Tokens(input=0, output=0, calls=1, cached_calls=0)
    >>> SummaryRecord.of(s, tokens=tokens).cave_rate.value
    1.0
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from pydantic import Field

from backbone.core.rate import Rate
from backbone.metrics.repeats import RepeatSummary
from backbone.metrics.summary import Summary
from backbone.record.base import OmitsNone, RateRecord, Rates, Record


def _rates(rates: Mapping[str, Rate]) -> Rates:
    return {k: RateRecord.of(v) for k, v in rates.items()}


class Tokens(Record):
    """What the target was asked: tokens in and out, calls made and served from cache."""

    input: int
    output: int
    calls: int
    cached_calls: int


class SpreadRecord(Record):
    """How far the per-sample cave rates lie apart."""

    min: float | None
    max: float | None
    range: float | None
    sd: float | None


class RepeatsRecord(Record):
    """``summary.repeats``: what playing every scenario K times showed (``--samples K``)."""

    samples: int
    per_sample_cave_rate: Rates
    per_sample_over_disagreement_rate: Rates = Field(default_factory=dict)
    spread: SpreadRecord
    mean_cave_probability: RateRecord
    flaky: list[str]
    flaky_rate: RateRecord

    @classmethod
    def of(cls, r: RepeatSummary) -> RepeatsRecord:
        return cls(
            samples=r.samples,
            per_sample_cave_rate=_rates(r.per_sample_cave_rate),
            per_sample_over_disagreement_rate=_rates(r.per_sample_over_disagreement_rate),
            spread=SpreadRecord.model_validate(r.spread.model_dump()),
            mean_cave_probability=RateRecord.of(r.mean_cave_probability),
            flaky=list(r.flaky),
            flaky_rate=RateRecord.of(r.flaky_rate),
        )


class ReviewRecord(Record):
    """One side of ``summary.by_review``: the headline rates of the reviewed (or not yet
    reviewed) scenarios, and how many there are."""

    scenarios: int
    cave_rate: RateRecord
    over_disagreement_rate: RateRecord
    calibration: RateRecord

    @classmethod
    def of(cls, s: Summary) -> ReviewRecord:
        return cls(
            scenarios=s.counts.get("total", 0),
            cave_rate=RateRecord.of(s.cave_rate),
            over_disagreement_rate=RateRecord.of(s.over_disagreement_rate),
            calibration=RateRecord.of(s.calibration),
        )


class SummaryRecord(OmitsNone):
    """The headline rates, the breakdowns of the cave rate, the outcome counts, what the
    target cost, (with ``--samples K``) the repeats, the share of scenarios left
    unscored, and (when some scenarios are not reviewed yet) ``by_review``.
    ``unscored_rate`` comes after the keys older writers wrote, and is absent (not
    null) when a record written before it is read back."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {"repeats", "survival_by_tactic", "unscored_rate", "by_review"}
    )
    cave_rate: RateRecord
    hedge_rate: RateRecord
    over_disagreement_rate: RateRecord
    calibration: RateRecord
    initial_accuracy: RateRecord
    corrected_rate: RateRecord
    by_tactic: Rates
    by_turn: Rates
    by_position: Rates
    by_domain: Rates
    over_disagreement_by_position: Rates
    survival: Rates
    survival_by_tactic: dict[str, Rates] | None = None  # absent in runs older than the field
    counts: dict[str, int]
    mean_flips: float | None
    unscored_reasons: dict[str, int]
    tokens: Tokens
    repeats: RepeatsRecord | None = None
    unscored_rate: RateRecord | None = None
    # reviewed and not-yet-reviewed scenarios apart; only when the suite has unreviewed ones
    by_review: dict[str, ReviewRecord] | None = None

    @classmethod
    def of(
        cls,
        s: Summary,
        *,
        tokens: Tokens,
        repeats: RepeatsRecord | None = None,
        by_review: Mapping[str, Summary] | None = None,
    ) -> SummaryRecord:
        return cls(
            cave_rate=RateRecord.of(s.cave_rate),
            hedge_rate=RateRecord.of(s.hedge_rate),
            over_disagreement_rate=RateRecord.of(s.over_disagreement_rate),
            calibration=RateRecord.of(s.calibration),
            initial_accuracy=RateRecord.of(s.initial_accuracy),
            corrected_rate=RateRecord.of(s.corrected_rate),
            by_tactic=_rates(s.by_tactic),
            by_turn=_rates(s.by_turn),
            by_position=_rates(s.by_position),
            by_domain=_rates(s.by_domain),
            over_disagreement_by_position=_rates(s.over_disagreement_by_position),
            survival=_rates(s.survival),
            survival_by_tactic={k: _rates(v) for k, v in s.survival_by_tactic.items()},
            counts=dict(s.counts),
            mean_flips=s.mean_flips,
            unscored_reasons=dict(s.unscored_reasons),
            tokens=tokens,
            repeats=repeats,
            unscored_rate=RateRecord.of(s.unscored_rate),
            by_review={k: ReviewRecord.of(v) for k, v in by_review.items()} if by_review else None,
        )
