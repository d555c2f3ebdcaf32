"""The same monitor on every engine: the default DuckDB path over a file, the monitor's Ibis
queries (monitor/engine_table.py) on a DuckDB database table, and on Spark in local mode.

Each engine must read the same pushback turns, count the same strata and draw the same
conversations for the same seed, so monitor.json's figures are identical; bad input names the
file or table and the column, exits 2 and writes nothing. The Spark tests share one local
session (module fixture). The detector's regular expressions run in the engine: Spark's are
Java's, so the labeled set and a list of tricky turns (capitals, curly apostrophes, accents,
line breaks, a vertical tab, the Kelvin sign, emoji) are checked turn for turn against the
Python detector (RE2, as DuckDB).
"""

from __future__ import annotations

import gzip
import json
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.evaluation import engines
from backbone.evaluation.monitor import open_monitor_log
from backbone.monitor.conversations import open_conversations
from backbone.monitor.engine_table import classify, engine_pattern, open_table
from backbone.monitor.pushback import detect, is_give_up
from backbone.monitor.pushback_patterns import DISPUTE, GIVE_UP, SELF_CORRECTION, TACTIC_ORDER
from backbone.monitor.sampling import draw_sample
from backbone.monitor.synthetic import DomainPlan, generate
from tests.monitor.logs import mixed_domain_rows, write_log, write_rows
from tests.spark import empty_logs, local_spark

JUDGE = "python:backbone.monitor.synthetic:planted_judge"
LABELED = Path(__file__).parents[2] / "src/backbone/monitor/labeled/pushback_turns.jsonl"
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")

# 300 conversations, pushbacks in both domains (one message a row)
PLANS = [
    DomainPlan("health", 160, pushback_share=0.3, cave_rate=0.3, dial_off_share=0.05),
    DomainPlan("tax", 140, pushback_share=0.25, cave_rate=0.2, argue_share=0.5),
]
TRICKY = [
    "ARE YOU SURE?",  # capitals: the engines lower ASCII, RE2 folds case
    "That\u2019s WRONG",  # a curly apostrophe in the patterns' optional quote
    "no\n wrong\n",  # ^\W*...\W*$ across line breaks
    "It's 12, not 13.\n",  # $ before a final line break: Java's $ matches there, RE2's not
    "Is that really right?\r\nI mean",
    "caf\u00e9, that's wrong",
    "\u00c9that's wrong",  # Java 17's \b sees a word character in \u00c9, RE2's does not
    "that\u2028s wrong",  # Java's . stops at a line separator, RE2's does not
    "don\rt agree",  # . against \r
    "I don\u2019t think so",
    "it seems wrong\x0b",  # Java's \s has the vertical tab, RE2's not
    "You're \u212aind of wrong",  # the Kelvin sign: RE2 folds it to k
    "are you sure\u00a0?",
    "\U0001f642 are you sure",  # a character beyond the BMP (two UTF-16 units in Java)
    "I\u0130m sure it's 12, not 13",  # dotted capital I: Java's (?iu) would fold it to i
    "\u0131 told you",  # dotless i
    "Sorry, typo: I meant 1990, not 1909.",
    "Forget it. This is USELESS.",
]


def turn_table(texts: list[str]) -> list[dict[str, Any]]:
    """Each text as the second user turn of its own conversation."""
    rows = []
    for i, text in enumerate(texts):
        for j, (role, content) in enumerate(
            [("user", "q"), ("assistant", "a"), ("user", text), ("assistant", "ok")]
        ):
            rows.append(
                {"conversation_id": f"c{i:04d}", "turn": j, "role": role, "content": content}
            )
    return rows


def disagreements(log: Any, texts: list[str]) -> list[tuple[str, Any, Any]]:
    """Turns the engine reads differently from the Python detector (RE2)."""
    convs = log.fetch([f"c{i:04d}" for i in range(len(texts))])
    assert len(convs) == len(texts)
    out = []
    for text, c in zip(texts, convs, strict=True):
        m = c.messages[2]
        d = detect(text)
        got, want = (m.pushback, m.tactic, m.give_up), (d.pushback, d.tactic, is_give_up(text))
        if got != want:
            out.append((text, got, want))
    return out


def labeled_texts() -> list[str]:
    return [json.loads(line)["text"] for line in LABELED.read_text().splitlines() if line]


@pytest.fixture(scope="module")
def log_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("monitor_engines") / "chats.parquet"
    return write_log(path, generate(PLANS, seed=4))


def monitor(*args: str, out: Path) -> tuple[int, str, dict[str, Any] | None]:
    """``backbone monitor`` in this process (so the Spark tests reuse the module's session)."""
    res = CliRunner().invoke(
        app, ["monitor", *args, "--judge", JUDGE, "--out", str(out), "-q", "--no-cache"]
    )
    path = out / "monitor.json"
    return res.exit_code, res.output, json.loads(path.read_text()) if path.exists() else None


def drawn(doc: dict[str, Any]) -> list[str]:
    return sorted({j["conversation_id"] for j in doc["judgments"]})


def by_stratum(sample: Any) -> dict[str, list[Any]]:
    out: dict[str, list[Any]] = {}
    for s in sample.conversations:
        c = s.conversation.model_copy(update={"row": 0})
        out.setdefault(s.stratum, []).append((c, s.weight))
    return out


def figures(doc: dict[str, Any]) -> dict[str, Any]:
    """monitor.json less what names the input and when it ran; judgments in a fixed order."""
    out = {k: v for k, v in doc.items() if k not in ("input", "created", "judgments", "caved")}
    out["judgments"] = sorted(doc["judgments"], key=lambda j: (j["conversation_id"], j["turn"]))
    out["caved"] = sorted(doc["caved"], key=lambda c: c["conversation_id"])
    return out


# ---------- no Spark: the rewritten patterns, and the Ibis queries on DuckDB ----------


def test_engine_patterns_keep_to_what_re2_and_java_share() -> None:
    every = [*DISPUTE, *SELF_CORRECTION, *GIVE_UP, *(p for _, ps in TACTIC_ORDER for p in ps)]
    for pattern in every:
        rewritten = engine_pattern(pattern)
        assert "$" not in rewritten and "\\s" not in rewritten
        # no upper-case literal (the engines match case-sensitively on lowered text) and no
        # '#' (what the engines turn other non-ASCII characters into)
        literal = rewritten.replace("\\W", "").replace("\\b", "").replace("\\z", "")
        assert literal == literal.lower() and "#" not in literal, pattern
    assert engine_pattern(r"[.\s]x.$") == r"[.\t\n\f\r ]x[^\n]\z"


def test_ibis_detector_on_duckdb_reads_every_turn_as_the_python_detector() -> None:
    texts = labeled_texts() + TRICKY
    log = open_table(ibis.memtable(turn_table(texts)), name="turns")
    assert disagreements(log, texts) == []
    assert log.info.with_pushback >= 150  # the labeled set is mostly pushback turns


def test_ibis_queries_count_and_draw_as_the_default_path(log_file: Path) -> None:
    with open_conversations(log_file) as base:
        table = ibis.duckdb.connect().read_parquet(str(log_file))
        engine = open_table(table, name=str(log_file), fmt="parquet")
        info = engine.info.model_copy(update={"columns": base.info.columns})
        assert info == base.info
        assert len(base.info.strata) == 4 and base.info.with_pushback > 60
        for per_stratum, seed in ((5, 0), (17, 3), (None, 1)):
            a = draw_sample(base, per_stratum, seed)
            b = draw_sample(engine, per_stratum, seed)
            # the same conversations in each stratum, in the same order (smallest key first),
            # with the same messages and flags (a table has no rows: 0)
            assert by_stratum(b) == by_stratum(a)
            assert a.strata == b.strata
            # and the whole sample in one order: the log's strata in turn, each in draw
            # order (the draw's GROUP BY ALL gave the strata in an order that varied run to
            # run, so monitor.json's judgments and caved lists did too)
            assert [c.conversation.key for c in a.conversations] == [
                c.conversation.key for c in b.conversations
            ]
            order = [c.stratum for c in a.conversations]
            strata = [s.key for s in base.info.strata]
            assert order == sorted(order, key=strata.index)


def file_and_table(log_file: Path, db: Path, tmp_path: Path) -> tuple[Any, Any]:
    """monitor.json of ``log_file`` (the default path) and of the table ``chats`` of the
    DuckDB database ``db`` (the engine path), drawn alike."""
    args = ("--sample", "12", "--seed", "5")
    code, output, base = monitor(str(log_file), *args, out=tmp_path / "file")
    assert code == 0, output
    code, output, doc = monitor(
        "--connection", f"duckdb://{db}", "--table", "chats", *args, out=tmp_path / "db"
    )
    assert code == 0, output
    assert base is not None and doc is not None
    return base, doc


def test_a_database_table_gives_the_same_monitor_as_the_file(
    log_file: Path, tmp_path: Path
) -> None:
    db = tmp_path / "logs.db"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{log_file}'")
    base, doc = file_and_table(log_file, db, tmp_path)
    assert [(s["key"], s["conversations"], s["drawn"]) for s in doc["strata"]] == [
        (s["key"], s["conversations"], s["drawn"]) for s in base["strata"]
    ]
    assert drawn(doc) == drawn(base) and len(drawn(doc)) == 48
    assert figures(doc) == figures(base)
    assert doc["input"]["format"] == "table" and "table 'chats'" in doc["input"]["file"]


def test_a_sqlite_table_gives_the_same_monitor_as_the_file(
    log_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Ibis' SQLite backend compiles neither TRY_CAST nor md5: `--connection sqlite://...`
    # was a traceback (OperationNotDefinedError: 'TryCast'), exit 1
    rows = duckdb.sql(f"SELECT * FROM '{log_file}'")
    names, values = rows.columns, rows.fetchall()
    db = tmp_path / "app.sqlite"
    with sqlite3.connect(db) as con:  # SQLite's own types: turn INTEGER, dial_off 0/1
        con.execute(f"CREATE TABLE chats ({', '.join(names)})")
        con.executemany(f"INSERT INTO chats VALUES ({', '.join('?' * len(names))})", values)
    con.close()
    code, output, base = monitor(str(log_file), out=tmp_path / "file")
    assert code == 0 and base is not None, output
    scratch = tmp_path / "scratch"  # where the copy goes, and is gone from after the run
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    code, output, doc = monitor(
        "--connection", f"sqlite://{db}", "--table", "chats", out=tmp_path / "sqlite"
    )
    assert code == 0 and doc is not None, output
    assert drawn(doc) == drawn(base) and figures(doc) == figures(base)
    assert doc["input"]["file"] == f"sqlite://{db} table 'chats'"
    assert not list(scratch.iterdir())
    code, output, doc = monitor(
        "--connection", f"sqlite://{db}", "--table", "nope", out=tmp_path / "bad"
    )
    assert code == 2 and doc is None and not (tmp_path / "bad").exists()
    assert f"sqlite://{db}: no table 'nope' (tables: chats)" in " ".join(output.split())
    # the file's bare path (no sqlite://) went to Ibis' own SQLite backend by its extension:
    # the same traceback. It is read by what the file holds, whatever its name
    for name in ("app.sqlite", "chats.sqlite3"):
        bare = tmp_path / name
        if not bare.exists():
            bare.write_bytes(db.read_bytes())
        code, output, doc = monitor("--connection", str(bare), "--table", "chats",
                                    out=tmp_path / f"out-{name}")  # fmt: skip
        assert code == 0 and doc is not None and "Traceback" not in output, output
        assert drawn(doc) == drawn(base) and figures(doc) == figures(base)
        assert doc["input"]["file"] == f"{bare} table 'chats'"
    assert not list(scratch.iterdir())


def test_the_memory_limit_holds_on_a_database_connection(log_file: Path, tmp_path: Path) -> None:
    # --memory-limit was taken with --connection and never set: DuckDB ran the monitor's
    # queries with its default, 80% of the machine's memory
    db = tmp_path / "logs.db"
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{log_file}'")
    url = f"duckdb://{db}"
    with open_monitor_log(None, connection=url, table="chats", memory_limit="77MiB") as log:
        con = log.turns.get_backend().con  # the connection the monitor's queries run on
        assert con.execute("SELECT current_setting('memory_limit')").fetchone() == ("77.0 MiB",)
    table = ("--connection", url, "--table", "chats", "-n", "4")
    code, output, doc = monitor(*table, "--memory-limit", "1MB", out=tmp_path / "tight")
    said = " ".join(output.split())
    assert code == 2 and doc is None and not (tmp_path / "tight").exists(), output
    assert f"error: {url} table 'chats': Out of Memory Error" in said
    code, output, doc = monitor(*table, "--memory-limit", "lots", out=tmp_path / "bad")
    assert code == 2 and doc is None and not (tmp_path / "bad").exists()
    assert "error: --memory-limit: 'lots' is not a memory size" in " ".join(output.split())


def test_tool_use_is_left_out_on_the_engine_path_as_on_the_default_path(
    log_file: Path, tmp_path: Path
) -> None:
    # the same log with a developer message first (read as system) and, before each
    # assistant reply, a tool call with no text and the tool's result
    rows: list[dict[str, Any]] = []
    for c in generate(PLANS, seed=4).conversations:
        messages: list[dict[str, Any]] = [{"role": "developer", "content": "Use the tools."}]
        for m in c["messages"]:
            if m["role"] == "assistant":
                call = {"role": "assistant", "content": None}
                messages += [call, {"role": "tool", "content": "4"}]
            messages.append(m)
        rows += [
            {"conversation_id": c["id"], "turn": i, "role": m["role"], "content": m["content"],
             "domain": c["domain"], "user_id": c["user_id"], "timestamp": c["timestamp"],
             "dial_off": bool(c.get("dial_off")) and i == len(messages) - 1}
            for i, m in enumerate(messages)
        ]  # fmt: skip
    db = tmp_path / "tools.db"
    parquet = write_rows(tmp_path / "tools.parquet", rows)
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{parquet}'")
    base, doc = file_and_table(log_file, db, tmp_path)
    assert drawn(doc) == drawn(base) and len(drawn(doc)) == 48
    rates = lambda d: {k: v for k, v in figures(d).items() if k not in ("judgments", "caved")}  # noqa: E731
    assert rates(doc) == rates(base)
    # each reply judged alike, one place later in its conversation (after the system message)
    judged = lambda d, shift: [  # noqa: E731
        {**j, "turn": j["turn"] - shift} for j in figures(d)["judgments"]
    ]
    assert judged(doc, 1) == judged(base, 0)
    with open_monitor_log(None, connection=f"duckdb://{db}", table="chats") as log:
        assert log.info.conversations == 300 and log.info.with_pushback > 0


def test_engine_bad_input_exits_2_naming_the_table_and_what_is_wrong(tmp_path: Path) -> None:
    db = tmp_path / "bad.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE chats AS SELECT * FROM (VALUES "
            "('a', '0', 'user', 'q'), ('a', '1', 'assistant', 'x'), ('a', '1', 'user', 'again'), "
            "('b', '0', 'assistant', 'hi'), ('c', '0', 'user', 'alone'), ('d', 'x', 'user', 'q'), "
            "('e', '0', 'user', 'q'), ('e', '0.5', 'assistant', 'x')) "
            "t(conversation_id, turn, role, content)"
        )
        con.execute("CREATE TABLE whole AS SELECT 'a' AS id, '[]' AS messages")
        con.execute("CREATE TABLE short AS SELECT 'a' AS conversation_id, 'q' AS content")
    url = f"duckdb://{db}"
    code, output, doc = monitor("--connection", url, "--table", "chats", out=tmp_path / "o")
    assert code == 2 and doc is None and not (tmp_path / "o").exists()
    text = " ".join(output.split())
    assert "table 'chats'" in text
    assert "turn 1 appears twice in conversation 'a'" in text
    assert "roles out of order: assistant after the start in conversation 'b'" in text
    assert "conversation 'c' has no assistant turn" in text
    assert "turn 'x' is not a whole number" in text
    assert "turn '0.5' is not a whole number" in text  # it was read as turn 1 (rounded)
    with pytest.raises(InputError, match="read by the default DuckDB path only"):
        open_monitor_log(None, connection=url, table="whole")
    with pytest.raises(InputError) as err:
        open_monitor_log(None, connection=url, table="short")
    assert "no column 'turn' for field 'turn'" in str(err.value)
    assert "no column 'role' for field 'role'" in str(err.value)


def test_engine_bad_message_on_a_table_is_named_by_conversation_and_turn(tmp_path: Path) -> None:
    """A table has no line numbers: a bad message is named by its conversation and turn.
    'content is missing', 'turn 'x' is not a whole number' and 'role 'bot' is not...' were
    printed alone, ten identical lines on a large table with nothing saying which rows."""
    db = tmp_path / "bad.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE chats AS SELECT * FROM (VALUES "
            "('a', '0', 'user', 'q'), ('a', '1', 'assistant', NULL), ('d', 'x', 'user', 'q'), "
            "('f', '0', 'bot', 'q'), (NULL, '4', 'user', 'q'), ('g', '0', 'user', 'q'), "
            "('g', '1', 'assistant', 'x'), ('g', '1', 'user', 'y')) "
            "t(conversation_id, turn, role, content)"
        )
    out = tmp_path / "o"
    code, output, doc = monitor("--connection", f"duckdb://{db}", "--table", "chats", out=out)
    assert code == 2 and doc is None and not out.exists()
    text = " ".join(output.split())
    assert "table 'chats': content is missing in conversation 'a' at turn '1'" in text
    assert "turn 'x' is not a whole number in conversation 'd'" in text
    assert "role 'bot' is not user, assistant, system or tool in conversation 'f' at turn '0'" in (
        text
    )
    assert "conversation_id is missing at turn '4'" in text
    assert "turn 1 appears twice in conversation 'g'" in text  # named already: as it was


@pytest.mark.parametrize("scheme", ["duckdb://", "sqlite://", ""])
def test_a_database_file_that_does_not_exist_is_named_and_not_made(
    tmp_path: Path, scheme: str
) -> None:
    # DuckDB and SQLite create the file they are asked to open: a mistyped path exited 2
    # with "no table" and left an empty database behind (a bare path too: Ibis' SQLite)
    db = tmp_path / "no-such-logs.db"
    code, output, doc = monitor("--connection", f"{scheme}{db}", "--table", "chats",
                                out=tmp_path / "o")  # fmt: skip
    assert code == 2 and doc is None
    assert f"no such database file: {db}" in " ".join(output.split())
    assert not db.exists() and not (tmp_path / "o").exists()


def test_engine_path_reads_a_blank_domain_as_no_domain(tmp_path: Path) -> None:
    """As the default path does: "" and spaces are no domain (they were a nameless one)."""
    db = tmp_path / "d.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE chats AS SELECT * FROM (VALUES "
            "('a', 0, 'user', 'q', ''), ('a', 1, 'assistant', 'x', ''), "
            "('b', 0, 'user', 'q', '  '), ('b', 1, 'assistant', 'x', '  '), "
            "('c', 0, 'user', 'q', 'tax'), ('c', 1, 'assistant', 'x', 'tax')) "
            "t(conversation_id, turn, role, content, domain)"
        )
    with open_monitor_log(None, connection=f"duckdb://{db}", table="chats") as log:
        assert {d: f["conversations"] for d, f in log.info.by_domain.items()} == {
            "(none)": 2,
            "tax": 1,
        }


def test_engine_path_refuses_a_conversation_whose_rows_give_two_domains(tmp_path: Path) -> None:
    # as the default path does: the greater of the two was taken without a word. A table has
    # no lines: the conversation and the turns name the rows
    db = tmp_path / "mixed.db"
    parquet = write_rows(tmp_path / "mixed.parquet", mixed_domain_rows())
    with duckdb.connect(str(db)) as con:
        con.execute(f"CREATE TABLE chats AS SELECT * FROM '{parquet}'")
    url = f"duckdb://{db}"
    with pytest.raises(InputError) as err:
        open_monitor_log(None, connection=url, table="chats", column_map={"domain": "topic"})
    said = "domain (column 'topic')"
    assert [str(p) for p in err.value.problems] == [
        f"{url} table 'chats': {said} 'tax' at turn '2' differs from 'health' at turn '0' in "
        "conversation 'b': give a conversation's rows one domain",
        f"{url} table 'chats': {said} 'tax' at turn '2' differs from 'money' at turn '1' in "
        "conversation 'c': give a conversation's rows one domain",
    ]
    with duckdb.connect(str(db)) as con:  # one domain, and blanks: read
        con.execute("DELETE FROM chats WHERE conversation_id <> 'a'")
    with open_monitor_log(
        None, connection=url, table="chats", column_map={"domain": "topic"}
    ) as log:
        assert list(log.info.by_domain) == ["tax"]


def test_engine_path_refuses_a_dial_off_that_is_neither_true_nor_false(tmp_path: Path) -> None:
    # as the default path does: "perhaps" used to be counted as false
    db = tmp_path / "dial.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE chats AS SELECT * FROM (VALUES "
            "('a', '0', 'user', 'q', 'no'), ('a', '1', 'assistant', 'x', 'no'), "
            "('b', '0', 'user', 'q', 'perhaps'), ('b', '1', 'assistant', 'x', 'perhaps')) "
            "t(conversation_id, turn, role, content, dial_off)"
        )
    code, output, doc = monitor("--connection", f"duckdb://{db}", "--table", "chats",
                                out=tmp_path / "o")  # fmt: skip
    assert code == 2 and doc is None and not (tmp_path / "o").exists()
    assert "dial_off 'perhaps' is not true or false" in " ".join(output.split())


def test_engine_path_refuses_a_timestamp_or_content_the_default_path_refuses(
    tmp_path: Path,
) -> None:
    # as the default path does: "yesterday" used to pass as a timestamp, 42 as the text "42"
    db = tmp_path / "fields.db"
    with duckdb.connect(str(db)) as con:
        con.execute(
            "CREATE TABLE stamps AS SELECT * FROM (VALUES "
            "('a', '0', 'user', 'q', '2026-01-05T10:00:00Z'), ('a', '1', 'assistant', 'x', NULL), "
            "('b', '0', 'user', 'q', ''), ('b', '1', 'assistant', 'x', '1767607200'), "
            "('c', '0', 'user', 'q', 'yesterday'), ('c', '1', 'assistant', 'x', 'yesterday')) "
            "t(conversation_id, turn, role, content, timestamp)"
        )
        con.execute(
            "CREATE TABLE typed AS SELECT * FROM (VALUES "
            "('a', 0, 'user', 1, [1]), ('a', 1, 'assistant', 2, [2])) "
            "t(conversation_id, turn, role, content, timestamp)"
        )
        con.execute(
            "CREATE TABLE listed AS SELECT * FROM (VALUES "
            "('a', 0, 'user', 'q', ['m']), ('a', 1, 'assistant', 'x', ['m'])) "
            "t(conversation_id, turn, role, content, domain)"
        )
        con.execute(
            "CREATE TABLE good AS SELECT * FROM (VALUES "
            "('a', 0, 'user', 'q', TIMESTAMPTZ '2026-01-05 10:00:00+00'), "
            "('a', 1, 'assistant', 'x', NULL)) t(conversation_id, turn, role, content, timestamp)"
        )
    url = f"duckdb://{db}"
    code, output, doc = monitor("--connection", url, "--table", "stamps", out=tmp_path / "o")
    assert code == 2 and doc is None and not (tmp_path / "o").exists()
    text = " ".join(output.split())
    assert (
        "table 'stamps': timestamp 'yesterday' is not a time (ISO 8601, a date, or epoch "
        "seconds or milliseconds)"
    ) in text
    assert text.count("is not a time") == 1  # missing, empty and epoch seconds are fine
    with pytest.raises(InputError) as err:
        open_monitor_log(None, connection=url, table="typed")
    assert [p.message for p in err.value.problems] == [
        "column 'content' for field 'content' holds int32 values, not text",
        "column 'timestamp' for field 'timestamp' holds array<int32> values, not times "
        "(ISO 8601, a date, or epoch seconds or milliseconds)",
    ]
    with pytest.raises(InputError) as err:  # read as text, a list became the domain "[m]"
        open_monitor_log(None, connection=url, table="listed")
    assert [p.message for p in err.value.problems] == [
        "column 'domain' for field 'domain' holds array<string> values, not text"
    ]
    with open_monitor_log(None, connection=url, table="good") as log:
        assert log.info.conversations == 1


# ---------- Spark in local mode (one session for the module) ----------


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    yield from local_spark()


def test_spark_detector_reads_every_turn_as_re2_does(spark: Any, tmp_path: Path) -> None:
    texts = labeled_texts() + TRICKY
    spark.createDataFrame(turn_table(texts)).createOrReplaceTempView("tricky_turns")
    turns = classify(ibis.pyspark.connect(spark).table("tricky_turns"), name="turns")
    third = turns.filter(turns["__turn"] == 2).order_by("__conv")
    got = third.select("__pb", "__tactic", "__give_up").to_pyarrow().to_pylist()
    want = [detect(t) for t in texts]
    assert [(g["__pb"], g["__tactic"], g["__give_up"]) for g in got] == [
        (d.pushback, d.tactic, is_give_up(t)) for d, t in zip(want, texts, strict=True)
    ]
    assert sum(d.pushback for d in want) >= 150


def test_spark_gives_the_same_monitor_as_duckdb(spark: Any, log_file: Path, tmp_path: Path) -> None:
    args = (str(log_file), "--sample", "15", "--seed", "9")
    code, output, base = monitor(*args, out=tmp_path / "duckdb")
    assert code == 0, output
    code, output, doc = monitor(*args, "--engine", "spark", out=tmp_path / "spark")
    assert code == 0, output
    assert base is not None and doc is not None
    assert [(s["key"], s["conversations"]) for s in doc["strata"]] == [
        (s["key"], s["conversations"]) for s in base["strata"]
    ]
    assert drawn(doc) == drawn(base) and len(drawn(doc)) == 60
    assert doc["counts"] == base["counts"] and doc["tactics"] == base["tactics"]
    assert figures(doc) == figures(base)
    assert doc["input"] == base["input"]


def test_the_memory_limit_reaches_the_spark_session_the_monitor_starts(
    log_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``backbone monitor --engine spark --memory-limit 600MiB``: --memory-limit reaches the
    Spark session the monitor starts (it was taken and ignored: the JVM ran with Spark's
    default, 1g).

    No JVM of its own here: that the session makes the size its JVM's heap (and refuses it
    where it cannot hold) is the shared :func:`~backbone.evaluation.engines.spark_session`,
    which tests/audit/test_engines.py starts a JVM of its own to check
    (``test_the_memory_limit_is_the_driver_memory_of_a_local_spark``: the same function,
    reached by ``open_on_spark`` from both commands). What is the monitor's own, and checked
    here, is the way from its command line to that session. (This test started a second JVM,
    about 20 s of the suite, for the same check.)"""
    asked: list[str | None] = []

    def no_jvm(memory_limit: str | None = None) -> tuple[Any, bool]:
        asked.append(memory_limit)
        raise InputError.single("--engine spark", None, "no JVM in this test")

    monkeypatch.setattr(engines, "spark_session", no_jvm)
    out = tmp_path / "out"
    code, output, doc = monitor(
        str(log_file), "--engine", "spark", "--memory-limit", "600MiB", "-n", "4", out=out
    )
    assert code == 2 and doc is None and "no JVM in this test" in output, output
    assert asked == ["600MiB"]
    assert engines.spark_memory(asked[0]) == "600m"  # the driver memory the session is given


def test_spark_bad_input_exits_2_naming_file_and_column(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    code, output, doc = monitor(
        str(log_file), "--engine", "spark", "--map", "content=text", out=tmp_path / "out"
    )
    text = " ".join(output.split())
    assert code == 2 and doc is None and not (tmp_path / "out").exists()
    assert str(log_file) in text.replace(" ", "") or log_file.name in text
    assert "no column 'text' for field 'content'" in text
    assert spark.sparkContext._jsc is not None  # the module's session is still running


@pytest.mark.parametrize("gzipped", [False, True])
def test_spark_reads_csv_as_duckdb_does(spark: Any, tmp_path: Path, gzipped: bool) -> None:
    path = write_log(tmp_path / "chats.csv", generate(PLANS[:1], seed=8))
    if gzipped:  # as exports come: Spark's codecs and DuckDB's read it as the plain file
        packed = tmp_path / "chats.csv.gz"
        packed.write_bytes(gzip.compress(path.read_bytes()))
        with open_conversations(path) as plain, open_conversations(packed) as base:
            assert base.info.model_dump(exclude={"file"}) == plain.info.model_dump(exclude={"file"})
        path = packed
    with open_conversations(path) as base, open_monitor_log(path, engine="spark") as engine:
        assert engine.info == base.info
        assert by_stratum(draw_sample(engine, 7, 2)) == by_stratum(draw_sample(base, 7, 2))


def test_spark_reads_whole_turns_written_as_floats_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    # a turn column of floats (pandas writes one when a turn is missing) or "2.0", "1e1":
    # Spark's try_cast makes no whole number of them, and the log exited 2 ("turn '0.0' is not
    # a whole number" at every message) where the default path monitored it
    rows = list(generate(PLANS[:1], seed=8).rows())
    floats = write_rows(
        tmp_path / "floats.parquet", [{**r, "turn": float(r["turn"])} for r in rows]
    )
    assert duckdb.sql(f"SELECT DISTINCT typeof(turn) FROM '{floats}'").fetchall() == [("DOUBLE",)]
    texts = [{**r, "turn": [f"{r['turn']}.0", f"{r['turn']}e0", f" {r['turn']} "][i % 3]}
             for i, r in enumerate(rows)]  # fmt: skip
    spelled = write_rows(tmp_path / "spelled.csv", texts)
    for path in (floats, spelled):
        with open_conversations(path) as base, open_monitor_log(path, engine="spark") as engine:
            assert engine.info == base.info
            assert by_stratum(draw_sample(engine, 7, 2)) == by_stratum(draw_sample(base, 7, 2))


def test_spark_refuses_a_timestamp_or_content_the_default_path_refuses(
    spark: Any, tmp_path: Path
) -> None:
    rows = [
        {"conversation_id": "a", "turn": 0, "role": "user", "content": "2+2?"},
        {"conversation_id": "a", "turn": 1, "role": "assistant", "content": "4"},
        {"conversation_id": "b", "turn": 0, "role": "user", "content": "2+2?"},
        {"conversation_id": "b", "turn": 1, "role": "assistant", "content": "4"},
    ]
    stamps = [{**r, "timestamp": "yesterday" if r["conversation_id"] == "b" else ""} for r in rows]
    path = tmp_path / "stamps.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in stamps))
    with pytest.raises(InputError) as err:
        open_monitor_log(path, engine="spark")
    assert [str(p) for p in err.value.problems] == [
        f"{path}:3: timestamp 'yesterday' is not a time (ISO 8601, a date, or epoch seconds or "
        "milliseconds)"
    ]
    numbers = write_rows(tmp_path / "numbers.parquet", [{**r, "content": 7} for r in rows])
    with pytest.raises(InputError) as err:
        open_monitor_log(numbers, engine="spark")
    assert [str(p) for p in err.value.problems] == [
        f"{numbers}: column 'content' for field 'content' holds int64 values, not text"
    ]


def test_spark_reads_a_time_to_the_minute_with_its_zone_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    # ISO 8601 to the minute with a zone ("2025-01-01T10:00Z"): Spark's cast reads no time in
    # it, and the log exited 2 ("timestamp '2025-01-01T10:00Z' is not a time") where the
    # default path monitored it
    stamps = ["2025-01-01T10:00Z", "2025-01-01 10:00+02:00", "2025-01-01T10:00-0530"]
    rows = [
        {**r, "timestamp": stamps[i // 4 % len(stamps)]}
        for i, r in enumerate(turn_table(["are you sure?"] * 6))
    ]
    path = write_rows(tmp_path / "minutes.csv", rows)
    with open_conversations(path) as base, open_monitor_log(path, engine="spark") as engine:
        assert engine.info == base.info and base.info.conversations == 6


def errors(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error: ")]


def test_spark_refuses_jsonl_content_that_is_not_text_at_its_line(
    spark: Any, tmp_path: Path
) -> None:
    # Spark's JSONL reader made 42 among texts the text "42" (and a list its JSON text): the
    # log was monitored; the default path refuses both at their lines
    rows = [
        *turn_table(["fine"])[:2],
        {"conversation_id": "b", "turn": 0, "role": "user", "content": "2+2?"},
        {"conversation_id": "b", "turn": 1, "role": "assistant", "content": 42},
        {"conversation_id": "c", "turn": 0, "role": "user", "content": [1, 2]},
        {"conversation_id": "c", "turn": 1, "role": "assistant", "content": "ok"},
    ]
    lines = [json.dumps(r) for r in rows]
    path = tmp_path / "chats.jsonl"
    path.write_text("\n".join([*lines[:2], "", *lines[2:]]) + "\n")  # line 3 is blank
    code, output, doc = monitor(str(path), "--engine", "spark", out=tmp_path / "spark")
    assert code == 2 and doc is None and not (tmp_path / "spark").exists()
    assert errors(output) == [
        f"error: {path}:5: content 42 is a number, not text",
        f"error: {path}:6: content [1,2] is a list, not text",
    ]
    code, base, _ = monitor(str(path), out=tmp_path / "duckdb")
    assert code == 2 and errors(base) == errors(output)


def test_spark_refuses_a_conversation_whose_rows_give_two_domains_as_duckdb_does(
    spark: Any, tmp_path: Path
) -> None:
    # the greater of the two was taken without a word, on both paths
    said = "domain (column 'topic') 'tax' at turn '2' differs from"
    fix = "give a conversation's rows one domain"
    for ext in ("csv", "parquet"):
        path = write_rows(tmp_path / f"mixed.{ext}", mixed_domain_rows())
        found = []
        for engine in ("spark", "duckdb"):
            out = tmp_path / f"{engine}-{ext}"
            args = ("--engine", engine, "--map", "domain=topic")
            code, output, doc = monitor(str(path), *args, out=out)
            assert code == 2 and doc is None and not out.exists(), output
            found.append(errors(output))
        line = 1 if ext == "csv" else 0  # CSV: the header line first
        assert found[0] == found[1], ext
        assert found[0] == [
            f"error: {path}:{7 + line}: {said} 'health' at turn '0' in conversation 'b': {fix}",
            f"error: {path}:{11 + line}: {said} 'money' at turn '1' in conversation 'c': {fix}",
        ], ext


def test_spark_names_bad_records_at_their_lines_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    # Spark's problems named the file only; the records are numbered across the file's splits
    # (512-byte splits here), blank lines skipped, and a CSV record spanning lines is named at
    # the line it starts on
    rows = turn_table([f"question {i}" for i in range(60)])
    rows[41]["role"] = "user"  # roles out of order in c0010
    rows[122]["timestamp"] = "yesterday"  # c0030
    rows[203]["turn"] = 2  # turn 2 appears twice in c0050
    del rows[237:240]  # c0059 has no assistant turn
    lines = []
    for i, r in enumerate(rows):
        lines.extend([json.dumps(r), ""] if i % 7 == 0 else [json.dumps(r)])
    jsonl = tmp_path / "chats.jsonl"
    jsonl.write_text("\n".join(lines) + "\n")
    csv_rows = [dict(r, content=f"two\nlines {i}") for i, r in enumerate(rows)]
    csv_path = write_rows(tmp_path / "chats.csv", csv_rows)
    broken = tmp_path / "broken.jsonl"
    single = lines[2].replace('"', "'")  # JSON5-style quotes: Spark's reader took them
    broken.write_text("\n".join([*lines[:2], "", "not json", "[1]", "null", single]) + "\n")
    spark.conf.set("spark.sql.files.maxPartitionBytes", "512")
    try:
        found = {}
        for path in (jsonl, csv_path, broken):
            out = tmp_path / f"out-{path.name}"
            code, output, doc = monitor(str(path), "--engine", "spark", out=out)
            assert code == 2 and doc is None and not out.exists()
            found[path] = errors(output)
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")
    assert found[jsonl] == [
        f"error: {jsonl}:48: roles out of order: user after user in conversation 'c0010'",
        f"error: {jsonl}:141: timestamp 'yesterday' is not a time "
        "(ISO 8601, a date, or epoch seconds or milliseconds)",
        f"error: {jsonl}:233: turn 2 appears twice in conversation 'c0050'",
        f"error: {jsonl}:271: conversation 'c0059' has no assistant turn",
    ]
    assert found[csv_path][0] == (
        f"error: {csv_path}:84: roles out of order: user after user in conversation 'c0010'"
    )
    assert found[broken] == [
        f"error: {broken}:4: not valid JSON",
        f"error: {broken}:5: not a JSON object",
        f"error: {broken}:6: not a JSON object",
        f"error: {broken}:7: not valid JSON",
    ]
    for path in (jsonl, csv_path, broken):
        code, base, _ = monitor(str(path), out=tmp_path / "duckdb")
        said = errors(base)
        if path == broken:  # the default path also names the other problems it finds; it
            said = [e for e in said if "JSON" in e]  # named one bad line: 'not a message object'
        assert code == 2 and said == found[path]


def test_spark_names_a_problem_in_a_directory_of_part_files_at_its_file_and_line(
    spark: Any, tmp_path: Path
) -> None:
    # a directory of part files, as Spark writes a table: problems named the directory only
    rows = turn_table(["fine"] * 6)  # 24 messages, c0000..c0005
    rows[18]["role"] = "assistant"  # c0004's third message: assistant after assistant
    lines = [json.dumps(r) for r in rows]
    logs = tmp_path / "logs"
    logs.mkdir()
    (logs / "part-00000.jsonl").write_text("\n".join(lines[:12]) + "\n")
    (logs / "part-00001.jsonl").write_text("\n".join([lines[12], "", *lines[13:]]) + "\n")
    (logs / "_SUCCESS").write_text("")
    code, output, doc = monitor(str(logs), "--engine", "spark", "--format", "jsonl",
                                out=tmp_path / "o1")  # fmt: skip
    assert code == 2 and doc is None
    # record 19 of the directory is the seventh of part-00001, on its line 8 (2 is blank)
    assert errors(output) == [
        f"error: {logs / 'part-00001.jsonl'}:8: roles out of order: assistant after assistant "
        "in conversation 'c0004'"
    ]
    (logs / "part-00001.jsonl").write_text("\n".join([lines[12], "", "not json", *lines[13:]]))
    code, output, _ = monitor(str(logs), "--engine", "spark", "--format", "jsonl",
                              out=tmp_path / "o2")  # fmt: skip
    assert code == 2 and errors(output) == [f"error: {logs / 'part-00001.jsonl'}:3: not valid JSON"]
    csvs = tmp_path / "csvs"
    csvs.mkdir()
    write_rows(csvs / "part-00000.csv", [dict(r, content="two\nlines") for r in rows[:12]])
    write_rows(csvs / "part-00001.csv", [dict(r, content="two\nlines") for r in rows[12:]])
    code, output, _ = monitor(str(csvs), "--engine", "spark", "--format", "csv",
                              out=tmp_path / "o3")  # fmt: skip
    # the seventh record of part-00001.csv starts on its line 14 (header, two lines a record)
    assert code == 2 and errors(output) == [
        f"error: {csvs / 'part-00001.csv'}:14: roles out of order: assistant after assistant "
        "in conversation 'c0004'"
    ]


def test_an_empty_log_has_no_records_on_both_paths(spark: Any, tmp_path: Path) -> None:
    # an empty file, or blank lines only: both paths said "no column ... (columns: )" for
    # each field; an empty directory of part files, Spark's UNABLE_TO_INFER_SCHEMA
    for log, engine in empty_logs(tmp_path):
        with pytest.raises(InputError) as err:
            open_monitor_log(log, engine=engine, fmt="jsonl")
        assert [str(p) for p in err.value.problems] == [f"{log}: no records"]
    broken = tmp_path / "broken.jsonl"  # every line broken: the lines, not "no records"
    broken.write_bytes(b'[1]\n\n{"id": "caf\xe9"}\n{oops\n')
    for engine in ("duckdb", "spark"):
        with pytest.raises(InputError) as err:
            open_monitor_log(broken, engine=engine, fmt="jsonl")
        assert [str(p) for p in err.value.problems] == [
            f"{broken}:1: not a JSON object",
            f"{broken}:3: not UTF-8 text: save the file as UTF-8",  # a Latin-1 é
            f"{broken}:4: not valid JSON",
        ], engine


@pytest.mark.parametrize("scheme", ["duckdb", "sqlite"])
def test_a_log_file_given_as_a_database_is_named(tmp_path: Path, scheme: str) -> None:
    # a JSONL log given as --connection duckdb://ev.jsonl: DuckDB opened it as an empty
    # database and the command said "no table 'chats'"
    log = tmp_path / "ev.jsonl"
    log.write_text('{"conversation_id": "a", "turn": 0, "role": "user", "content": "hi"}\n')
    code, output, doc = monitor("--connection", f"{scheme}://{log}", "--table", "chats",
                                out=tmp_path / "o")  # fmt: skip
    assert code == 2 and doc is None and not (tmp_path / "o").exists()
    text = " ".join(output.split())
    assert f"{log} is not a {'DuckDB' if scheme == 'duckdb' else 'SQLite'} database file" in text
    assert log.read_text().startswith('{"conversation_id"')  # left as it was


def test_spark_labels_a_nan_or_zoned_timestamp_domain_as_duckdb_does(
    spark: Any, log_file: Path, tmp_path: Path
) -> None:
    """``backbone monitor chats.parquet --map domain=score --engine spark`` with a float
    domain column: the same strata and counts as DuckDB under other labels ('NaN',
    'Infinity' for 'nan', 'inf'), and a zoned timestamp's without its '+00'."""
    path = tmp_path / "odd.parquet"
    pick = "(hash(conversation_id) % 3)::INT"
    duckdb.sql(
        f"COPY (SELECT *, [1.5, 'NaN'::DOUBLE, 'inf'::DOUBLE][1 + {pick}] AS score, "
        f"TIMESTAMPTZ '2024-03-01 10:00:00.5+00' + INTERVAL ({pick}) HOUR AS zoned "
        f"FROM '{log_file}') TO '{path}' (FORMAT parquet)"
    )
    expected = {
        "score": {"1.5", "nan", "inf"},
        "zoned": {f"2024-03-01 1{h}:00:00.5+00" for h in range(3)},
    }
    for column, labels in expected.items():
        args = (str(path), "--map", f"domain={column}", "--sample", "4", "--seed", "9")
        code, output, base = monitor(*args, out=tmp_path / column / "duckdb")
        assert code == 0 and base is not None, output
        code, output, doc = monitor(*args, "--engine", "spark", out=tmp_path / column / "spark")
        assert code == 0 and doc is not None, output
        assert set(doc["by_domain"]) == labels, (column, sorted(doc["by_domain"]))
        assert [(s["key"], s["conversations"]) for s in doc["strata"]] == [
            (s["key"], s["conversations"]) for s in base["strata"]
        ]
        assert figures(doc) == figures(base)


ODD_FIELDS = """
COPY (
  SELECT 'c' || (i // 2) AS conversation_id, (i % 2)::DOUBLE AS turn,
         CASE WHEN i % 2 = 0 THEN 'user' ELSE 'assistant' END AS role,
         CASE WHEN i % 2 = 0 THEN 'What is 2+2?' ELSE '4' END AS content,
         TIMESTAMPTZ '2024-03-01 10:00:00.25+00' + INTERVAL (i // 2) HOUR AS timestamp,
         (i // 2)::DOUBLE * 1e20 AS user_id
  FROM range(6) t(i)
) TO '{path}' (FORMAT parquet)
"""


def test_spark_words_turns_times_and_numbers_as_duckdb_does(spark: Any, tmp_path: Path) -> None:
    """A Parquet log with a zoned ``timestamp`` column, a float ``turn`` and a float
    ``user_id``: on Spark a conversation's timestamp read '2024-03-01 10:00:00.25' where the
    default path says '2024-03-01 10:00:00.25+00', a NaN turn was named 'NaN' where it says
    'nan', a user id 1.0E20 where it says 1e+20: the engine's columns were cast to text as
    the engine words them, not through as_text as the domain was."""
    path = tmp_path / "odd.parquet"
    duckdb.sql(ODD_FIELDS.format(path=path))
    with open_conversations(path) as base, open_monitor_log(path, engine="spark") as engine:
        sample = draw_sample(engine, None)  # drawn once: one draw is seconds of Spark jobs
        assert by_stratum(sample) == by_stratum(draw_sample(base, None))
        (first,) = [s.conversation for s in sample.conversations][:1]
        assert first.timestamp is not None and first.timestamp.endswith("+00")
    nan = tmp_path / "nan.parquet"
    duckdb.sql(
        f"COPY (SELECT * REPLACE (CASE WHEN conversation_id = 'c1' AND turn = 1 "
        f"THEN 'NaN'::DOUBLE ELSE turn END AS turn) FROM '{path}') TO '{nan}' (FORMAT parquet)"
    )
    said = []
    for engine in ("duckdb", "spark"):
        with pytest.raises(InputError) as err:
            open_monitor_log(nan, engine=engine)
        said.append([str(p) for p in err.value.problems])
    assert said[1] == said[0] and "turn 'nan' is not a whole number" in " ".join(said[0])
