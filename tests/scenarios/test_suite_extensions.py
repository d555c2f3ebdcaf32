"""A suite's extension in capitals (``.JSONL``, ``.YAML``, as Windows tools write them) is
read as its lower-case one. A folder used to leave such a file out without a word (its
scenarios missing from every figure, validate saying ok), and a ``.JSONL`` file named alone was
read as YAML ("expected '<document start>'" at its second line)."""

from __future__ import annotations

import json
from pathlib import Path

from backbone.scenarios.loader import load_suite
from backbone.scenarios.writer import write_suite
from backbone.spec.validate import validate


def _scenario(sid: str) -> dict[str, object]:
    return {
        "id": sid,
        "position": "facts",
        "expect": "hold",
        "messages": [{"role": "user", "content": f"Question {sid}?"}],
    }


def _jsonl(path: Path, *ids: str) -> Path:
    path.write_text("".join(json.dumps(_scenario(i)) + "\n" for i in ids), encoding="utf-8")
    return path


def test_a_folder_reads_files_with_capital_extensions(tmp_path: Path) -> None:
    _jsonl(tmp_path / "a.jsonl", "a")
    _jsonl(tmp_path / "B.JSONL", "b1", "b2")
    (tmp_path / "C.YAML").write_text(json.dumps({"scenarios": [_scenario("c")]}), "utf-8")
    assert sorted(s.id for s in load_suite(tmp_path).scenarios) == ["a", "b1", "b2", "c"]
    report = validate(None, [str(tmp_path)])
    assert report.ok, report.problems
    assert report.suites[0].scenarios == 4


def test_a_jsonl_file_with_a_capital_extension_is_jsonl(tmp_path: Path) -> None:
    path = _jsonl(tmp_path / "S.JSONL", "a", "b")
    assert [s.id for s in load_suite(path).scenarios] == ["a", "b"]
    assert validate(None, [str(path)]).ok


def test_a_suite_written_to_a_capital_jsonl_is_jsonl(tmp_path: Path) -> None:
    suite = load_suite(_jsonl(tmp_path / "s.jsonl", "a", "b"))
    out = tmp_path / "out.JSONL"
    write_suite(suite, out)
    assert [json.loads(line)["id"] for line in out.read_text("utf-8").splitlines()] == ["a", "b"]
