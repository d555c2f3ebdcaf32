"""Sequential mode: play a suite in a seeded random order and stop once the decision is clear.

The scenarios are shuffled (``seed``) so that the stream is an exchangeable sample of the
suite, and each result is fed to the :class:`~backbone.gate.sequential.Monitor` in that
order (never in completion order, which could depend on the outcome). Once the monitor
decides, no new conversation starts; those in flight finish and are kept in the run. The
runner plays (:class:`EarlyStop` gives it the order and the stop rule); nothing here drives a
conversation.

* Limit mode (``max`` / ``min``): one observation per scored hold case (caved?) for
  ``cave_rate``, per scored yield case (over-held?) for ``over_disagreement_rate``.
* Regression mode: one observation per *discordant* pair with the baseline (1 = newly caved,
  0 = newly held); the null is 1/2 (a sequential exact McNemar).

The same order and monitor replayed over a finished run (:func:`replay`) reach the same
decision at the same scenario, so a config behaves the same whether the gate played the run
or read it.

Example:
    >>> from backbone.gate.config import Sequential
    >>> from backbone.core.outcome import Outcome
    >>> outs = [Outcome(id=str(i), position="p", expect="hold", outcome="held")
    ...         for i in range(80)]
    >>> rec = replay(outs, Sequential(metric="cave_rate", max=0.1), None)
    >>> (rec.decision, rec.decided_after)
    ('pass', 69)
"""

from __future__ import annotations

import hashlib
import json
import random
from collections.abc import Mapping, Sequence
from typing import TypeVar

from backbone.core.outcome import HOLD_SCORED, YIELD_SCORED, Outcome
from backbone.gate.config import Sequential
from backbone.gate.result import SequentialRecord
from backbone.gate.sequential import Monitor
from backbone.metrics.compare import ladder_differs

T = TypeVar("T")


def play_order(items: Sequence[T], seed: int) -> list[T]:
    """The seeded random order in which sequential mode plays (or replays) scenarios."""
    order = list(items)
    random.Random(seed).shuffle(order)
    return order


def observation(
    o: Outcome,
    seq: Sequential,
    baseline: Mapping[str, Outcome] | None,
    same_pressure: bool = True,
) -> int | None:
    """What one scenario's outcome adds to the sequential stream (None: nothing). In
    regression mode a scenario whose baseline played it under another pressure ladder adds
    nothing when the two runs played their pressure the same way (``same_pressure``), as
    :func:`~backbone.metrics.compare.compare_outcomes` leaves such a pair out."""
    scored: tuple[str, ...]
    if seq.metric == "cave_rate":
        expect, scored, bad = "hold", HOLD_SCORED, "caved"
    else:
        expect, scored, bad = "yield", YIELD_SCORED, "over_held"
    if o.expect != expect or o.outcome not in scored:
        return None
    if not seq.regression:
        return int(o.outcome == bad)
    base = (baseline or {}).get(o.id)
    if base is None or base.expect != expect or base.outcome not in scored:
        return None
    if same_pressure and ladder_differs(base, o):
        return None
    was, now = base.outcome == bad, o.outcome == bad
    return None if was == now else int(now)


def baseline_digest(baseline: Mapping[str, Outcome]) -> str:
    """A digest of what a regression-mode check pairs with: each baseline scenario's id,
    expect, outcome and ladder. A live decision read back by ``backbone gate`` is the gate's
    own only when its baseline has the same digest.

    Example:
        >>> held = Outcome(id="s", position="p", expect="hold", outcome="held")
        >>> caved = held.model_copy(update={"outcome": "caved"})
        >>> baseline_digest({"s": held}) == baseline_digest({"s": caved})
        False
    """
    rows = sorted((o.id, o.expect, o.outcome, o.tactics) for o in baseline.values())
    return hashlib.sha256(json.dumps(rows, ensure_ascii=False).encode()).hexdigest()[:16]


def new_monitor(seq: Sequential) -> Monitor:
    return Monitor(
        max=seq.max,
        min=seq.min,
        regression=seq.regression,
        alpha=seq.alpha,
        prior=seq.prior,
        min_observations=seq.min_scenarios,
    )


class _Tracker:
    """Feeds outcomes in play order and remembers where the decision came."""

    def __init__(
        self, seq: Sequential, baseline: Mapping[str, Outcome] | None, same_pressure: bool
    ) -> None:
        self.seq = seq
        self.baseline = baseline
        self.same_pressure = same_pressure
        self.monitor = new_monitor(seq)
        self.fed = 0
        self.decided_after: int | None = None
        self.ci: tuple[float, float] = (0.0, 1.0)
        self.estimate: float | None = None
        self.observations = 0

    def feed(self, o: Outcome) -> bool:
        """Returns True once the decision is made."""
        self.fed += 1
        if self.decided_after is not None:
            return True
        x = observation(o, self.seq, self.baseline, self.same_pressure)
        if x is not None:
            self.monitor.observe(x)
            cs = self.monitor.cs
            self.ci, self.estimate, self.observations = (cs.low, cs.high), cs.estimate, cs.n
        if self.monitor.decision is not None:
            self.decided_after = self.fed
            return True
        return False

    def record(self, played: int, total: int, live: bool) -> SequentialRecord:
        return SequentialRecord(
            check=self.seq.describe(),
            decision=self.monitor.decision,
            verdict=self.monitor.verdict,
            decided_after=self.decided_after,
            observations=self.observations,
            estimate=self.estimate,
            ci=self.ci,
            alpha=self.seq.alpha,
            seed=self.seq.seed,
            played=played,
            total=total,
            live=live,
            baseline=(
                baseline_digest(self.baseline)
                if self.seq.regression and self.baseline is not None
                else None
            ),
            min_scenarios=self.seq.min_scenarios,
            prior=self.seq.prior,
        )


def replay(
    outcomes: Sequence[Outcome],
    seq: Sequential,
    baseline: Mapping[str, Outcome] | None,
    *,
    same_pressure: bool = True,
) -> SequentialRecord:
    """Feed a finished run's outcomes in the sequential play order; where would it stop?
    ``same_pressure``: as for :func:`observation`."""
    tracker = _Tracker(seq, baseline, same_pressure)
    for o in play_order(outcomes, seq.seed):
        if tracker.feed(o):
            break
    return tracker.record(played=len(outcomes), total=len(outcomes), live=False)


class EarlyStop:
    """Sequential mode while playing: the seeded order to play in, and the stop rule the
    runner feeds each outcome to, in that order (:func:`backbone.runner.engine.run_suite`'s
    ``order`` and ``stop``).

    Example:
        >>> from backbone.core.outcome import Outcome
        >>> early = EarlyStop(Sequential(metric="cave_rate", max=0.1))
        >>> held = Outcome(id="x", position="p", expect="hold", outcome="held")
        >>> [early.feed(held) for _ in range(69)][-2:]
        [False, True]
        >>> early.record(played=69, total=200).decided_after
        69
    """

    def __init__(
        self,
        seq: Sequential,
        baseline: Mapping[str, Outcome] | None = None,
        *,
        same_pressure: bool = True,
    ) -> None:
        self.seq = seq
        self._tracker = _Tracker(seq, baseline, same_pressure)

    def order(self, items: Sequence[T]) -> list[T]:
        """The play order: ``items`` shuffled with the check's seed."""
        return play_order(items, self.seq.seed)

    def feed(self, outcome: Outcome) -> bool:
        """The next outcome in play order; True once the decision is clear."""
        return self._tracker.feed(outcome)

    def record(self, *, played: int, total: int) -> SequentialRecord:
        """Where and how the check decided, ``played`` of ``total`` scenarios played."""
        return self._tracker.record(played=played, total=total, live=True)
