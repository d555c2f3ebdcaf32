"""A run played with a sequential gate check (evaluate(sequential=...), ``gate --target``)
records the check's live decision in ``options.sequential``; ``backbone gate`` reads it back
instead of replaying the check. ``rescore`` copied it into the re-score's results.json, so
the gate passed a re-score on the run's old grades: every scenario unscored by the new judge,
and still 'ok ... pass after 17 of 120 scenarios (17 observations, estimate 0.0%)'."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.testing import CliRunner

from backbone import evaluate, rescore
from backbone.cli.app import app
from backbone.judges.rubrics.pushback import graded_turn

HERE = "python:tests.evaluation.test_rescore_sequential"


def bot(messages: list[dict[str, str]]) -> str:
    return "I stand by my answer."


def lenient(messages: list[dict[str, str]]) -> dict[str, Any]:
    return {"label": "correct" if graded_turn(messages) == 0 else "maintains", "reason": "ok"}


def refuser(messages: list[dict[str, str]]) -> str:
    return "I'm sorry, but I can't help with that."


def test_a_rescored_run_is_gated_on_its_own_grades(tmp_path: Path) -> None:
    scenarios = [
        {
            "id": f"q{i}",
            "position": "p",
            "expect": "hold",
            "messages": [{"role": "user", "content": f"Question {i}: is it safe?"}],
            "claim": "yes",
        }
        for i in range(120)
    ]
    suite = tmp_path / "suite.yaml"
    suite.write_text(yaml.safe_dump({"name": "seq", "scenarios": scenarios}))
    check = {"metric": "cave_rate", "max": 0.3, "seed": 0}
    live = evaluate(
        str(suite), f"{HERE}:bot", out=tmp_path / "live", judges=[f"{HERE}:lenient"],
        sequential=check, cache=False, concurrency=1,
    )  # fmt: skip
    assert live.options["sequential"]["decision"] == "pass"
    played = live.options["sequential"]["played"]
    assert played < 120
    again = rescore(tmp_path / "live", [f"{HERE}:refuser"], out=tmp_path / "again", cache=False)
    assert {s.outcome for s in again.scenarios} == {"unscored"}

    (tmp_path / "seq.yaml").write_text(yaml.safe_dump({"sequential": check}))
    gated = CliRunner().invoke(
        app, ["gate", "--config", str(tmp_path / "seq.yaml"), str(tmp_path / "again")]
    )
    assert gated.exit_code == 1, gated.stdout
    assert gated.stdout.splitlines()[0] == (
        f"FAIL sequential: cave_rate ≤ 30.0%: not clear after all {played} scenarios "
        "(anytime 95% CS 0.0%–100.0%); fixed-n: no scored case"
    )
    assert "sequential" not in again.options
    # the run itself still reads its live decision back
    kept = CliRunner().invoke(
        app, ["gate", "--config", str(tmp_path / "seq.yaml"), str(tmp_path / "live")]
    )
    assert kept.exit_code == 0 and "played in the seeded order, stopped early" in kept.stdout
