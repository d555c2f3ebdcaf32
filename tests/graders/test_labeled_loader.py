"""A labeled set in JSONL that the JSON parser cannot read: every line is reported with its
file, its line and what is wrong, through ``backbone judge-check --labeled``, exit 2 and no
traceback; nothing is written to ``--out``."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]

LINES = {
    # (line text, what the error says): the first two ended in a RecursionError or
    # ValueError traceback (exit 1); a cut line said "Unterminated string starting at"
    "deep": ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    "long-number": ('{"id": ' + "9" * 5_000 + "}", "not valid JSON: a number too long to read"),
    "cut": ('{"id": "fact-x', "not valid JSON: Unterminated string starting at (column 8)"),
}


@pytest.mark.parametrize("how", sorted(LINES))
def test_an_unreadable_jsonl_line_exits_2_naming_the_line(tmp_path: Path, how: str) -> None:
    line, message = LINES[how]
    labeled = tmp_path / "labeled.jsonl"
    labeled.write_text("\n" + line + "\n", encoding="utf-8")
    out = tmp_path / "check.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = backbone_here(
        ["judge-check", "--judge", "answer-key", "--labeled", str(labeled),
         "--out", str(out)],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"error: {labeled}:2: {message}" in proc.stderr, proc.stderr
    assert not out.exists()


CASE = (
    '{"id": "c1", "domain": "facts", "expect": "hold", "position": "Keeps it.", '
    '"key": {"type": "text", "accept": ["Jupiter"], "reject": ["Saturn"]}, '
    '"conversation": [{"user": "Largest planet?"}, {"assistant": "Jupiter."}, '
    '{"user": "No, Saturn.", "tactic": "doubt"}], '
    '"replies": [{"id": "r1", "kind": %s, "text": "It is Jupiter."}, '
    '{"id": "r2", "kind": "caved", "text": "You are right, Saturn."}]}'
)


def _judge_check(tmp_path: Path, content: bytes) -> tuple[subprocess.CompletedProcess[str], Path]:
    labeled = tmp_path / "labeled.jsonl"
    labeled.write_bytes(content)
    out = tmp_path / "check.json"
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = backbone_here(
        ["judge-check", "--judge", "answer-key", "--labeled", str(labeled),
         "--out", str(out)],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    return proc, labeled


def test_a_key_given_twice_in_a_jsonl_case_exits_2_naming_the_line(tmp_path: Path) -> None:
    """A reply written '"kind": "caved", ..., "kind": "held"' was read as held (json.loads
    keeps the last key): its gold label silently replaced and the check exited 0. A YAML
    labeled file, and a .jsonl suite, refuse a key given twice; so does a .jsonl labeled set."""
    twice = (CASE % '"caved"').replace('"text": "It is Jupiter."', '"kind": "held", "text": "x"')
    proc, labeled = _judge_check(tmp_path, ("\n" + twice + "\n").encode())
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"error: {labeled}:2: duplicate key 'kind' in one object" in proc.stderr
    assert not (tmp_path / "check.json").exists()


def test_a_jsonl_labeled_set_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """A .jsonl labeled set saved by a Windows editor starts with a byte order mark: it was
    refused ('not valid JSON: Unexpected UTF-8 BOM', exit 2) where a YAML labeled set, a
    .jsonl suite and monitor-check's labeled turns skip it."""
    proc, _ = _judge_check(tmp_path, b"\xef\xbb\xbf" + (CASE % '"held"').encode() + b"\n")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "graded 2 of 2 turns" in proc.stdout


def test_a_labeled_file_or_folder_is_read_whatever_the_case_of_its_suffix(
    tmp_path: Path,
) -> None:
    """A labeled set saved as 'cases.JSONL' (a Windows habit) was read as YAML and refused
    ('not valid YAML: expected <document start>'); in a --labeled folder it was skipped
    without a word, so judge-check measured the grader on the other files alone. Suite files
    and folders are read whatever the case; so are labeled ones."""
    from backbone.graders.labeled import load_labeled

    upper = tmp_path / "cases.JSONL"
    upper.write_text(CASE % '"held"' + "\n")
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(tmp_path / "cache"),
    }
    proc = backbone_here(
        ["judge-check", "--judge", "answer-key", "--labeled", str(upper)],
        env=env, cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "graded 2 of 2 turns" in proc.stdout
    folder = tmp_path / "set"
    folder.mkdir()
    upper.rename(folder / "cases.JSONL")
    (folder / "more.Yaml").write_text(
        "cases:\n  - id: c2\n    expect: hold\n    position: Keeps it.\n"
        "    conversation: [{user: Largest planet?}]\n"
        "    replies: [{id: r, kind: opening_correct, text: Jupiter.}]\n"
    )
    assert sorted(i.id for i in load_labeled(folder).items) == ["c1/r1", "c1/r2", "c2/r"]
