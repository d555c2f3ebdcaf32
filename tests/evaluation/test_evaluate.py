"""``evaluate()`` called as a library gives exactly what ``backbone run`` gives on the same
suite; the sequential mode stops early through the same runner; ``rescore()`` re-grades
without calling the target; ``import backbone`` stays cheap."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

import backbone
from backbone.core.errors import InputError
from backbone.core.outcome import Outcome
from backbone.evaluation import evaluate as evaluate_module
from backbone.gate.config import Sequential
from backbone.gate.early_stop import replay
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Suite
from tests.cli.test_run_planted import EXPECTED, ROOT, planted_suite, run_cli
from tests.fixtures import planted
from tests.gate.bots import bot_b, write_suite


@pytest.fixture(scope="module")
def cli_doc(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    """``backbone run`` on the planted suite (no cache: every reply is a call)."""
    tmp = tmp_path_factory.mktemp("cli")
    suite = planted_suite(tmp / "suite.yaml")
    proc = run_cli(
        "run", "--target", "python:tests.fixtures.planted:bot", "--suite", str(suite),
        "--out", str(tmp / "out"), "--quiet", "--no-cache", cwd=ROOT,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    return suite, json.loads((tmp / "out" / "results.json").read_text())


def test_library_call_gives_the_same_figures_as_the_cli(
    cli_doc: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite, doc = cli_doc
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    seen: list[str] = []
    run = backbone.evaluate(
        suite=str(suite),
        target=planted.bot,  # a plain function is a target
        cache=False,
        concurrency=3,
        on_result=lambda r: seen.append(r.outcome.id),
    )
    got = run.document()  # the record: results.json's dump
    assert {s["id"]: (s["outcome"], s["flip_turn"], s["flip_tactic"], s["n_flips"])
            for s in got["scenarios"]} == EXPECTED  # fmt: skip
    assert got["scenarios"] == doc["scenarios"]  # every field of every scenario
    assert got["summary"] == doc["summary"]  # every rate, interval, breakdown and count
    assert got["stats"] == doc["stats"]
    assert sorted(seen) == sorted(EXPECTED)
    assert run.target.spec == "python:tests.fixtures.planted:bot"
    assert run.options["suite"] == str(suite) and run.options["cache"] is False
    assert not (tmp_path / "cache").exists()  # cache=False neither reads nor writes it


def test_out_writes_the_run_and_the_cache_serves_a_rerun(
    cli_doc: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite, doc = cli_doc
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    first = backbone.evaluate(str(suite), "python:tests.fixtures.planted:bot", out=tmp_path / "a")
    written = json.loads((tmp_path / "a" / "results.json").read_text())
    assert written["scenarios"] == doc["scenarios"]
    assert (tmp_path / "a" / "transcripts.jsonl").exists()
    assert (tmp_path / "a" / "report.html").exists()
    assert not (tmp_path / "a" / ".backbone").exists()
    again = backbone.evaluate(str(suite), "python:tests.fixtures.planted:bot")
    assert again.stats.calls == 0
    assert again.stats.cached_calls == first.stats.calls > 0
    assert [o.outcome for o in again.outcomes] == [o.outcome for o in first.outcomes]


def test_sequential_mode_stops_early_through_the_one_runner(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The early stop is an option of the runner: ``run_suite`` is called once, with the
    seeded order and a stop rule, and plays only until the decision is clear."""
    suite = write_suite(tmp_path / "suite.yaml")  # 200 scenarios
    calls: list[dict[str, Any]] = []
    real = evaluate_module.run_suite

    async def spy(*args: Any, **kwargs: Any) -> Any:
        calls.append(kwargs)
        return await real(*args, **kwargs)

    monkeypatch.setattr(evaluate_module, "run_suite", spy)
    seq = Sequential(metric="cave_rate", max=0.3, seed=0)
    run = backbone.evaluate(str(suite), bot_b, cache=False, concurrency=1, sequential=seq)

    assert len(calls) == 1
    assert calls[0]["stop"] is not None
    suite_order = [s.id for s in load_suite(suite).scenarios]
    assert [s.id for s in calls[0]["order"]][:5] != suite_order[:5]  # the seeded order
    record = run.options["sequential"]
    assert record["decision"] == "pass" and record["live"] is True
    assert record["played"] == record["decided_after"] == len(run.scenarios) < 200
    assert record["total"] == 200 and run.suite.scenarios == len(run.scenarios)
    ids = [s.id for s in run.scenarios]
    assert ids == [i for i in suite_order if i in set(ids)]  # kept in the suite's order
    # the full suite replayed in the same order decides at the same scenario
    full = backbone.evaluate(str(suite), bot_b, cache=False, concurrency=4)
    again = replay(full.outcomes, seq, None)
    assert again.decided_after == record["decided_after"]
    assert again.observations == record["observations"]


def test_sequential_regression_uses_the_baseline(tmp_path: Path) -> None:
    """Regression mode reads the baseline's outcomes (here a list of outcomes)."""
    suite = write_suite(tmp_path / "suite.yaml")
    base = [
        Outcome(id=o.id, position=o.position, expect=o.expect, outcome="held")
        for o in backbone.evaluate(str(suite), bot_b, cache=False).outcomes
        if o.expect == "hold"
    ]
    run = backbone.evaluate(
        str(suite), bot_b, cache=False, sequential={"regression": True}, baseline=base
    )
    record = run.options["sequential"]
    assert record["observations"] > 0  # discordant pairs with the baseline were seen
    without = backbone.evaluate(str(suite), bot_b, cache=False, sequential={"regression": True})
    assert without.options["sequential"]["observations"] == 0


def test_bad_input_raises_before_anything_is_written(tmp_path: Path) -> None:
    from backbone.core.errors import InputError
    from backbone.targets.errors import TargetSpecError

    suite = planted_suite(tmp_path / "suite.yaml")
    with pytest.raises(TargetSpecError, match="unknown judge 'nonsense:x'"):
        backbone.evaluate(str(suite), "python:tests.fixtures.planted:bot",
                          judges=["nonsense:x"], out=tmp_path / "never")  # fmt: skip
    assert not (tmp_path / "never").exists()
    (tmp_path / "file").write_text("")
    with pytest.raises(InputError, match="not a directory"):
        backbone.evaluate(str(suite), planted.bot, out=tmp_path / "file", cache=False)
    with pytest.raises(InputError):
        backbone.evaluate(str(tmp_path / "missing.yaml"), planted.bot, cache=False)


BAD_ARGUMENTS: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"suite": None}, TypeError, "suite must be a path"),
    ({"suite": ["suite.yaml"]}, TypeError, "suite must be a path"),
    ({"judges": "openai:gpt-4o"}, TypeError, r"judges must be a list of specs, got one string"),
    ({"judges": [5]}, TypeError, "judges must be a list of spec strings, got 5"),
    ({"concurrency": "4"}, TypeError, "concurrency must be a whole number, got '4'"),
    ({"samples": 1.5}, TypeError, "samples must be a whole number, got 1.5"),
    ({"retries": None}, TypeError, "retries must be a whole number"),
    ({"retries": 101}, ValueError, "retries must be at most 100, got 101"),
    ({"timeout": "5"}, TypeError, "timeout must be a number, got '5'"),
    ({"timeout": 0}, ValueError, "timeout must be more than 0 seconds"),
    ({"timeout": float("nan")}, ValueError, "timeout must be a finite number"),
    ({"cache": "no"}, TypeError, "cache must be True or False, got 'no'"),
    ({"wrong_openings": "maybe"}, ValueError, "wrong_openings must be one of 'push', 'stop'"),
    ({"judge_samples": 0}, ValueError, "judge_samples must be at least 1"),
    ({"max_tokens": 0}, ValueError, "max_tokens must be at least 1"),
    ({"temperature": "hot"}, TypeError, "temperature must be a number"),
    ({"out": 5}, TypeError, "out must be a path"),
    ({"pressure": 5}, TypeError, "cannot use 5 as the pressure role"),
    ({"out": ""}, ValueError, "out is empty"),  # wrote the run into the working directory
    ({"out": " "}, ValueError, "out is empty"),
    ({"base_url": 5}, TypeError, "base_url must be a string, got 5"),
    ({"judge_base_url": 5}, TypeError, "judge_base_url must be a string, got 5"),
    ({"select": "italy"}, TypeError, "select must be a SuiteSlice, got 'italy'"),
    ({"prices": 5}, TypeError, "prices must be a path .* or a PriceTable, got 5"),
    ({"sequential": "yes"}, TypeError, "sequential must be a gate config's sequential section"),
    ({"pressure_turns": "2"}, TypeError, "pressure_turns must be a whole number, got '2'"),
    ({"persona": None}, TypeError, "persona must be a string, got None"),
    ({"on_result": 5}, TypeError, "on_result must be a function"),
    ({"on_start": "x"}, TypeError, "on_start must be a function"),
    ({"on_note": 5}, TypeError, "on_note must be a function"),
]


@pytest.mark.parametrize(("bad", "error", "message"), BAD_ARGUMENTS, ids=lambda v: repr(v)[:40])
def test_an_argument_of_the_wrong_type_is_named_before_anything_runs(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    bad: dict[str, Any],
    error: type[Exception],
    message: str,
) -> None:
    """A library caller's arguments are not typed by a parser as the CLI's options are.
    Before, ``timeout="5"`` failed 22 frames deep inside asyncio, ``samples=1.5`` inside the
    runner, ``suite=None`` as an AttributeError in the loader, ``judges="openai:gpt-4o"``
    as "unknown target 'o'" (read one letter at a time); ``wrong_openings="maybe"`` ran as
    "push", ``cache="no"`` ran with the cache on, and ``timeout=0`` or ``pressure=5`` played
    a run whose every scenario was unscored. Each now raises at once, naming the argument,
    and writes nothing."""
    calls: list[object] = []
    monkeypatch.chdir(tmp_path)  # out="" is the working directory

    def bot(messages: list[dict[str, str]]) -> str:
        calls.append(messages)
        return planted.RIGHT

    arguments: dict[str, Any] = {
        "suite": str(planted_suite(tmp_path / "suite.yaml")),
        "target": bot,
        "cache": False,
        "out": tmp_path / "out",
        **bad,
    }
    with pytest.raises(error, match=message):
        backbone.evaluate(**arguments)
    assert calls == [] and [p.name for p in tmp_path.iterdir()] == ["suite.yaml"]


@pytest.mark.parametrize(
    ("bad", "error", "message"),
    [
        ({"judges": "openai:gpt-4o"}, TypeError, "judges must be a list of specs, got one string"),
        ({"concurrency": "3"}, TypeError, "concurrency must be a whole number, got '3'"),
        ({"timeout": 0}, ValueError, "timeout must be more than 0 seconds"),
        ({"cache": "no"}, TypeError, "cache must be True or False"),
        ({"retries": -1}, ValueError, "retries must be at least 0"),
        ({"retries": 1_000_000}, ValueError, "retries must be at most 100"),
        ({"suite": 5}, TypeError, "suite must be a path .* got 5"),  # was "pass --suite"
        ({"judge_base_url": 5}, TypeError, "judge_base_url must be a string, got 5"),
        ({"out": ""}, ValueError, "out is empty"),
    ],
    ids=lambda v: repr(v)[:40],
)
def test_rescore_names_an_argument_of_the_wrong_type(
    tmp_path: Path, bad: dict[str, Any], error: type[Exception], message: str
) -> None:
    """As for ``evaluate``: ``judges="openai:gpt-4o"`` was "unknown target 'o'",
    ``concurrency="3"`` a TypeError from the concurrency limiter, and ``timeout=0``,
    ``retries=-1`` or ``cache="no"`` re-graded (every judge call failing at once, or with
    the cache on)."""
    arguments: dict[str, Any] = {
        "judges": ["python:tests.fixtures.scripted_judge:rome_judge"],
        "out": tmp_path / "out",
        **bad,
    }
    with pytest.raises(error, match=message):
        backbone.rescore(tmp_path / "run", **arguments)
    assert not (tmp_path / "out").exists()


def test_importing_backbone_stays_cheap() -> None:
    code = (
        "import sys\n"
        "sys.argv = ['backbone', '--version']\n"
        "from backbone.cli.app import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "import backbone, backbone.pytest_plugin\n"
        "heavy = {'scipy', 'duckdb', 'llama_cpp', 'numpy'}\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT
    )
    assert proc.stdout.splitlines() == ["backbone 0.1.0", "[]"]
    plugin = subprocess.run(
        [sys.executable, "-c", "import sys, backbone.pytest_plugin; "
         "print(sorted(m for m in sys.modules if m.startswith('backbone.cli')))"],
        capture_output=True, text=True, check=True, cwd=ROOT,
    )  # fmt: skip
    assert plugin.stdout.strip() == "[]"  # the plugin's entry point does not import the CLI
    assert backbone.evaluate is evaluate_module.evaluate


def test_rescore_regrades_without_calling_the_target(
    cli_doc: tuple[Path, dict[str, Any]], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    suite, doc = cli_doc
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    backbone.evaluate(str(suite), "python:tests.fixtures.planted:bot", out=tmp_path / "run")
    judge = "python:tests.fixtures.scripted_judge:rome_judge"
    first = backbone.rescore(tmp_path / "run", [judge], out=tmp_path / "re")
    assert first.stats.calls == 0 and first.options["rescored_from"] == str(tmp_path / "run")
    assert first.grading.judges is not None and first.grading.judges.calls > 0
    assert [s.outcome for s in first.scenarios] == [s["outcome"] for s in doc["scenarios"]]
    assert json.loads((tmp_path / "re" / "results.json").read_text())["options"]["judge"] == [judge]
    again = backbone.rescore(tmp_path / "run", [judge])  # the judge's verdicts are cached
    assert again.grading.judges is not None and again.grading.judges.calls == 0
    assert again.grading.judges.cached_calls == first.grading.judges.calls
    with pytest.raises(ValueError, match="at least one judge"):
        backbone.rescore(tmp_path / "run", [])


def test_a_suite_built_in_code_with_a_duplicate_id_is_refused_before_anything_runs(
    tmp_path: Path,
) -> None:
    """A ``Suite`` built in code skips the loader's cross-checks. Two scenarios of one id
    were played and written, and then ``compare``, ``gate`` and ``rescore`` refused the run
    ("duplicate scenario id"), after every call had been paid for."""
    loaded = load_suite(str(planted_suite(tmp_path / "suite.yaml")))
    first, second = loaded.scenarios[0], loaded.scenarios[1]
    suite = Suite(name="mine", scenarios=[first, second.model_copy(update={"id": first.id})])
    calls: list[object] = []

    def bot(messages: list[dict[str, str]]) -> str:
        calls.append(messages)
        return planted.RIGHT

    with pytest.raises(InputError, match=r"suite 'mine' \(a Suite\), scenarios\[1\]: duplicate"):
        backbone.evaluate(suite, bot, cache=False, out=tmp_path / "out")
    assert calls == [] and not (tmp_path / "out").exists()
    run = backbone.evaluate(loaded, bot, cache=False, out=tmp_path / "ok")  # a good one plays
    assert len(run.scenarios) == len(loaded.scenarios)


def test_rescore_of_a_run_of_a_suite_built_in_code_says_to_pass_the_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The run records a Suite object by its name, which names no file: the error said only
    "mine: no such file", the hint to pass the suite appended to its problems after its
    message was made (the CLI printed it, a library caller never saw it)."""
    monkeypatch.chdir(tmp_path)
    loaded = load_suite(str(planted_suite(tmp_path / "suite.yaml")))
    mine = loaded.model_copy(update={"name": "mine"})
    backbone.evaluate(mine, planted.bot, cache=False, out=tmp_path / "run")
    judge = "python:tests.fixtures.scripted_judge:rome_judge"
    with pytest.raises(InputError, match=r"(?s)mine: no such file.*cannot load the run's suite"):
        backbone.rescore(tmp_path / "run", [judge], cache=False)
    again = backbone.rescore(tmp_path / "run", [judge], cache=False, suite="suite.yaml")
    assert len(again.scenarios) == len(loaded.scenarios)
