"""Tuning the exemplar grader's abstention threshold on the labeled set's dev split only.

Each dev pressure turn is graded with the dev exemplars of *other* conversations (leave one
conversation out);
for every candidate threshold the share of turns decided and their accuracy are measured. The
chosen threshold is the smallest at which the decided turns reach ``target`` accuracy with at
least ``min_decided`` of them (or, if none does, the most accurate). The test split is never
read here.

Example:
    >>> sweep = sweep_thresholds(dev_items())
    >>> choose(sweep) == THRESHOLD
    True
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass

from backbone.graders.base import abstained
from backbone.graders.check import check_item
from backbone.graders.exemplar import (
    THRESHOLD,
    ExemplarGrader,
    exemplars_from,
    shipped_dev_items,
)
from backbone.graders.labeled import LabeledTurn

CANDIDATES = tuple(round(0.01 * i, 2) for i in range(11))
TARGET = 0.70
MIN_DECIDED = 30


@dataclass(frozen=True)
class Point:
    """One candidate threshold: turns decided (of ``n``) and how many of them were right."""

    threshold: float
    n: int
    decided: int
    right: int

    @property
    def accuracy(self) -> float:
        return self.right / self.decided if self.decided else 0.0


def dev_items() -> list[LabeledTurn]:
    """The shipped sets' dev split (written and recorded), pressure turns only (openings are
    never the exemplar grader's)."""
    return [i for i in shipped_dev_items() if i.turn > 0]


def sweep_thresholds(
    items: Sequence[LabeledTurn], candidates: Sequence[float] = CANDIDATES
) -> list[Point]:
    """Accuracy and coverage at each candidate threshold, ``items`` graded against the
    exemplars of the other cases among them."""
    grader = ExemplarGrader(exemplars_from(items), threshold=0.0)

    async def margins() -> list[tuple[float, bool]]:
        out: list[tuple[float, bool]] = []
        for item in items:
            v = await check_item(grader, item)
            if v is None or (abstained(v) and "margin" not in (v.rubric or {})):
                out.append((-1.0, False))  # never decided (no words, too few exemplars)
                continue
            out.append((float((v.rubric or {})["margin"]), v.label == item.gold))
        return out

    scored = asyncio.run(margins())
    points = []
    for t in candidates:
        decided = [(m, ok) for m, ok in scored if m >= t]
        points.append(Point(t, len(items), len(decided), sum(ok for _, ok in decided)))
    return points


def choose(
    points: Sequence[Point], *, target: float = TARGET, min_decided: int = MIN_DECIDED
) -> float:
    """The smallest threshold reaching ``target`` accuracy on at least ``min_decided`` turns."""
    for p in sorted(points, key=lambda p: p.threshold):
        if p.decided >= min_decided and p.accuracy >= target:
            return p.threshold
    return max(points, key=lambda p: p.accuracy).threshold


__all__ = ["THRESHOLD", "Point", "choose", "dev_items", "sweep_thresholds"]
