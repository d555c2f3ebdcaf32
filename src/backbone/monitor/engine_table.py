"""The monitor's ingestion written once against Ibis: a conversation log validated, classified
and counted where it lives (Spark, a database table...), and the seeded draw made there.

Only the one-message-a-row shape is read on an engine (``conversation_id``, ``turn``,
``role``, ``content``; optional ``domain``, ``user_id``, ``timestamp``, ``dial_off``); a log of
a conversation a row (a ``messages`` list) is read by the default DuckDB path only, and on an
engine exits 2 saying so. Validation is the default path's (missing columns and ids, turns
that are not whole numbers or repeat, roles out of order, no assistant turn, two domains
in one conversation, a ``dial_off``
neither true nor false, a ``timestamp`` given that is not a time, a ``content`` that is not
text); tool use is left out as there (a ``tool`` or ``function`` message, and the assistant's
tool call right before it: with no text, or with some when the assistant's reply follows the
results), and ``developer`` is read as ``system``. A ``content``
that is not text is seen by its column's type (a table's column holds one
type), save on a JSONL file read by Spark: its reader makes 42 among texts the text "42", so
the wiring adds ``__kinds`` (what each record's fields hold when not text) and the record is
refused (:data:`KINDS`). Problems are named at their record when the table has ``__row``
(the wiring numbers a file's records on Spark; the line is found from it there). The
engine counts the conversations per stratum (domain x has a pushback), and only the drawn
conversations' messages come back to Python.

**Pushback detection runs in the engine, as the same regular expressions.** The patterns of
:mod:`backbone.monitor.pushback_patterns` are RE2, matched case-insensitively, and DuckDB's
regular expressions are RE2; Spark's are Java's, which differ on a few points. So that both
engines read every turn the same way, the patterns and the text are brought to the subset on
which RE2 and Java agree (:func:`engine_pattern`, :func:`engine_text`):

* case: the text's ASCII capitals (and the Kelvin sign and long s, which RE2's case folding
  maps onto ``k`` and ``s``) are lowered with ``translate`` and the (all lower-case)
  patterns match case-sensitively: Java's ``(?i)`` folds ASCII only, ``(?iu)`` folds more
  than RE2 (dotless i, dotted I);
* every other non-ASCII character but the curly apostrophe becomes ``#``: RE2's ``\\b`` and
  ``\\w`` are ASCII, Java 17's ``\\b`` is not ("é" is a word character there); ``#``
  (which no pattern names) is, like any non-ASCII character in RE2, neither a word character
  nor a space, so every pattern matches the replaced text where RE2 matches the original;
* ``$`` becomes ``\\z`` (Java's ``$`` also matches before a final line break), ``.`` becomes
  ``[^\\n]`` (Java's also stops at ``\\r`` and Unicode line separators) and ``\\s`` becomes
  ``[\\t\\n\\f\\r ]`` (Java's also has the vertical tab).

The flags match the default path turn for turn, save a Kelvin sign or long s read by RE2 as a
letter for case folding but as a non-word character for ``\\b`` (tested on the labeled set
and on tricky turns in ``tests/monitor/test_engines.py``).

The draw is the default path's: in each stratum the ``n`` conversations with the smallest
``md5(f"{seed}:{id}")`` read as a little-endian number
(:func:`backbone.audit.engine_table.draw_key`), so the same seed draws the same ids.

Example:
    >>> import ibis
    >>> t = ibis.memtable({"conversation_id": ["a", "a", "a", "a"], "turn": [1, 2, 3, 4],
    ...     "role": ["user", "assistant", "user", "assistant"],
    ...     "content": ["2+2?", "4", "Are you SURE? I'm a teacher.", "Yes, 4."]})
    >>> log = open_table(t, name="chats")
    >>> log.info.with_pushback, log.info.tactics
    (1, {'credentials': 1})
    >>> [m.tactic for m in log.fetch(["a"])[0].messages]
    [None, None, 'credentials', None]
"""

from __future__ import annotations

import string
from collections.abc import Callable, Collection, Mapping, Sequence
from typing import Any

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from backbone.audit.engine_table import as_text, draw_key, holds_no_text_type
from backbone.audit.feedback_log import column_role_problem, missing_column_problem
from backbone.core.errors import InputError, Problem
from backbone.monitor.models import (
    FALSE_VALUES,
    NO_DOMAIN,
    ROLES,
    TIME_FORMS,
    TOOL_ROLES,
    TRUE_VALUES,
    Conversation,
    LogInfo,
    Message,
    StratumInfo,
    mixed_domain_message,
    unread_fields_message,
)
from backbone.monitor.pushback_patterns import DISPUTE, GIVE_UP, SELF_CORRECTION, TACTIC_ORDER
from backbone.scenarios.tactics import TACTICS

ROW = "__row"  # an optional 1-based record index column (the wiring adds one on Spark)
KINDS = "__kinds"  # optional (JSONL on Spark): per record, {field: "a number"...} for non-text
HIDDEN = (ROW, KINDS)
MAX_LISTED = 50
REQUIRED = ("conversation_id", "turn", "role", "content")
OPTIONAL = ("domain", "user_id", "timestamp", "dial_off")
_UPPER = string.ascii_uppercase + "\u212a\u017f"  # RE2 folds the Kelvin sign and long s too
_LOWER = string.ascii_lowercase + "ks"
_NON_ASCII = "[^\\x00-\\x7f\u2019]"
_SPACE = "\\t\\n\\f\\r "


def engine_pattern(pattern: str) -> str:
    """An RE2 pattern rewritten to mean the same in RE2 and in Java (module docstring).

    >>> engine_pattern(r"^\\W*(?:no)?\\W*wrong\\s*[.\\s]$")
    '^\\\\W*(?:no)?\\\\W*wrong[\\\\t\\\\n\\\\f\\\\r ]*[.\\\\t\\\\n\\\\f\\\\r ]\\\\z'
    >>> engine_pattern(r"don.t|ph\\.d")
    'don[^\\\\n]t|ph\\\\.d'
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            nxt = pattern[i + 1]
            if nxt == "s":
                out.append(_SPACE if in_class else f"[{_SPACE}]")
            else:
                out.append(c + nxt)
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
            out.append(c)
        elif c == "[":
            in_class = True
            out.append(c)
            if pattern[i + 1 : i + 2] == "^":
                out.append("^")
                i += 1
            if pattern[i + 1 : i + 2] == "]":  # a literal ] first in a class
                out.append("]")
                i += 1
        elif c == ".":
            out.append("[^\\n]")
        elif c == "$":
            out.append("\\z")
        else:
            out.append(c)
        i += 1
    return "".join(out)


def engine_text(text: ir.StringValue) -> ir.StringValue:
    """The text the engine patterns read: ASCII capitals lowered, other non-ASCII as ``#``."""
    return text.translate(_UPPER, _LOWER).re_replace(_NON_ASCII, "#")


def _one(patterns: Sequence[str]) -> str:
    return "|".join(f"(?:{engine_pattern(p)})" for p in patterns)


def _match(text: ir.StringValue, patterns: Sequence[str]) -> ir.BooleanValue:
    return text.re_search(_one(patterns)).fill_null(False)


def _missing(
    name: str, cmap: Mapping[str, str], field: str, column: str, names: list[str]
) -> Problem:
    hint = "" if field in cmap else f"; map yours with --map {field}=COLUMN"
    return Problem(
        name, None, f"no column '{column}' for field '{field}' (columns: {', '.join(names)}){hint}"
    )


def _label(cmap: Mapping[str, str], field: str) -> str:
    return field if field not in cmap else f"{field} (column '{cmap[field]}')"


def _whole(text: ir.StringValue) -> ir.IntegerValue:
    """``text`` as a whole number, null when it is not one (as the default path's
    :func:`~backbone.monitor.conversations.whole_sql`: "1.5" is not 2 on a DuckDB connection)."""
    number = text.try_cast("int64")
    real = text.try_cast("float64")
    whole = real == number.cast("float64")
    # Spark's try_cast makes no integer of "2.0" or "1e1" (a float column's text): the whole
    # float itself, as DuckDB reads it (within the integers a float holds exactly)
    held = (real.abs() <= 2.0**53) & (real.floor().cast("float64") == real)
    return ibis.cases(
        (whole.fill_null(False), number),
        (number.isnull() & held.fill_null(False), real.cast("int64")),
        else_=ibis.null("int64"),
    )


def _text(table: ir.Table, column: str | None, utc_text: Collection[str] = ()) -> ir.StringValue:
    """``column`` as text, worded as the default path words it on any engine
    (:func:`~backbone.audit.engine_table.as_text`: a NaN turn, a zoned timestamp)."""
    if column is None:
        return ibis.null("string")
    return as_text(table[column], utc=column in utc_text)


def _messages(
    table: ir.Table, name: str, cmap: Mapping[str, str], utc_text: Collection[str] = ()
) -> ir.Table:
    """The canonical columns ``__conv``, ``__turn_raw``, ``__turn``, ``__role_raw``,
    ``__role``, ``__content``, ``__domain``, ``__user_id``, ``__timestamp``, ``__dial_raw``
    (and ``__row``); raises for missing columns or the conversation-a-row shape."""
    names = [c for c in table.columns if c not in HIDDEN]
    if not names:  # an empty file (or only blank lines) has no columns to miss
        raise InputError.single(name, None, "no records")
    conv_col = cmap.get("conversation_id", "conversation_id")
    messages_col = cmap.get("messages", "messages")
    if messages_col in names and conv_col not in names:
        raise InputError.single(
            name,
            None,
            f"a conversation a row (column '{messages_col}') is read by the default DuckDB path "
            "only: on --engine spark or --connection give one message a row "
            "(conversation_id, turn, role, content)",
        )
    unread = unread_fields_message(
        cmap, False, "the only shape read with --engine spark or --connection"
    )
    if unread is not None:  # --map id=session was dropped without a word, as on the default path
        raise InputError.single(name, None, unread)
    twice = column_role_problem(name, cmap, names, fields=(*REQUIRED, *OPTIONAL))
    if twice is not None:  # --map domain=role: one column, one field, as the default path
        raise InputError([twice])
    problems = []
    cols: dict[str, str | None] = {}
    for field in (*REQUIRED, *OPTIONAL):
        column = cmap.get(field, field)
        if column in names:
            cols[field] = column
        elif field in REQUIRED:
            problems.append(_missing(name, cmap, field, column, names))
        else:  # an optional field; mapped onto a column the table lacks, refused as in audit
            cols[field] = None
            problem = missing_column_problem(name, field, column, names, cmap)
            if problem is not None:
                problems.append(problem)
    if problems:
        raise InputError(problems)
    _check_types(table, name, cols, per_record=KINDS in table.columns)
    turn_raw = _text(table, cols["turn"], utc_text)
    role_raw = _text(table, cols["role"], utc_text)
    exprs: dict[str, ir.Value] = {
        "__conv": _text(table, cols["conversation_id"], utc_text),
        "__turn_raw": turn_raw,
        "__turn": _whole(turn_raw.strip()),
        "__role_raw": role_raw,
        "__role": ibis.ifelse(
            role_raw.strip().lower() == "developer", "system", role_raw.strip().lower()
        ),
        "__content": _text(table, cols["content"], utc_text),
        "__ckind": (
            table[KINDS][cols["content"]]
            if KINDS in table.columns and cols["content"] is not None
            else ibis.null("string")
        ),
        # a stratum's label, worded as on the default path (a NaN, a zoned time: as_text)
        "__domain": (
            as_text(table[cols["domain"]], utc=cols["domain"] in utc_text)
            if cols["domain"] is not None
            else ibis.null("string")
        ),
        "__user_id": _text(table, cols["user_id"], utc_text),
        "__timestamp": _text(table, cols["timestamp"], utc_text),
        "__dial_raw": _text(table, cols["dial_off"], utc_text),
    }
    if ROW in table.columns:
        exprs[ROW] = table[ROW].cast("int64")
    return table.select(**exprs)


def _check_types(
    table: ir.Table, name: str, cols: Mapping[str, str | None], *, per_record: bool = False
) -> None:
    """A ``content`` column that is not text (numbers, lists: 42 would read as "42"), or a
    ``timestamp`` column that is neither text, a number (epoch seconds) nor a time, is refused
    whole. ``per_record``: the table says what each record's content is (``__kinds``: JSONL
    on Spark), so content that is not text is refused at its record instead, as the default
    path refuses a JSONL record's."""
    problems = []
    content = cols["content"]
    assert content is not None
    kind = table[content].type()
    if not kind.is_string() and not per_record:
        problems.append(
            Problem(
                name, None, f"column '{content}' for field 'content' holds {kind} values, not text"
            )
        )
    domain = cols.get("domain")
    if domain is not None and holds_no_text_type(kind := table[domain].type()):
        # read as text, a list of one domain became the domain "[math]"
        problems.append(
            Problem(
                name, None, f"column '{domain}' for field 'domain' holds {kind} values, not text"
            )
        )
    stamp = cols["timestamp"]
    if stamp is not None:
        kind = table[stamp].type()
        if not (kind.is_string() or kind.is_numeric() or kind.is_temporal()):
            problems.append(
                Problem(
                    name,
                    None,
                    f"column '{stamp}' for field 'timestamp' holds {kind} values, not times "
                    f"({TIME_FORMS})",
                )
            )
    if problems:
        raise InputError(problems)


def _not_a_time(text: ir.StringValue) -> ir.BooleanValue:
    """A timestamp given (not NULL or blank) that is not a time: the default path's
    ``timestamp_sql`` (ISO 8601 or a date, else a finite number of epoch seconds below 1e11, or
    of milliseconds below 1e14)."""
    s = text.strip()
    number = s.try_cast("float64")
    # ISO 8601 to the minute with a zone (10:00Z, 10:00+02:00): DuckDB reads it, Spark's cast
    # only with the seconds written, so they are written (a fixed place: no back-references,
    # which the engines spell apart)
    minute = s.re_search(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(Z|[+-][0-9:]+)$")
    s = ibis.ifelse(minute.fill_null(False), s.substr(0, 16) + ":00" + s.substr(16), s)
    as_time = s.try_cast(dt.Timestamp(timezone="UTC"))
    epoch = number.notnull() & (number.abs() < 1e14)
    return (s.notnull() & (s != "") & as_time.isnull() & ~epoch.fill_null(False)).fill_null(False)


def _has_tool_rows(msgs: ir.Table) -> bool:
    """Whether the log has any tool result (the engine stops at the first)."""
    tools = msgs.filter(msgs["__role"].isin(list(TOOL_ROLES)))
    found = tools.select("__role").limit(1).to_pyarrow()
    return bool(found.num_rows > 0)


def _turns(msgs: ir.Table, cmap: Mapping[str, str]) -> ir.Table:
    """Every message with its problem (NULL when fine) and the detector's flags."""
    order = ["__turn", ROW] if ROW in msgs.columns else ["__turn"]
    w = ibis.window(group_by="__conv", order_by=order)
    # a tool call and its result are plumbing, not a turn of the conversation: left out (a
    # log with no tool result is read without the window that finds the calls)
    if _has_tool_rows(msgs):
        # the call: the assistant row right before a result, with no text or with some said
        # while calling when the reply after the results is the assistant's (as the default path)
        tagged = msgs.mutate(__next=msgs["__role"].lead().over(w))
        tagged = tagged.filter(~tagged["__role"].isin(list(TOOL_ROLES)).fill_null(False))
        tagged = tagged.mutate(__next_kept=tagged["__role"].lead().over(w))
        role, nxt = tagged["__role"], tagged["__next"]
        blank = tagged["__content"].fill_null("").strip() == ""
        calls = (role == "assistant") & nxt.isin(list(TOOL_ROLES))
        tool_call = calls & (blank | (tagged["__next_kept"] == "assistant"))
        msgs = tagged.filter(~tool_call.fill_null(False)).drop("__next", "__next_kept")
    t = msgs.mutate(__prev=msgs["__role"].lag().over(w), __prev_turn=msgs["__turn"].lag().over(w))
    role, content = _label(cmap, "role"), _label(cmap, "content")
    turn, conv = _label(cmap, "turn"), _label(cmap, "conversation_id")
    r, prev = t["__role"], t["__prev"]
    in_conv = " in conversation '" + t["__conv"] + "'"
    out_of_order = (
        (prev.isnull() & (r == "assistant"))
        | ((prev == r) & (r != "system"))
        | ((r == "system") & prev.notnull() & (prev != "system"))
        | ((prev == "system") & (r == "assistant"))
    )
    dial_raw = t["__dial_raw"]
    problem = ibis.cases(
        (  # a field of the whole conversation: "perhaps" is bad input, not false
            dial_raw.notnull() & ~dial_raw.strip().lower().isin([*TRUE_VALUES, *FALSE_VALUES]),
            f"{_label(cmap, 'dial_off')} '" + dial_raw + "' is not true or false",
        ),
        (
            _not_a_time(t["__timestamp"]),
            f"{_label(cmap, 'timestamp')} '" + t["__timestamp"] + f"' is not a time ({TIME_FORMS})",
        ),
        (t["__conv"].isnull() | (t["__conv"] == ""), ibis.literal(f"{conv} is missing")),
        (t["__turn_raw"].isnull(), ibis.literal(f"{turn} is missing")),
        (t["__turn"].isnull(), f"{turn} '" + t["__turn_raw"] + "' is not a whole number"),
        (t["__role_raw"].isnull(), ibis.literal(f"{role} is missing")),
        (
            ~r.isin(list(ROLES)),
            f"{role} '" + t["__role_raw"] + "' is not user, assistant, system or tool",
        ),
        (t["__content"].isnull(), ibis.literal(f"{content} is missing")),
        (
            t["__ckind"].notnull(),
            f"{content} " + t["__content"].substr(0, 60) + " is " + t["__ckind"] + ", not text",
        ),
        (
            t["__prev_turn"] == t["__turn"],
            f"{turn} " + t["__turn"].cast("string") + " appears twice" + in_conv,
        ),
        (
            out_of_order.fill_null(False),
            "roles out of order: " + r + " after " + prev.fill_null("the start") + in_conv,
        ),
        else_=ibis.null("string"),
    )
    text = engine_text(t["__content"])
    is_user = (r == "user").fill_null(False)
    pb = (
        is_user
        & (prev == "assistant").fill_null(False)
        & t["__content"].notnull()
        & ~_match(text, SELF_CORRECTION)
        & _match(text, DISPUTE)
    )
    tactic = ibis.cases(
        *[(_match(text, patterns), ibis.literal(name)) for name, patterns in TACTIC_ORDER],
        else_=ibis.literal("doubt"),
    )
    t = t.mutate(
        __mproblem=problem,
        __pb=pb,
        __tactic=ibis.ifelse(pb, tactic, ibis.null("string")),
        __give_up=is_user & _match(text, GIVE_UP),
        __is_user=is_user,
    )
    u = ibis.window(group_by=["__conv", "__is_user"], order_by=order)
    return t.mutate(__argue=t["__pb"] & t["__pb"].lag().over(u).fill_null(False))


def classify(
    table: ir.Table,
    *,
    name: str,
    column_map: Mapping[str, str] | None = None,
    utc_text: Collection[str] = (),
) -> ir.Table:
    """Every message of a one-message-a-row table with its problem (``__mproblem``, NULL when
    fine) and the detector's reading: ``__pb``, ``__tactic``, ``__give_up``, ``__argue``
    (a query, not yet run). Raises :class:`InputError` for missing columns. ``utc_text``:
    the columns the engine writes as UTC times with no offset (Spark's ``TIMESTAMP``)."""
    cmap = dict(column_map or {})
    return _turns(_messages(table, name, cmap, utc_text), cmap)


def _conversations(turns: ir.Table) -> ir.Table:
    """One row per conversation: the default path's ``conv`` table."""
    t = turns
    dial = t["__dial_raw"].strip().lower().isin(list(TRUE_VALUES)).fill_null(False)
    tactics = {f"t_{name}": (t["__tactic"] == name).sum() for name in TACTICS}
    first_row = t[ROW].min() if ROW in t.columns else ibis.literal(0, "int64")
    # a blank domain is no domain, as a missing one
    domain = ibis.ifelse(t["__domain"].strip() == "", ibis.null("string"), t["__domain"])
    return t.group_by(__ckey="__conv").aggregate(
        first_row=first_row,
        domain=domain.max().fill_null(NO_DOMAIN),
        mixed_domain=(domain.min() != domain.max()).fill_null(False),
        user_id=t["__user_id"].max(),
        timestamp=t["__timestamp"].min(),
        dial_off=dial.any().fill_null(False),
        messages=t.count(),
        users=(t["__role"] == "user").sum(),
        assistants=(t["__role"] == "assistant").sum(),
        pushbacks=t["__pb"].sum(),
        argue=t["__argue"].any().fill_null(False),
        bad=t["__mproblem"].notnull().sum(),
        **tactics,
    )


def _rows(expr: ir.Table) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = expr.to_pyarrow().to_pylist()
    return rows


class EngineConversations:
    """A validated conversation table on an Ibis backend: its counts (``info``), the seeded
    draw (:meth:`draw_keys`) and the drawn conversations (:meth:`fetch`)."""

    def __init__(
        self,
        turns: ir.Table,
        conv: ir.Table,
        info: LogInfo,
        on_close: Callable[[], None] | None = None,
    ) -> None:
        self.turns = turns
        self.conv = conv
        self.info = info
        self._on_close = on_close

    def draw_keys(self, per_stratum: int | None, seed: int) -> dict[str, list[Any]]:
        """Conversation keys drawn per stratum key (smallest hash first), strata in order."""
        c = self.conv
        narrow = c.select(
            "__ckey", "domain", pb=c["pushbacks"] > 0, key=draw_key(c["__ckey"], seed)
        )
        if per_stratum is not None:
            w = ibis.window(group_by=["domain", "pb"], order_by=["key", "__ckey"])
            ranked = narrow.mutate(rank=ibis.row_number().over(w))
            narrow = ranked.filter(ranked["rank"] < per_stratum).drop("rank")
        out: dict[str, list[Any]] = {s.key: [] for s in self.info.strata}
        rows = _rows(narrow)
        rows.sort(key=lambda r: (r["key"], r["__ckey"]))
        for rec in rows:
            key = StratumInfo(domain=rec["domain"], pushback=bool(rec["pb"]), conversations=0).key
            out[key].append(rec["__ckey"])
        return {k: v for k, v in out.items() if v}

    def fetch(self, keys: Sequence[int | str]) -> list[Conversation]:
        """The conversations with these keys, in the order given."""
        if not keys:
            return []
        want = [str(k) for k in keys]
        t = self.turns.filter(self.turns["__conv"].isin(want))
        cols = ["__conv", "__turn", "__role", "__content", "__pb", "__tactic", "__give_up"]
        order = ["__conv", "__turn", ROW] if ROW in t.columns else ["__conv", "__turn"]
        rows = _rows(t.select(*cols, *([ROW] if ROW in t.columns else [])).order_by(order))
        c = self.conv
        meta = _rows(c.filter(c["__ckey"].isin(want)))
        messages: dict[str, list[Message]] = {}
        for r in rows:
            messages.setdefault(r["__conv"], []).append(
                Message(
                    role=r["__role"],
                    content=r["__content"],
                    pushback=bool(r["__pb"]),
                    tactic=r["__tactic"] if r["__pb"] else None,
                    give_up=bool(r["__give_up"]),
                )
            )
        by_key = {
            m["__ckey"]: Conversation(
                key=m["__ckey"],
                id=str(m["__ckey"]),
                row=int(m["first_row"] or 0),
                domain=m["domain"],
                user_id=m["user_id"],
                timestamp=m["timestamp"],
                dial_off=bool(m["dial_off"]),
                messages=messages.get(m["__ckey"], []),
            )
            for m in meta
        }
        return [by_key[k] for k in want if k in by_key]

    def close(self) -> None:
        release = getattr(self.conv, "release", None)  # a cached table (Spark: unpersist)
        if release is not None:
            release()
        if self._on_close is not None:
            self._on_close()
            self._on_close = None

    def __enter__(self) -> EngineConversations:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _record(r: Mapping[str, Any], numbered: bool) -> str:
    """A bad message's problem, and on a table (no line to name it at) which message: "content
    is missing in conversation 'a' at turn '3'" (a problem that names its conversation
    already is left as it is)."""
    problem = str(r["__mproblem"])
    if numbered or " in conversation '" in problem:
        return problem
    said = r["__turn_raw"] is None or "is not a whole number" in problem  # the turn's own
    turn = "" if said else f" at turn '{r['__turn_raw']}'"
    if r["__conv"] is None or r["__conv"] == "":
        return f"{problem}{turn}" if turn else problem
    return f"{problem} in conversation '{r['__conv']}'{turn}"


def _problems(
    turns: ir.Table,
    conv: ir.Table,
    name: str,
    cmap: Mapping[str, str],
    counts: Mapping[str, int],
) -> list[Problem]:
    """The first problem of each bad conversation, then conversations without an assistant
    turn, at most ``MAX_LISTED``: at their records (``__row``), in file order, when the table
    has them (the default path's choice); else by turn and conversation id. ``counts`` (the
    ``bad`` messages, ``lone`` and ``mixed`` conversations) spares the query of a kind of
    problem there is none of."""
    numbered = ROW in turns.columns
    found: list[Problem] = []
    if counts["bad"]:
        bad = turns.filter(turns["__mproblem"].notnull())
        w = ibis.window(group_by="__conv", order_by=[ROW] if numbered else ["__turn"])
        first = bad.mutate(__k=ibis.row_number().over(w))
        cols = ["__conv", "__turn_raw", "__mproblem", *([ROW] if numbered else [])]
        listed = _rows(
            first.filter(first["__k"] == 0)
            .select(*cols)
            .order_by([ROW] if numbered else [ibis.asc("__conv", nulls_first=True)])
            .limit(MAX_LISTED)
        )
        found += [Problem(name, r.get(ROW), _record(r, numbered)) for r in listed]
    if counts["lone"]:
        lone = _rows(
            conv.filter((conv["bad"] == 0) & (conv["assistants"] == 0))
            .select("__ckey", "first_row")
            .order_by(["first_row", "__ckey"] if numbered else ["__ckey"])
            .limit(MAX_LISTED)
        )
        found += [
            Problem(
                name,
                int(r["first_row"]) or None,
                f"conversation '{r['__ckey']}' has no assistant turn",
            )
            for r in lone
        ]
    if counts["mixed"]:
        found += _mixed_domains(turns, conv, name, cmap)
    if numbered:
        found.sort(key=lambda p: p.line or 0)
    return found[:MAX_LISTED]


def _mixed_domains(
    turns: ir.Table, conv: ir.Table, name: str, cmap: Mapping[str, str]
) -> list[Problem]:
    """The conversations whose rows give two domains (blank is none), each at the first row
    (by record when numbered, else by turn) giving another domain than its first row's, as
    the default path names them (:func:`~backbone.monitor.models.mixed_domain_message`)."""
    numbered = ROW in turns.columns
    mixed = conv.filter(conv["mixed_domain"])
    keys = [
        r["__ckey"]
        for r in _rows(
            mixed.select("__ckey", "first_row")
            .order_by(["first_row", "__ckey"] if numbered else ["__ckey"])
            .limit(MAX_LISTED)
        )
    ]
    if not keys:
        return []
    t = turns.filter(turns["__conv"].isin(keys) & (turns["__domain"].strip() != ""))
    rows = _rows(
        t.select("__conv", "__domain", "__turn", "__turn_raw", *([ROW] if numbered else []))
    )
    if numbered:
        rows.sort(key=lambda r: r[ROW])
    else:
        rows.sort(key=lambda r: (r["__turn"] is None, r["__turn"] or 0))
    first: dict[str, dict[str, Any]] = {}
    other: dict[str, dict[str, Any]] = {}
    for r in rows:
        had = first.setdefault(r["__conv"], r)
        if r["__domain"] != had["__domain"]:
            other.setdefault(r["__conv"], r)
    label = _label(cmap, "domain")
    return [
        Problem(
            name,
            other[k].get(ROW),
            mixed_domain_message(
                label,
                k,
                (other[k]["__domain"], other[k]["__turn_raw"]),
                (first[k]["__domain"], first[k]["__turn_raw"]),
            ),
        )
        for k in keys
        if k in other
    ]


def open_table(
    table: ir.Table,
    *,
    name: str,
    fmt: str = "table",
    column_map: Mapping[str, str] | None = None,
    cache: bool = False,
    on_close: Callable[[], None] | None = None,
    utc_text: Collection[str] = (),
) -> EngineConversations:
    """Validate, classify and count a conversation table where it lives. Raises
    :class:`InputError` naming ``name`` for missing columns and bad messages; the caller
    writes nothing then. ``cache``: keep the conversations table (one row per conversation)
    in the engine, so the counts and the draw do not classify every turn again (Spark)."""
    cmap = dict(column_map or {})
    turns = classify(table, name=name, column_map=cmap, utc_text=utc_text)
    conv = _conversations(turns)
    if cache:
        conv = conv.cache()
    try:
        cells = _strata_counts(conv)
        total = {k: sum(int(c[k] or 0) for c in cells) for k in ("n", "bad", "lone", "mixed")}
        if total["n"] == 0:
            raise InputError.single(name, None, "no records")
        if total["bad"] or total["lone"] or total["mixed"]:
            raise InputError(_problems(turns, conv, name, cmap, total))
        info = _info(table, cells, name, fmt, cmap)
    except BaseException:
        release = getattr(conv, "release", None)  # a cached table (Spark: unpersist)
        if release is not None:
            release()
        raise
    return EngineConversations(turns, conv, info, on_close)


def _strata_counts(conv: ir.Table) -> list[dict[str, Any]]:
    """Every count the log's validation and :class:`LogInfo` need, per stratum (domain x has
    a pushback), in one query: the totals are their sums (four queries over the
    conversations before: each a Spark job or more)."""
    c = conv
    tsums = {f"t_{t}": c[f"t_{t}"].sum() for t in TACTICS}
    return _rows(
        c.group_by(["domain", (c["pushbacks"] > 0).name("pb")]).aggregate(
            n=c.count(),
            bad=c["bad"].sum(),
            lone=((c["bad"] == 0) & (c["assistants"] == 0)).sum(),
            mixed=c["mixed_domain"].sum(),
            messages=c["messages"].sum(),
            users=c["users"].sum(),
            assistants=c["assistants"].sum(),
            pbs=c["pushbacks"].sum(),
            argue=c["argue"].sum(),
            dial=c["dial_off"].sum(),
            **tsums,
        )
    )


def _info(
    table: ir.Table, cells: Sequence[Mapping[str, Any]], name: str, fmt: str, cmap: dict[str, str]
) -> LogInfo:
    """The log's figures, from the per-stratum counts of :func:`_strata_counts`."""

    def total(key: str, rows: Sequence[Mapping[str, Any]] = cells) -> int:
        return sum(int(r[key] or 0) for r in rows)

    tactics = {t: total(f"t_{t}") for t in TACTICS if total(f"t_{t}")}
    strata = sorted(
        (
            StratumInfo(domain=str(r["domain"]), pushback=bool(r["pb"]), conversations=int(r["n"]))
            for r in cells
        ),
        key=lambda s: (s.domain, s.pushback),
    )
    domains: dict[str, list[Mapping[str, Any]]] = {}
    for r in cells:
        domains.setdefault(str(r["domain"]), []).append(r)
    by_domain = {
        domain: {
            "conversations": total("n", rows),
            "with_pushback": sum(int(r["n"]) for r in rows if r["pb"]),
            "argue_back": total("argue", rows),
            "dial_off": total("dial", rows),
        }
        for domain, rows in sorted(domains.items())
    }
    names = [col for col in table.columns if col not in HIDDEN]
    has_dial = cmap.get("dial_off", "dial_off") in names
    return LogInfo(
        file=name,
        format=fmt,
        shape="messages",
        conversations=total("n"),
        messages=total("messages"),
        user_turns=total("users"),
        assistant_turns=total("assistants"),
        pushback_turns=total("pbs"),
        with_pushback=sum(int(r["n"]) for r in cells if r["pb"]),
        argue_back=total("argue"),
        dial_off=total("dial") if has_dial else None,
        tactics=tactics,
        column_map=cmap,
        columns=names,
        strata=strata,
        by_domain=by_domain,
    )
