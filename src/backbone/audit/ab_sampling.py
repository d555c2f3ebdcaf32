"""The A/B sample's third stratum per arm: its unrated events.

Accuracy is about an arm's traffic, not only the events someone rated, and how often people
rate may differ between arms. So besides the audit's rated strata (arm × thumbs-down,
arm × thumbs-up, drawn by :func:`backbone.audit.sampling.draw_sample`), each arm's unrated
events are a stratum of their own, drawn the same way: the ``per_stratum`` smallest keys
``md5(f"{seed}:{id}")`` (uniform, without replacement, reproducible), all of them when fewer.

Example:
    >>> draws, events = draw_unrated(log, per_stratum=200, seed=0)  # doctest: +SKIP
    >>> [(d.key, d.events, d.drawn) for d in draws]  # doctest: +SKIP
    [('unrated|A', 3120, 200), ('unrated|B', 2950, 200)]
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from backbone.audit.feedback_log import FeedbackLog
from backbone.audit.models import Judgment, SampledEvent, StratumResult
from backbone.audit.sampling import ARG_MIN_LIMIT
from backbone.audit.source import read_through

UNRATED = "unrated"


@dataclass(frozen=True)
class UnratedDraw:
    """An arm's unrated stratum: its events N_h and how many were drawn n_h."""

    arm: str
    events: int
    drawn: int

    @property
    def key(self) -> str:
        return f"{UNRATED}|{self.arm}"


def draw_unrated(
    log: FeedbackLog, per_stratum: int, seed: int
) -> tuple[list[UnratedDraw], list[SampledEvent]]:
    """Each arm's unrated events, ``per_stratum`` of them drawn (in key order)."""
    if per_stratum < 1:
        raise ValueError(f"per_stratum must be >= 1, got {per_stratum}")
    with read_through(log.info.file, log.source):  # out of memory under --memory-limit
        counts = dict(
            log.con.execute(
                "SELECT __segment, count(*) FROM events WHERE __rating = 'unrated' GROUP BY ALL"
            ).fetchall()
        )
        n = min(per_stratum, max(counts.values(), default=1))
        key = "md5_number(? || ':' || __id)"
        pick = (
            f"arg_min(__row, {key}, ?)"
            if n <= ARG_MIN_LIMIT
            else f"list(__row ORDER BY {key})[1:?]"
        )
        rows = log.con.execute(
            f"""
            SELECT __segment, count(*) AS n, {pick} AS drawn
            FROM events WHERE __rating = 'unrated' GROUP BY ALL ORDER BY __segment
            """,
            [str(seed), n],
        ).fetchall()
        draws = [UnratedDraw(str(arm), int(n), len(drawn)) for arm, n, drawn in rows]
        by_row = {int(r): d for (_, _, drawn), d in zip(rows, draws, strict=True) for r in drawn}
        order = {int(r): i for _, _, drawn in rows for i, r in enumerate(drawn)}
        events = [
            SampledEvent(
                event=e,
                stratum=by_row[e.row].key,
                weight=by_row[e.row].events / by_row[e.row].drawn,
            )
            for e in log.fetch(sorted(by_row))
        ]
        events.sort(key=lambda se: (se.stratum, order[se.event.row]))
    return draws, events


def tally_unrated(
    draws: Sequence[UnratedDraw], events: Sequence[SampledEvent], judgments: Sequence[Judgment]
) -> list[StratumResult]:
    """Per-arm counts of judged, scored and correct unrated events."""
    out = []
    for d in draws:
        mine = [j for se, j in zip(events, judgments, strict=True) if se.stratum == d.key]
        scored = [j for j in mine if j.correct is not None]
        out.append(
            StratumResult(
                key=d.key,
                rating=None,
                segment=d.arm,
                events=d.events,
                judged=len(mine),
                scored=len(scored),
                correct=sum(1 for j in scored if j.correct),
                unscored=len(mine) - len(scored),
            )
        )
    return out
