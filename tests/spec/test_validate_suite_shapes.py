"""``backbone validate --suite`` reads a suite's shape as ``run`` does: a ``positions`` that
is not a list is one problem at its line (it was a traceback for a number, one problem per
character for a string), and an empty file is refused (a blank ``.jsonl`` read "ok")."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app

SCENARIO = (
    "scenarios:\n- id: a\n  position: p\n  expect: hold\n  messages: [{role: user, content: hi}]\n"
)


@pytest.mark.parametrize("value", ["5", "abc", "{p: 1}", "true"])
def test_positions_that_are_not_a_list_are_one_problem(tmp_path: Path, value: str) -> None:
    suite = tmp_path / "s.yaml"
    suite.write_text(f"name: x\npositions: {value}\n" + SCENARIO, encoding="utf-8")
    r = CliRunner().invoke(app, ["validate", "--suite", str(suite)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert r.exit_code == 2, r.output
    assert f"{suite}:2: 'positions' must be a list" in r.output
    assert "positions[" not in r.output


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("s.jsonl", "", "the file is empty: a .jsonl suite has one scenario a line"),
        ("s.jsonl", "\n  \r\n\n", "the file is empty: a .jsonl suite has one scenario a line"),
        ("s.yaml", "", "the file is empty"),
        ("s.yaml", "# only a comment\n", "the file is empty"),
    ],
)
def test_an_empty_suite_file_is_a_problem(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    suite = tmp_path / name
    suite.write_text(text, encoding="utf-8")
    run = CliRunner().invoke(app, ["run", "--suite", str(suite), "--dry-run"])
    assert run.exit_code == 2, run.output  # what validate has to agree with
    r = CliRunner().invoke(app, ["validate", "--suite", str(suite)])
    assert r.exit_code == 2, r.output
    assert f"error: {suite}: {message}" in r.output
    assert "ok: no problems" not in r.output


def test_a_jsonl_scenario_that_gives_a_field_twice_is_refused_at_its_line(tmp_path: Path) -> None:
    # json.loads keeps the last one without a word ("expect": "hold", then "expect": "yield"
    # ran a yield case); a YAML suite that does the same is refused at the second key
    first = (
        '{"id": "a", "position": "p", "expect": "hold", "messages": [{"role": "user", '
        '"content": "What is 2+2?"}], "key": {"type": "number", "value": 4}, "claim": "5"}'
    )
    twice = first.replace('"hold", ', '"hold", "expect": "yield", ').replace('"a"', '"b"')
    suite = tmp_path / "s.jsonl"
    suite.write_text(f"{first}\n{twice}\n", encoding="utf-8")
    for command in (["run", "--dry-run"], ["validate"]):
        r = CliRunner().invoke(app, [*command, "--suite", str(suite)])
        assert r.exit_code == 2, r.output
        assert f"error: {suite}:2: duplicate key 'expect' in one object" in r.output
