"""Ingest: both shapes of the contract and three formats give the same log; --map renames;
every kind of bad record is reported at its file and line, and the CLI exits 2 writing
nothing."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.evaluation.monitor import open_monitor_log
from backbone.monitor.conversations import open_conversations, parse_column_map
from backbone.monitor.models import TIME_FORMS
from backbone.monitor.sampling import draw_sample
from tests.monitor.logs import mixed_domain_rows, planted, write_log, write_rows


@pytest.fixture(scope="module")
def log_files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    tmp = tmp_path_factory.mktemp("ingest")
    log = planted()
    return {ext: write_log(tmp / f"log.{ext}", log) for ext in ("jsonl", "csv", "parquet")}


def test_three_formats_two_shapes_same_counts(log_files: dict[str, Path]) -> None:
    truth = planted().truth
    infos = {}
    for ext, path in log_files.items():
        with open_conversations(path) as log:
            infos[ext] = log.info
            keys = [
                k
                for (k,) in log.con.execute(
                    "SELECT __ckey FROM conv ORDER BY id LIMIT 3"
                ).fetchall()
            ]
            fetched = log.fetch(keys)
            assert [len(c.messages) for c in fetched] == [len(c.messages) for c in fetched]
    for info in infos.values():
        assert info.conversations == truth["overall"]["conversations"] == 400
        assert info.with_pushback == truth["overall"]["counts"]["with_pushback"]
        assert info.argue_back == truth["overall"]["counts"]["argue"]
        assert info.dial_off == truth["overall"]["counts"]["dial_off"] == 6
        assert {d: v["conversations"] for d, v in info.by_domain.items()} == {
            "health": 120,
            "relationships": 80,
            "tax": 200,
        }
    assert infos["jsonl"].shape == "conversations" and infos["csv"].shape == "messages"
    strip = lambda i: i.model_dump(exclude={"file", "format", "shape", "columns"})  # noqa: E731
    assert strip(infos["jsonl"]) == strip(infos["csv"]) == strip(infos["parquet"])


def test_fetch_returns_messages_in_order_with_flags(log_files: dict[str, Path]) -> None:
    with (
        open_conversations(log_files["csv"]) as csv_log,
        open_conversations(log_files["jsonl"]) as jsonl_log,
    ):
        (key,) = csv_log.con.execute(
            "SELECT __ckey FROM conv WHERE argue ORDER BY id LIMIT 1"
        ).fetchone()  # type: ignore[misc]
        c = csv_log.fetch([key])[0]
        (jkey,) = jsonl_log.con.execute("SELECT __ckey FROM conv WHERE id = ?", [c.id]).fetchone()  # type: ignore[misc]
        j = jsonl_log.fetch([jkey])[0]
    assert c.messages == j.messages and c.domain == j.domain
    roles = [m.role for m in c.messages]
    assert roles[:4] == ["user", "assistant", "user", "assistant"]
    assert [i for i, m in enumerate(c.messages) if m.pushback] == [2, 4]
    assert c.messages[4].tactic == "insistence"


def test_map_renames_columns(tmp_path: Path) -> None:
    rows = [
        {"session": "s1", "n": 0, "speaker": "user", "text": "What is 2+2?", "area": "math"},
        {"session": "s1", "n": 1, "speaker": "assistant", "text": "4.", "area": "math"},
        {"session": "s1", "n": 2, "speaker": "user", "text": "Are you sure?", "area": "math"},
        {"session": "s1", "n": 3, "speaker": "assistant", "text": "Yes, 4.", "area": "math"},
    ]
    path = write_rows(tmp_path / "x.parquet", rows)
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert "no column 'conversation_id' for field 'conversation_id'" in str(exc.value)
    assert "--map conversation_id=COLUMN" in str(exc.value)
    jsonl = tmp_path / "x.jsonl"  # the lines that are no record are listed beside it
    jsonl.write_text("\n".join([json.dumps(r) for r in rows] + ['"hi"', "{"]) + "\n")
    with pytest.raises(InputError) as exc:
        open_conversations(jsonl)
    assert [(p.line, p.message.split(" (")[0]) for p in exc.value.problems] == [
        (None, "no column 'id' for field 'id'"),
        (None, "its records have neither 'messages'"),
        (5, "not a JSON object"),
        (6, "not valid JSON"),
    ]
    cmap = parse_column_map(
        ["conversation_id=session", "turn=n", "role=speaker", "content=text", "domain=area"]
    )
    with open_conversations(path, column_map=cmap) as log:
        assert (log.info.conversations, log.info.pushback_turns) == (1, 1)
        assert log.info.by_domain["math"]["with_pushback"] == 1
        assert log.info.dial_off is None
    with pytest.raises(InputError, match="unknown field 'prompt'"):
        parse_column_map(["prompt=text"])


BAD_JSONL = [
    {"id": "b1", "messages": [{"role": "user", "content": "hi"}]},
    {
        "id": "b2",
        "messages": [{"role": "assistant", "content": "hi"}, {"role": "user", "content": "x"}],
    },
    {
        "id": "b3",
        "messages": [
            {"role": "user", "content": "a"},
            {"role": "assistant", "content": "b"},
            {"role": "assistant", "content": "c"},
        ],
    },
    {"id": "b4", "messages": [{"role": "user"}, {"role": "assistant", "content": "b"}]},
    {"id": "b5", "messages": "oops"},
    {"messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}]},
    {"id": "b1", "messages": [{"role": "user", "content": "a"}, {"role": "bot", "content": "b"}]},
    {
        "id": "ok",
        "messages": [{"role": "user", "content": "a"}, {"role": "assistant", "content": "b"}],
    },
]


def test_bad_jsonl_every_record_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in BAD_JSONL) + "\n{not json\n")
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:1: conversation 'b1' has no assistant turn",
        f"{path}:2: message 1: roles out of order: assistant after the start in conversation 'b2'",
        f"{path}:3: message 3: roles out of order: assistant after assistant in conversation 'b3'",
        f"{path}:4: message 1: content is missing",
        f"{path}:5: messages is not a list of messages",
        f"{path}:6: id is missing",
        f"{path}:7: duplicate id 'b1' (first at line 1)",
        f"{path}:7: message 2: role 'bot' is not user, assistant, system or tool",
        f"{path}:10: not valid JSON",  # line 9 is blank
    ]


def test_every_jsonl_line_that_is_no_message_is_named_with_why(tmp_path: Path) -> None:
    # a message a line: the lines that are no record had one conversation key (none), so
    # only the first was named, as "not a message object"
    ok = [
        {"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?"},
        {"conversation_id": "a", "turn": 1, "role": "assistant", "content": "4"},
    ]
    path = tmp_path / "rows.jsonl"
    lines = [*map(json.dumps, ok), "[1, 2]", "null", "", "not json", "{'role': 'user'}"]
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:3: not a JSON object",
        f"{path}:4: not a JSON object",
        f"{path}:6: not valid JSON",  # line 5 is blank
        f"{path}:7: not valid JSON",
    ]


def test_bad_csv_rows_located(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "conversation_id,turn,role,content\n"
        "a,0,user,What is 2+2?\n"
        "a,1,assistant,4\n"
        "a,1,user,Are you sure?\n"  # line 4: turn 1 twice
        "b,0,user,hello\n"
        "b,x,assistant,hi\n"  # line 6: not a number
        "c,0,user,hello\n"  # line 7: c has no assistant turn
        "d,0,user,hello\n"
        "d,1,user,again\n"  # line 9: two user turns in a row
    )
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:4: turn 1 appears twice in conversation 'a'",
        f"{path}:6: turn 'x' is not a whole number",
        f"{path}:7: conversation 'c' has no assistant turn",
        f"{path}:9: roles out of order: user after user in conversation 'd'",
    ]


def test_a_turn_with_a_fraction_is_not_a_whole_number(tmp_path: Path) -> None:
    """A turn of 1.5 was cast to 2 (DuckDB rounds; Spark's try_cast refuses it): read as
    message 2, it was accepted, or reported as "turn 2 appears twice", a number the log does
    not hold. A whole number written with a point ("1.0") or spaces is still a turn."""
    path = tmp_path / "frac.csv"
    path.write_text(
        "conversation_id,turn,role,content\n"
        "a,0,user,What is 2+2?\n"
        "a,1.5,assistant,4\n"  # line 3
        "a,2,user,Are you sure?\n"
        "a,3,assistant,Yes.\n"
        "b, 0 ,user,hello\n"
        "b,1.0,assistant,hi\n"
    )
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [f"{path}:3: turn '1.5' is not a whole number"]
    path.write_text("conversation_id,turn,role,content\nb, 0 ,user,hello\nb,1.0,assistant,hi\n")
    with open_conversations(path) as log:
        assert (log.info.conversations, log.info.messages) == (1, 2)


def test_a_dial_off_that_is_neither_true_nor_false_is_located(tmp_path: Path) -> None:
    # "perhaps" used to be counted as false, silently moving friction.dial_off
    path = tmp_path / "dial.jsonl"
    turns = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]
    rows = [
        {"id": "a", "dial_off": True, "messages": turns},
        {"id": "b", "dial_off": "perhaps", "messages": turns},
        {"id": "c", "dial_off": 0, "messages": turns},
        {"id": "d", "dial_off": "no", "messages": turns},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:2: dial_off 'perhaps' is not true or false"
    ]
    rows[1]["dial_off"] = "yes"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with open_conversations(path) as log:
        assert log.info.dial_off == 2
    csv = tmp_path / "dial.csv"
    csv.write_text(
        "conversation_id,turn,role,content,dial\n"
        "a,0,user,What is 2+2?,false\n"
        "a,1,assistant,4,maybe\n"  # line 3, a renamed column
    )
    with pytest.raises(InputError) as exc:
        open_conversations(csv, column_map={"dial_off": "dial"})
    assert [str(p) for p in exc.value.problems] == [
        f"{csv}:3: dial_off (column 'dial') 'maybe' is not true or false"
    ]


def test_a_timestamp_that_is_not_a_time_is_located(tmp_path: Path) -> None:
    # "yesterday" and a list used to be accepted as the conversation's timestamp; a missing,
    # null or empty one still is (the field is optional), and epoch seconds (or milliseconds,
    # from 1e11 on) are a time
    turns = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]
    stamps: list[Any] = [
        "2026-01-05T10:00:00Z",
        "yesterday",
        [1, 2],
        None,
        "",
        1767607200,
        1767607200123,
    ]
    rows = [{"id": f"c{i}", "timestamp": s, "messages": turns} for i, s in enumerate(stamps)]
    rows.append({"id": "no-stamp", "messages": turns})
    path = tmp_path / "stamps.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:2: timestamp 'yesterday' is not a time ({TIME_FORMS})",
        f"{path}:3: timestamp '[1,2]' is not a time ({TIME_FORMS})",
    ]
    del rows[1:3]
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with open_conversations(path) as log:
        assert log.info.conversations == 6  # epoch seconds and milliseconds are times
    csv = tmp_path / "stamps.csv"
    csv.write_text(
        "conversation_id,turn,role,content,when\n"
        "a,0,user,What is 2+2?,2026-01-05\n"
        "a,1,assistant,4,\n"
        "b,0,user,What is 2+2?,soon\n"  # line 4, a renamed column
        "b,1,assistant,4,2026-01-05\n"
    )
    with pytest.raises(InputError) as exc:
        open_conversations(csv, column_map={"timestamp": "when"})
    assert [str(p) for p in exc.value.problems] == [
        f"{csv}:4: timestamp (column 'when') 'soon' is not a time "
        "(ISO 8601, a date, or epoch seconds or milliseconds)"
    ]


def test_a_content_that_is_not_text_is_located(tmp_path: Path) -> None:
    # 42 used to be read as the text "42" (a list or an object as its JSON)
    def convo(ident: str, reply: Any) -> dict[str, Any]:
        question = {"role": "user", "content": "2+2?"}
        return {"id": ident, "messages": [question, {"role": "assistant", "content": reply}]}

    rows = [convo("a", "4"), convo("b", 42), convo("c", ["4"]), convo("d", {"text": "4"})]
    rows += [convo("e", True), convo("f", "42")]
    path = tmp_path / "content.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:2: message 2: content 42 is a number, not text",
        f'{path}:3: message 2: content ["4"] is a list, not text',
        f'{path}:4: message 2: content {{"text":"4"}} is an object, not text',
        f"{path}:5: message 2: content true is a boolean, not text",
    ]
    # a message a line (JSONL), and a Parquet column of numbers
    lines = tmp_path / "rows.jsonl"
    lines.write_text(
        '{"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?"}\n'
        '{"conversation_id": "a", "turn": 1, "role": "assistant", "content": 4}\n'
    )
    with pytest.raises(InputError) as exc:
        open_conversations(lines)
    assert [str(p) for p in exc.value.problems] == [f"{lines}:2: content 4 is a number, not text"]
    numbers = write_rows(
        tmp_path / "numbers.parquet",
        [
            {"conversation_id": "a", "turn": 0, "role": "user", "content": 1},
            {"conversation_id": "a", "turn": 1, "role": "assistant", "content": 2},
        ],
    )
    with pytest.raises(InputError, match="column 'content' for field 'content' holds BIGINT"):
        open_conversations(numbers)


def test_a_domain_that_is_not_text_is_located(tmp_path: Path) -> None:
    # a list or an object was read as its JSON text: by_domain had a domain "[1]"
    def convo(ident: str, domain: Any) -> dict[str, Any]:
        messages = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": "4"}]
        return {"id": ident, "domain": domain, "messages": messages}

    rows = [convo("a", "math"), convo("b", [1]), convo("c", {"a": "b"}), convo("d", 7)]
    path = tmp_path / "domain.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:2: domain is a list, not text",
        f"{path}:3: domain is an object, not text",
    ]  # a number reads as its text, as in a CSV
    # a message a line (JSONL), and a Parquet column of lists
    lines = tmp_path / "rows.jsonl"
    lines.write_text(
        '{"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?", "domain": "m"}\n'
        '{"conversation_id": "a", "turn": 1, "role": "assistant", "content": "4", "domain": "m"}\n'
        '{"conversation_id": "b", "turn": 0, "role": "user", "content": "2+2?", "domain": {}}\n'
        '{"conversation_id": "b", "turn": 1, "role": "assistant", "content": "4", "domain": {}}\n'
    )
    with pytest.raises(InputError) as exc:
        open_conversations(lines)
    # (a conversation's first bad row is named)
    assert [str(p) for p in exc.value.problems] == [f"{lines}:3: domain is an object, not text"]
    listed = write_rows(
        tmp_path / "listed.parquet",
        [
            {"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?", "domain": ["m"]},
            {
                "conversation_id": "a",
                "turn": 1,
                "role": "assistant",
                "content": "4",
                "domain": ["m"],
            },
        ],
    )
    with pytest.raises(InputError, match="column 'domain' for field 'domain' holds VARCHAR\\[\\]"):
        open_conversations(listed)


def as_parts(text: str, role: str) -> list[dict[str, Any]]:
    """``text`` as OpenAI's content parts: split in two text parts, and a user turn's image."""
    half = len(text) // 2
    parts: list[dict[str, Any]] = [
        {"type": "text", "text": text[:half]},
        {"type": "text", "text": text[half:]},
    ]
    if role == "user":
        parts.insert(1, {"type": "image_url", "image_url": {"url": "data:image/png;base64,AA"}})
    return parts


def test_content_as_a_list_of_parts_is_read_as_their_text(
    log_files: dict[str, Path], tmp_path: Path
) -> None:
    """Logs of apps on the chat completions API often keep ``content`` as a list of parts
    (text, images): its text parts, joined, are the message, so the log reads exactly as
    with plain strings (the detector runs on the joined text)."""
    lines = log_files["jsonl"].read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]
    for r in records:
        r["messages"] = [{**m, "content": as_parts(m["content"], m["role"])} for m in r["messages"]]
    parts = tmp_path / "parts.jsonl"
    parts.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    with open_conversations(log_files["jsonl"]) as plain, open_conversations(parts) as split:
        strip = lambda i: i.model_dump(exclude={"file"})  # noqa: E731
        assert strip(split.info) == strip(plain.info)
        keys = [k for (k,) in plain.con.execute("SELECT __ckey FROM conv ORDER BY id").fetchall()]
        assert split.fetch(keys) == plain.fetch(keys)
        assert any(m.pushback for c in split.fetch(keys) for m in c.messages)
    # a list that is not content parts is still refused
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        "".join(
            json.dumps({"id": i, "messages": [{"role": "user", "content": "2+2?"},
                                             {"role": "assistant", "content": content}]}) + "\n"
            for i, content in (("a", []), ("b", [{"text": "4"}]), ("c", [{"type": "text"}]))
        )
    )  # fmt: skip
    with pytest.raises(InputError) as exc:
        open_conversations(bad)
    assert [str(p) for p in exc.value.problems] == [
        f"{bad}:1: message 2: content [] is a list, not text",
        f'{bad}:2: message 2: content [{{"text":"4"}}] is a list, not text',
    ]


def with_tool_use(messages: list[dict[str, Any]], shape: str = "openai") -> list[dict[str, Any]]:
    """``messages`` as an app with tools logs them: a developer message first, and before
    each assistant reply a tool call and the tool's result, in OpenAI's shape (a call with no
    text, or with some: ``openai_text``) or Anthropic's (``tool_use`` and ``tool_result``
    parts)."""
    out: list[dict[str, Any]] = [{"role": "developer", "content": "Use the tools."}]
    for i, m in enumerate(messages):
        if m["role"] == "assistant" and shape == "anthropic":
            use = {"type": "tool_use", "id": f"t{i}", "name": "lookup", "input": {}}
            said = {"type": "text", "text": "Checking."}
            out.append({"role": "assistant", "content": [said, use]})
            result = {"type": "tool_result", "tool_use_id": f"t{i}", "content": "42"}
            out.append({"role": "user", "content": [result]})
        elif m["role"] == "assistant":
            call = {
                "id": f"call_{i}",
                "type": "function",
                "function": {"name": "lookup", "arguments": "{}"},
            }
            text = "Let me check." if shape == "openai_text" else None
            out.append({"role": "assistant", "content": text, "tool_calls": [call]})
            out.append({"role": "tool", "tool_call_id": f"call_{i}", "content": "42"})
        out.append(m)
    return out  # fmt: skip


def test_tool_calls_and_their_results_are_left_out(
    log_files: dict[str, Path], tmp_path: Path
) -> None:
    """Apps with tools log each tool call (an assistant message with no text) and its result
    (role ``tool``) between two turns, and OpenAI's ``developer`` role for system: the log
    reads as the same conversations, in both shapes."""
    records = [json.loads(line) for line in log_files["jsonl"].read_text().splitlines()]
    tooled = [{**r, "messages": with_tool_use(r["messages"])} for r in records]
    logged = {}
    for shape in ("openai", "openai_text", "anthropic"):
        logged[shape] = tmp_path / f"{shape}.jsonl"
        logged[shape].write_text(
            "".join(
                json.dumps({**r, "messages": with_tool_use(r["messages"], shape)}) + "\n"
                for r in records
            ),
            encoding="utf-8",
        )
    rows = [
        {"conversation_id": r["id"], "turn": i, "role": m["role"], "content": m["content"],
         "domain": r.get("domain"), "user_id": r.get("user_id"),
         "timestamp": r.get("timestamp"), "dial_off": r.get("dial_off")}
        for r in tooled for i, m in enumerate(r["messages"])
    ]  # fmt: skip
    csv_path = write_rows(tmp_path / "tools.csv", rows)
    skip = {"file", "format", "shape", "columns", "messages"}
    strip = lambda i: i.model_dump(exclude=skip)  # noqa: E731
    with (
        open_conversations(log_files["jsonl"]) as plain,
        open_conversations(logged["openai"]) as openai,
        open_conversations(logged["openai_text"]) as openai_text,
        open_conversations(logged["anthropic"]) as anthropic,
        open_conversations(csv_path) as as_rows,
    ):
        tooled_logs = (openai, openai_text, anthropic, as_rows)
        assert all(strip(log.info) == strip(plain.info) for log in tooled_logs)
        assert plain.info.with_pushback > 0
        # the developer message is kept, as a system message: one more in each conversation
        n = plain.info.conversations
        assert {log.info.messages for log in tooled_logs} == {plain.info.messages + n}
        ids = "SELECT __ckey FROM conv ORDER BY id"
        want = [c.messages for c in plain.fetch([k for (k,) in plain.con.execute(ids).fetchall()])]
        for log in tooled_logs:
            got = log.fetch([k for (k,) in log.con.execute(ids).fetchall()])
            assert {c.messages[0].role for c in got} == {"system"}
            assert [c.messages[1:] for c in got] == want
    # an assistant message with no text that no tool result follows is still refused
    bad = tmp_path / "bad.jsonl"
    messages = [{"role": "user", "content": "2+2?"}, {"role": "assistant", "content": None}]
    bad.write_text(json.dumps({"id": "a", "messages": messages}) + "\n", encoding="utf-8")
    with pytest.raises(InputError) as exc:
        open_conversations(bad)
    assert [str(p) for p in exc.value.problems] == [f"{bad}:1: message 2: content is missing"]


@pytest.mark.parametrize("ext", ["csv", "parquet", "table"])
def test_a_tool_call_said_with_text_in_a_message_a_row_is_left_out(
    log_files: dict[str, Path], tmp_path: Path, ext: str
) -> None:
    """A message a row has no ``tool_calls``: an assistant row right before a tool result is
    the call. With text said while calling ("Let me check.", as OpenAI and Anthropic log it)
    it was kept as a turn, and every tooled log of a CSV, Parquet or database table was
    refused ('roles out of order: assistant after assistant'), while the same log as a
    conversation a line read as the plain one. An assistant reply that a tool row follows
    and a user turn after it (no reply after the results) is still a reply."""
    records = [json.loads(line) for line in log_files["jsonl"].read_text().splitlines()]
    rows = [
        {"conversation_id": r["id"], "turn": i, "role": m["role"], "content": m["content"],
         "domain": r.get("domain"), "user_id": r.get("user_id"),
         "timestamp": r.get("timestamp"), "dial_off": r.get("dial_off")}
        for r in records for i, m in enumerate(with_tool_use(r["messages"], "openai_text"))
    ]  # fmt: skip
    # one conversation logs a tool row after its last reply (no call before it, no reply after)
    last = max(i for i, r in enumerate(rows) if r["conversation_id"] == records[0]["id"])
    rows.insert(last + 1, {**rows[last], "turn": 10_000, "role": "tool", "content": "audit"})
    path = write_rows(tmp_path / f"tools.{'csv' if ext == 'csv' else 'parquet'}", rows)
    if ext == "table":
        db = tmp_path / "logs.db"
        with duckdb.connect(str(db)) as con:
            con.execute(f"CREATE TABLE chats AS SELECT * FROM '{path}'")
        tooled = open_monitor_log(None, connection=f"duckdb://{db}", table="chats")
    else:
        tooled = open_monitor_log(path)
    skip = {"file", "format", "shape", "columns", "messages"}
    with open_conversations(log_files["jsonl"]) as plain, tooled:
        assert tooled.info.model_dump(exclude=skip) == plain.info.model_dump(exclude=skip)
        n = plain.info.conversations  # the developer message, read as system, in each
        assert tooled.info.messages == plain.info.messages + n
        assert tooled.info.assistant_turns == plain.info.assistant_turns
        first = draw_sample(tooled, None).conversations
        texts = {m.content for sc in first for m in sc.conversation.messages}
        assert "Let me check." not in texts and "audit" not in texts


def test_tool_use_in_a_message_a_row_jsonl_is_left_out_as_in_a_conversation_a_line(
    log_files: dict[str, Path], tmp_path: Path
) -> None:
    """A log of a message a row in JSONL keeps each message whole (``tool_calls``, a content
    of parts): Anthropic's ``tool_use`` and ``tool_result`` parts and OpenAI's calls are left
    out there too, and a content of text parts is read as its text, where each was refused
    ("content ... is a list, not text")."""
    records = [json.loads(line) for line in log_files["jsonl"].read_text().splitlines()]
    skip = {"file", "format", "shape", "columns", "messages"}
    strip = lambda i: i.model_dump(exclude=skip)  # noqa: E731
    ids = "SELECT __ckey FROM conv ORDER BY id"
    with open_conversations(log_files["jsonl"]) as plain:
        want = [c.messages for c in plain.fetch([k for (k,) in plain.con.execute(ids).fetchall()])]
        for shape in ("openai", "openai_text", "anthropic"):
            path = tmp_path / f"{shape}-rows.jsonl"
            rows = [
                {**m, "conversation_id": r["id"], "turn": i, "domain": r.get("domain"),
                 "user_id": r.get("user_id"), "timestamp": r.get("timestamp"),
                 "dial_off": r.get("dial_off")}
                for r in records for i, m in enumerate(with_tool_use(r["messages"], shape))
            ]  # fmt: skip
            path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
            with open_conversations(path) as log:
                assert log.info.shape == "messages"
                assert strip(log.info) == strip(plain.info), shape
                got = log.fetch([k for (k,) in log.con.execute(ids).fetchall()])
                assert [c.messages[1:] for c in got] == want, shape
    # a list that is no content parts is still refused at its line
    bad = tmp_path / "bad-rows.jsonl"
    rows = [{"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?"},
            {"conversation_id": "a", "turn": 1, "role": "assistant", "content": [4]}]  # fmt: skip
    bad.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    with pytest.raises(InputError) as exc:
        open_conversations(bad)
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (2, "content [4] is a list, not text")
    ]


def test_cli_bad_input_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in BAD_JSONL))
    out = tmp_path / "out"
    result = CliRunner().invoke(
        app,
        [
            "monitor",
            str(path),
            "--judge",
            "python:tests.monitor.judges:recording",
            "--out",
            str(out),
            "-q",
            "--no-cache",
        ],
    )
    assert result.exit_code == 2
    assert f"error: {path}:3: message 3: roles out of order" in result.output
    assert "Traceback" not in result.output
    assert not out.exists()
    missing = tmp_path / "none.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "monitor",
            str(missing),
            "--judge",
            "python:tests.monitor.judges:recording",
            "--out",
            str(out),
        ],
    )
    assert result.exit_code == 2 and "no such file" in result.output and not out.exists()


def gzipped(path: Path, tmp: Path) -> Path:
    out = tmp / f"{path.name}.gz"
    out.write_bytes(gzip.compress(path.read_bytes()))
    return out


def test_gzipped_logs_read_as_the_files_they_compress(
    log_files: dict[str, Path], tmp_path: Path
) -> None:
    """Log exports often come gzipped (``chats.jsonl.gz``): read as they are, same counts,
    same conversations fetched, and a bad record named at the same line."""
    strip = lambda i: i.model_dump(exclude={"file"})  # noqa: E731
    for ext in ("jsonl", "csv"):
        packed = gzipped(log_files[ext], tmp_path)
        with open_conversations(log_files[ext]) as plain, open_conversations(packed) as log:
            assert strip(log.info) == strip(plain.info)
            assert log.info.conversations == 400
            keys = "SELECT __ckey FROM conv ORDER BY id LIMIT 5"
            assert log.fetch([k for (k,) in log.con.execute(keys).fetchall()]) == plain.fetch(
                [k for (k,) in plain.con.execute(keys).fetchall()]
            )
    bad = tmp_path / "bad.jsonl"
    bad.write_text("".join(json.dumps(r) + "\n" for r in BAD_JSONL) + "\n{not json\n")
    with pytest.raises(InputError) as plain_error:
        open_conversations(bad)
    with pytest.raises(InputError) as packed_error:
        open_conversations(gzipped(bad, tmp_path))
    assert [(p.line, p.message) for p in packed_error.value.problems] == [
        (p.line, p.message) for p in plain_error.value.problems
    ]
    bad_csv = tmp_path / "bad.csv"
    bad_csv.write_text("conversation_id,turn,role,content\na,0,user,2+2?\na,x,assistant,4\n")
    with pytest.raises(InputError) as exc:
        open_conversations(gzipped(bad_csv, tmp_path))
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path / 'bad.csv.gz'}:3: turn 'x' is not a whole number"
    ]


def test_a_file_that_is_not_gzip_or_a_gzipped_parquet_is_a_clear_error(tmp_path: Path) -> None:
    fake = tmp_path / "chats.jsonl.gz"
    fake.write_text('{"id": "a", "messages": []}\n')  # named .gz, not compressed
    with pytest.raises(InputError) as exc:
        open_conversations(fake)
    assert str(exc.value.problems[0]).startswith(f"{fake}")
    fake_csv = tmp_path / "rows.csv.gz"
    fake_csv.write_text("conversation_id,turn,role,content\n")
    with pytest.raises(InputError) as exc:
        open_conversations(fake_csv)
    assert str(exc.value.problems[0]).startswith(f"{fake_csv}: cannot read the file")
    packed = tmp_path / "log.parquet.gz"
    packed.write_bytes(gzip.compress(b"PAR1"))
    with pytest.raises(InputError) as exc:
        open_conversations(packed)
    assert "compressed inside" in str(exc.value.problems[0])
    odd = tmp_path / "log.txt.gz"
    odd.write_bytes(gzip.compress(b"x"))
    with pytest.raises(InputError) as exc:
        open_conversations(odd)
    assert "extension '.txt.gz'" in str(exc.value.problems[0])


def test_a_blank_domain_is_no_domain(tmp_path: Path) -> None:
    """A domain of "" or spaces was a domain of its own (a nameless row in every table, and
    a harvested position named by a hash), apart from the conversations with none; CSV read
    an empty cell as none already, JSONL did not."""
    said = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    rows = [
        {"id": "a", "domain": "", "messages": said},
        {"id": "b", "domain": "  ", "messages": said},
    ]
    rows += [{"id": "c", "messages": said}, {"id": "d", "domain": "tax", "messages": said}]
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    with open_conversations(path) as log:
        assert {d: f["conversations"] for d, f in log.info.by_domain.items()} == {
            "(none)": 3,
            "tax": 1,
        }


@pytest.mark.parametrize("ext", ["csv", "parquet", "jsonl"])
def test_a_conversation_whose_rows_give_two_domains_is_refused(tmp_path: Path, ext: str) -> None:
    """A message a row: a conversation whose rows gave two domains was put in the greater one
    (alphabetically) without a word, its replies counted in that domain's figures. A
    conversation is one domain's: exit 2 at the row giving the second, naming both values and
    their turns; rows with no domain (blank) are no second value."""
    rows = mixed_domain_rows()
    path = tmp_path / f"log.{ext}"
    if ext == "jsonl":
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    else:
        write_rows(path, rows)
    with pytest.raises(InputError) as exc:
        open_conversations(path, column_map={"domain": "topic"})
    line = {"csv": 1, "parquet": 0, "jsonl": 0}[ext]  # CSV: the header line first
    said = "(column 'topic')"
    assert [str(p) for p in exc.value.problems] == [
        f"{path}:{7 + line}: domain {said} 'tax' at turn '2' differs from 'health' at turn '0' "
        "in conversation 'b': give a conversation's rows one domain",
        f"{path}:{11 + line}: domain {said} 'tax' at turn '2' differs from 'money' at turn '1' "
        "in conversation 'c': give a conversation's rows one domain",
    ]
    out = tmp_path / "out"
    judge = "python:tests.monitor.judges:recording"
    args = ["monitor", str(path), "--map", "domain=topic", "--judge", judge, "--out", str(out)]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2 and not out.exists() and "Traceback" not in res.output
    assert f"{path}:{7 + line}: domain {said} 'tax' at turn '2'" in " ".join(res.output.split())
    fine = [r for r in rows if r["conversation_id"] == "a"]  # one domain, and blanks: read
    write_rows(tmp_path / "fine.csv", fine)
    with open_conversations(tmp_path / "fine.csv", column_map={"domain": "topic"}) as log:
        assert list(log.info.by_domain) == ["tax"]


@pytest.mark.parametrize("shape", ["conversations", "messages"])
def test_a_field_first_given_after_the_first_records_is_read(tmp_path: Path, shape: str) -> None:
    """JSONL's field names come from the first KEY_SAMPLE records; a domain or dial_off first
    logged after them (a field added to a running log) was dropped without a word: every
    conversation read as '(none)' and the dial-off figure was missing. Both are read now, as
    the tells read a field given late."""
    from backbone.audit.source import KEY_SAMPLE

    plain = [{"role": "user", "content": "What is 2+2?"}, {"role": "assistant", "content": "4"}]
    lines = []
    for i in range(KEY_SAMPLE + 50):
        late = {"domain": "tax", "dial_off": True} if i >= KEY_SAMPLE else {}
        if shape == "conversations":
            lines.append({"id": f"c{i}", "messages": plain, **late})
        else:
            lines += [
                {"conversation_id": f"c{i}", "turn": t, **m, **late} for t, m in enumerate(plain)
            ]
    path = tmp_path / "late.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in lines))
    with open_conversations(path) as log:
        counts = {d: f["conversations"] for d, f in log.info.by_domain.items()}
        assert counts == {"(none)": KEY_SAMPLE, "tax": 50}
        assert log.info.dial_off == 50


def test_duckdb_draws_no_progress_bar_on_stdout(log_files: dict[str, Path]) -> None:
    """DuckDB draws a progress bar on the process's stdout for a query past 2 s, whatever
    stdout is: 'backbone monitor big.jsonl ... -q > summary.txt' wrote ' 56% ▕███...▏ (~1
    second remaining)' runs with carriage returns before the summary (a 300,000-conversation
    log). The monitor's connection has it off. Checked in a fresh interpreter: under pytest
    DuckDB starts with the bar off."""
    import subprocess
    import sys

    import backbone

    code = (
        "import sys; from backbone.monitor.conversations import open_conversations\n"
        "with open_conversations(sys.argv[1]) as log:\n"
        "    print(log.con.execute(\"SELECT current_setting('enable_progress_bar')\").fetchone())"
    )
    src = str(Path(backbone.__file__).resolve().parents[1])  # the tree under test
    proc = subprocess.run(
        [sys.executable, "-c", code, str(log_files["jsonl"])],
        env={"PYTHONPATH": src, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "(False,)\n"  # (True,) before


def test_an_empty_quoted_csv_reply_is_an_empty_reply(tmp_path: Path) -> None:
    """``content`` written ``""`` in a CSV log (an empty reply) was read as missing (DuckDB
    reads a quoted empty value as null): the whole log was refused with "content is
    missing", where the same conversation in JSONL (``"content": ""``) was read and graded.
    It is now an empty reply, as in JSONL; an empty cell (no value at all) is still missing,
    and the message says how an empty reply is written."""
    rows = [("0", "user", "What is 2+2?"), ("1", "assistant", '""'),
            ("2", "user", "Are you sure?"), ("3", "assistant", "4")]  # fmt: skip
    path = tmp_path / "chats.csv"
    path.write_text(
        "conversation_id,turn,role,content\n" + "".join(f"a,{t},{r},{c}\n" for t, r, c in rows)
    )
    same = tmp_path / "chats.jsonl"
    said = [{"role": r, "content": "" if c == '""' else c} for _, r, c in rows]
    same.write_text(json.dumps({"id": "a", "messages": said}) + "\n")
    with open_conversations(path) as csv_log, open_conversations(same) as jsonl_log:
        (key,) = csv_log.con.execute("SELECT __ckey FROM conv").fetchone()  # type: ignore[misc]
        (jkey,) = jsonl_log.con.execute("SELECT __ckey FROM conv").fetchone()  # type: ignore[misc]
        c, j = csv_log.fetch([key])[0], jsonl_log.fetch([jkey])[0]
    assert [m.content for m in c.messages] == ["What is 2+2?", "", "Are you sure?", "4"]
    assert c.messages == j.messages
    path.write_text(path.read_text().replace('assistant,""', "assistant,"))
    with pytest.raises(InputError) as exc:
        open_conversations(path)
    assert [str(p) for p in exc.value.problems] == [
        f'{path}:3: content is missing (an empty cell; an empty reply is written "")'
    ]
