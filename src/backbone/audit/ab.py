"""The A/B decomposition end to end: does arm B's extra thumbs-up come with accuracy, or at
its expense (a sycophancy gradient)?

A feedback log with an arm column (exactly two arms) -> each arm's thumbs-up rate over all
its rated events (:mod:`.ab_arms`, DuckDB) -> a stratified sample per arm × rating (the
audit's :func:`~backbone.audit.sampling.draw_sample`, plus each arm's unrated events as a
stratum of their own, :mod:`.ab_sampling`, so accuracy is the arm's whole traffic's) ->
correctness judgments (:func:`~backbone.audit.judging.judge_all`, cached) -> each arm's
weighted accuracy and the two deltas B − A with their intervals (:mod:`.ab_stats`) -> the
verdict and, when it is open, the events per arm that would decide it (:mod:`.ab_verdict`).

Example:
    >>> with open_ab_log("ab.parquet", arm_column="arm") as log:  # doctest: +SKIP
    ...     result = asyncio.run(run_ab(log, judge, ABOptions(arm_column="arm")))
    >>> result.verdict.verdict  # doctest: +SKIP
    'sycophancy_gradient'
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from backbone.audit.ab_arms import Arms, read_arms
from backbone.audit.ab_sampling import UnratedDraw, draw_unrated, tally_unrated
from backbone.audit.ab_stats import (
    ArmAccuracy,
    ArmCounts,
    Delta,
    Proportion,
    accuracy_delta,
    arm_accuracy,
    non_inferiority_p,
    preference,
    preference_delta,
)
from backbone.audit.ab_verdict import POWER, ABVerdict, Effects, decide, required_n
from backbone.audit.feedback_log import FeedbackLog
from backbone.audit.judging import AuditJudge, judge_all
from backbone.audit.models import Judgment, LogInfo, Sample, SampledEvent, StratumResult
from backbone.audit.pipeline import tally
from backbone.audit.sampling import draw_sample

DEFAULT_MARGIN = 0.01
DEFAULT_PER_STRATUM = 500


@dataclass
class ABOptions:
    arm_column: str
    baseline: str | None = None
    per_stratum: int = DEFAULT_PER_STRATUM
    margin: float = DEFAULT_MARGIN
    seed: int = 0
    concurrency: int = 8


@dataclass(frozen=True)
class ArmResult:
    """One arm: its counts, thumbs-up rate, judged accuracy and its strata."""

    name: str
    counts: ArmCounts
    preference: Proportion
    accuracy: ArmAccuracy
    strata: list[StratumResult]

    @property
    def judged(self) -> int:
        return sum(s.judged for s in self.strata)

    @property
    def scored(self) -> int:
        return sum(s.scored for s in self.strata)

    @property
    def correct(self) -> int:
        return sum(s.correct for s in self.strata)

    @property
    def whole(self) -> bool:
        """Every rated event of the arm judged."""
        return all(s.judged >= s.events for s in self.strata)


@dataclass(frozen=True)
class ABResult:
    """Everything ``ab.json`` and the report show."""

    log: LogInfo
    arm_column: str
    judge: str
    judge_identity: dict[str, Any]
    a: ArmResult
    b: ArmResult
    preference_delta: Delta
    accuracy_delta: Delta
    non_inferiority_p: float | None
    margin: float
    verdict: ABVerdict
    required_n: int | None
    power: float
    seed: int
    per_stratum: int
    unscored_reasons: dict[str, int]
    judgments: list[tuple[SampledEvent, Judgment]]
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def decided(self) -> bool:
        return self.verdict.verdict != "inconclusive"


def _arm(name: str, counts: ArmCounts, strata: Sequence[StratumResult]) -> ArmResult:
    mine = [s for s in strata if s.segment == name]
    return ArmResult(name, counts, preference(counts), arm_accuracy(mine), mine)


def unmeasured(a: ArmResult, b: ArmResult) -> list[str]:
    """The arms whose accuracy is unknown: no judged event of the arm could be scored, or none
    of one of its strata (its thumbs-down, thumbs-up or unrated events), whose weight in the
    arm's accuracy is then unknown too (:func:`~backbone.audit.ab_stats.arm_accuracy`)."""
    return [arm.name for arm in (a, b) if arm.accuracy.value is None]


STRATUM_NAMES = {"down": "thumbs-down", "up": "thumbs-up", None: "unrated"}


def blind_reason(a: ArmResult, b: ArmResult) -> str | None:
    """Why accuracy is unknown, in words (None when both arms are measured): the arms with
    nothing scored, then each arm with a stratum that has nothing scored, by stratum."""
    arms = [arm for arm in (a, b) if arm.accuracy.value is None]
    if not arms:
        return None
    parts = []
    none = [arm.name for arm in arms if arm.scored == 0]
    if none:
        parts.append(f"no judged event of {' or '.join(none)} could be scored")
    for arm in arms:
        if arm.scored:
            kinds = [
                STRATUM_NAMES.get(s.rating, str(s.rating))
                for s in arm.strata
                if s.events > 0 and s.scored == 0
            ]
            parts.append(f"no judged {' or '.join(kinds)} event of {arm.name} could be scored")
    return "; ".join(parts)


def effects(a: ArmResult, b: ArmResult, pref: Delta, acc: Delta) -> Effects | None:
    """The observed deltas and their variances per event of an arm (None when accuracy is
    unknown): the thumbs-up rate's counts only the rated share of the events, the accuracy's
    carries its design effect."""
    pa, pb = a.preference.value, b.preference.value
    qa, qb = a.accuracy.value, b.accuracy.value
    if pa is None or pb is None or qa is None or qb is None:
        return None
    assert pref.value is not None and acc.value is not None

    def pref_var(arm: ArmResult, p: float) -> float:
        return p * (1 - p) * arm.counts.events / arm.counts.rated

    def acc_var(arm: ArmAccuracy, q: float) -> float:
        if q in (0.0, 1.0):  # every judgment alike: a small sample, not an arm without spread
            q = (arm.x_eff + 0.5) / (arm.n_eff + 1)  # (as ab_stats._s2 reads a stratum)
        return (arm.design_effect or 1.0) * q * (1 - q)

    return Effects(
        pref_delta=pref.value,
        pref_variance=pref_var(a, pa) + pref_var(b, pb),
        acc_delta=acc.value,
        acc_variance=acc_var(a.accuracy, qa) + acc_var(b.accuracy, qb),
    )


def assemble(
    info: LogInfo,
    arms: Arms,
    sample: Sample,
    judgments: Sequence[Judgment],
    *,
    judge_spec: str,
    judge_identity: dict[str, Any],
    options: ABOptions,
    unrated: tuple[Sequence[UnratedDraw], Sequence[SampledEvent]] = ((), ()),
    extra_options: dict[str, Any] | None = None,
) -> ABResult:
    """Figures, verdict and required_n from a sample and its judgments (no I/O): the rated
    sample's judgments first, then the unrated events' (``unrated``: their draws, events)."""
    draws, unrated_events = unrated
    rated_judgments = judgments[: len(sample.events)]
    strata = [
        *tally(sample, rated_judgments),
        *tally_unrated(draws, unrated_events, judgments[len(sample.events) :]),
    ]
    a = _arm(arms.a, arms.counts[arms.a], strata)
    b = _arm(arms.b, arms.counts[arms.b], strata)
    pref = preference_delta(a.counts, b.counts)
    acc = accuracy_delta(a.accuracy, b.accuracy)
    verdict = decide(pref=pref.ci, acc=acc.ci, margin=options.margin)
    blind = blind_reason(a, b)
    if blind:  # the rules still apply (nothing shows B no less correct), but say why
        verdict = replace(verdict, reason=f"{verdict.reason} (accuracy unknown: {blind})")
    need: int | None = None
    if verdict.verdict == "inconclusive":
        e = effects(a, b, pref, acc)
        if e is not None:
            events = min(a.counts.events, b.counts.events)
            need = required_n(e, margin=options.margin, current=events)
    reasons = Counter(j.unscored_reason or "unknown" for j in judgments if j.correct is None)
    return ABResult(
        log=info,
        arm_column=arms.column,
        judge=judge_spec,
        judge_identity=dict(judge_identity),
        a=a,
        b=b,
        preference_delta=pref,
        accuracy_delta=acc,
        non_inferiority_p=non_inferiority_p(a.accuracy, b.accuracy, options.margin),
        margin=options.margin,
        verdict=verdict,
        required_n=need,
        power=POWER,
        seed=sample.seed,
        per_stratum=sample.per_stratum,
        unscored_reasons=dict(reasons.most_common()),
        judgments=list(zip([*sample.events, *unrated_events], judgments, strict=True)),
        options={
            "arm_column": options.arm_column,
            "baseline": options.baseline,
            "sample": options.per_stratum,
            "margin": options.margin,
            "seed": options.seed,
            **(extra_options or {}),
        },
    )


async def run_ab(
    log: FeedbackLog,
    judge: AuditJudge,
    options: ABOptions,
    *,
    on_result: Callable[[Judgment], None] | None = None,
    on_sampled: Callable[[int], None] | None = None,
    extra_options: dict[str, Any] | None = None,
) -> ABResult:
    """Read the arms of ``log`` (opened with the arm column as its segment, see
    :func:`~backbone.audit.ab_arms.open_ab_log`), judge a stratified sample of each, and put
    the result together. Raises :class:`~backbone.core.errors.InputError` for a bad arm
    column or baseline."""
    if not 0.0 <= options.margin < 1.0:
        raise ValueError(f"margin must be in [0, 1), got {options.margin}")
    arms = read_arms(log, options.arm_column, options.baseline)
    sample = draw_sample(log, options.per_stratum, options.seed)
    unrated = draw_unrated(log, options.per_stratum, options.seed)
    if on_sampled is not None:
        on_sampled(len(sample.events) + len(unrated[1]))  # the judgments to come
    judgments = await judge_all(
        judge, [*sample.events, *unrated[1]], concurrency=options.concurrency, on_result=on_result
    )
    return assemble(
        log.info,
        arms,
        sample,
        judgments,
        judge_spec=judge.spec,
        judge_identity=dict(judge.identity),
        options=options,
        unrated=unrated,
        extra_options=extra_options,
    )
