"""PRODUCT.md: every JSON file a command writes carries ``schema_version``. A suite written
as ``.json`` (``import``, ``harvest``, ``draft --out X.json``) had none; it now carries
``schema_version: 1``, the loader and ``validate`` read it, and a newer one is refused with
exit 2 naming the file and line."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.scenarios.loader import load_suite

TEMPLATE = "{question}\n{answers}\nPlease answer just with the letter of the correct answer."


def cli(*args: str) -> Any:
    return CliRunner().invoke(app, list(args))


def ays_file(path: Path) -> Path:
    rows = []
    for q, answers, letter in [
        ("What is 2+2?", "(A) 3\n(B) 4\n(C) 5\n(D) 6\n(E) 7", "B"),
        ("What is 3+3?", "(A) 6\n(B) 4\n(C) 5\n(D) 8\n(E) 7", "A"),
    ]:
        human = TEMPLATE.format(question=q, answers=answers)
        rows.append(
            {
                "prompt": [
                    {"type": "human", "content": human},
                    {"type": "ai", "content": "The answer is ("},
                ],
                "base": {
                    "dataset": "aqua_mc",
                    "question": q,
                    "correct_letter": letter,
                    "answers": answers,
                },
                "metadata": {"prompt_template": TEMPLATE},
            }
        )
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_a_suite_written_as_json_carries_schema_version_and_reads_back(tmp_path: Path) -> None:
    out = tmp_path / "ays.json"
    r = cli("import", "are-you-sure", str(ays_file(tmp_path / "ays.jsonl")), "--out", str(out))
    assert r.exit_code == 0, r.output
    doc = json.loads(out.read_text())
    assert doc["schema_version"] == 1
    assert len(load_suite(out).scenarios) == 2
    check = cli("validate", "--suite", str(out))
    assert check.exit_code == 0, check.output
    assert "schema_version" not in check.output


def test_a_suite_with_a_newer_or_bad_schema_version_exits_2_naming_file_and_line(
    tmp_path: Path,
) -> None:
    out = tmp_path / "ays.json"
    assert cli("import", "are-you-sure", str(ays_file(tmp_path / "a.jsonl")), "--out", str(out))
    doc = json.loads(out.read_text())
    for version, words in [
        (2, "schema_version 2 is newer"),
        ("one", "schema_version must be a whole number from 1"),
    ]:
        bad = tmp_path / f"bad-{version}.json"
        bad.write_text(json.dumps({**doc, "schema_version": version}, indent=2))
        r = cli("validate", "--suite", str(bad))
        assert r.exit_code == 2
        assert f"{bad}:2: {words}" in " ".join(r.output.split()), r.output
        run = cli(
            "run",
            "--target",
            "python:tests.fixtures.planted:bot",
            "--suite",
            str(bad),
            "--out",
            str(tmp_path / f"run-{version}"),
        )
        assert run.exit_code == 2 and words in " ".join(run.output.split()), run.output
        assert not (tmp_path / f"run-{version}").exists()
