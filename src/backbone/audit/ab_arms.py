"""The two arms of an A/B feedback log: which they are, and each arm's counts (DuckDB).

The log is opened as for the audit (:func:`backbone.audit.feedback_log.open_log`) with the arm
column as its segment, so the audit's strata are rating × arm and its stratified sample draws
from each. This module checks the arm column (every record names an arm; exactly two arms;
``--baseline`` is one of them; each has rated events) and counts each arm's events, rated
events and thumbs-up over the whole log.

Example:
    >>> with open_ab_log("ab.jsonl", arm_column="arm") as log:  # doctest: +SKIP
    ...     arms = read_arms(log, "arm", baseline=None)
    >>> arms.a, arms.b, arms.counts["B"].up  # doctest: +SKIP
    ('A', 'B', 1480)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from backbone.audit.ab_stats import ArmCounts
from backbone.audit.feedback_log import FeedbackLog, open_log
from backbone.audit.source import MAX_LISTED, Source, no_record_has
from backbone.core.errors import InputError, Problem

ARM_OPTION = "--arm-column"
ARMS_SHOWN = 10  # arms named in a problem about a third arm; the rest are counted


@dataclass(frozen=True)
class Arms:
    """Arm A (the baseline) and arm B, and each arm's counts by name."""

    a: str
    b: str
    counts: dict[str, ArmCounts]
    column: str


def open_ab_log(
    path: str | Path,
    *,
    arm_column: str,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    memory_limit: str | None = None,
) -> FeedbackLog:
    """The log, validated as for the audit, stratified by rating × arm."""
    return open_log(
        path,
        fmt=fmt,
        column_map=column_map,
        rating_scale=rating_scale,
        threshold=threshold,
        stratify_by=arm_column,
        memory_limit=memory_limit,
        stratify_option=f"{ARM_OPTION} {arm_column}",
    )


def _missing(log: FeedbackLog, column: str, expr: str) -> list[Problem]:
    source = log.source
    rows = log.con.execute(
        f"SELECT __row FROM events WHERE {expr} IS NULL OR trim({expr}) = '' ORDER BY __row"
    ).fetchall()
    if not rows:
        return []
    if len(rows) == log.info.rows and source.fmt == "jsonl":
        fields = ", ".join(source.names)
        return [
            Problem(
                source.file,
                None,
                f"{no_record_has(column)} for {ARM_OPTION} (fields seen: {fields})",
            )
        ]
    shown = [(int(r), f"column '{column}' ({ARM_OPTION}) is empty: which arm?") for (r,) in rows]
    problems = source.located(shown[:MAX_LISTED])
    if len(rows) > MAX_LISTED:
        more = len(rows) - MAX_LISTED
        problems.append(Problem(source.file, None, f"... and {more} more records with no arm"))
    return problems


def _number(name: str) -> float | None:
    try:
        value = float(name)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def sort_arms(names: Iterable[str]) -> list[str]:
    """The arms in sort order: by number when every name is one (a column of 9 and 10, or
    versions 2 and 10: as text '10' sorted first and became A), else as text.

    >>> sort_arms(["10", "9"]), sort_arms(["B", "A"]), sort_arms(["v10", "v9"])
    (['9', '10'], ['A', 'B'], ['v10', 'v9'])
    """
    names = list(names)
    numbers = [_number(n) for n in names]
    if all(x is not None for x in numbers):
        return [n for _, n in sorted(zip(numbers, names, strict=True), key=lambda p: (p[0], p[1]))]
    return sorted(names)


def _extra_arm_problems(
    source: Source, arm_column: str, counts: Mapping[str, ArmCounts], first: Mapping[str, int]
) -> list[Problem]:
    """Each arm past the first two at the line it first appears, at most ``MAX_LISTED`` of
    them, the first naming the first ``ARMS_SHOWN`` arms: a column of ids given as the arm
    column has an arm per record, and listing every arm in every problem wrote hundreds of
    megabytes."""
    names = list(counts)  # in order of first appearance
    shown = ", ".join(f"'{a}' ({counts[a].events} events)" for a in names[:ARMS_SHOWN])
    if len(names) > ARMS_SHOWN:
        shown += f", and {len(names) - ARMS_SHOWN} more"
    extras = names[2:]
    listed = extras[:MAX_LISTED]
    places = source.places({first[a] for a in listed})
    problems = [
        Problem(
            *places[first[extra]],
            f"column '{arm_column}' ({ARM_OPTION}): a third arm '{extra}' after "
            f"'{names[0]}' and '{names[1]}'; an A/B compares exactly two"
            + (f" ({len(names)} arms: {shown}); filter the log to two" if i == 0 else ""),
        )
        for i, extra in enumerate(listed)
    ]
    if len(extras) > len(listed):
        more = len(extras) - len(listed)
        problems.append(Problem(source.file, None, f"... and {more} more arms past the first two"))
    return problems


def read_arms(log: FeedbackLog, arm_column: str, baseline: str | None) -> Arms:
    """The two arms and their counts. Raises :class:`InputError` naming file, line and column
    for a record with no arm, one arm or a third arm, a ``baseline`` that is no arm, or an
    arm with no rated events."""
    source = log.source
    file = source.file
    expr = source.column_sql(arm_column)
    if expr is None:  # open_ab_log has already said so; kept for direct callers
        raise InputError.single(file, None, f"no column '{arm_column}' for {ARM_OPTION}")
    problems = _missing(log, arm_column, expr)
    if problems:
        raise InputError(problems)
    groups = log.con.execute(
        f"""
        SELECT {expr} AS arm, count(*), count(*) FILTER (WHERE __rating IN ('up', 'down')),
               count(*) FILTER (WHERE __rating = 'up'), min(__row)
        FROM events GROUP BY 1 ORDER BY min(__row)
        """
    ).fetchall()
    first = {str(arm): int(row) for arm, _, _, _, row in groups}
    counts = {
        str(arm): ArmCounts(events=int(n), rated=int(rated), up=int(up))
        for arm, n, rated, up, _ in groups
    }
    if len(counts) == 1:
        (only,) = counts
        raise InputError.single(
            file,
            None,
            f"column '{arm_column}' ({ARM_OPTION}) has one arm, '{only}' "
            f"({counts[only].events} events): an A/B needs exactly two",
        )
    if len(counts) > 2:
        raise InputError(_extra_arm_problems(source, arm_column, counts, first))
    ordered = sort_arms(counts)
    if baseline is not None:
        if baseline not in counts:
            raise InputError.single(
                file,
                None,
                f"--baseline '{baseline}' is not an arm in column '{arm_column}' "
                f"(arms: {', '.join(repr(a) for a in ordered)})",
            )
        ordered = [baseline, next(a for a in ordered if a != baseline)]
    empty = [a for a in ordered if counts[a].rated == 0]
    if empty:
        raise InputError(
            [
                Problem(
                    file,
                    None,
                    f"arm '{a}' (column '{arm_column}') has no rated events: all "
                    f"{counts[a].events} have an empty or neutral rating",
                )
                for a in empty
            ]
        )
    return Arms(a=ordered[0], b=ordered[1], counts=counts, column=arm_column)
