"""Logged conversations, read through DuckDB without loading the file (a log larger than memory
works), in either shape of the contract:

* **a conversation a line** (JSONL): ``id``, ``messages`` as ``[{"role", "content"}]``,
  optional ``timestamp``, ``user_id``, ``domain`` and ``dial_off`` (true when the user turned a
  pushback dial off in it); a ``content`` may be a list of content parts (``[{"type": "text",
  "text": ...}, {"type": "image_url", ...}]``), read as its text parts joined;
* **a message a row** (CSV, Parquet, or JSONL without ``messages``, told as
  :func:`_conversations_shape` says): ``conversation_id``,
  ``turn`` (orders the messages), ``role``, ``content``, and the same optional columns
  (``dial_off`` true on any row marks the conversation).

``column_map`` renames: ``{"content": "text", "conversation_id": "session"}``. Roles are
``system`` (only before the first user turn; ``developer`` is read as ``system``), ``user``
and ``assistant``, alternating from a user turn; the last turn may be the user's (an
unanswered message). Tool use is left out, as the plumbing between two turns: a ``tool`` (or
``function``) message or, in Anthropic's shape, a message of ``tool_result`` parts only; and
the assistant's tool call: in a conversation a line, a message with ``tool_calls`` (or
``function_call``) or a ``tool_use`` part, with any text it says while calling (and so in a
message a row in JSONL, whose records keep each message whole, parts included); in a message
a row of CSV or Parquet, the assistant row right before a tool result, with no text or
with some said while calling when the assistant replies after the results. Every bad
record is reported at once with its file and line (JSONL and CSV: the line it starts on;
Parquet: the 1-based row) as an :class:`~backbone.core.errors.InputError`: a conversation
with no assistant turn, roles out of order, a turn repeated, rows of one conversation that
give two domains, a missing column or field, a
line that is not JSON, a ``content`` that is not text (a number, a list), a ``timestamp``
given that is not a time (ISO 8601, a date, or epoch seconds or milliseconds; a missing one
is fine).

The pushback detector (:mod:`backbone.monitor.pushback`) runs inside the scan, as SQL, on every
user turn that follows an assistant turn, so the whole log is classified in one pass: the
conversations table (one small row per conversation: domain, counts, pushback, argue-back,
dial-off) is all that is kept; the messages of the conversations a sample draws are read again
when they are fetched.

Example:
    >>> log = open_conversations("logs.parquet", column_map={"content": "text"})  # doctest: +SKIP
    >>> log.info.conversations, log.info.with_pushback  # doctest: +SKIP
    (120000, 9400)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import duckdb

from backbone.audit.feedback_log import absent_field_problems, column_role_problem
from backbone.audit.feedback_log import parse_column_map as audit_column_map
from backbone.audit.source import (
    MAX_LISTED,
    Source,
    interruptible,
    not_text_problem,
    open_source,
    shape_problems,
    sql_in,
    sql_literal,
)
from backbone.audit.tells.periods import timestamp_sql
from backbone.core.errors import InputError, Problem
from backbone.monitor.models import (
    CONVERSATION_FIELDS,
    FALSE_VALUES,
    MAPPABLE_FIELDS,
    MESSAGE_ROW_FIELDS,
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
from backbone.monitor.pushback import give_up_sql, pushback_sql, tactic_sql
from backbone.scenarios.tactics import TACTICS

_OPTIONAL = ("domain", "user_id", "timestamp", "dial_off")
SHAPE_FIELDS: dict[str, tuple[str, ...]] = {
    "messages": ("id", "messages", *_OPTIONAL),  # a conversation a line
    "conversation_id": ("conversation_id", "turn", "role", "content", *_OPTIONAL),  # a row
}
"""The fields each shape of log reads from its columns, by the field that tells the shape."""
MESSAGE_KEYS = ("role", "content")
"""A conversation a line: the fields read inside each of its ``messages``."""


def role_sql(raw: str) -> str:
    """SQL: a message's role, lower-cased, with OpenAI's ``developer`` read as ``system``."""
    return f"replace(lower(trim({raw})), 'developer', 'system')"


def whole_sql(raw: str) -> str:
    """SQL: ``raw`` (text) as a whole number, NULL when it is not one. DuckDB's bare cast
    rounds "1.5" to 2, ordering messages by a number the log does not hold (Spark's try_cast
    refuses it, so the engines disagreed); "2", " 2 " and "2.0" are whole."""
    text = f"trim({raw})"
    number = f"TRY_CAST({text} AS BIGINT)"
    return (  # the second cast only for a number with a point: the log reads as fast
        f"CASE WHEN NOT contains({text}, '.') THEN {number} "
        f"WHEN TRY_CAST({text} AS DOUBLE) = {number} THEN {number} END"
    )


TRUTHY = sql_in(TRUE_VALUES)
BOOLEANS = sql_in((*TRUE_VALUES, *FALSE_VALUES))


def parse_column_map(pairs: Sequence[str], source: str = "--map") -> dict[str, str]:
    """``["content=text", "conversation_id=session"]`` -> ``{"content": "text", ...}``."""
    return audit_column_map(pairs, source, fields=MAPPABLE_FIELDS)


class ConversationLog:
    """A validated conversation log: the DuckDB views over the file, the ``conv`` table (one
    row per conversation) and its counts, and fetching whole conversations by key."""

    def __init__(self, source: Source, info: LogInfo) -> None:
        self.source = source
        self.con = source.con
        self.info = info

    def fetch(self, keys: Sequence[int | str]) -> list[Conversation]:
        """The conversations with these keys (``conv.__ckey``), in the order given."""
        if not keys:
            return []
        with interruptible():
            self.con.execute(
                "CREATE OR REPLACE TEMP TABLE want AS SELECT unnest(?) AS k", [list(keys)]
            )
            rows = self.con.execute(
                """
                SELECT t.__ckey, t.__role, t.__content, t.__pb, t.__tactic, t.__give_up
                FROM turns t JOIN want ON t.__ckey = want.k
                ORDER BY t.__ckey, t.__turn, t.__row
                """
            ).fetchall()
            meta = self.con.execute(
                """
                SELECT c.__ckey, c.id, c.first_row, c.domain, c.user_id, c.timestamp, c.dial_off
                FROM conv c JOIN want ON c.__ckey = want.k
                """
            ).fetchall()
        messages: dict[Any, list[Message]] = {}
        for key, role, content, pb, tactic, give_up in rows:
            messages.setdefault(key, []).append(
                Message(
                    role=role,
                    content=content,
                    pushback=bool(pb),
                    tactic=tactic if pb else None,
                    give_up=bool(give_up),
                )
            )
        by_key = {
            key: Conversation(
                key=key,
                id=str(ident),
                row=int(first),
                domain=domain,
                user_id=user,
                timestamp=ts,
                dial_off=bool(dial),
                messages=messages.get(key, []),
            )
            for key, ident, first, domain, user, ts, dial in meta
        }
        return [by_key[k] for k in keys if k in by_key]

    def close(self) -> None:
        self.source.close()

    def __enter__(self) -> ConversationLog:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_conversations(
    path: str | Path,
    *,
    fmt: str | None = None,
    column_map: Mapping[str, str] | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
) -> ConversationLog:
    """Open, validate and count a conversation log. Raises :class:`InputError` listing every
    bad record (file and line) and every missing column; the caller writes nothing then."""
    cmap = dict(column_map or {})
    unknown = [f for f in cmap if f not in MAPPABLE_FIELDS]
    if unknown:
        raise InputError.single(str(path), None, f"column map: unknown field(s) {unknown}")
    with interruptible():
        source = open_source(path, fmt, memory_limit=memory_limit, threads=threads)
    try:
        with interruptible():
            return _open(source, cmap)
    except duckdb.Error as exc:
        source.close()
        raise InputError(source.unreadable(exc)) from None
    except BaseException:
        source.close()
        raise


def _col(source: Source, cmap: Mapping[str, str], field: str) -> tuple[str | None, str]:
    column = cmap.get(field, field)
    return source.column_sql(column), column


def _missing(source: Source, cmap: Mapping[str, str], field: str, column: str) -> Problem:
    hint = "" if field in cmap else f"; map yours with --map {field}=COLUMN"
    return Problem(
        source.file,
        None,
        f"no column '{column}' for field '{field}' (columns: {', '.join(source.names)}){hint}",
    )


def _optional(source: Source, cmap: Mapping[str, str]) -> dict[str, str]:
    """Text expressions of the optional fields (NULL when absent)."""
    out = {}
    for field in _OPTIONAL:
        expr, column = _col(source, cmap, field)
        if expr is not None and source.fmt == "jsonl" and column not in source.names:
            expr = None  # no record has it
        out[field] = expr or "NULL::VARCHAR"
    return out


def _messages_view_conversations(source: Source, cmap: Mapping[str, str]) -> list[Problem]:
    """JSONL, a conversation a line: ``recs`` (one row a record) and ``msgs`` (one a message)."""
    problems = []
    id_expr, id_col = _col(source, cmap, "id")
    msgs_col = cmap.get("messages", "messages")
    if id_col not in source.names:
        problems.append(_missing(source, cmap, "id", id_col))
    if problems:
        return problems
    opt = _optional(source, cmap)
    path = '$."' + msgs_col.replace('"', '\\"') + '"'
    role_path = '$."' + cmap.get("role", "role").replace('"', '\\"') + '"'
    content_path = '$."' + cmap.get("content", "content").replace('"', '\\"') + '"'
    content, content_type = _content_sql("__m", content_path)
    con = source.con
    con.execute(
        f"""
        CREATE VIEW recs AS SELECT __row, {source.shape_sql} AS __shape, {id_expr} AS __conv,
          {opt["domain"]} AS __domain, {opt["user_id"]} AS __user_id,
          {opt["timestamp"]} AS __timestamp, {opt["dial_off"]} AS __dial_raw,
          json_extract(json, {sql_literal(path)}) AS __msgs,
          {_domain_type(source, cmap)} AS __dtype
        FROM src
        """
    )
    con.execute(
        f"""
        CREATE VIEW recs_checked AS SELECT *, CASE
          WHEN __shape IS NOT NULL THEN __shape
          WHEN __conv IS NULL OR __conv = '' THEN {sql_literal(_label(cmap, "id") + " is missing")}
          WHEN __msgs IS NULL THEN {sql_literal(_label(cmap, "messages") + " is missing")}
          WHEN json_type(__msgs) <> 'ARRAY' THEN
            {sql_literal(_label(cmap, "messages") + " is not a list of messages")}
          WHEN json_array_length(__msgs) = 0 THEN
            {sql_literal(_label(cmap, "messages") + " is empty")}
          {_domain_check(cmap)}
        END AS __rproblem FROM recs
        """
    )
    con.execute(
        f"""
        CREATE VIEW msgs AS SELECT __row, __row AS __ckey, __conv, __domain, __user_id,
          __timestamp, __dial_raw, 'VARCHAR' AS __dtype, __i AS __turn,
          CAST(__i AS VARCHAR) AS __turn_raw,
          NULL::VARCHAR AS __shape, json_type(__m) AS __mtype,
          json_extract_string(__m, {sql_literal(role_path)}) AS __role_raw,
          {content} AS __content, {content_type} AS __ctype
        FROM (
          SELECT *, unnest(json_extract(__msgs, '$[*]')) AS __m,
                 generate_subscripts(json_extract(__msgs, '$[*]'), 1) AS __i
          FROM recs_checked WHERE __rproblem IS NULL
        ) WHERE NOT {_tool_use("__m", role_path, content_path)}
        """
    )
    return []


def _content_sql(message: str, content_path: str) -> tuple[str, str]:
    """SQL over a logged message (the JSON column ``message``): its content as text, and the
    JSON type of that content (``VARCHAR`` when it is text). A content that is a list of parts
    (OpenAI's ``[{"type": "text", "text": ...}, {"type": "image_url", ...}]``, Anthropic's
    ``[{"type": "text", ...}, {"type": "tool_use", ...}]``) is the text of its parts, joined;
    the others (images, audio, tool calls) add none."""
    cp = sql_literal(content_path)
    parts = (
        f"(json_type({message}, {cp}) = 'ARRAY' AND json_array_length({message}, {cp}) > 0 AND "
        f"list_count(json_extract_string({message}, {sql_literal(content_path + '[*].type')}))"
        f" = json_array_length({message}, {cp}))"
    )
    texts = f"json_extract_string({message}, {sql_literal(content_path + '[*].text')})"
    return (
        f"CASE WHEN {parts} THEN array_to_string({texts}, '') "
        f"ELSE json_extract_string({message}, {cp}) END",
        f"CASE WHEN {parts} THEN 'VARCHAR' ELSE json_type({message}, {cp}) END",
    )


def _tool_use(message: str, role_path: str, content_path: str) -> str:
    """SQL over a logged message (the JSON column ``message``): whether it is tool plumbing,
    left out of the conversation: a ``tool`` or ``function`` message, or one of Anthropic's
    ``tool_result`` parts; the assistant's call, with ``tool_calls`` (``function_call``) or a
    ``tool_use`` part. A text search comes first ("tool" or "function" in the message), so
    that an ordinary message is not parsed again: the log reads as fast as without tools."""
    role = f"lower(trim(json_extract_string({message}, {sql_literal(role_path)})))"
    text = f"CAST({message} AS VARCHAR)"
    first_type = sql_literal(content_path + "[0].type")
    types = sql_literal(content_path + "[*].type")
    return (  # CASE: the JSON paths are read only for the messages the search finds
        f"CASE WHEN contains({text}, 'tool') OR contains({text}, 'function') THEN coalesce("
        f"{role} IN {TOOL_ROLES} "
        f"OR (contains({text}, 'tool_result') "
        f"AND json_extract_string({message}, {first_type}) = 'tool_result') "
        f"OR (contains({text}, 'tool_use') AND {role} = 'assistant' "
        f"AND list_contains(json_extract_string({message}, {types}), 'tool_use')) "
        f"OR (contains({text}, '_call') AND {role} = 'assistant' "
        f"AND (json_array_length({message}, '$.tool_calls') > 0 "
        f"OR json_type({message}, '$.function_call') = 'OBJECT')), false) ELSE false END"
    )


def _messages_view_rows(source: Source, cmap: Mapping[str, str]) -> list[Problem]:
    """A message a row: ``msgs`` straight from ``src``."""
    exprs: dict[str, str] = {}
    problems = []
    for field in ("conversation_id", "turn", "role", "content"):
        expr, column = _col(source, cmap, field)
        if expr is None or (source.fmt == "jsonl" and column not in source.names):
            problems.append(_missing(source, cmap, field, column))
        else:
            exprs[field] = expr
    if problems:
        return problems
    problems = _text_columns(source, cmap.get("content", "content"))
    problems += _domain_column(source, cmap)
    if problems:
        return problems
    opt = _optional(source, cmap)
    content, content_type = exprs["content"], _value_type(source, cmap.get("content", "content"))
    plumbing = ""
    if source.fmt == "jsonl":  # a record is a message: its parts and tool use, as in a line
        content_path, role_path = (_json_path(cmap.get(f, f)) for f in ("content", "role"))
        content, content_type = _content_sql("json", content_path)
        tool = _tool_use("json", role_path, content_path)
        plumbing = f"WHERE ({source.shape_sql}) IS NOT NULL OR NOT {tool}"
    source.con.execute(
        f"""
        CREATE VIEW msgs AS SELECT __row, {exprs["conversation_id"]} AS __ckey,
          {exprs["conversation_id"]} AS __conv, {opt["domain"]} AS __domain,
          {opt["user_id"]} AS __user_id, {opt["timestamp"]} AS __timestamp,
          {opt["dial_off"]} AS __dial_raw, {_domain_type(source, cmap)} AS __dtype,
          {whole_sql(exprs["turn"])} AS __turn, {exprs["turn"]} AS __turn_raw,
          {source.shape_sql} AS __shape, 'OBJECT' AS __mtype,
          {exprs["role"]} AS __role_raw, {content} AS __content, {content_type} AS __ctype
        FROM src {plumbing}
        """
    )
    return []


def _json_path(field: str) -> str:
    """The JSON path of a record's top-level ``field``: ``$."content"``."""
    return '$."' + field.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _value_type(source: Source, column: str) -> str:
    """SQL: the JSON type of a JSONL record's field (``VARCHAR`` for text, ``UBIGINT``,
    ``ARRAY``...); a CSV cell is always text, and a Parquet column's type is checked whole
    (:func:`_text_columns`)."""
    if source.fmt != "jsonl":
        return "'VARCHAR'"
    return f"json_type(json, {sql_literal(_json_path(column))})"


def _text_columns(source: Source, column: str) -> list[Problem]:
    """Parquet: a ``content`` column of numbers or lists is not messages (read as text, 42
    would become "42"); the engine path refuses the same column (``engine_table``)."""
    if source.fmt != "parquet":
        return []
    kind = source.column_type(column)
    if kind == "VARCHAR":
        return []
    return [
        Problem(
            source.file,
            None,
            f"column '{column}' for field 'content' holds {kind} values, not text",
        )
    ]


def _domain_column(source: Source, cmap: Mapping[str, str]) -> list[Problem]:
    """Parquet: a ``domain`` column of lists, structs, maps or bytes names no domain (read as
    text, a list became the domain "[math]" in ``by_domain``); numbers read as their text."""
    problem = not_text_problem(source, cmap.get("domain", "domain"), "domain")
    return [] if problem is None else [problem]


def _domain_type(source: Source, cmap: Mapping[str, str]) -> str:
    """SQL: the JSON type of a JSONL record's domain (``VARCHAR`` elsewhere, or without one)."""
    column = cmap.get("domain", "domain")
    if source.fmt != "jsonl" or column not in source.names:
        return "'VARCHAR'"
    return _value_type(source, column)


def _domain_check(cmap: Mapping[str, str]) -> str:
    """The ``WHEN`` clause naming a JSONL domain that is a list or an object (over
    ``__dtype``): ``"domain": [1]`` would be read as the domain "[1]"."""
    label = _label(cmap, "domain")
    return (
        f"WHEN __dtype IN ('ARRAY', 'OBJECT') THEN {sql_literal(label + ' ')} || "
        "CASE __dtype WHEN 'ARRAY' THEN 'is a list' ELSE 'is an object' END || ', not text'"
    )


def _label(cmap: Mapping[str, str], field: str) -> str:
    return field if field not in cmap else f"{field} (column '{cmap[field]}')"


def _has_tool_rows(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether a log of a message a row has any tool result (it stops at the first; a log with
    none costs one scan of the role column), so that a log without tools is read without the
    window that finds the tool calls."""
    found = con.execute(
        f"SELECT 1 FROM msgs WHERE {role_sql('__role_raw')} IN {TOOL_ROLES} LIMIT 1"
    ).fetchone()
    return found is not None


def _turns_views(
    con: duckdb.DuckDBPyConnection, cmap: Mapping[str, str], rows: bool, csv: bool = False
) -> None:
    msg = "'message ' || __turn || ': '" if not rows else "''"
    # a tool call and its result are plumbing, not a turn of the conversation: a conversation
    # a line leaves them out as it reads the messages (_tool_use); a message a row has no
    # tool_calls, so its call is the assistant row right before a tool result, when it has no
    # text, or when it has some ("Let me check.", said while calling) and the reply after the
    # results is the assistant's: kept, that text made two assistant turns in a row
    role_of = role_sql("__role_raw")
    if rows and _has_tool_rows(con):
        con.execute(
            f"""
            CREATE VIEW tool_tagged AS SELECT *, {role_of} AS __role,
              lead({role_of}) OVER w AS __next
            FROM msgs WINDOW w AS (PARTITION BY __ckey ORDER BY __turn, __row)
            """
        )
        con.execute(
            f"""
            CREATE VIEW tagged AS SELECT *, lead(__role) OVER w AS __next_kept
            FROM tool_tagged WHERE NOT coalesce(__role IN {TOOL_ROLES}, false)
            WINDOW w AS (PARTITION BY __ckey ORDER BY __turn, __row)
            """
        )
        keep = (
            f"WHERE NOT coalesce(__role = 'assistant' AND __next IN {TOOL_ROLES} "
            "AND (coalesce(trim(__content), '') = '' OR __next_kept = 'assistant'), false)"
        )
    else:  # a conversation a line left tool use out as it read the messages (_tool_use)
        con.execute(f"CREATE VIEW tagged AS SELECT *, {role_of} AS __role FROM msgs")
        keep = ""
    con.execute(
        f"""
        CREATE VIEW ordered AS SELECT *, lag(__role) OVER w AS __prev,
          lag(__turn) OVER w AS __prev_turn
        FROM tagged {keep}
        WINDOW w AS (PARTITION BY __ckey ORDER BY __turn, __row)
        """
    )
    role, content = _label(cmap, "role"), _label(cmap, "content")
    turn, conv = _label(cmap, "turn"), _label(cmap, "conversation_id")
    dial = _label(cmap, "dial_off")
    quote = "''''"
    # a field of the whole conversation: named without a message number
    dial_check = (
        f"WHEN __dial_raw IS NOT NULL AND lower(trim(__dial_raw)) NOT IN {BOOLEANS} THEN "
        f"{sql_literal(dial + ' ')} || {quote} || __dial_raw || {quote} || "
        "' is not true or false'"
    )
    ts_label = _label(cmap, "timestamp")
    stamp = "trim(__timestamp)"
    ts_check = (  # optional (missing, null or empty is fine), but a time when given
        f"WHEN __timestamp IS NOT NULL AND {stamp} <> '' AND {timestamp_sql(stamp)} IS NULL THEN "
        f"{sql_literal(ts_label + ' ')} || {quote} || left(__timestamp, 60) || {quote} || "
        f"{sql_literal(' is not a time (' + TIME_FORMS + ')')}"
    )
    checks = [
        ("__shape IS NOT NULL", "__shape"),  # a line that is no record: why (JSONL)
        ("__mtype IS NULL OR __mtype <> 'OBJECT'", sql_literal("not a message object")),
        (
            "__conv IS NULL OR __conv = ''",
            sql_literal(f"{conv} is missing"),
        ),
        ("__turn_raw IS NULL", sql_literal(f"{turn} is missing")),
        (
            "__turn IS NULL",
            f"{sql_literal(turn + ' ')} || {quote} || __turn_raw || {quote} || "
            "' is not a whole number'",
        ),
        ("__role_raw IS NULL", sql_literal(f"{role} is missing")),
        (
            f"__role NOT IN {ROLES}",
            f"{sql_literal(role + ' ')} || {quote} || __role_raw || {quote} || "
            "' is not user, assistant, system or tool'",
        ),
        # CSV: an empty cell is no value; an empty reply is written "" (read as one)
        (
            "__content IS NULL",
            sql_literal(
                f'{content} is missing (an empty cell; an empty reply is written "")'
                if csv
                else f"{content} is missing"
            ),
        ),
        (
            "__ctype <> 'VARCHAR'",
            f"{sql_literal(content + ' ')} || left(__content, 60) || ' is ' || "
            "CASE __ctype WHEN 'ARRAY' THEN 'a list' WHEN 'OBJECT' THEN 'an object' "
            "WHEN 'BOOLEAN' THEN 'a boolean' ELSE 'a number' END || ', not text'",
        ),
        (
            "__prev_turn = __turn",
            f"{sql_literal(turn + ' ')} || __turn || ' appears twice in conversation ' || "
            f"{quote} || __conv || {quote}",
        ),
        (
            "(__prev IS NULL AND __role = 'assistant') OR (__prev = __role AND __role <> 'system')"
            " OR (__role = 'system' AND __prev IS NOT NULL AND __prev <> 'system')"
            " OR (__prev = 'system' AND __role = 'assistant')",
            "'roles out of order: ' || __role || ' after ' || coalesce(__prev, 'the start') || "
            f"' in conversation ' || {quote} || __conv || {quote}",
        ),
    ]
    cases = f"{dial_check} {ts_check} {_domain_check(cmap)} " + " ".join(
        f"WHEN {cond} THEN {msg} || {text}" for cond, text in checks
    )
    text = "__content"
    con.execute(
        f"""
        CREATE VIEW flagged AS SELECT *, CASE {cases} END AS __mproblem,
          (__role = 'user' AND {pushback_sql(text, "__prev = 'assistant'")}) AS __pb0
        FROM ordered
        """
    )
    con.execute(
        f"""
        CREATE VIEW turns AS SELECT *, coalesce(__pb0, false) AS __pb,
          CASE WHEN __pb0 THEN {tactic_sql(text)} END AS __tactic,
          (__role = 'user' AND {give_up_sql(text)}) AS __give_up,
          (coalesce(__pb0, false) AND coalesce(lag(__pb0) OVER u, false)) AS __argue
        FROM flagged
        WINDOW u AS (PARTITION BY __ckey, __role = 'user' ORDER BY __turn, __row)
        """
    )


def _conv_table(con: duckdb.DuckDBPyConnection) -> None:
    domain = "CASE WHEN trim(__domain) <> '' THEN __domain END"  # a blank domain is none
    tactics = ", ".join(
        f'count(*) FILTER (WHERE __tactic = {sql_literal(t)}) AS "t_{t}"' for t in TACTICS
    )
    con.execute(
        f"""
        CREATE TEMP TABLE conv AS SELECT __ckey, any_value(__conv) AS id,
          min(__row) AS first_row,
          coalesce(max({domain}), {sql_literal(NO_DOMAIN)}) AS domain,
          coalesce(min({domain}) <> max({domain}), false) AS mixed_domain,
          max(__user_id) AS user_id, min(__timestamp) AS timestamp,
          coalesce(bool_or(lower(trim(__dial_raw)) IN {TRUTHY}), false) AS dial_off,
          count(*) AS messages,
          count(*) FILTER (WHERE __role = 'user') AS users,
          count(*) FILTER (WHERE __role = 'assistant') AS assistants,
          count(*) FILTER (WHERE __pb) AS pushbacks,
          coalesce(bool_or(__argue), false) AS argue,
          count(*) FILTER (WHERE __mproblem IS NOT NULL) AS bad,
          {tactics}
        FROM turns GROUP BY __ckey
        """
    )


def _problems(source: Source, has_recs: bool, cmap: Mapping[str, str]) -> list[Problem]:
    con = source.con
    found: list[tuple[int, str]] = []
    if has_recs:
        found += [
            (int(r), str(m))
            for r, m in con.execute(
                "SELECT __row, __rproblem FROM recs_checked WHERE __rproblem IS NOT NULL "
                f"ORDER BY __row LIMIT {MAX_LISTED}"
            ).fetchall()
        ]
    found += [
        (int(r), str(m))
        for r, m in con.execute(
            "SELECT min(__row), arg_min(__mproblem, __row) FROM turns "
            "WHERE __mproblem IS NOT NULL "
            # a conversation's first problem; every line that is no record, each on its own
            "GROUP BY __ckey, CASE WHEN __shape IS NOT NULL THEN __row END ORDER BY 1 "
            f"LIMIT {MAX_LISTED}"
        ).fetchall()
    ]
    found += [
        (int(r), f"conversation '{ident}' has no assistant turn")
        for r, ident in con.execute(
            "SELECT first_row, id FROM conv WHERE bad = 0 AND assistants = 0 "
            f"ORDER BY first_row LIMIT {MAX_LISTED}"
        ).fetchall()
    ]
    found += _mixed_domains(con, cmap)
    if has_recs:
        dups = con.execute(
            "SELECT id, list(first_row ORDER BY first_row) FROM conv GROUP BY id "
            f"HAVING count(*) > 1 ORDER BY min(first_row) LIMIT {MAX_LISTED}"
        ).fetchall()
        places = source.places({int(r) for _, rows in dups for r in rows[:2]})
        for ident, rows in dups:
            (first_file, first), (file, _) = places[int(rows[0])], places[int(rows[1])]
            where = f"line {first}" if first_file == file else f"{first_file} line {first}"
            found.append((int(rows[1]), f"duplicate id '{ident}' (first at {where})"))
    found.sort()
    return source.located(found[:MAX_LISTED])


def _mixed_domains(
    con: duckdb.DuckDBPyConnection, cmap: Mapping[str, str]
) -> list[tuple[int, str]]:
    """A message a row: the conversations whose rows give two domains (blank is none), each at
    the first row giving another domain than its first row's. A conversation is one domain's
    (its stratum, its ``by_domain`` figures); which of the two was meant is the log's to say,
    not a rule's (it was the greater, without a word)."""
    label = _label(cmap, "domain")
    rows = con.execute(
        f"""
        WITH d AS (
          SELECT __ckey, __conv, __domain, __turn_raw, __row FROM turns
          WHERE trim(__domain) <> ''
            AND __ckey IN (SELECT __ckey FROM conv WHERE mixed_domain ORDER BY first_row
                           LIMIT {MAX_LISTED})
        ), f AS (
          SELECT __ckey, arg_min(__domain, __row) AS dom, arg_min(__turn_raw, __row) AS turn
          FROM d GROUP BY __ckey
        )
        SELECT min(d.__row), any_value(d.__conv), arg_min(d.__domain, d.__row),
          arg_min(d.__turn_raw, d.__row), any_value(f.dom), any_value(f.turn)
        FROM d JOIN f ON d.__ckey = f.__ckey AND d.__domain <> f.dom
        GROUP BY d.__ckey ORDER BY 1
        """
    ).fetchall()
    return [
        (int(row), mixed_domain_message(label, str(conv), (other, turn), (first, first_turn)))
        for row, conv, other, turn, first, first_turn in rows
    ]


def _column_roles(
    source: Source, cmap: Mapping[str, str], conversations_shape: bool
) -> Problem | None:
    """The problem of one column read for two fields of the log's shape (``--map
    domain=role`` on a message a row: each conversation's domain was its first turn's role),
    as audit, ab and tells refuse it (:func:`column_role_problem`). A conversation a line
    reads ``role`` and ``content`` inside each message, as two keys of their own; its
    top-level columns are free for the fields of the other shape only."""
    shape = "messages" if conversations_shape else "conversation_id"
    twice = column_role_problem(source.file, cmap, source.names, fields=SHAPE_FIELDS[shape])
    if twice is None and conversations_shape:
        keys = [cmap.get(f, f) for f in MESSAGE_KEYS]
        twice = column_role_problem(source.file, cmap, keys, fields=MESSAGE_KEYS)
    return twice


def _add_later_fields(source: Source, cmap: Mapping[str, str]) -> None:
    """JSONL: the field names come from the first records (``KEY_SAMPLE``); a field of the
    contract first given later (a ``domain`` or ``dial_off`` added to a running log) is there
    all the same, so :meth:`Source.names_with` (one more scan, only when one of them is not
    among the first records') adds it to ``source.names``, as the audit, its channels and the
    tells read such a log. Without it, a domain from record 10,001 on was read as no domain,
    without a word."""
    known = [f for f in SHAPE_FIELDS if cmap.get(f, f) in source.names][:1]  # messages first
    fields = [f for shape in known or SHAPE_FIELDS for f in SHAPE_FIELDS[shape]]
    source.names, _ = source.names_with(cmap.get(f, f) for f in fields)


# the fields only one shape reads: a map naming one of them says which shape the log is
_ROWS_ONLY = tuple(f for f in MESSAGE_ROW_FIELDS if f not in CONVERSATION_FIELDS)
_LINES_ONLY = tuple(f for f in CONVERSATION_FIELDS if f not in MESSAGE_ROW_FIELDS)


def _conversations_shape(source: Source, cmap: Mapping[str, str]) -> bool:
    """Whether the log is a conversation a line. CSV and Parquet are a message a row; JSONL is
    a conversation a line when its records have ``messages``, a message a row when they have
    ``conversation_id`` (each as mapped), and when they have neither, the shape the map names:
    a message a row when it maps a field only that shape reads (``conversation_id``, ``turn``)
    and none only the other reads (``id``, ``messages``), else a conversation a line. So a
    typo in ``--map conversation_id=sesion`` on a message a row is named as the column the
    log lacks, not read as a conversation a line lacking ``id``."""
    if source.fmt != "jsonl":
        return False
    if cmap.get("messages", "messages") in source.names:
        return True
    if cmap.get("conversation_id", "conversation_id") in source.names:
        return False
    return not (any(f in cmap for f in _ROWS_ONLY) and not any(f in cmap for f in _LINES_ONLY))


def _neither_shape(source: Source, cmap: Mapping[str, str]) -> bool:
    """A JSONL log whose records have neither key of a shape, and no map naming either: read
    as a conversation a line only for want of a sign of the other shape."""
    return (
        source.fmt == "jsonl"
        and cmap.get("messages", "messages") not in source.names
        and cmap.get("conversation_id", "conversation_id") not in source.names
        and not any(f in cmap for f in (*_ROWS_ONLY, *_LINES_ONLY))
    )


def _neither_shape_problem(source: Source) -> Problem:
    """Names the two shapes a JSONL log may have, for a log that has neither."""
    return Problem(
        source.file,
        None,
        "its records have neither 'messages' (a conversation a line: id, messages) nor "
        "'conversation_id' (a message a row: conversation_id, turn, role, content); name your "
        "fields with --map messages=FIELD or --map conversation_id=FIELD",
    )


def _shape_told(source: Source, cmap: Mapping[str, str]) -> str:
    """How the log's shape was told, for a message that names it."""
    if source.fmt != "jsonl":
        return f"as every {'CSV' if source.fmt == 'csv' else 'Parquet'} file is"
    messages_field = cmap.get("messages", "messages")
    conv_field = cmap.get("conversation_id", "conversation_id")
    if messages_field in source.names:
        return f"its records have '{messages_field}'"
    if conv_field in source.names:
        return f"its records have '{conv_field}' and no '{messages_field}'"
    return (  # and the map names id or messages (else a row-only field's map reads it as rows)
        f"its records have no '{messages_field}' and no '{conv_field}', and the map names a "
        "field only a conversation a line reads"
    )


def _open(source: Source, cmap: dict[str, str]) -> ConversationLog:
    con = source.con
    if not source.names:  # no record to take columns from: empty, or every line broken
        raise InputError(shape_problems(source) or [Problem(source.file, None, "no records")])
    _add_later_fields(source, cmap)
    messages_field = cmap.get("messages", "messages")
    conversations_shape = _conversations_shape(source, cmap)
    unread = unread_fields_message(cmap, conversations_shape, _shape_told(source, cmap))
    if unread is not None:  # a map the shape does not read was dropped, and the monitor ran
        raise InputError.single(source.file, None, unread)
    twice = _column_roles(source, cmap, conversations_shape)
    if twice is not None:
        raise InputError([twice])
    if conversations_shape:
        problems = _messages_view_conversations(source, cmap)
        if not problems and messages_field not in source.names:
            problems = [_missing(source, cmap, "messages", messages_field)]
        if problems and _neither_shape(source, cmap):
            problems.append(_neither_shape_problem(source))
    else:
        problems = _messages_view_rows(source, cmap)
    # a mapped column the log lacks (a typo) is refused, as the audit refuses it: it was read
    # as no domain, user, time or dial-off, and the monitor ran to exit 0
    problems += absent_field_problems(source, [f for f in _OPTIONAL if f in cmap], cmap)
    if problems:  # about the whole file; the lines that are no record are wrong as well
        raise InputError(problems + shape_problems(source))
    _turns_views(con, cmap, rows=not conversations_shape, csv=source.fmt == "csv")
    _conv_table(con)
    totals = con.execute(
        "SELECT count(*), coalesce(sum(bad), 0), coalesce(sum(messages), 0) FROM conv"
    ).fetchone()
    assert totals is not None
    rec_bad = 0
    if conversations_shape:
        row = con.execute(
            "SELECT count(*) FILTER (WHERE __rproblem IS NOT NULL), count(*) FROM recs_checked"
        ).fetchone()
        assert row is not None
        rec_bad = int(row[0])
        if int(row[1]) == 0:
            raise InputError.single(source.file, None, "no records")
    elif int(totals[0]) == 0:
        raise InputError.single(source.file, None, "no records")
    no_assistant = con.execute(
        "SELECT count(*) FROM conv WHERE bad = 0 AND assistants = 0"
    ).fetchone()
    dups = 0
    if conversations_shape:
        d = con.execute("SELECT count(id) - count(DISTINCT id) FROM conv").fetchone()
        dups = int(d[0]) if d else 0
    mixed = con.execute("SELECT count(*) FROM conv WHERE mixed_domain").fetchone() or (0,)
    if rec_bad or int(totals[1]) or (no_assistant and int(no_assistant[0])) or dups or mixed[0]:
        raise InputError(_problems(source, conversations_shape, cmap))
    return ConversationLog(source, _info(source, cmap, conversations_shape))


def _info(source: Source, cmap: dict[str, str], conversations_shape: bool) -> LogInfo:
    con = source.con
    tcols = ", ".join(f'sum("t_{t}")' for t in TACTICS)
    row = con.execute(
        f"""
        SELECT count(*), sum(messages), sum(users), sum(assistants), sum(pushbacks),
          count(*) FILTER (WHERE pushbacks > 0), count(*) FILTER (WHERE argue),
          count(*) FILTER (WHERE dial_off), {tcols}
        FROM conv
        """
    ).fetchone()
    assert row is not None
    n, msgs, users, assistants, pbs, with_pb, argue, dial = (int(x or 0) for x in row[:8])
    tactics = {t: int(c or 0) for t, c in zip(TACTICS, row[8:], strict=True) if c}
    dial_field = cmap.get("dial_off", "dial_off")
    has_dial = dial_field in source.names
    strata = [
        StratumInfo(domain=str(d), pushback=bool(p), conversations=int(c))
        for d, p, c in con.execute(
            "SELECT domain, pushbacks > 0, count(*) FROM conv GROUP BY ALL ORDER BY 1, 2"
        ).fetchall()
    ]
    by_domain = {
        str(d): {
            "conversations": int(c),
            "with_pushback": int(w),
            "argue_back": int(a),
            "dial_off": int(o),
        }
        for d, c, w, a, o in con.execute(
            """
            SELECT domain, count(*), count(*) FILTER (WHERE pushbacks > 0),
              count(*) FILTER (WHERE argue), count(*) FILTER (WHERE dial_off)
            FROM conv GROUP BY 1 ORDER BY 1
            """
        ).fetchall()
    }
    fmt = source.fmt
    return LogInfo(
        file=source.file,
        format=fmt,
        shape="conversations" if conversations_shape else "messages",
        conversations=n,
        messages=msgs,
        user_turns=users,
        assistant_turns=assistants,
        pushback_turns=pbs,
        with_pushback=with_pb,
        argue_back=argue,
        dial_off=dial if has_dial else None,
        tactics=tactics,
        column_map=cmap,
        columns=source.names,
        strata=strata,
        by_domain=by_domain,
    )
