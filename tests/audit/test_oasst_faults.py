"""``backbone audit-import oasst`` on trees that are valid JSON but hold bad vote counts, or
that nest deeper than the JSON decoder goes: each is named with its line (exit 2), never a
traceback and never a file written (no OASST download needed)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.importers.oasst import import_oasst
from backbone.core.errors import InputError
from tests.support.loopback import backbone_here, cli_env


def tree(emojis: Any, ident: str = "m") -> dict[str, Any]:
    return {
        "message_id": f"{ident}0",
        "text": "What is 2 + 2?",
        "role": "prompter",
        "replies": [
            {"message_id": f"{ident}1", "text": "4", "role": "assistant", "emojis": emojis}
        ],
    }


def write_trees(path: Path, *trees: dict[str, Any]) -> Path:
    path.write_text("".join(json.dumps(t) + "\n" for t in trees))
    return path


@pytest.mark.parametrize(
    ("emojis", "message"),
    [
        ({"+1": "three"}, "emojis '+1' must be a whole number of votes, got \"three\""),
        ({"-1": [1]}, "emojis '-1' must be a whole number of votes, got [1]"),
        ({"+1": 1, "red_flag": "x"}, "emojis 'red_flag' must be a whole number of votes"),
        ({"+1": 2.7, "-1": 2}, "emojis '+1' must be a whole number of votes, got 2.7"),
        ({"+1": -3}, "emojis '+1' must be a whole number of votes, got -3"),
        ({"+1": True}, "emojis '+1' must be a whole number of votes, got true"),
        (["+1"], "'emojis' must be an object"),
    ],
)
def test_a_bad_vote_count_is_named_with_its_line(tmp_path: Path, emojis: Any, message: str) -> None:
    # "three" raised ValueError, [1] TypeError (tracebacks from the CLI); 2.7 against 2 was
    # truncated to a tie, -3 read as a thumbs-down count
    log = write_trees(tmp_path / "trees.jsonl", tree({"+1": 2}, "ok"), tree(emojis))
    with pytest.raises(InputError) as exc:
        import_oasst(log)
    assert exc.value.problems[0].line == 2
    assert message in exc.value.problems[0].message
    assert exc.value.problems[0].message.startswith("message.replies[0]: ")


def test_an_infinite_vote_count_and_a_tree_too_deep_exit_2(tmp_path: Path) -> None:
    # Infinity raised OverflowError; a tree nested past the decoder's limit RecursionError
    nested = ""  # built as text: json.dumps itself stops near 1,000 levels
    for i in reversed(range(1, 1200)):
        role = "assistant" if i % 2 else "prompter"
        inner = f"[{nested}]" if nested else "[]"
        nested = f'{{"message_id": "d{i}", "text": "t", "role": "{role}", "replies": {inner}}}'
    text = f'{{"message_id": "d0", "text": "t", "role": "prompter", "replies": [{nested}]}}'
    (tmp_path / "trees.jsonl").write_text(
        json.dumps(tree({"+1": 1}, "ok"))
        + "\n"
        + '{"message_id": "a", "text": "hi", "role": "prompter", "replies": [{"message_id": '
        '"b", "text": "x", "role": "assistant", "emojis": {"+1": Infinity}}]}\n' + text + "\n"
    )
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert (
        "trees.jsonl:2: message.replies[0]: emojis '+1' must be a whole number of votes, got inf"
        in proc.stderr
    )
    assert "trees.jsonl:3: nested too deeply to read as JSON" in proc.stderr
    assert not (tmp_path / "events.jsonl").exists()


def test_whole_float_counts_still_read(tmp_path: Path) -> None:
    log = write_trees(tmp_path / "trees.jsonl", tree({"+1": 3.0, "-1": 1, "red_flag": None}))
    (event,) = import_oasst(log).events
    assert (event["rating"], event["thumbs_up"], event["thumbs_down"]) == ("up", 3, 1)


def test_a_lone_surrogate_escape_is_named_not_raised(tmp_path: Path) -> None:
    # the JSON escape \ud800 alone decodes to a str no UTF-8 file can hold: writing the events
    # raised UnicodeEncodeError (a traceback, exit 1)
    line = json.dumps(tree({"+1": 1})).replace('"4"', r'"4 \ud800"')
    (tmp_path / "trees.jsonl").write_text(line + "\n")
    with pytest.raises(InputError) as exc:
        import_oasst(tmp_path / "trees.jsonl")
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (1, r"not valid Unicode: a lone surrogate escape (\ud800)")
    ]
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert not (tmp_path / "events.jsonl").exists()


@pytest.mark.parametrize("deleted", [False, True])
def test_trees_without_an_assistant_reply_write_no_empty_log(tmp_path: Path, deleted: bool) -> None:
    # an empty events.jsonl was written (exit 0), which the audit then refused: 'no records'
    lone = {"message_id": "p", "text": "hi", "role": "prompter"}
    gone = tree({"+1": 1}) | {"replies": [tree({"+1": 1})["replies"][0] | {"deleted": True}]}
    write_trees(tmp_path / "trees.jsonl", gone if deleted else lone)
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    skipped = " (1 deleted replies skipped)" if deleted else ""
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr == (
        f"error: trees.jsonl: no assistant reply to rate in the 1 message trees{skipped}: "
        "no feedback event to write\n"
    )
    assert not (tmp_path / "events.jsonl").exists()


def test_the_flat_messages_export_is_named_for_what_it_is(tmp_path: Path) -> None:
    # one message a line (parent_id pointing to another line): every assistant line was
    # 'assistant message a1 does not answer a prompter message', one error per reply
    flat = [
        {"message_id": "p1", "parent_id": None, "text": "hi", "role": "prompter"},
        {"message_id": "a1", "parent_id": "p1", "text": "hello", "role": "assistant"},
        {"message_id": "a2", "parent_id": "p1", "text": "hey", "role": "assistant"},
    ]
    with pytest.raises(InputError) as exc:
        import_oasst(write_trees(tmp_path / "messages.jsonl", *flat))
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (2, "assistant message a1 stands alone with parent_id p1: this reads one message tree "
            "a line (OpenAssistant's *.trees.jsonl), not the flat *.messages.jsonl"),
    ]  # fmt: skip


def test_a_file_of_bad_lines_lists_the_first_50_and_counts_the_rest(tmp_path: Path) -> None:
    # every one of 5,000 bad lines was an error line of its own, as no other reader does
    (tmp_path / "trees.jsonl").write_text("{oops\n" * 5000)
    with pytest.raises(InputError) as exc:
        import_oasst(tmp_path / "trees.jsonl")
    problems = exc.value.problems
    assert [p.line for p in problems[:-1]] == list(range(1, 51))
    assert str(problems[-1]) == f"{tmp_path / 'trees.jsonl'}: ... and 4950 more problems"


def test_a_key_given_twice_is_named_with_its_line(tmp_path: Path) -> None:
    # '"+1": 2, "+1": 0' was read as 0 votes (json keeps the last value): a thumbs-down
    # written with exit 0; a prompt's "text" given twice kept the second question
    ok = json.dumps(tree({"+1": 2}, "ok"))
    twice = json.dumps(tree({"+1": 2, "-1": 1}, "v")).replace('"+1": 2', '"+1": 2, "+1": 0')
    text = json.dumps(tree({"+1": 1}, "t")).replace('"text": "What', '"text": "Q", "text": "What')
    (tmp_path / "trees.jsonl").write_text("\n".join([ok, twice, text]) + "\n")
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert proc.stderr == (
        "error: trees.jsonl:2: duplicate key '+1' in one object\n"
        "error: trees.jsonl:3: duplicate key 'text' in one object\n"
    )
    assert not (tmp_path / "events.jsonl").exists()


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("parent_id", ["m0"], "'parent_id' must be a string or null"),
        ("parent_id", {"id": "m0"}, "'parent_id' must be a string or null"),
        ("deleted", "false", "'deleted' must be true, false or null, got \"false\""),
        ("deleted", "no", "'deleted' must be true, false or null, got \"no\""),
    ],
)
def test_a_parent_id_or_deleted_flag_of_the_wrong_type_exits_2(
    tmp_path: Path, key: str, value: Any, message: str
) -> None:
    # a list or object parent_id was a TypeError traceback (unhashable); "deleted": "false"
    # was truthy: the reply was skipped as deleted and the import said "no feedback event"
    bad = tree({"+1": 2})
    bad["replies"][0][key] = value
    write_trees(tmp_path / "trees.jsonl", tree({"+1": 1}, "ok"), bad)
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"trees.jsonl:2: message.replies[0]: {message}" in proc.stderr
    assert not (tmp_path / "events.jsonl").exists()


def test_a_null_parent_id_and_a_false_deleted_flag_still_read(tmp_path: Path) -> None:
    ok = tree({"+1": 2})
    ok["replies"][0].update(parent_id="m0", deleted=False)
    ok["deleted"] = None
    gone = tree({"+1": 2}, "gone")
    gone["replies"][0]["deleted"] = 1  # a converter's 0/1 for false/true
    gone["deleted"] = 0
    got = import_oasst(write_trees(tmp_path / "trees.jsonl", ok, gone))
    assert [e["id"] for e in got.events] == ["m1"] and got.events[0]["rating"] == "up"
    assert got.counts["deleted"] == 1


def test_a_nan_or_infinite_kept_value_is_written_as_null(tmp_path: Path) -> None:
    # a dump that json.dumps wrote with "rank": NaN was copied as NaN into the log: lines no
    # strict JSON reader (jq, JSON.parse, another team's loader) takes
    t = tree({"+1": 2})
    t["replies"][0].update(rank=float("nan"), synthetic=float("inf"), lang="en")
    t["replies"][0]["created_date"] = float("-inf")
    write_trees(tmp_path / "trees.jsonl", t)
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr

    def refuse(constant: str) -> Any:
        raise AssertionError(f"{constant} in the log")

    (line,) = (tmp_path / "events.jsonl").read_text().splitlines()
    event = json.loads(line, parse_constant=refuse)
    assert event["rank"] is None and event["synthetic"] is None and event["timestamp"] is None
    assert event["lang"] == "en" and event["rating"] == "up"


def test_a_kept_value_nested_hundreds_deep_is_written_as_it_was(tmp_path: Path) -> None:
    # turning NaN into null with a Python walk over every value ran out of stack on a rank
    # nested 900 deep (a RecursionError traceback) where the plain dump had written it
    deep = "[" * 900 + "NaN" + "]" * 900
    plain = "[" * 900 + "]" * 900
    lines = [
        f'{{"message_id": "p{i}", "text": "t", "role": "prompter", "replies": [{{"message_id": '
        f'"a{i}", "text": "t", "role": "assistant", "rank": {rank}}}]}}'
        for i, rank in enumerate((deep, plain))
    ]
    (tmp_path / "trees.jsonl").write_text("\n".join(lines) + "\n")
    proc = backbone_here(
        ["audit-import", "oasst", "trees.jsonl", "--out", "events.jsonl"],
        env=cli_env(),
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    lines = (tmp_path / "events.jsonl").read_text().splitlines()
    assert len(lines) == 2 and "NaN" not in lines[0]
    assert '"rank": ' + "[" * 900 + "null" + "]" * 900 in lines[0]
    assert '"rank": ' + plain in lines[1]


def test_a_parquet_file_is_named_for_what_it_is(tmp_path: Path) -> None:
    # Hugging Face ships oasst1 as Parquet (the flat messages): its bytes were read as lines,
    # 50 "not UTF-8 text" errors and a count of more, none saying what the file was
    import duckdb

    table = tmp_path / "train.parquet"
    duckdb.sql(
        "SELECT 'm' || i AS message_id, 'text ' || i AS text, 'assistant' AS role "
        "FROM range(2000) t(i)"
    ).write_parquet(str(table))
    with pytest.raises(InputError) as exc:
        import_oasst(table)
    (problem,) = exc.value.problems
    assert problem.line is None
    assert problem.message.startswith("a Parquet file (as Hugging Face ships the flat messages)")
    assert "*.trees.jsonl.gz" in problem.message
