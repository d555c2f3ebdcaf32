"""Support tickets shifting from "the AI was wrong" to "the AI was vague" or "it agreed with me
and I got burned": a trend in the share of ``vague`` + ``agreed_then_burned`` among all
tickets per period (one-sided, up).

A ticket's ``category`` is mapped to a bucket: ``wrong``, ``vague``, ``agreed_then_burned`` or
``other``. The built-in synonyms below are matched after lower-casing and turning spaces and
hyphens into underscores; a team's own names are added with ``CATEGORY=BUCKET`` pairs
(``--ticket-map``), which win over the built-in ones; anything unmapped is ``other``.

Example:
    >>> mapper = TicketMapper.build(["billing_issue=other", "AI dodged=vague"])
    >>> [mapper.bucket(c) for c in ("The AI was wrong", "ai dodged", "Sycophantic", "login")]
    ['wrong', 'vague', 'agreed_then_burned', 'other']
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backbone.audit.tells.model import Measured
from backbone.audit.tells.periods import Period, PeriodAxis
from backbone.audit.tells.satisfaction import rate_json
from backbone.audit.tells.tables import Cells, Kind
from backbone.audit.tells.trend import MIN_POINTS, TrendTestName, trend_test
from backbone.core.errors import InputError, Problem

BUCKETS = ("wrong", "vague", "agreed_then_burned", "other")
SHIFTED = ("vague", "agreed_then_burned")
TICKET_COLUMNS: dict[str, Kind] = {"timestamp": "timestamp", "category": "text"}
SYNONYMS: dict[str, str] = {
    **dict.fromkeys(
        (
            "wrong",
            "incorrect",
            "inaccurate",
            "error",
            "factual_error",
            "mistake",
            "hallucination",
            "hallucinated",
            "wrong_answer",
            "the_ai_was_wrong",
            "ai_was_wrong",
            "false",
            "bug_in_answer",
        ),
        "wrong",
    ),
    **dict.fromkeys(
        (
            "vague",
            "unclear",
            "evasive",
            "non_answer",
            "nonanswer",
            "hedged",
            "hedging",
            "wishy_washy",
            "noncommittal",
            "unhelpful",
            "too_vague",
            "the_ai_was_vague",
            "ai_was_vague",
            "vague_answer",
            "did_not_answer",
        ),
        "vague",
    ),
    **dict.fromkeys(
        (
            "agreed_then_burned",
            "agreed",
            "agreed_with_me",
            "it_agreed_with_me",
            "agreed_with_me_and_i_got_burned",
            "sycophantic",
            "sycophancy",
            "flattery",
            "told_me_what_i_wanted",
            "told_me_what_i_wanted_to_hear",
            "burned",
            "got_burned",
            "caved",
            "yes_man",
        ),
        "agreed_then_burned",
    ),
    "other": "other",
}


def _norm(category: str) -> str:
    return re.sub(r"[\s\-]+", "_", category.strip().lower())


@dataclass(frozen=True)
class TicketMapper:
    """Category -> bucket: the built-in synonyms, overridden by a team's own pairs."""

    overrides: Mapping[str, str] = field(default_factory=dict)

    @classmethod
    def build(cls, pairs: Sequence[str], source: str = "--ticket-map") -> TicketMapper:
        """From ``CATEGORY=BUCKET`` pairs; raises :class:`InputError` on a bad pair."""
        out: dict[str, str] = {}
        problems = []
        for pair in pairs:
            cat, sep, bucket = pair.rpartition("=")
            bucket = bucket.strip().lower()
            if not sep or not cat.strip():
                problems.append(Problem(source, None, f"{pair!r}: expected CATEGORY=BUCKET"))
            elif bucket not in BUCKETS:
                problems.append(
                    Problem(
                        source,
                        None,
                        f"{pair!r}: unknown bucket {bucket!r} (buckets: {', '.join(BUCKETS)})",
                    )
                )
            else:
                out[_norm(cat)] = bucket
        if problems:
            raise InputError(problems)
        return cls(out)

    def bucket(self, category: str) -> str:
        key = _norm(category)
        return self.overrides.get(key) or SYNONYMS.get(key, "other")


def measure(
    cells: Cells | None,
    *,
    file: str | None,
    period: Period,
    mapper: TicketMapper,
    test: TrendTestName,
) -> Measured:
    """The ticket-shift tell from the tickets counted per category and period
    (:func:`~backbone.audit.tells.tables.read_cells`); unavailable without a tickets table, or
    when no ticket is in a bucket the share reads: every one 'other', the share is 0 in every
    period whatever the tickets say."""
    if cells is None or file is None:
        return Measured(name="ticket_shift", available=False, reason="no --tickets table")
    axis = PeriodAxis.spanning([c.period for c in cells.cells], period)
    counts = [dict.fromkeys(BUCKETS, 0) for _ in range(axis.count)]
    categories: dict[str, dict[str, Any]] = {}
    for c in cells.cells:  # in the order of their first tickets, as the categories are listed
        b = mapper.bucket(c.key)
        counts[axis.index(c.period)][b] += c.count
        seen = categories.setdefault(c.key, {"bucket": b, "tickets": 0})
        seen["tickets"] += c.count
    gaps = [i for i in range(axis.count) if sum(counts[i].values()) == 0]
    if gaps:
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    f"column 'timestamp': no ticket in the {axis.describe(i)}, between the "
                    "table's first and last period: the share of that period is unknown "
                    "(use a longer --period)",
                )
                for i in gaps[:10]
            ]
        )
    if axis.count < MIN_POINTS:
        raise InputError.single(
            file,
            None,
            f"column 'timestamp': {axis.count} {period}(s) of tickets; a trend needs at least "
            f"{MIN_POINTS}",
        )
    shifted = [sum(c[b] for b in SHIFTED) for c in counts]
    totals = [sum(c.values()) for c in counts]
    if not any(c[b] for c in counts for b in BUCKETS if b != "other"):
        common = sorted(categories.items(), key=lambda kv: (-kv[1]["tickets"], kv[0]))
        named = ", ".join(repr(c) for c, _ in common[:5]) + (", ..." if len(common) > 5 else "")
        return Measured(
            name="ticket_shift",
            available=False,
            reason=f"no ticket in {file} maps to wrong, vague or agreed_then_burned (its "
            f"categories: {named}): the share cannot shift; map yours with --ticket-map "
            "CATEGORY=BUCKET",
            evidence={"tickets": sum(totals), "categories": dict(common)},
        )
    shares = [s / n for s, n in zip(shifted, totals, strict=True)]
    trend = trend_test(shares, test=test)
    totals_by_bucket = {b: sum(c[b] for c in counts) for b in BUCKETS}
    return Measured(
        name="ticket_shift",
        available=True,
        reason="share of vague + agreed_then_burned tickets rising (one-sided)",
        p_raw=trend.p_value,
        evidence={
            "share": trend.as_json(),
            "first_period": rate_json(shifted[0], totals[0]),
            "last_period": rate_json(shifted[-1], totals[-1]),
            "tickets": sum(totals),
            "by_bucket": totals_by_bucket,
            "categories": dict(sorted(categories.items(), key=lambda kv: -kv[1]["tickets"])),
        },
        series={
            "periods": axis.labels(),
            "share": [rate_json(s, n) for s, n in zip(shifted, totals, strict=True)],
            "counts": counts,
        },
    )
