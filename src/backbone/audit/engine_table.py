"""The audit's queries written once against Ibis: they run where the data lives.

Given an Ibis table (DuckDB, Spark, Postgres, BigQuery, Snowflake... any backend Ibis reaches)
with the feedback log's columns (after the ``--map`` renames), this module asks the engine for

* the rating scale (when not named) and the rated strata (rating x segment) with their sizes;
* the validation counts: records without an id, prompt or response, ratings off the scale,
  repeated ids (the first ``MAX_LISTED`` of each listed by id);
* the seeded sample: per stratum, the ``n`` events with the smallest key
  ``md5(f"{seed}:{id}")`` read as a little-endian number (ties broken by id).

Only the sampled rows travel back to Python (to the judge); the counts behind the weights
N_h / n_h are computed by the engine. The key is the one the default DuckDB path draws with
(``md5_number``, the digest's 16 bytes little-endian): its hex digest with the byte pairs
reversed sorts the same way as text, and every engine computes an md5 hex digest identically,
so the same seed draws the same events on every engine.

A table has no row order, so a sampled event's ``row`` is 0 ("not known") and a bad record is
named by its id, unless the table has a ``__row`` column (the wiring adds one for the files
Spark reads): then the bad record is named at it too.

Example:
    >>> import ibis
    >>> t = ibis.memtable({"id": ["a", "b", "c"], "prompt": ["p"] * 3,
    ...                    "response": ["r"] * 3, "rating": ["up", "down", "up"]})
    >>> log = open_table(t, name="feedback")
    >>> [(s.key, s.events) for s in log.info.strata]
    [('down', 1), ('up', 2)]
    >>> [se.event.id for se in log.draw_sample(per_stratum=1, seed=7).events]
    ['b', 'a']
"""

from __future__ import annotations

import math
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from backbone.audit.feedback_log import (
    DOWN_WORDS,
    FALSE_WORDS,
    MISSING_SEGMENT,
    SCALE_TEXT,
    SCALES,
    TRUE_WORDS,
    UP_WORDS,
    column_role_problem,
    counted_info,
    decide_scale,
    missing_column_problem,
)
from backbone.audit.models import (
    MAPPABLE_FIELDS,
    FeedbackEvent,
    LogFormat,
    LogInfo,
    RatingScale,
    Sample,
)
from backbone.audit.sampling import assemble_sample
from backbone.audit.source import MAX_LISTED, infer_scalar, jsonable, read_through
from backbone.core.errors import InputError, Problem

ROW = "__row"  # an optional 1-based record index column
BOTTOM_QUANTILE = 0.1  # the stars scale's lowest-rated outputs: the 10th percentile score
_FIELDS = (*MAPPABLE_FIELDS, "segment")


def _col(field: str) -> str:
    return f"__{'rating_raw' if field == 'rating' else field}"


def draw_key(ident: ir.StringValue, seed: int) -> ir.StringValue:
    """``md5(f"{seed}:{id}")`` as 32 hex digits, byte pairs reversed: sorted as text, the
    order of DuckDB's ``md5_number`` (the digest read as a little-endian 128-bit number)."""
    digest = (ibis.literal(f"{seed}:") + ident).hexdigest("md5")
    pairs = [digest.substr(2 * i, 2) for i in reversed(range(16))]
    key = pairs[0]
    for pair in pairs[1:]:
        key = key + pair
    return key


def _infinite(number: ir.FloatingValue) -> ir.BooleanValue:
    """``number`` is infinite, on any engine: Ibis compiles ``isinf()`` for Spark as
    ``FALSE OR FALSE``, so an infinite value was taken for a finite one there."""
    return (number == math.inf) | (number == -math.inf)


def _shortest_text(text: ir.StringValue) -> ir.StringValue:
    """A finite float's text as DuckDB (and Python's ``repr``) words it, from the engine's
    own shortest digits in whatever notation it uses: fixed from 1e-4 up to 1e16
    (``123456789.0``, ``0.0001``), else ``1e+20``, ``2.5e-10``. Spark (Java) writes
    ``1.23456789E8``, ``1.0E-4``, ``1.0E20``; DuckDB's text comes back unchanged."""
    sign = text.re_extract(r"^(-?)", 1)
    whole = text.re_extract(r"^-?([0-9]*)", 1)
    fraction = text.re_extract(r"^-?[0-9]*[.]?([0-9]*)", 1)
    exp_sign = ibis.ifelse(text.re_extract(r"[eE]([+-]?)[0-9]+$", 1) == "-", -1, 1)
    exp = exp_sign * text.re_extract(r"[eE][+-]?([0-9]+)$", 1).try_cast("int64").fill_null(0)
    every = whole + fraction
    lead = every.re_extract(r"^(0*)", 1).length()
    digits = every.re_extract(r"^0*([0-9]*?)0*$", 1)  # no leading or trailing zero
    n = digits.length()
    point = whole.length() + exp - lead  # the decimal point sits after `point` digits
    e = point - 1  # the exponent of the first digit
    zeros = ibis.literal("0")
    fixed = ibis.cases(
        (point <= 0, "0." + zeros.repeat(-point) + digits),
        (point >= n, digits + zeros.repeat(point - n) + ".0"),
        else_=digits.substr(0, point) + "." + digits.substr(point),
    )
    mantissa = digits.substr(0, 1) + ibis.ifelse(n > 1, "." + digits.substr(1), "")
    scientific = mantissa + "e" + ibis.ifelse(e < 0, "-", "+") + e.abs().cast("string").lpad(2, "0")
    return ibis.ifelse(
        n == 0,  # a zero (0.0, -0.0): written alike everywhere
        text,
        sign + ibis.ifelse((e >= -4) & (e < 16), fixed, scientific),
    )


def as_text(value: ir.Value, *, utc: bool = False) -> ir.StringValue:
    """``value`` as text, worded as DuckDB (the default engine) words it, on any engine: a
    floating ``NaN`` or infinity as ``nan``, ``inf``, ``-inf`` (Spark and Postgres wrote
    ``NaN``, ``Infinity``), any other float as DuckDB words it (``1e+20``, ``123456789.0``,
    where Spark wrote ``1.0E20``, ``1.23456789E8``), and, with ``utc`` (a column the engine
    writes as a UTC time with no offset: Spark's ``TIMESTAMP``), the time with ``+00``.
    Before, a stratum of such a segment had another label on Spark than on DuckDB, its
    counts the same.

    Example:
        >>> import pyarrow as pa
        >>> t = ibis.memtable(pa.table({"x": [float("nan"), float("-inf"), 1.5, None, 1e20]}))
        >>> t.select(s=as_text(t["x"])).to_pyarrow()["s"].to_pylist()
        ['nan', '-inf', '1.5', None, '1e+20']
    """
    text = value.cast("string")
    if value.type().is_floating():
        number: ir.FloatingValue = value
        return ibis.cases(
            (number.isnan(), "nan"),
            (_infinite(number) & (number > 0), "inf"),
            (_infinite(number), "-inf"),
            else_=_shortest_text(text),
        )
    if utc and value.type().is_timestamp():
        return text + "+00"
    return text


def quantile_disc(histogram: Mapping[float, int], q: float) -> float | None:
    """The discrete ``q`` quantile of values given as counts (DuckDB's ``quantile_disc``:
    the value at sorted position ``floor((n - 1) * q)``).

    >>> quantile_disc({1.0: 3, 4.0: 7}, 0.1), quantile_disc({1.0: 1, 5.0: 9}, 0.5)
    (1.0, 5.0)
    """
    n = sum(histogram.values())
    if n == 0:
        return None
    index = math.floor((n - 1) * q)
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen > index:
            return value
    return None  # pragma: no cover - unreachable: seen reaches n > index


def _rating(raw: ir.StringValue, scale: RatingScale, threshold: float) -> ir.StringValue:
    """``up``, ``down`` or ``unrated`` from the raw value; NULL when off the scale."""
    r = raw.strip().lower()
    num = raw.strip().try_cast("float64")
    empty = raw.isnull() | (r == "")
    null = ibis.null("string")
    if scale == "updown":
        return ibis.cases(
            (empty, "unrated"),
            (r.isin(list(UP_WORDS)), "up"),
            (r.isin(list(DOWN_WORDS)), "down"),
            else_=null,
        )
    if scale == "binary":
        return ibis.cases(
            (empty, "unrated"),
            ((num == 1) | r.isin(list(TRUE_WORDS)), "up"),
            ((num == 0) | r.isin(list(FALSE_WORDS)), "down"),
            else_=null,
        )
    if scale == "signed":
        return ibis.cases(
            (empty, "unrated"),
            (num == 1, "up"),
            (num == -1, "down"),
            (num == 0, "unrated"),
            else_=null,
        )
    in_range = (num >= 1) & (num <= 5)
    return ibis.cases(
        (empty, "unrated"),
        (in_range & (num >= threshold), "up"),
        (in_range, "down"),
        else_=null,
    )


class EngineLog:
    """A validated feedback table on an Ibis backend: its counts, and the sample drawn there.

    ``events`` is the table with the text columns ``__id``, ``__timestamp``, ``__user_id``,
    ``__prompt``, ``__response``, ``__reference``, ``__rating_raw``, ``__segment`` and
    ``__rating`` (``up``, ``down``, ``unrated``; NULL when off the scale), then the table's own.
    """

    def __init__(
        self,
        events: ir.Table,
        info: LogInfo,
        *,
        extras: Sequence[str],
        csv_text: bool = False,
        json_fields: bool = False,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.events = events
        self.info = info
        self._extras = list(extras)
        self._csv_text = csv_text
        self._json_fields = json_fields
        self._on_close = on_close

    def draw_rows(self, per_stratum: int, seed: int) -> list[dict[str, Any]]:
        """The drawn records per stratum (the ``n`` smallest keys), ordered by stratum and key;
        the query runs on the engine and only these rows come back. The ranking sorts narrow
        rows (id, stratum, key); the drawn ids are then joined back to their whole records."""
        t = self.events
        rated = t.filter(t["__rating"].isin(["up", "down"]))
        narrow = rated.select("__id", "__rating", "__segment").mutate(
            __key=draw_key(rated["__id"], seed)
        )
        groups = ["__rating", "__segment"] if self.info.stratify_by else ["__rating"]
        window = ibis.window(group_by=groups, order_by=["__key", "__id"])
        ranked = narrow.mutate(__rank=ibis.row_number().over(window))
        drawn = ranked.filter(ranked["__rank"] < per_stratum).select(
            __drawn_id="__id", __rank="__rank"
        )
        joined = rated.inner_join(drawn, rated["__id"] == drawn["__drawn_id"])
        columns = [_col(f) for f in _FIELDS] + ["__rating", "__rank", *self._extras]
        if ROW in t.columns:
            columns.append(ROW)
        records: list[dict[str, Any]] = joined.select(*columns).to_pyarrow().to_pylist()
        records.sort(key=lambda r: (self._stratum_key(r), r["__rank"]))
        return records

    def _stratum_key(self, rec: Mapping[str, Any]) -> str:
        rating = str(rec["__rating"])
        return f"{rating}|{rec['__segment']}" if self.info.stratify_by else rating

    def draw_sample(self, per_stratum: int, seed: int = 0) -> Sample:
        """Draw ``per_stratum`` events from every stratum (all of a smaller one): the same
        events :func:`backbone.audit.sampling.draw_sample` draws from the same log. DuckDB
        failing the draw (out of memory under ``--memory-limit``, a page of a ``duckdb://``
        database that no longer reads) raises :class:`InputError` naming the table."""
        if per_stratum < 1:
            raise ValueError(f"per_stratum must be >= 1, got {per_stratum}")
        with read_through(self.info.file):
            records = self.draw_rows(per_stratum, seed)
        drawn: dict[str, list[FeedbackEvent]] = {}
        for rec in records:
            drawn.setdefault(self._stratum_key(rec), []).append(self._event(rec))
        return assemble_sample(self.info.strata, drawn, seed=seed, per_stratum=per_stratum)

    def _event(self, rec: Mapping[str, Any]) -> FeedbackEvent:
        extra = {
            name: infer_scalar(rec[name]) if self._csv_text else jsonable(rec[name])
            for name in self._extras
            if not (self._json_fields and rec[name] is None)  # JSONL: a field it lacks
        }
        return FeedbackEvent(
            id=rec["__id"],
            row=int(rec.get(ROW) or 0),
            timestamp=rec["__timestamp"],
            user_id=rec["__user_id"],
            prompt=rec["__prompt"],
            response=rec["__response"],
            rating=rec["__rating"],
            rating_raw=rec["__rating_raw"],
            segment=rec["__segment"],
            reference=rec["__reference"],
            extra=extra,
        )

    def close(self) -> None:
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def __enter__(self) -> EngineLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def holds_no_text_type(kind: Any) -> bool:
    """An engine column type whose text is no prompt, response or domain: lists, structs,
    maps, bytes (numbers and times read as their text, as in a CSV); DuckDB's own type names
    are read by :func:`backbone.audit.source.holds_no_text`."""
    return bool(kind.is_nested() or kind.is_binary())


def _fields(
    table: ir.Table,
    name: str,
    cmap: Mapping[str, str],
    stratify_by: str | None,
    stratify_option: str,
    utc_text: Collection[str] = (),
) -> ir.Table:
    """The table with the canonical text columns added (raises for missing columns), each
    worded as DuckDB words it (:func:`as_text`)."""
    names = [c for c in table.columns if c != ROW]
    if not names:  # an empty file (or only blank lines) has no columns to miss
        raise InputError.single(name, None, "no records")
    twice = column_role_problem(name, cmap, names, stratify_by, stratify_option)
    if twice is not None:
        raise InputError([twice])
    problems: list[Problem] = []
    exprs: dict[str, ir.Value] = {}
    for field in _FIELDS:
        if field == "segment" and stratify_by is None:
            exprs[_col(field)] = ibis.null("string")
            continue
        column = stratify_by if field == "segment" and stratify_by else cmap.get(field, field)
        kind = table.schema()[column] if column in names else None
        if field in ("prompt", "response") and kind is not None and holds_no_text_type(kind):
            # cast to text, a list of one question went to the judge as "[question]"
            problems.append(
                Problem(
                    name,
                    None,
                    f"column '{column}' for field '{field}' holds {kind} values, not text",
                )
            )
        if column in names:
            expr: ir.StringValue = as_text(table[column], utc=column in utc_text)
        else:
            problem = missing_column_problem(name, field, column, names, cmap, stratify_option)
            if problem is not None:
                problems.append(problem)
            expr = ibis.null("string")
        if field == "segment":
            expr = expr.fill_null(MISSING_SEGMENT)
        exprs[_col(field)] = expr
    if problems:
        raise InputError(problems)
    return table.mutate(**exprs)


def _detect_scale(fields: ir.Table, name: str, rating_column: str) -> RatingScale:
    """The ratings' scale, told by the finite numbers only (a ``NaN`` or infinite rating is
    named at its record afterwards, as one the scale does not hold)."""
    raw = fields["__rating_raw"]
    r = raw.strip().lower()
    cast = raw.strip().try_cast("float64")
    num = (cast.isnan() | _infinite(cast)).ifelse(ibis.null("float64"), cast)
    row = (
        fields.aggregate(
            words=r.isin([*UP_WORDS, *DOWN_WORDS]).sum(),
            numbers=num.count(),
            low=num.min(),
            high=num.max(),
            booleans=r.isin([*TRUE_WORDS, *FALSE_WORDS]).sum(),
        )
        .to_pyarrow()
        .to_pylist()[0]
    )
    return decide_scale(
        name,
        rating_column,
        int(row["words"] or 0),
        int(row["numbers"] or 0),
        row["low"],
        row["high"],
        booleans=int(row["booleans"] or 0),
    )


def _bad(events: ir.Table) -> ir.BooleanValue:
    """A record without an id, prompt or response, or with a rating off the scale."""
    no_id = events["__id"].isnull() | (events["__id"] == "")
    missing = events["__prompt"].isnull() | events["__response"].isnull()
    return no_id | missing | events["__rating"].isnull()


def _bad_records(events: ir.Table, name: str, scale: str, cmap: Mapping[str, str]) -> list[Problem]:
    """The first bad records, one problem each: in file order at their records when the table
    has ``__row`` (the caller names their lines), else by id (records without an id first)."""
    label = {f: (f if f not in cmap else f"{f} (column '{cmap[f]}')") for f in MAPPABLE_FIELDS}
    numbered = ROW in events.columns
    rows = (
        events.filter(_bad(events))
        .select(
            "__id",
            "__prompt",
            "__response",
            "__rating_raw",
            "__rating",
            *([ROW] if numbered else []),
        )
        .order_by([ROW] if numbered else [ibis.asc("__id", nulls_first=True)])
        .limit(MAX_LISTED)
        .to_pyarrow()
        .to_pylist()
    )
    problems = []
    for rec in rows:
        ident = rec["__id"]
        where = "a record without an id" if not ident else f"record '{ident}'"
        if not ident:
            what = f"{label['id']} is missing"
        elif rec["__prompt"] is None:
            what = f"{label['prompt']} is missing"
        elif rec["__response"] is None:
            what = f"{label['response']} is missing"
        else:
            what = f"{label['rating']} '{rec['__rating_raw']}' is not {SCALE_TEXT[scale]}"
        problems.append(Problem(name, rec.get(ROW), f"{where}: {what}"))
    return problems


def _duplicate_problems(events: ir.Table, name: str) -> list[Problem]:
    ids = events.filter(events["__id"].notnull())
    dups = (
        ids.group_by("__id")
        .aggregate(times=ids.count())
        .filter(lambda t: t.times > 1)
        .order_by("__id")
        .limit(MAX_LISTED)
        .to_pyarrow()
        .to_pylist()
    )
    return [Problem(name, None, f"duplicate id '{d['__id']}' ({d['times']} records)") for d in dups]


def open_table(
    table: ir.Table,
    *,
    name: str,
    fmt: LogFormat = "table",
    column_map: Mapping[str, str] | None = None,
    rating_scale: str = "auto",
    threshold: float = 4.0,
    stratify_by: str | None = None,
    stratify_option: str = "--stratify-by",
    csv_text: bool = False,
    json_fields: bool = False,
    on_close: Callable[[], None] | None = None,
    utc_text: Collection[str] = (),
) -> EngineLog:
    """Validate and count a feedback table where it lives. Raises :class:`InputError` naming
    ``name`` (the table or file) for missing columns, bad records and repeated ids; the
    caller writes nothing then. ``csv_text``: the columns are CSV text (types inferred per
    value for the sampled rows' other columns, as the default path does); ``json_fields``:
    the columns are the fields of JSONL records, and a record's null one is a field it lacks
    (left out of the event's other columns, as the default path leaves it); ``utc_text``: the
    columns the engine writes as UTC times with no offset (:func:`as_text`)."""
    cmap = dict(column_map or {})
    if rating_scale not in SCALES:
        raise InputError.single(
            name, None, f"unknown rating scale '{rating_scale}': expected {', '.join(SCALES)}"
        )
    if not 1 < threshold <= 5:
        raise InputError.single(name, None, f"stars threshold must be in (1, 5], got {threshold}")
    fields = _fields(table, name, cmap, stratify_by, stratify_option, utc_text)
    scale: RatingScale
    if rating_scale == "auto":
        scale = _detect_scale(fields, name, cmap.get("rating", "rating"))
    else:
        scale = rating_scale  # type: ignore[assignment]
    events = fields.mutate(__rating=_rating(fields["__rating_raw"], scale, threshold))
    # the cells and the ids' counts in one query (each row of the cells carries the latter):
    # one round of jobs on Spark, not two
    ids = events.aggregate(with_id=events["__id"].count(), distinct=events["__id"].nunique())
    groups = (
        events.group_by(["__rating", "__segment"])
        .aggregate(n=events.count(), bad=_bad(events).sum())
        .cross_join(ids)
        .to_pyarrow()
        .to_pylist()
    )
    cells = [(g["__rating"], g["__segment"], int(g["n"])) for g in groups]
    rows = sum(n for _, _, n in cells)
    if rows == 0:
        raise InputError.single(name, None, "no records")
    bad_count = sum(int(g["bad"] or 0) for g in groups)
    counted = groups[0]
    problems: list[Problem] = []
    if bad_count:
        problems = _bad_records(events, name, scale, cmap)
        if bad_count > len(problems):
            more = bad_count - len(problems)
            problems.append(Problem(name, None, f"... and {more} more bad records"))
    if int(counted["with_id"]) > int(counted["distinct"]):
        problems.extend(_duplicate_problems(events, name))
    if problems:
        raise InputError(problems)
    bottom_cut: float | None = None
    if scale == "stars":
        scores = events.filter(events["__rating"].isin(["up", "down"]))
        score = scores["__rating_raw"].strip().try_cast("float64")
        hist = scores.group_by(score.name("score")).aggregate(k=scores.count())
        counts = {float(h["score"]): int(h["k"]) for h in hist.to_pyarrow().to_pylist()}
        bottom_cut = quantile_disc(counts, BOTTOM_QUANTILE)
    names = [c for c in table.columns if c != ROW]
    info = counted_info(
        name,
        fmt,
        cells,
        scale=scale,
        threshold=threshold,
        column_map=cmap,
        columns=names,
        stratify_by=stratify_by,
        bottom_cut=bottom_cut,
    )
    mapped = {cmap.get(f, f) for f in MAPPABLE_FIELDS}
    extras = [c for c in names if c not in mapped]
    return EngineLog(
        events, info, extras=extras, csv_text=csv_text, json_fields=json_fields, on_close=on_close
    )
