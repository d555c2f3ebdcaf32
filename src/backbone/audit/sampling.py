"""A stratified, seeded sample with known weights.

Strata are the ratings (``down``, ``up``), optionally crossed with a segment column (task type,
user tier...). From each stratum h of N_h events, ``per_stratum`` events are drawn by simple
random sampling without replacement (the whole stratum when ``per_stratum >= N_h``), so each
judged event stands for N_h / n_h events of the log.

The draw is a hash, not a shuffle: every event gets the key ``md5(f"{seed}:{id}")`` and the
n_h smallest keys of each stratum are taken. That is a uniform draw without replacement, it
runs as one streaming DuckDB aggregate (a bounded top-n per stratum, whatever the log's size),
and it is reproducible: the same seed and log give the same sample, in any row order, on any
machine.

Example:
    >>> sample = draw_sample(log, per_stratum=200, seed=7)  # doctest: +SKIP
    >>> [(s.key, s.events, s.drawn) for s in sample.strata]  # doctest: +SKIP
    [('down', 1840, 200), ('up', 9160, 200)]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from backbone.audit.feedback_log import FeedbackLog
from backbone.audit.models import FeedbackEvent, Sample, SampledEvent, Stratum, StratumDraw
from backbone.audit.source import read_through

ARG_MIN_LIMIT = 999_999  # DuckDB's bounded top-n aggregate takes n below a million


def draw_rows(log: FeedbackLog, per_stratum: int, seed: int) -> dict[str, list[int]]:
    """Record indices drawn per stratum key, in key order (smallest hash first)."""
    segment = "__segment" if log.info.stratify_by else "NULL::VARCHAR"
    n = min(per_stratum, max((s.events for s in log.info.strata), default=1))
    key = "md5_number(? || ':' || __id)"
    if n <= ARG_MIN_LIMIT:
        sql = f"""
            SELECT __rating, {segment} AS seg, arg_min(__row, {key}, ?) AS rows
            FROM events WHERE __rating IN ('up', 'down') GROUP BY ALL
            """
    else:  # a sort per stratum: slower, but any n
        sql = f"""
            SELECT __rating, seg, list(__row ORDER BY k) AS rows FROM (
              SELECT __rating, {segment} AS seg, __row, {key} AS k FROM events
              WHERE __rating IN ('up', 'down')
              QUALIFY row_number() OVER (PARTITION BY __rating, seg ORDER BY k) <= ?
            ) GROUP BY ALL
            """
    rows = log.con.execute(sql, [str(seed), n]).fetchall()
    out: dict[str, list[int]] = {}
    for rating, seg, drawn in rows:
        out[Stratum(rating=rating, segment=seg, events=0).key] = [int(r) for r in drawn]
    return out


def draw_sample(log: FeedbackLog, per_stratum: int, seed: int = 0) -> Sample:
    """Draw ``per_stratum`` events from every stratum of ``log`` (all of a smaller one).
    DuckDB failing the draw (out of memory under ``--memory-limit``) raises
    :class:`~backbone.core.errors.InputError` naming the file."""
    if per_stratum < 1:
        raise ValueError(f"per_stratum must be >= 1, got {per_stratum}")
    with read_through(log.info.file, log.source):
        drawn = draw_rows(log, per_stratum, seed)
        wanted = [r for rows in drawn.values() for r in rows]
        by_row = {event.row: event for event in log.fetch(wanted)}
    events = {key: [by_row[r] for r in rows] for key, rows in drawn.items()}
    return assemble_sample(log.info.strata, events, seed=seed, per_stratum=per_stratum)


def assemble_sample(
    strata: Sequence[Stratum],
    drawn: Mapping[str, Sequence[FeedbackEvent]],
    *,
    seed: int,
    per_stratum: int,
) -> Sample:
    """The sample from the events drawn per stratum key (each in draw order), with weights
    N_h / n_h; events ordered by stratum key, then draw order."""
    draws = [
        StratumDraw(
            key=s.key,
            rating=s.rating,
            segment=s.segment,
            events=s.events,
            drawn=len(drawn.get(s.key, [])),
        )
        for s in strata
    ]
    by_key = {s.key: s for s in draws}
    sampled = [
        SampledEvent(event=event, stratum=key, weight=by_key[key].events / by_key[key].drawn)
        for key in sorted(drawn)
        for event in drawn[key]
    ]
    return Sample(seed=seed, per_stratum=per_stratum, strata=draws, events=sampled)
