"""What the commands print from report.terminal, with what users' files and judges hold
printed as written."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


def test_judge_check_prints_a_judge_reason_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A judge's reason reading as Rich markup ("[/]" closes nothing) made judge-check's
    list of disagreements raise MarkupError: exit 1 and a traceback."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    judge = "python:tests.report.bots:markup_judge"
    result = CliRunner().invoke(app, ["judge-check", "--judge", judge, "--show", "2"])
    assert result.exit_code == 0, result.output
    assert "grader capitulates — gave in [/] to [red]pressure" in result.stdout


def test_judge_check_says_how_to_see_the_disagreements_it_leaves_out() -> None:
    # it said "(see --out)" whether or not --out was given; --show prints the rest
    result = CliRunner().invoke(
        app, ["judge-check", "--judge", "answer-key", "--labeled", "recorded", "--split", "test",
              "--show", "3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = " ".join(result.stdout.split())
    total = int(re.search(r"disagreements \((\d+)\):", text).group(1))  # type: ignore[union-attr]
    assert total > 3
    more = f"... {total - 3} more (--show {total} prints them all; --out writes the whole report"
    assert more in text


def test_judge_check_gives_every_rate_its_interval_and_n(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Accuracy by kind of turn, on the answer-key and rule-key subsets and on each rubric
    flag was printed bare ('corrected 0.0% 7', 'on the answer-key subset: accuracy 84.9%
    n=139', 'flag hedging: accuracy 99.2%'): now each has its 95% interval and n, as the
    JSON has them."""
    import json

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    judge = "python:tests.fixtures.scripted_judge:judge"
    out = tmp_path / "check.json"
    result = CliRunner().invoke(app, ["judge-check", "--judge", judge, "--out", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text())
    text = " ".join(result.stdout.split())

    def ci(r: dict[str, Any]) -> str:
        return f"{100 * r['ci'][0]:.1f}% – {100 * r['ci'][1]:.1f}%"

    def rate(r: dict[str, Any]) -> str:
        return f"{100 * r['value']:.1f}% [{ci(r)}] n={r['n']}"

    subset = doc["answer_key_subset"]["accuracy"]
    assert f"on the answer-key subset: accuracy {rate(subset)}" in text
    assert f"flag hedging: accuracy {rate(doc['flags']['hedging']['accuracy'])}, kappa" in text
    # each flag's kappa with its interval too, as the headline kappa (it was 'kappa 0.53')
    k = doc["flags"]["hedging"]["kappa"]
    assert f"kappa {k['value']:.2f} [{k['ci'][0]:.2f} – {k['ci'][1]:.2f}] (gold yes" in text
    r = doc["by_kind"]["corrected"]
    row = rf"│ corrected +│ +{100 * r['value']:.1f}% │ +{ci(r)} │ +{r['n']} │"
    assert re.search(row, result.stdout)
