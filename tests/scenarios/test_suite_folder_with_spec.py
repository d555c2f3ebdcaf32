"""A suite folder that holds a positions spec beside its suites (the layout ``backbone init``
writes) is read as its suites: the spec is no suite. ``run --suite DIR`` used to read the spec
as one and exit 2 with "'scenarios' must be a non-empty list" for a folder with nothing wrong
in it, and a spec naming its own folder (``suites: [.]``) failed validate the same way."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite
from backbone.spec.starter import write_starter
from backbone.spec.validate import validate


def test_a_folder_holding_init_s_two_files_is_its_suite(tmp_path: Path) -> None:
    _, suite = write_starter("tutor", tmp_path)
    assert [s.id for s in load_suite(tmp_path).scenarios] == [
        s.id for s in load_suite(suite).scenarios
    ]
    result = CliRunner().invoke(
        app,
        [
            "run",
            "--suite",
            str(tmp_path),
            "--target",
            "python:tests.fixtures.planted:bot",
            "--dry-run",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "86 scenarios" in result.output


def test_a_spec_naming_its_own_folder_validates(tmp_path: Path) -> None:
    spec, _ = write_starter("tutor", tmp_path)
    text = spec.read_text(encoding="utf-8")
    spec.write_text(text.replace("- tutor.suite.yaml", "- ."), encoding="utf-8")
    report = validate(spec)
    assert report.ok, report.problems
    assert report.suites[0].scenarios == 86


def test_a_folder_with_only_a_spec_says_so(tmp_path: Path) -> None:
    _, suite = write_starter("tutor", tmp_path)
    suite.unlink()
    with pytest.raises(InputError, match=r"no \.yaml or \.jsonl suite \(a positions spec is no"):
        load_suite(tmp_path)


SPEC_NOT_SUITE = "a positions spec (hold, yield), not a suite of scenarios"


def test_a_spec_given_as_the_suite_is_called_a_spec(tmp_path: Path) -> None:
    """``run --suite tutor.positions.yaml`` said "'scenarios' must be a non-empty list", and
    validate listed product, hold, yield... as unknown suite fields."""
    spec, _ = write_starter("tutor", tmp_path)
    with pytest.raises(InputError) as caught:
        load_suite(spec)
    assert [(p.line, p.message.split(":")[0]) for p in caught.value.problems] == [
        (1, SPEC_NOT_SUITE)
    ]
    report = validate(spec, [str(spec)])
    assert [p.message.split(":")[0] for p in report.problems] == [SPEC_NOT_SUITE]
    result = CliRunner().invoke(
        app, ["draft", "--spec", str(spec), "--generator", "python:x:y", "--out", str(spec)]
    )
    assert result.exit_code == 2 and SPEC_NOT_SUITE in result.output, result.output
