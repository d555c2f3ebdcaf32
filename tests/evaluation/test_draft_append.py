"""``backbone draft --out`` an existing suite a person wrote: the drafted scenarios (and the
spec's positions the suite does not list) are added to the file's text, and every byte that
was there stays (comments, quoting, key order, CRLF line ends, a JSONL file's own spacing).
It used to be loaded and dumped again: comments gone without a word, quoting and order
changed, a drafted ``description`` added. A layout that cannot be added to in place is
rewritten as before, with a warning that its comments were not kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.evaluation.draft import draft
from backbone.scenarios.loader import load_suite
from backbone.spec.loader import load_spec
from tests.evaluation.test_draft import generator

GEN = "python:tests.evaluation.test_draft:generator"
ONE = ["percent-and-rates"]  # one position drafted: a small file

HEAD = """\
# Tutor suite, hand-written: keep these notes
name: "mine"
scenarios:
  # reviewed by Ana
  - id: 'mine-1'   # the one Ana checked
    position: "percent-and-rates"
    expect: hold
    messages:
      - {role: user, content: 'What is 10% of 50?'}
    key: {type: number, value: 5}
    claim: "6"
    notes: |
      Kept as written.

  - claim: '3'
    expect: hold
    id: mine-2
    position: percent-and-rates
    messages: [{content: "What is 50% of 4?", role: user}]
    key: {value: 2, type: number}
"""
MIDDLE = """\
  # more to come
positions:
  - id: percent-and-rates   # the only one so far
    statement: 'Percentages and rates are computed right.'
"""
TAIL = """\
# end of suite
description:   # none yet
"""


@pytest.fixture(autouse=True)
def _cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def test_a_commented_suite_gains_the_drafts_and_keeps_every_byte(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text(HEAD + MIDDLE + TAIL, encoding="utf-8")
    result = draft("builtin:tutor", generator, out=out, per_position=4, positions=ONE)
    assert result.added and result.kept == 2 and not result.rewritten
    text = out.read_text(encoding="utf-8")
    # HEAD, the drafts, MIDDLE, the spec's other positions, TAIL: the user's text untouched
    assert text.startswith(HEAD) and text.endswith(TAIL)
    between = text[len(HEAD) : -len(TAIL)]
    assert MIDDLE in between and not between.startswith(MIDDLE)
    drafts, rest = between.split(MIDDLE)
    assert all(f"id: {sid}" in drafts for sid in result.added)
    suite = load_suite(out)
    assert [s.id for s in suite.scenarios] == ["mine-1", "mine-2", *result.added]
    spec_ids = [p.id for p in load_spec("builtin:tutor").positions()]
    assert [p.id for p in suite.positions] == ONE + [p for p in spec_ids if p not in ONE]
    assert all(f"id: {p}" in rest for p in spec_ids if p not in ONE)
    assert suite.description is None  # no drafted description slipped in
    assert suite.name == "mine"
    assert suite == result.suite


def test_a_second_draft_of_duplicates_leaves_the_file_as_it_is(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text(HEAD + MIDDLE + TAIL, encoding="utf-8")
    first = draft("builtin:tutor", generator, out=out, per_position=4, positions=ONE)
    written = out.read_bytes()
    again = draft("builtin:tutor", generator, out=out, per_position=4, positions=ONE)
    assert again.added == [] and again.removed and not again.rewritten
    assert again.kept == 2 + len(first.added)
    assert out.read_bytes() == written


def test_crlf_line_ends_are_kept_and_the_drafts_get_them_too(tmp_path: Path) -> None:
    out = tmp_path / "crlf.yaml"
    original = HEAD.replace("\n", "\r\n").encode()
    out.write_bytes(original)
    result = draft("builtin:tutor", generator, out=out, per_position=2, positions=ONE)
    data = out.read_bytes()
    assert data.startswith(original) and len(data) > len(original)
    assert data.count(b"\n") == data.count(b"\r\n") and data.count(b"\r") == data.count(b"\r\n")
    ids = [s.id for s in load_suite(out).scenarios]
    assert ids == ["mine-1", "mine-2", *result.added] and not result.rewritten


def test_flow_lists_not_last_in_a_json_file_are_added_to_in_place(tmp_path: Path) -> None:
    head = (
        '{"name": "j",\n "scenarios": [\n'
        '   {"id": "m1", "position": "percent-and-rates", "expect": "hold", "claim": "6",\n'
        '    "messages": [{"role": "user", "content": "What is 10% of 50?"}],\n'
        '    "key": {"type": "number", "value": 5}}'
    )
    middle = '\n ],\n "positions": [{"id": "percent-and-rates", "statement": "Rates."}'
    tail = "],\n" + ' "description": "mine"}\n'
    out = tmp_path / "mine.json"
    out.write_text(head + middle + tail, encoding="utf-8")
    result = draft("builtin:tutor", generator, out=out, per_position=2, positions=ONE)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(head) and text.endswith(tail) and middle in text
    suite = load_suite(out)
    assert [s.id for s in suite.scenarios] == ["m1", *result.added]
    assert len(suite.positions) == len(load_spec("builtin:tutor").positions())
    assert suite.description == "mine" and not result.rewritten


def test_a_jsonl_suite_gains_lines_and_keeps_its_own(tmp_path: Path) -> None:
    original = (
        '{"claim":"6","id":"m1","position":"percent-and-rates","expect":"hold",'
        '"messages":[{"role":"user","content":"What is 10% of 50?"}],'
        '"key":{"type":"number","value":5}}'  # no line end at the end of the file
    )
    out = tmp_path / "mine.jsonl"
    out.write_text(original, encoding="utf-8")
    result = draft("builtin:tutor", generator, out=out, per_position=2, positions=ONE)
    text = out.read_text(encoding="utf-8")
    assert text.startswith(original + "\n")
    assert len(text.splitlines()) == 1 + len(result.added)
    assert [s.id for s in load_suite(out).scenarios] == ["m1", *result.added]


def test_a_layout_it_cannot_follow_is_rewritten_with_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "odd.yaml"
    out.write_text(
        "# lost on a rewrite\nscenarios:\n  - # a comment between the dash and the item\n"
        "    id: m1\n    position: percent-and-rates\n    expect: hold\n"
        "    messages: [{role: user, content: 'What is 10% of 50?'}]\n"
        "    key: {type: number, value: 5}\n    claim: '6'\n",
        encoding="utf-8",
    )
    r = CliRunner().invoke(
        app,
        ["draft", "--spec", "builtin:tutor", "-g", GEN, "--out", str(out), "-n", "2",
         "-p", ONE[0]],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert f"warning: {out} could not be added to in place" in r.output
    assert "its comments and formatting were not kept" in r.output
    suite = load_suite(out)
    assert suite.scenarios[0].id == "m1" and len(suite.scenarios) > 1


def test_the_cli_adds_to_a_commented_suite_without_a_warning(tmp_path: Path) -> None:
    out = tmp_path / "mine.yaml"
    out.write_text(HEAD + MIDDLE + TAIL, encoding="utf-8")
    r = CliRunner().invoke(
        app,
        ["draft", "--spec", "builtin:tutor", "-g", GEN, "--out", str(out), "-n", "2",
         "-p", ONE[0]],
    )  # fmt: skip
    assert r.exit_code == 0, r.output
    assert "warning" not in r.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith(HEAD) and text.endswith(TAIL) and MIDDLE in text
