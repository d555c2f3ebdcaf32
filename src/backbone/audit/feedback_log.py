"""The feedback log: the audit's columns, ratings and validation over a DuckDB source.

The file is read through :class:`~backbone.audit.source.Source` (a view, never loaded whole;
a log larger than memory works); this module says what its columns mean and checks them.

Columns: ``id``, ``prompt``, ``response`` and ``rating`` are required; ``timestamp``,
``user_id`` and ``reference`` (an answer key a judge may use) are optional; every other column
is kept and given to judges and failure-mode rules. ``column_map`` renames a team's own
columns: ``{"prompt": "question"}`` reads the contract's ``prompt`` from the column
``question``.

Ratings are normalised to ``up``/``down`` (or unrated) on one of three scales, detected from
the values unless named:

* ``updown``: ``up`` / ``down`` (any case); empty is unrated;
* ``signed``: ``1`` up, ``-1`` down, ``0`` or empty unrated;
* ``stars``: a score from 1 to 5; ``score >= threshold`` (default 4) is up, below it down.

Every bad record is reported with its file and line (JSONL and CSV: the line the record
starts on; Parquet: the 1-based row), all at once, as an :class:`InputError`.

Example:
    >>> log = open_log("feedback.jsonl", column_map={"prompt": "question"})  # doctest: +SKIP
    >>> log.info.rated, [s.key for s in log.info.strata]  # doctest: +SKIP
    (1200, ['down', 'up'])
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from backbone.audit.models import (
    MAPPABLE_FIELDS,
    REQUIRED_FIELDS,
    FeedbackEvent,
    LogFormat,
    LogInfo,
    RatingScale,
    Stratum,
)
from backbone.audit.source import (
    Source,
    duplicate_problems,
    json_path,
    listed_problems,
    missing_field_problems,
    no_record_has,
    not_text_problem,
    open_source,
    shape_problems,
    sql_in,
    sql_literal,
)
from backbone.core.errors import InputError, Problem

TEXT_FIELDS = ("prompt", "response")  # what the judge reads: text, never a printed list
SCALES: tuple[str, ...] = ("auto", "updown", "signed", "binary", "stars")
MISSING_SEGMENT = "(missing)"
UP_WORDS = ("up", "thumbs_up", "thumbs-up", "thumbsup", "like", "liked", "\U0001f44d")
DOWN_WORDS = (
    "down",
    "thumbs_down",
    "thumbs-down",
    "thumbsdown",
    "dislike",
    "disliked",
    "\U0001f44e",
)
"""The ``updown`` scale's words (lower case): ``up`` and ``down``, and the names apps log."""
TRUE_WORDS, FALSE_WORDS = ("true", "yes"), ("false", "no")
"""The ``binary`` scale's words beside 1 and 0 (a boolean column reads as them)."""


SCALE_TEXT = {
    "updown": "'up' or 'down' (empty: unrated)",
    "signed": "1, -1 or 0 (0 or empty: unrated)",
    "binary": "1 or 0, true or false (empty: unrated)",
    "stars": "a score from 1 to 5 (empty: unrated)",
}


def parse_column_map(
    pairs: Sequence[str], source: str = "--map", fields: Sequence[str] = MAPPABLE_FIELDS
) -> dict[str, str]:
    """``["prompt=question", "rating=thumbs"]`` -> ``{"prompt": "question", ...}`` (each
    FIELD one of ``fields``)."""
    out: dict[str, str] = {}
    problems: list[Problem] = []
    for pair in pairs:
        field, sep, column = pair.partition("=")
        field, column = field.strip(), column.strip()
        if not sep or not field or not column:
            problems.append(Problem(source, None, f"'{pair}': expected FIELD=COLUMN"))
        elif field not in fields:
            problems.append(
                Problem(
                    source,
                    None,
                    f"'{pair}': unknown field '{field}' (fields: {', '.join(fields)})",
                )
            )
        elif field in out:
            problems.append(Problem(source, None, f"'{pair}': field '{field}' mapped twice"))
        elif column in out.values():
            other = next(f for f, c in out.items() if c == column)
            problems.append(
                Problem(
                    source,
                    None,
                    f"'{pair}': column '{column}' is already read as {other} ({other}={column}): "
                    "each field needs a column of its own",
                )
            )
        else:
            out[field] = column
    if problems:
        raise InputError(problems)
    return out


def column_role_problem(
    file: str,
    column_map: Mapping[str, str],
    names: Sequence[str],
    stratify_by: str | None = None,
    stratify_option: str = "--stratify-by",
    fields: Sequence[str] = MAPPABLE_FIELDS,
) -> Problem | None:
    """The problem of one column of the log (``names``) read for two roles: two fields (one
    of them mapped onto the column the other is read from: ``--map prompt=response``), or a
    field and the ``stratify_by`` column (``ab --arm-column rating``: every event's arm was
    its own thumbs, and the command ran on). None when each column has one role."""
    roles: dict[str, list[str]] = {}
    for field in fields:
        column = column_map.get(field, field)
        if column in names:
            roles.setdefault(column, []).append(field)
    for column, read_as in roles.items():
        if len(read_as) > 1:
            mapped = ", ".join(f"--map {f}={column}" for f in read_as if f in column_map)
            return Problem(
                file,
                None,
                f"column '{column}' is read as both {read_as[0]} and {read_as[1]} ({mapped}): "
                "each field needs a column of its own",
            )
    if stratify_by is not None and stratify_by in roles:
        field = roles[stratify_by][0]
        how = f" (--map {field}={stratify_by})" if field in column_map else ""
        option = stratify_option.split()[0]
        what = "each event's arm" if option == "--arm-column" else "a stratum of the sample"
        return Problem(
            file,
            None,
            f"{option} {stratify_by}: column '{stratify_by}' is the log's {field}{how}, so it "
            f"cannot also be {what}: name a column of its own",
        )
    return None


def missing_column_problem(
    file: str,
    field: str,
    column: str,
    names: Sequence[str],
    column_map: Mapping[str, str],
    stratify_option: str = "--stratify-by",
) -> Problem | None:
    """The problem of a log without ``column`` for ``field`` (None: an optional field)."""
    mapped = field in column_map or field == "segment"
    if field not in REQUIRED_FIELDS and not mapped:
        return None
    what = stratify_option if field == "segment" else f"field '{field}'"
    hint = "" if mapped else f"; map yours with --map {field}=COLUMN"
    return Problem(
        file, None, f"no column '{column}' for {what} (columns: {', '.join(names)}){hint}"
    )


def _field_exprs(
    source: Source,
    column_map: Mapping[str, str],
    stratify_by: str | None,
    stratify_option: str = "--stratify-by",
) -> tuple[dict[str, str], list[Problem]]:
    """Text expressions for each field over ``src``; file-level problems (missing columns)."""
    problems: list[Problem] = []
    exprs: dict[str, str] = {}
    for field in [*MAPPABLE_FIELDS, "segment"]:
        if field == "segment":
            if stratify_by is None:
                exprs[field] = "NULL::VARCHAR"
                continue
            column = stratify_by
        else:
            column = column_map.get(field, field)
        expr = source.column_sql(column)
        if (
            expr is not None
            and field == "segment"
            and source.fmt == "jsonl"
            and stratify_option == "--stratify-by"
        ):
            # a JSONL field no record has is a column the log lacks, not a segment "(missing)"
            # (ab names a missing --arm-column itself)
            found = source.con.execute(f"SELECT count({expr}) FROM src").fetchone()
            if found is not None and int(found[0]) == 0:
                expr = None
        if expr is None:
            problem = missing_column_problem(
                source.file, field, column, source.names, column_map, stratify_option
            )
            if problem is not None:
                problems.append(problem)
            expr = "NULL::VARCHAR"
        if field == "segment":
            expr = f"coalesce({expr}, {sql_literal(MISSING_SEGMENT)})"
        exprs[field] = expr
    return exprs, problems


def _rating_sql(scale: str, threshold: float) -> str:
    r = "lower(trim(__rating_raw))"
    num = "TRY_CAST(trim(__rating_raw) AS DOUBLE)"
    empty = f"__rating_raw IS NULL OR {r} = ''"
    if scale == "updown":
        return (
            f"CASE WHEN {empty} THEN 'unrated' WHEN {r} IN {sql_in(UP_WORDS)} THEN 'up' "
            f"WHEN {r} IN {sql_in(DOWN_WORDS)} THEN 'down' END"
        )
    if scale == "binary":
        return (
            f"CASE WHEN {empty} THEN 'unrated' WHEN {num} = 1 OR {r} IN {sql_in(TRUE_WORDS)} "
            f"THEN 'up' WHEN {num} = 0 OR {r} IN {sql_in(FALSE_WORDS)} THEN 'down' END"
        )
    if scale == "signed":
        return (
            f"CASE WHEN {empty} THEN 'unrated' WHEN {num} = 1 THEN 'up' "
            f"WHEN {num} = -1 THEN 'down' WHEN {num} = 0 THEN 'unrated' END"
        )
    return (
        f"CASE WHEN {empty} THEN 'unrated' WHEN {num} >= 1 AND {num} <= 5 THEN "
        f"(CASE WHEN {num} >= {threshold!r} THEN 'up' ELSE 'down' END) END"
    )


def _detect_scale(con: duckdb.DuckDBPyConnection, file: str, rating_column: str) -> RatingScale:
    """The ratings' scale (:func:`decide_scale`), told by the finite numbers only: a ``NaN``
    (which DuckDB sorts above every number) or an infinite rating gave "the ratings run from 2
    to nan" about the whole file, not the line that holds it."""
    row = con.execute(
        f"""
        SELECT count(*) FILTER (WHERE r IN {sql_in((*UP_WORDS, *DOWN_WORDS))}),
               count(*) FILTER (WHERE num IS NOT NULL),
               min(num), max(num),
               count(*) FILTER (WHERE r IN {sql_in((*TRUE_WORDS, *FALSE_WORDS))})
        FROM (SELECT lower(trim(__rating_raw)) AS r,
                     CASE WHEN isfinite(TRY_CAST(trim(__rating_raw) AS DOUBLE))
                          THEN TRY_CAST(trim(__rating_raw) AS DOUBLE) END AS num FROM fields)
        """
    ).fetchone()
    assert row is not None
    return decide_scale(
        file, rating_column, int(row[0]), int(row[1]), row[2], row[3], booleans=int(row[4])
    )


def decide_scale(
    file: str,
    rating_column: str,
    words: int,
    numbers: int,
    low: float | None,
    high: float | None,
    *,
    booleans: int = 0,
) -> RatingScale:
    """The scale the ratings are on, from how many are up/down words, how many are numbers,
    the numbers' range and how many are true/false (raises :class:`InputError` when it
    cannot tell). Ratings of 0 and 1 alone are ``binary`` (0 is thumbs-down): read as
    ``signed``, 0 would be unrated and no event a thumbs-down."""
    if booleans > max(words, numbers):
        return "binary"
    if words >= numbers or low is None or high is None:
        return "updown"
    if low == 0 and high == 1:
        return "binary"
    if low <= 0 and high > 1:
        # a -1 or 0 among ratings up to 5: read as signed, every 2 to 5 was reported as a bad
        # record and the one that fits no scale was not named
        raise InputError.single(
            file,
            None,
            f"the ratings in column '{rating_column}' run from {low:g} to {high:g}: neither "
            "1/-1/0 (--rating-scale signed) nor 1 to 5 stars (--rating-scale stars) holds them "
            "all; name the scale they are on, and the records off it are listed at their lines",
        )
    if low <= 0:
        return "signed"
    if high > 1:
        return "stars"
    if low == high == 1:
        raise InputError.single(
            file,
            None,
            f"every rating in column '{rating_column}' is 1: is that thumbs-up (--rating-scale "
            "signed) or one star (--rating-scale stars)?",
        )
    raise InputError.single(
        file,
        None,
        f"the ratings in column '{rating_column}' run from {low:g} to {high:g}, between 0 and "
        "1: neither up/down, 1/-1 (--rating-scale signed) nor 1 to 5 stars (--rating-scale "
        "stars); convert them to one of these",
    )


def _tally(
    con: duckdb.DuckDBPyConnection, fields: Sequence[str] = ()
) -> tuple[list[tuple[str | None, str, int]], int, int, dict[str, int]]:
    """Counts per (rating, segment), bad records, duplicate ids, and the records with a value
    in each of ``fields`` (two scans)."""
    valued = "".join(
        f", count(__{'rating_raw' if f == 'rating' else f}) AS valued_{i}"
        for i, f in enumerate(fields)
    )
    groups = con.execute(
        f"""
        SELECT __rating, __segment, count(*) AS n,
               count(*) FILTER (WHERE __problem IS NOT NULL) AS bad{valued}
        FROM events GROUP BY ALL
        """
    ).fetchall()
    cells = [(g[0], g[1], int(g[2])) for g in groups]
    bad = sum(int(g[3]) for g in groups)
    dup_row = con.execute("SELECT count(__id) - count(DISTINCT __id) FROM events").fetchone()
    duplicates = int(dup_row[0]) if dup_row else 0
    with_value = {f: sum(int(g[4 + i]) for g in groups) for i, f in enumerate(fields)}
    return cells, bad, duplicates, with_value


def absent_field_problems(
    source: Source, fields: Sequence[str], column_map: Mapping[str, str]
) -> list[Problem]:
    """Those of ``fields`` whose column the log lacks, each as one problem about the file, not
    as "no rated events" or as a map that was silently not used: CSV and Parquet, a column
    not in the header (:func:`missing_column_problem`: an optional field only when mapped);
    JSONL, a field no record has (a field that holds null is had; one scan, only for those
    not among the first records' names, :meth:`Source.names_with`). The audit checks its
    rating and mapped fields with it, the monitor its mapped fields."""
    columns = [column_map.get(f, f) for f in fields]
    if source.fmt == "jsonl":
        _, absent = source.names_with(columns)
    else:
        absent = {c for c in columns if source.column_sql(c) is None}
    problems = []
    for field in fields:
        column = column_map.get(field, field)
        if column not in absent:
            continue
        mapped = field in column_map
        if source.fmt != "jsonl":
            problem = missing_column_problem(source.file, field, column, source.names, column_map)
            if problem is not None:
                problems.append(problem)
            continue
        what = f" for field '{field}'" if mapped else ""
        hint = "" if mapped else f"; map yours with --map {field}=FIELD"
        problems.append(
            Problem(
                source.file,
                None,
                f"{no_record_has(column)}{what} (fields seen: {', '.join(source.names)})" + hint,
            )
        )
    return problems


def _missing_counts(con: duckdb.DuckDBPyConnection) -> tuple[dict[str, int], int]:
    """Records lacking each required field, and records that are no record at all (the
    error path only)."""
    row = con.execute(
        """
        SELECT count(*) FILTER (WHERE __shape IS NULL AND (__id IS NULL OR __id = '')),
               count(*) FILTER (WHERE __shape IS NULL AND __prompt IS NULL),
               count(*) FILTER (WHERE __shape IS NULL AND __response IS NULL),
               count(*) FILTER (WHERE __shape IS NOT NULL)
        FROM events
        """
    ).fetchone()
    assert row is not None
    return {"id": int(row[0]), "prompt": int(row[1]), "response": int(row[2])}, int(row[3])


def rated_strata(
    file: str, cells: Sequence[tuple[str | None, str | None, int]], stratify_by: str | None
) -> list[Stratum]:
    """The rated strata from counts per (rating, segment), in key order; raises
    :class:`InputError` when no event is rated."""
    strata = sorted(
        (
            Stratum(rating=rating, segment=segment if stratify_by else None, events=n)
            for rating, segment, n in cells
            if rating in ("up", "down")
        ),
        key=lambda s: (s.rating, s.segment or ""),
    )
    if not strata:
        rows = sum(n for _, _, n in cells)
        raise InputError.single(
            file, None, f"no rated events: all {rows} records have an empty or neutral rating"
        )
    return strata


def counted_info(
    file: str,
    fmt: LogFormat,
    cells: Sequence[tuple[str | None, str | None, int]],
    *,
    scale: RatingScale,
    threshold: float,
    column_map: dict[str, str],
    columns: list[str],
    stratify_by: str | None,
    bottom_cut: float | None,
) -> LogInfo:
    """What a validated log's counts per (rating, segment) say (raises when none is rated)."""
    strata = rated_strata(file, cells, stratify_by)
    rows = sum(n for _, _, n in cells)
    rated = sum(s.events for s in strata)
    return LogInfo(
        file=file,
        format=fmt,
        rows=rows,
        rated=rated,
        unrated=rows - rated,
        rating_scale=scale,
        threshold=threshold if scale == "stars" else None,
        column_map=column_map,
        columns=columns,
        stratify_by=stratify_by,
        strata=strata,
        bottom_cut=bottom_cut,
    )


class FeedbackLog:
    """A validated feedback log: DuckDB views over the file, its counts, and row lookup.

    The view ``events`` has ``__row`` (1-based record index) and the normalised text columns
    ``__id``, ``__timestamp``, ``__user_id``, ``__prompt``, ``__response``, ``__reference``,
    ``__rating_raw``, ``__rating`` (``up``, ``down``, ``unrated``; NULL when invalid),
    ``__segment``, ``__problem``, then the file's own columns.
    """

    def __init__(self, source: Source, info: LogInfo, *, mapped_columns: set[str]) -> None:
        self.source = source
        self.con = source.con
        self.info = info
        self._mapped = mapped_columns

    def fetch(self, rows: Sequence[int]) -> list[FeedbackEvent]:
        """The rated events at these record indices (in file order)."""
        return [self._event(rec) for rec in self.source.fetch("events", rows)]

    def _event(self, rec: dict[str, Any]) -> FeedbackEvent:
        return FeedbackEvent(
            id=rec["__id"],
            row=int(rec["__row"]),
            timestamp=rec["__timestamp"],
            user_id=rec["__user_id"],
            prompt=rec["__prompt"],
            response=rec["__response"],
            rating=rec["__rating"] if rec["__rating"] in ("up", "down") else None,
            rating_raw=rec["__rating_raw"],
            segment=rec["__segment"],
            reference=rec["__reference"],
            extra=self.source.extras(rec, self._mapped),
        )

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> FeedbackLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_log(
    path: str | Path,
    *,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    stratify_by: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    stratify_option: str = "--stratify-by",
    also_read: Mapping[str, str] | None = None,
) -> FeedbackLog:
    """Open, validate and count a feedback log. Raises :class:`InputError` listing every bad
    record (file and line) and every missing column; the caller writes nothing then.
    ``stratify_option`` is the option a missing ``stratify_by`` column is reported under.
    ``also_read``: fields of the caller's own, each to the column it reads them from (tells:
    ``{"power_user": COLUMN}``), held to one column, one role with the log's fields."""
    file = str(path)
    cmap = dict(column_map or {})
    bad_fields = [f for f in cmap if f not in MAPPABLE_FIELDS]
    if bad_fields:
        raise InputError.single(file, None, f"column map: unknown field(s) {bad_fields}")
    if rating_scale not in SCALES:
        raise InputError.single(
            file, None, f"unknown rating scale '{rating_scale}': expected {', '.join(SCALES)}"
        )
    if not 1 < threshold <= 5:
        raise InputError.single(file, None, f"stars threshold must be in (1, 5], got {threshold}")
    source = open_source(path, fmt, memory_limit=memory_limit, threads=threads)
    try:
        return _open(
            source, cmap, rating_scale, threshold, stratify_by, stratify_option, also_read or {}
        )
    except BaseException:
        source.close()
        raise


def text_kind_selects(source: Source, cmap: Mapping[str, str]) -> str:
    """JSONL: the JSON type of each record's prompt and response (``__prompt_kind``...), for
    :func:`text_kind_checks` to refuse an object or a list, which ``json_extract_string`` would
    read as its JSON text; other formats: NULL (a Parquet column is checked whole)."""

    def kind(field: str) -> str:
        if source.fmt != "jsonl":
            return "NULL::VARCHAR"
        return f"json_type(json, {json_path(cmap.get(field, field))})"

    return "".join(f", {kind(f)} AS __{f}_kind" for f in TEXT_FIELDS)


def text_column_problems(source: Source, cmap: Mapping[str, str]) -> list[Problem]:
    """Parquet: a prompt or response column of lists, structs, maps or bytes is no text (cast
    to text, a list of one question became "[question]" and went to the judge as the prompt);
    numbers and times still read as their text, as in a CSV. ``monitor`` refuses the same."""
    found = (not_text_problem(source, cmap.get(f, f), f) for f in TEXT_FIELDS)
    return [p for p in found if p is not None]


def text_kind_checks(label: Mapping[str, str]) -> str:
    """The ``WHEN`` clauses that name a JSONL prompt or response that is an object or a list
    (over :func:`text_kind_selects`' columns; ``label``: each field's name in messages)."""
    return "".join(
        f"""
          WHEN __{f}_kind = 'OBJECT' THEN {sql_literal(label[f] + " is an object, not text")}
          WHEN __{f}_kind = 'ARRAY' THEN {sql_literal(label[f] + " is a list, not text")}"""
        for f in TEXT_FIELDS
    )


def _problem_sql(scale: str, cmap: Mapping[str, str], csv: bool = False) -> str:
    label = {f: (f if f not in cmap else f"{f} (column '{cmap[f]}')") for f in MAPPABLE_FIELDS}
    quote = "''''"  # a single quote, as a SQL literal
    # CSV: an empty cell is no value; an empty text is written "" (read as one)
    cell = ' (an empty cell; an empty text is written "")' if csv else ""
    kinds = text_kind_checks(label)
    return f"""
        CASE
          WHEN __shape IS NOT NULL THEN __shape
          WHEN __id IS NULL OR __id = '' THEN {sql_literal(label["id"] + " is missing")}
          WHEN __prompt IS NULL THEN {sql_literal(label["prompt"] + " is missing" + cell)}
          WHEN __response IS NULL THEN {sql_literal(label["response"] + " is missing" + cell)}\
          {kinds}
          WHEN __rating IS NULL THEN {sql_literal(label["rating"] + " ")} || {quote} || __rating_raw
               || {quote} || ' is not ' || {sql_literal(SCALE_TEXT[scale])}
        END"""


def _open(
    source: Source,
    cmap: dict[str, str],
    rating_scale: str,
    threshold: float,
    stratify_by: str | None,
    stratify_option: str = "--stratify-by",
    also_read: Mapping[str, str] | None = None,
) -> FeedbackLog:
    file, con = source.file, source.con
    extra = dict(also_read or {})
    # JSONL: the names come from the first records (KEY_SAMPLE); a column given two roles and
    # first given later has them all the same ('--map reference=user_id' with the user_id from
    # record 10,001 on was read as both, and ran to exit 0), as in audit-channels. Only such a
    # column is looked for (one scan, only when it is not among the first records' names)
    read = [cmap.get(f, f) for f in MAPPABLE_FIELDS] + [*extra.values(), stratify_by]
    columns, _ = source.names_with(c for c in read if read.count(c) > 1)
    twice = column_role_problem(
        file,
        {**cmap, **{f: c for f, c in extra.items() if c != f}},  # mapped: named as --map f=c
        columns,
        stratify_by,
        stratify_option,
        fields=(*MAPPABLE_FIELDS, *extra),
    )
    if twice is not None:
        raise InputError([twice])
    exprs, problems = _field_exprs(source, cmap, stratify_by, stratify_option)
    problems += text_column_problems(source, cmap)
    if problems:  # about the whole file; the lines that are no record are wrong as well
        raise InputError(problems + shape_problems(source))
    selects = ", ".join(f"{exprs[f]} AS __{'rating_raw' if f == 'rating' else f}" for f in exprs)
    con.execute(
        f"CREATE VIEW fields AS SELECT __row, {selects}, {source.shape_sql} AS __shape"
        f"{text_kind_selects(source, cmap)}, src.* EXCLUDE (__row) FROM src"
    )
    try:
        scale: RatingScale
        if rating_scale == "auto":
            try:
                scale = _detect_scale(con, file, cmap.get("rating", "rating"))
            except InputError as exc:  # about the whole file, like a missing column
                raise InputError(exc.problems + shape_problems(source)) from None
        else:
            scale = rating_scale  # type: ignore[assignment]
        con.execute(
            f"CREATE VIEW rated AS SELECT *, {_rating_sql(scale, threshold)} AS __rating "
            "FROM fields"
        )
        problem = _problem_sql(scale, cmap, csv=source.fmt == "csv")
        con.execute(f"CREATE VIEW events AS SELECT *, {problem} AS __problem FROM rated")
        # JSONL: the rating and the mapped optional fields, checked for a field no record has
        checked = (
            ["rating", *(f for f in MAPPABLE_FIELDS if f in cmap and f not in REQUIRED_FIELDS)]
            if source.fmt == "jsonl"
            else []
        )
        cells, bad, duplicates, with_value = _tally(con, checked)
        rows = sum(n for _, _, n in cells)
        if rows == 0:
            raise InputError.single(file, None, "no records")
        problems = []
        whole_file = False  # a field no record has: one problem, not one per record
        shape = 0
        if bad:
            missing, shape = _missing_counts(con)
            problems = missing_field_problems(source, missing, rows - shape, cmap)
            whole_file = bool(problems)
            if not whole_file:
                problems = listed_problems(source, "events", bad)
        empty = [f for f, n in with_value.items() if n == 0]  # only those can be absent
        absent = absent_field_problems(source, empty, cmap) if rows > shape else []
        if absent:  # the records' own problems stay listed (the broken lines among them)
            problems = absent + problems
            whole_file = True
        if duplicates and not whole_file:
            problems.extend(duplicate_problems(source, "events"))
        if problems:
            raise InputError(problems)
        bottom_cut: float | None = None
        if scale == "stars":
            cut = con.execute(
                "SELECT quantile_disc(TRY_CAST(trim(__rating_raw) AS DOUBLE), 0.1) FROM events "
                "WHERE __rating IN ('up', 'down')"
            ).fetchone()
            bottom_cut = float(cut[0]) if cut and cut[0] is not None else None
    except duckdb.Error as exc:
        raise InputError(source.unreadable(exc)) from None
    info = counted_info(
        file,
        source.fmt,
        cells,
        scale=scale,
        threshold=threshold,
        column_map=cmap,
        columns=source.names,
        stratify_by=stratify_by,
        bottom_cut=bottom_cut,
    )
    return FeedbackLog(source, info, mapped_columns={cmap.get(f, f) for f in MAPPABLE_FIELDS})
