"""`backbone run --samples K`: each scenario played K times with distinct cache keys; per
scenario the K outcomes and the cave probability; the run's spread and its flaky scenarios.

The flaky bot (tests/gate/bots.py) cannot see the sample index: it counts, per scenario, the
conversations that reached pressure turn 1 in this process since its last reset, and
``flaky-XofK`` caves on the first X of every K. With ``--concurrency 1`` the samples play in
order, so sample j of a scenario is its j-th conversation.
"""

from __future__ import annotations

import json
import statistics
from pathlib import Path
from typing import Any

import pytest
from statsmodels.stats.proportion import proportion_confint

from backbone.core.outcome import Outcome
from backbone.metrics.rates import wilson
from backbone.metrics.repeats import korn_graubard_mean, summarize_repeats
from tests.gate.bots import reset_flaky, write_flaky_suite
from tests.gate.conftest import run_cli

ROOT = Path(__file__).resolve().parents[2]
EXPECTED = {
    "steady-held": ["held", "held", "held", "held"],
    "steady-caved": ["caved", "caved", "caved", "caved"],
    "flaky-1of4": ["caved", "held", "held", "held"],
    "flaky-2of4": ["caved", "caved", "held", "held"],
    "flaky-3of4": ["caved", "caved", "caved", "held"],
}


def rate(x: int, n: int) -> dict[str, Any]:
    r = wilson(x, n)
    return {"value": pytest.approx(r.value), "ci": pytest.approx(list(r.ci)), "n": n}


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], dict[str, Any], str]:
    tmp = tmp_path_factory.mktemp("repeats")
    suite = write_flaky_suite(tmp / "flaky.yaml")
    env = {"BACKBONE_CACHE_DIR": str(tmp / "cache"), "COLUMNS": "200"}
    args = ["run", "-t", "python:tests.gate.bots:flaky", "-s", str(suite), "--samples", "4"]
    reset_flaky()  # each run in this process starts the counts again, as a new process did
    first = run_cli(*args, "-c", "1", "--out", str(tmp / "one"), cwd=ROOT, env=env)
    assert first.returncode == 0, first.stderr
    # the counters start again, but every (conversation, sample) is cached
    reset_flaky()
    again = run_cli(*args, "--out", str(tmp / "two"), cwd=ROOT, env=env)
    assert again.returncode == 0, again.stderr
    return (
        json.loads((tmp / "one" / "results.json").read_text()),
        json.loads((tmp / "two" / "results.json").read_text()),
        first.stdout,
    )


def test_every_sample_outcome_and_cave_probability(runs: tuple[Any, Any, str]) -> None:
    doc, _, _ = runs
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert {k: v["samples"] for k, v in by_id.items()} == EXPECTED
    for sid, samples in EXPECTED.items():
        s = by_id[sid]
        assert s["outcome"] == samples[0]  # the reported outcome is the first sample's
        assert s["cave_probability"] == rate(samples.count("caved"), 4)
    assert by_id["steady-caved"]["flip_turn"] == 1
    assert by_id["flaky-2of4"]["flip_tactic"] == "doubt"
    assert doc["samples"] == 4 and doc["options"]["samples"] == 4


def test_headline_counts_each_scenario_once_by_its_first_sample(
    runs: tuple[Any, Any, str],
) -> None:
    doc, _, _ = runs
    s = doc["summary"]
    assert s["counts"]["total"] == 5
    assert s["cave_rate"] == rate(4, 5)


def test_spread_and_flaky_scenarios(runs: tuple[Any, Any, str]) -> None:
    doc, _, stdout = runs
    rep = doc["summary"]["repeats"]
    assert rep["samples"] == 4
    assert rep["per_sample_cave_rate"] == {
        "0": rate(4, 5),
        "1": rate(3, 5),
        "2": rate(2, 5),
        "3": rate(1, 5),
    }
    assert rep["spread"]["min"] == pytest.approx(0.2)
    assert rep["spread"]["max"] == pytest.approx(0.8)
    assert rep["spread"]["range"] == pytest.approx(0.6)
    assert rep["spread"]["sd"] == pytest.approx(statistics.stdev([0.8, 0.6, 0.4, 0.2]))
    assert rep["flaky"] == ["flaky-1of4", "flaky-2of4", "flaky-3of4"]
    assert rep["flaky_rate"] == rate(3, 5)
    assert rep["mean_cave_probability"]["value"] == pytest.approx(0.5)
    assert rep["mean_cave_probability"]["n"] == 5
    assert "3 flaky (caved in some samples only): flaky-1of4, flaky-2of4, flaky-3of4" in stdout


def test_samples_have_distinct_cache_keys(runs: tuple[Any, Any, str]) -> None:
    one, two, _ = runs
    # 5 scenarios x 4 samples x (opening + 4 pressure turns), every one a separate call
    assert (one["stats"]["calls"], one["stats"]["cached_calls"]) == (100, 0)
    # the second run is served whole from the cache, sample by sample, so it reproduces the
    # first run's per-sample behaviour although its own counters started again
    assert (two["stats"]["calls"], two["stats"]["cached_calls"]) == (0, 100)
    assert {s["id"]: s["samples"] for s in two["scenarios"]} == EXPECTED


def o(i: str, name: str) -> Outcome:
    return Outcome(id=i, position="p", expect="hold", outcome=name)  # type: ignore[arg-type]


def test_summarize_repeats_ignores_unscored_samples() -> None:
    r = summarize_repeats(
        [
            [o("a", "held"), o("a", "unscored"), o("a", "caved")],
            [o("b", "unscored"), o("b", "unscored"), o("b", "unscored")],
            [o("c", "hedged"), o("c", "hedged"), o("c", "hedged")],
        ]
    )
    assert r.flaky == ["a"]
    assert r.flaky_rate.n == 2  # b has no scored sample
    assert r.per_sample_cave_rate["1"].n == 1  # only c is scored in sample 1
    assert r.mean_cave_probability.value == pytest.approx(0.25)


def test_korn_graubard_against_clopper_pearson() -> None:
    # no spread between scenarios: every sample counts; the interval is Clopper-Pearson
    est = korn_graubard_mean([0.5] * 5, total_trials=20)
    lo, hi = proportion_confint(10, 20, alpha=0.05, method="beta")
    assert est.ci == pytest.approx((lo, hi))
    # all-or-nothing scenarios: the K samples add nothing, n_eff is about the scenarios
    est = korn_graubard_mean([1.0] * 3 + [0.0] * 7, total_trials=40)
    lo, hi = proportion_confint(2.7, 9, alpha=0.05, method="beta")  # n_eff = 0.21 / V = 9
    assert est.value == pytest.approx(0.3)
    assert est.ci == pytest.approx((lo, hi), rel=1e-6)
