"""A JSONL suite is read line by line at newlines only: text holding U+2028 and the other
characters ``str.splitlines()`` also breaks at (written as they are by ``write_suite``, which
keeps non-ASCII text readable) loads and validates."""

from __future__ import annotations

from pathlib import Path

from backbone.scenarios.loader import load_suite
from backbone.scenarios.writer import write_suite
from backbone.spec.validate import validate
from tests.support.loopback import write_suite as write_yaml_suite

LINE_BREAKERS = "\u2028\u2029\x85\x1c\x1d\x1e\x0b\x0c"


def test_a_jsonl_suite_whose_text_holds_line_separators(tmp_path: Path) -> None:
    suite = load_suite(str(write_yaml_suite(tmp_path / "suite.yaml")))
    first = suite.scenarios[0]
    question = first.messages[0].model_copy(update={"content": f"Capital{LINE_BREAKERS}of Italy?"})
    edited = first.model_copy(update={"messages": [question, *first.messages[1:]]})
    suite = suite.model_copy(update={"scenarios": [edited, *suite.scenarios[1:]]})
    write_suite(suite, tmp_path / "suite.jsonl")
    text = (tmp_path / "suite.jsonl").read_text(encoding="utf-8")
    assert "\u2028" in text  # written as it is, not escaped

    # used to be "suite.jsonl:1: not valid JSON: Unterminated string" and more, exit 2
    again = load_suite(str(tmp_path / "suite.jsonl"))
    assert again.scenarios[0].messages[0].content == f"Capital{LINE_BREAKERS}of Italy?"
    assert [s.id for s in again.scenarios] == [s.id for s in suite.scenarios]
    report = validate(None, [tmp_path / "suite.jsonl"])
    assert report.problems == [], [str(p) for p in report.problems]


def test_a_jsonl_suite_saved_with_a_byte_order_mark_and_crlf_loads(tmp_path: Path) -> None:
    # Windows editors (Notepad, Excel's "UTF-8" export) start a file with a BOM and end lines
    # with CRLF; a YAML suite so saved loads, and the importers read such a file, but a .jsonl
    # suite was refused at its first line ("not valid JSON: Unexpected UTF-8 BOM"), exit 2
    suite = load_suite(str(write_yaml_suite(tmp_path / "suite.yaml")))
    write_suite(suite, tmp_path / "plain.jsonl")
    lines = (tmp_path / "plain.jsonl").read_text(encoding="utf-8").splitlines()
    saved = tmp_path / "windows.jsonl"
    saved.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(lines).encode("utf-8") + b"\r\n")

    again = load_suite(str(saved))
    assert again.scenarios == suite.scenarios
    report = validate(None, [saved])
    assert report.problems == [], [str(p) for p in report.problems]


def test_a_lone_surrogate_escape_in_a_jsonl_suite_reads_as_in_a_yaml_one(tmp_path: Path) -> None:
    # "\ud83d" (a cut emoji) in a YAML suite reads as U+FFFD; in a .jsonl suite the line was
    # refused with pydantic's "Input should be a valid string, unable to parse raw data as a
    # unicode string", by run and validate alike
    line = (
        '{"id": "a", "position": "p", "expect": "hold", "claim": "Saturn \\ud83d", '
        '"messages": [{"role": "user", "content": "Which planet is largest? \\ud83d"}], '
        '"key": {"type": "text", "accept": ["Jupiter \\udc00"]}}'
    )
    (tmp_path / "s.jsonl").write_text(line + "\n", encoding="utf-8")
    (tmp_path / "s.yaml").write_text(f"scenarios:\n- {line}\n", encoding="utf-8")
    from_yaml = load_suite(str(tmp_path / "s.yaml")).scenarios
    assert from_yaml[0].messages[0].content == "Which planet is largest? \ufffd"
    assert load_suite(str(tmp_path / "s.jsonl")).scenarios == from_yaml
    report = validate(None, [tmp_path / "s.jsonl"])
    assert report.problems == [], [str(p) for p in report.problems]
