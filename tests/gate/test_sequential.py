"""Sequential mode: the anytime-valid confidence sequence (checked against numerical
integration and a grid, and by simulation: peeking does not inflate false alarms), the
monitor's decisions, and the gate stopping early while it plays."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.stats import binom
from statsmodels.stats.proportion import proportion_confint

from backbone.gate.config import Sequential
from backbone.gate.early_stop import replay
from backbone.gate.sequential import (
    ConfidenceSequence,
    Monitor,
    log_mixture_martingale,
    mixture_interval,
)
from backbone.record import load_run
from tests.gate.conftest import PlantedRuns


@pytest.mark.parametrize(("s", "n", "p"), [(3, 20, 0.1), (0, 50, 0.05), (17, 30, 0.5)])
def test_martingale_matches_numerical_integration(s: int, n: int, p: float) -> None:
    # M_n(p) = integral of q^S (1-q)^(n-S) over the uniform prior, divided by p^S (1-p)^(n-S)
    mix, _ = quad(lambda q: q**s * (1 - q) ** (n - s), 0, 1, epsabs=1e-14)
    direct = math.log(mix) - s * math.log(p) - (n - s) * math.log(1 - p)
    assert log_mixture_martingale(s, n, p) == pytest.approx(direct, rel=1e-6)


@pytest.mark.parametrize(("s", "n"), [(0, 40), (4, 40), (40, 40), (55, 100), (1, 3)])
def test_interval_is_the_level_set(s: int, n: int) -> None:
    lo, hi = mixture_interval(s, n, 0.05)
    grid = np.linspace(1e-6, 1 - 1e-6, 20001)
    inside = [p for p in grid if log_mixture_martingale(s, n, float(p)) < math.log(20)]
    assert lo == pytest.approx(max(0.0, inside[0]), abs=1e-4) or (lo == 0.0 and inside[0] < 1e-4)
    assert hi == pytest.approx(min(1.0, inside[-1]), abs=1e-4) or (
        hi == 1.0 and inside[-1] > 1 - 1e-4
    )
    assert lo <= s / n <= hi


def test_peeking_after_every_scenario_keeps_false_alarms_at_alpha() -> None:
    """Look after every draw and count a stream as a false alarm if the interval ever
    excludes the true rate: fixed-n Wilson intervals do so far more often than alpha; the
    confidence sequence does not."""
    rng = np.random.default_rng(7)
    p, n, streams = 0.1, 120, 150
    cs_miss = wilson_miss = 0
    for _ in range(streams):
        xs = rng.random(n) < p
        s = np.cumsum(xs)
        k = np.arange(1, n + 1)
        lo, hi = proportion_confint(s, k, alpha=0.05, method="wilson")
        wilson_miss += bool(np.any((lo > p) | (hi < p)))
        cs = ConfidenceSequence(alpha=0.05)
        for x in xs:
            cs.update(bool(x))
            if not cs.low <= p <= cs.high:
                cs_miss += 1
                break
    assert cs_miss / streams <= 0.05
    assert wilson_miss / streams >= 0.25


def test_confidence_sequence_is_wider_than_fixed_n() -> None:
    cs = ConfidenceSequence(alpha=0.05)
    stream = [1] * 5 + [0] * 95
    np.random.default_rng(1).shuffle(stream)
    for x in stream:
        cs.update(x)
    lo, hi = proportion_confint(5, 100, alpha=0.05, method="beta")
    assert cs.low < lo and cs.high > hi
    assert cs.estimate == 0.05


def test_monitor_decisions() -> None:
    held = Monitor(max=0.1)
    decisions = [held.observe(0) for _ in range(80)]
    assert decisions.index("pass") == 68  # the 69th straight hold clears 10%
    assert held.decided_at == 69 and held.verdict == "below"

    caved = Monitor(max=0.1)
    first = next(i for i in range(50) if caved.observe(1) == "fail")
    assert first == 1  # two caves in two: the whole interval is above 10%

    waiting = Monitor(max=0.1, min_observations=100)
    assert all(waiting.observe(0) is None for _ in range(99))
    assert waiting.observe(0) == "pass"

    at_least = Monitor(min=0.8)
    assert [at_least.observe(1) for _ in range(40)].index("pass") == 28

    regress = Monitor(regression=True)
    seen = [regress.observe(1) for _ in range(9)]
    # one-way changes: 8 is the first count whose interval for P(newly caved) excludes 1/2
    assert seen.index("fail") == 7 and regress.verdict == "regressed"
    lo, _ = mixture_interval(8, 8, 0.05)
    assert lo > 0.5 > mixture_interval(7, 7, 0.05)[0]


def test_exact_sequential_error_rate_under_the_null() -> None:
    """Exactly (by dynamic programming over the binomial tree, not by simulation): the chance
    that the regression monitor ever says 'regressed' or 'improved' within 60 discordant
    pairs when the true split is 1/2 stays below alpha."""
    n_max, alpha = 60, 0.05
    # probability mass of paths still undecided, by number of ones so far
    alive = np.array([1.0])
    rejected = 0.0
    for n in range(1, n_max + 1):
        nxt = np.zeros(n + 1)
        nxt[:-1] += alive * 0.5
        nxt[1:] += alive * 0.5
        for s in range(n + 1):
            lo, hi = mixture_interval(s, n, alpha)
            if lo > 0.5 or hi < 0.5:
                rejected += nxt[s]
                nxt[s] = 0.0
        alive = nxt
    assert 0 < rejected <= alpha
    assert binom.sf(0, 1, 0.5) == 0.5  # sanity of the library used above


def test_gate_stops_early_and_replay_agrees(planted: PlantedRuns, tmp_path: Path) -> None:
    cfg = tmp_path / "seq.yaml"
    cfg.write_text("sequential:\n  metric: cave_rate\n  max: 0.3\n  seed: 0\n")
    live = tmp_path / "live"
    proc = planted.cli(
        "gate",
        "--config",
        str(cfg),
        str(live),
        "--target",
        "python:tests.gate.bots:bot_b",
        "--suite",
        str(planted.suite),
        "--concurrency",
        "1",
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads((live / "results.json").read_text())
    record = doc["options"]["sequential"]
    assert record["decision"] == "pass" and record["live"] is True
    assert record["played"] == record["decided_after"] < 200  # one at a time: none extra
    assert len(doc["scenarios"]) == record["played"]
    line = proc.stdout.splitlines()[0]
    assert line.startswith(
        f"ok   sequential: cave_rate ≤ 30.0%: pass after {record['decided_after']} of 200 "
        "scenarios: anytime 95% CS 0.0%–"
    )
    assert "stopped early" in line

    # the same order replayed over B's full run decides at the same scenario, with the same CS
    full = load_run(planted.run("b"))
    again = replay(full.outcomes, Sequential(metric="cave_rate", max=0.3), None)
    assert again.decided_after == record["decided_after"]
    assert again.observations == record["observations"]
    assert list(again.ci) == pytest.approx(record["ci"])
    assert again.decision == "pass" and again.live is False


def test_sequential_regression_undecided_falls_back_to_the_exact_test(
    planted: PlantedRuns, tmp_path: Path
) -> None:
    """Six one-way changes are too few for the anytime sequence (it needs eight), so the
    whole suite is played and the fixed-n exact McNemar decides: regressed."""
    cfg = tmp_path / "seq.yaml"
    cfg.write_text("sequential: {regression: true}\n")
    proc = planted.cli(
        "gate", "--config", str(cfg), str(planted.run("b")), "--baseline", str(planted.run("a"))
    )
    assert proc.returncode == 1
    assert proc.stdout.splitlines()[0] == (
        "FAIL sequential: no regression in cave_rate: not clear after all 200 scenarios "
        f"(anytime 95% CS {100 * mixture_interval(6, 6, 0.05)[0]:.1f}%–100.0%); fixed-n: "
        "p = 0.0312, regressed"
    )


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("min_scenarios: 150", "not clear after all"),
        ("prior: [0.01, 50]", "replayed in the seeded order"),
    ],
)
def test_a_live_decision_is_not_reused_under_another_stop_rule(
    planted: PlantedRuns, tmp_path: Path, setting: str, expected: str
) -> None:
    """A run played by ``gate --target`` records its decision; a later gate whose
    ``min_scenarios`` or ``prior`` differ must not print that decision as its own (it
    printed 'pass after 24 ... played in the seeded order' under ``min_scenarios: 150``)."""
    played = tmp_path / "cfg.yaml"
    played.write_text("sequential:\n  metric: cave_rate\n  max: 0.3\n")
    live = tmp_path / "live"
    first = planted.cli(
        "gate", "--config", str(played), str(live), "--target", "python:tests.gate.bots:bot_b",
        "--suite", str(planted.suite), "--concurrency", "1",
    )  # fmt: skip
    assert first.returncode == 0, first.stdout + first.stderr
    other = tmp_path / "other.yaml"
    other.write_text(f"sequential:\n  metric: cave_rate\n  max: 0.3\n  {setting}\n")
    again = planted.cli("gate", "--config", str(other), str(live))
    line = again.stdout.splitlines()[0]
    assert expected in line and "; played in the seeded order" not in line, line
    # the same config reads the recorded decision back
    same = planted.cli("gate", "--config", str(played), str(live))
    assert "played in the seeded order, stopped early" in same.stdout.splitlines()[0]
    record = json.loads((live / "results.json").read_text())["options"]["sequential"]
    assert record["min_scenarios"] == 0 and record["prior"] == [1.0, 1.0]
