"""Split feedback channels: three separate signals instead of one thumb.

A thumbs-down mixes "this was wrong" with "I did not like this". The split schema (documented
in ``docs/feedback-channels.md``) asks three questions and logs each in its own column:

* ``was_correct`` — was the answer correct? ``yes`` / ``no`` / ``unsure``; asked only where
  the user can know (they ran the code, checked the figure); empty when not asked;
* ``experience`` — was the experience good? ``good`` / ``bad``; empty when not given;
* ``disagreed`` — did you disagree with the assistant? ``yes`` / ``no``; empty when not asked.

Besides ``id``, ``prompt``, ``response`` (and optional ``timestamp``, ``user_id``,
``reference``), a log needs at least one of the three. Synonyms are accepted: ``true``/``false``,
``1``/``0``, ``y``/``n`` for the yes/no signals; ``up``/``down``, ``1``/``-1``,
``positive``/``negative`` for ``experience``.

Ingestion counts each signal and their cross-tab; then the judge checks the answers the user
disagreed with (all of them, or a seeded sample of ``limit``), and those it finds correct form
the **disagree-but-correct queue**: the cases where the assistant may have held a correct
position against the user, for a person to review before anyone tunes on them.

Example:
    >>> log = open_channels("channels.jsonl")  # doctest: +SKIP
    >>> log.counts["disagreed"]  # doctest: +SKIP
    {'yes': 41, 'no': 310, 'not_asked': 649}
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb
from pydantic import BaseModel, Field

from backbone.audit.estimate import share_correct
from backbone.audit.feedback_log import (
    column_role_problem,
    parse_column_map,
    text_column_problems,
    text_kind_checks,
    text_kind_selects,
)
from backbone.audit.judging import AuditJudge, judge_all
from backbone.audit.models import Estimate, FeedbackEvent, Judgment, SampledEvent, StratumResult
from backbone.audit.source import (
    MAX_LISTED,
    Source,
    duplicate_problems,
    listed_problems,
    missing_field_problems,
    no_record_has,
    open_source,
    shape_problems,
    sql_in,
    sql_literal,
)
from backbone.core.errors import InputError, Problem
from backbone.metrics.rates import Rate, wilson

SIGNALS = ("was_correct", "experience", "disagreed")
CHANNEL_FIELDS = ("id", "timestamp", "user_id", "prompt", "response", "reference", *SIGNALS)
_YES = ("yes", "y", "true", "1")
_NO = ("no", "n", "false", "0")
_GOOD = ("good", "up", "1", "positive", "+1")
_BAD = ("bad", "down", "-1", "negative")
_ALLOWED = {
    "was_correct": "yes, no or unsure (empty: not asked)",
    "experience": "good or bad (empty: not given)",
    "disagreed": "yes or no (empty: not asked)",
}


def _signal_sql(name: str) -> str:
    """Normalise a signal column to its canonical values ('' when empty, NULL when invalid)."""
    v = f"lower(trim(__{name}_raw))"
    empty = f"__{name}_raw IS NULL OR {v} = ''"
    # a number as any type writes it: 1.0 from a float column (pandas writes an int column
    # with gaps as float64) is the 1 the synonyms name
    num = f"TRY_CAST(trim(__{name}_raw) AS DOUBLE)"
    if name == "experience":
        return (
            f"CASE WHEN {empty} THEN '' WHEN {v} IN {sql_in(_GOOD)} OR {num} = 1 THEN 'good' "
            f"WHEN {v} IN {sql_in(_BAD)} OR {num} = -1 THEN 'bad' END"
        )
    unsure = f" WHEN {v} IN ('unsure', 'not sure', 'unknown') THEN 'unsure'" * (
        name == "was_correct"
    )
    return (
        f"CASE WHEN {empty} THEN '' WHEN {v} IN {sql_in(_YES)} OR {num} = 1 THEN 'yes' "
        f"WHEN {v} IN {sql_in(_NO)} OR {num} = 0 THEN 'no'{unsure} END"
    )


def parse_channel_map(pairs: Sequence[str], source: str = "--map") -> dict[str, str]:
    """``["disagreed=pushback"]`` -> ``{"disagreed": "pushback"}`` (fields: CHANNEL_FIELDS): the
    audit's :func:`parse_column_map` over these fields, so a field mapped twice, or two fields
    onto one column, is refused as there."""
    return parse_column_map(pairs, source, fields=CHANNEL_FIELDS)


class ChannelLog:
    """A validated split-feedback log and its counts."""

    def __init__(
        self,
        source: Source,
        counts: dict[str, dict[str, int]],
        crosstab: dict[str, dict[str, int]],
        rows: int,
        present: list[str],
        mapped: set[str],
        column_map: dict[str, str],
    ) -> None:
        self.source = source
        self.counts = counts
        self.crosstab = crosstab
        self.rows = rows
        self.present = present
        self.column_map = column_map
        self._mapped = mapped

    def fetch(self, rows: Sequence[int]) -> list[tuple[FeedbackEvent, dict[str, str]]]:
        """Events at these record indices, each with its three signals."""
        out = []
        for rec in self.source.fetch("channels", rows):
            signals = {s: rec[f"__{s}"] for s in SIGNALS}
            rating = {"good": "up", "bad": "down"}.get(signals["experience"])
            event = FeedbackEvent(
                id=rec["__id"],
                row=int(rec["__row"]),
                timestamp=rec["__timestamp"],
                user_id=rec["__user_id"],
                prompt=rec["__prompt"],
                response=rec["__response"],
                rating=rating,
                rating_raw=rec["__experience_raw"],
                reference=rec["__reference"],
                extra={**self.source.extras(rec, self._mapped), **signals},
            )
            out.append((event, signals))
        return out

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> ChannelLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_channels(
    path: str | Path,
    *,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    memory_limit: str | None = None,
) -> ChannelLog:
    """Open and validate a split-feedback log (raises :class:`InputError` with every problem)."""
    cmap = dict(column_map or {})
    source = open_source(path, fmt, memory_limit=memory_limit)
    try:
        return _open(source, cmap)
    except BaseException:
        source.close()
        raise


def _open(source: Source, cmap: dict[str, str]) -> ChannelLog:
    file, con = source.file, source.con
    if not source.names:  # no record to take columns from: empty, or every line broken
        raise InputError(shape_problems(source) or [Problem(file, None, "no records")])
    # one column, one role (as audit, ab, tells and monitor): '--map prompt=response' had the
    # judge read each answer as its own question, '--map disagreed=was_correct' counted the
    # correctness answers as disagreements, and both ran to exit 0. JSONL: the names come from
    # the first records (KEY_SAMPLE); a mapped column first given later is read all the same
    columns, gone = source.names_with(cmap.values())  # one scan, only for such a column
    twice = column_role_problem(file, cmap, columns, fields=CHANNEL_FIELDS)
    if twice is not None:
        raise InputError([twice])
    exprs: dict[str, str] = {}
    problems: list[Problem] = []
    present: list[str] = []
    for field in CHANNEL_FIELDS:
        column = cmap.get(field, field)
        expr = source.column_sql(column)
        if expr is None:
            if field in ("id", "prompt", "response") or field in cmap:
                problems.append(
                    Problem(
                        file,
                        None,
                        f"no column '{column}' for field '{field}' "
                        f"(columns: {', '.join(source.names)})",
                    )
                )
            expr = "NULL::VARCHAR"
        elif field in SIGNALS and (source.fmt != "jsonl" or column in source.names):
            present.append(field)
        exprs[field] = expr
    # JSONL: a mapped field that no record has is a column the log lacks (as in a CSV), not a
    # signal that was never asked (the names come from the first records: look at them all)
    unseen = [f for f in cmap if source.fmt == "jsonl" and cmap[f] not in source.names]
    for field in unseen:
        if cmap[field] in gone:
            problems.append(
                Problem(
                    file,
                    None,
                    f"{no_record_has(cmap[field])} for field '{field}' "
                    f"(fields seen: {', '.join(source.names)})",
                )
            )
        elif field in SIGNALS:
            present.append(field)
    # JSONL: a signal first given past the records the names come from (a schema added to a
    # running log) is there all the same
    later = [f for f in SIGNALS if source.fmt == "jsonl" and f not in cmap and f not in present]
    if later:
        gone = set(source.absent(later))
        present = [f for f in SIGNALS if f in present or (f in later and f not in gone)]
    if not problems and not present:
        problems.append(
            Problem(
                file,
                None,
                "none of the three signal columns was_correct, experience, disagreed is present "
                f"(columns: {', '.join(source.names)}); map yours with --map FIELD=COLUMN",
            )
        )
    problems += text_column_problems(source, cmap)
    if problems:  # about the whole file; the lines that are no record are wrong as well
        raise InputError(problems + shape_problems(source))
    raw = ", ".join(
        f"{exprs[f]} AS __{f}_raw" if f in SIGNALS else f"{exprs[f]} AS __{f}"
        for f in CHANNEL_FIELDS
    )
    label = {f: (f if f not in cmap else f"{f} (column '{cmap[f]}')") for f in CHANNEL_FIELDS}
    checks = "".join(
        f" WHEN __{s} IS NULL THEN {sql_literal(label[s] + ' ')} || '''' || __{s}_raw || '''"
        f" is not ' || {sql_literal(_ALLOWED[s])}"
        for s in SIGNALS
    )
    try:
        con.execute(
            f"CREATE VIEW channel_fields AS SELECT __row, {raw}, {source.shape_sql} AS __shape"
            f"{text_kind_selects(source, cmap)}, src.* EXCLUDE (__row) FROM src"
        )
        signals = ", ".join(f"{_signal_sql(s)} AS __{s}" for s in SIGNALS)
        con.execute(f"CREATE VIEW channel_signals AS SELECT *, {signals} FROM channel_fields")
        con.execute(
            f"""
            CREATE VIEW channels AS SELECT *, CASE
              WHEN __shape IS NOT NULL THEN __shape
              WHEN __id IS NULL OR __id = '' THEN {sql_literal(label["id"] + " is missing")}
              WHEN __prompt IS NULL THEN {sql_literal(label["prompt"] + " is missing")}
              WHEN __response IS NULL THEN {sql_literal(label["response"] + " is missing")}
              {text_kind_checks(label)}
              {checks}
            END AS __problem FROM channel_signals
            """
        )
        groups = con.execute(
            """
            SELECT __was_correct, __experience, __disagreed, count(*),
                   count(*) FILTER (WHERE __problem IS NOT NULL),
                   count(*) FILTER (WHERE __shape IS NOT NULL),
                   count(*) FILTER (WHERE __shape IS NULL AND (__id IS NULL OR __id = '')),
                   count(*) FILTER (WHERE __shape IS NULL AND __prompt IS NULL),
                   count(*) FILTER (WHERE __shape IS NULL AND __response IS NULL)
            FROM channels GROUP BY ALL
            """
        ).fetchall()
        rows = sum(int(g[3]) for g in groups)
        bad = sum(int(g[4]) for g in groups)
        shape = sum(int(g[5]) for g in groups)
        missing = {
            "id": sum(int(g[6]) for g in groups),
            "prompt": sum(int(g[7]) for g in groups),
            "response": sum(int(g[8]) for g in groups),
        }
        if rows == 0:
            raise InputError.single(file, None, "no records")
        problems = missing_field_problems(source, missing, rows - shape, cmap)
        if not problems:
            if bad:
                problems.extend(listed_problems(source, "channels", bad))
            (dups,) = con.execute(
                "SELECT count(__id) - count(DISTINCT __id) FROM channels"
            ).fetchone() or (0,)
            if int(dups):
                problems.extend(duplicate_problems(source, "channels"))
        if problems:
            raise InputError(problems[: MAX_LISTED + 2])
    except duckdb.Error as exc:
        raise InputError(source.unreadable(exc)) from None
    names = {
        "was_correct": {"yes": "yes", "no": "no", "unsure": "unsure", "": "not_asked"},
        "experience": {"good": "good", "bad": "bad", "": "none"},
        "disagreed": {"yes": "yes", "no": "no", "": "not_asked"},
    }
    counts = {s: dict.fromkeys(names[s].values(), 0) for s in SIGNALS}
    crosstab = {
        d: dict.fromkeys(names["experience"].values(), 0) for d in names["disagreed"].values()
    }
    for wc, ex, dis, n, *_ in groups:
        counts["was_correct"][names["was_correct"][wc]] += int(n)
        counts["experience"][names["experience"][ex]] += int(n)
        counts["disagreed"][names["disagreed"][dis]] += int(n)
        crosstab[names["disagreed"][dis]][names["experience"][ex]] += int(n)
    mapped = {cmap.get(f, f) for f in CHANNEL_FIELDS}
    return ChannelLog(source, counts, crosstab, rows, present, mapped, cmap)


class QueueItem(BaseModel):
    """One disagree-but-correct case for a person to review."""

    id: str
    row: int
    timestamp: str | None = None
    user_id: str | None = None
    prompt: str
    response: str
    was_correct: str
    experience: str
    judge_reason: str = ""
    failure_mode: str | None = None


class ChannelsResult(BaseModel):
    """Counts of the three signals and the judged disagreements."""

    file: str
    rows: int
    present: list[str]
    column_map: dict[str, str]
    counts: dict[str, dict[str, int]]
    crosstab: dict[str, dict[str, int]]
    rates: dict[str, Rate]
    judge: str
    disagreed: int  # events where the user disagreed
    judged: int
    correct: int
    incorrect: int
    unscored: int
    unscored_reasons: dict[str, int] = Field(default_factory=dict)
    disagree_correct_share: Estimate
    queue: list[QueueItem]
    seed: int
    limit: int | None


def signal_rates(counts: Mapping[str, Mapping[str, int]]) -> dict[str, Rate]:
    """Each signal's headline rate over the events where it was given."""
    wc, ex, dis = counts["was_correct"], counts["experience"], counts["disagreed"]
    return {
        "bad_experience": wilson(ex["bad"], ex["good"] + ex["bad"]),
        "disagreed": wilson(dis["yes"], dis["yes"] + dis["no"]),
        "reported_incorrect": wilson(wc["no"], wc["yes"] + wc["no"]),
    }


def draw_disagreed(log: ChannelLog, limit: int | None, seed: int) -> list[int]:
    """Record indices of the disagreed events to judge: all, or ``limit`` drawn by hash."""
    total = log.counts["disagreed"]["yes"]
    if limit is None or limit >= total:
        rows = log.source.con.execute(
            "SELECT __row FROM channels WHERE __disagreed = 'yes' ORDER BY __row"
        ).fetchall()
        return [int(r[0]) for r in rows]
    got = log.source.con.execute(
        "SELECT arg_min(__row, md5_number(? || ':' || __id), ?) FROM channels "
        "WHERE __disagreed = 'yes'",
        [str(seed), limit],
    ).fetchone()
    return sorted(int(r) for r in (got[0] if got and got[0] else []))


async def review_queue(
    log: ChannelLog,
    judge: AuditJudge,
    *,
    limit: int | None = None,
    seed: int = 0,
    concurrency: int = 8,
    on_result: Callable[[Judgment], None] | None = None,
) -> ChannelsResult:
    """Judge the disagreed events and build the disagree-but-correct queue."""
    rows = draw_disagreed(log, limit, seed)
    fetched = log.fetch(rows)
    total = log.counts["disagreed"]["yes"]
    weight = total / len(fetched) if fetched else 0.0
    sampled = [SampledEvent(event=e, stratum="disagreed", weight=weight) for e, _ in fetched]
    judgments = await judge_all(judge, sampled, concurrency=concurrency, on_result=on_result)
    queue: list[QueueItem] = []
    reasons: dict[str, int] = {}
    correct = incorrect = 0
    for (event, signals), j in zip(fetched, judgments, strict=True):
        if j.correct is None:
            key = j.unscored_reason or "unknown"
            reasons[key] = reasons.get(key, 0) + 1
            continue
        if not j.correct:
            incorrect += 1
            continue
        correct += 1
        queue.append(
            QueueItem(
                id=event.id,
                row=event.row,
                timestamp=event.timestamp,
                user_id=event.user_id,
                prompt=event.prompt,
                response=event.response,
                was_correct=signals["was_correct"] or "not_asked",
                experience=signals["experience"] or "none",
                judge_reason=j.reason,
                failure_mode=j.failure_mode,
            )
        )
    queue.sort(key=lambda q: (q.timestamp or "", q.row))
    stratum = StratumResult(
        key="disagreed",
        events=total,
        judged=len(judgments),
        scored=correct + incorrect,
        correct=correct,
        unscored=len(judgments) - correct - incorrect,
    )
    return ChannelsResult(
        file=log.source.file,
        rows=log.rows,
        present=log.present,
        column_map=log.column_map,
        counts=log.counts,
        crosstab=log.crosstab,
        rates=signal_rates(log.counts),
        judge=judge.spec,
        disagreed=total,
        judged=len(judgments),
        correct=correct,
        incorrect=incorrect,
        unscored=len(judgments) - correct - incorrect,
        unscored_reasons=reasons,
        disagree_correct_share=share_correct([stratum]),
        queue=queue,
        seed=seed,
        limit=limit,
    )


def queue_records(result: ChannelsResult) -> list[dict[str, Any]]:
    """``review_queue.jsonl`` rows."""
    return [q.model_dump(mode="json") for q in result.queue]
