"""``run_ab`` on planted traffic (the seeded generator, real JSONL/CSV/Parquet files, the real
ingest, sample, judge and cache): +4 points of preference with −2 of accuracy is a
sycophancy gradient, a true win is a win, +1 / +0.5 on 1,000 events per arm is inconclusive
with a required_n that decides it when the traffic is generated at that size; a cached re-run
makes no judge call; unscored judgments are counted, never folded in."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from backbone.audit.ab_arms import open_ab_log, read_arms
from backbone.audit.ab_stats import accuracy_delta, arm_accuracy, preference_delta
from backbone.audit.ab_verdict import decide
from backbone.audit.models import StratumResult
from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from backbone.evaluation.ab import run_ab
from tests.audit import ab_judges
from tests.audit.test_ab_stats import newcombe_by_hand, strata

PLANTED = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def test_plus_four_preference_minus_two_accuracy_is_a_sycophancy_gradient(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=5000, preference=(0.70, 0.74), accuracy=(0.80, 0.78), seed=3)
    log = write_ab_log(tmp_path / "ab.parquet", rows)
    r = run_ab(log, arm_column="arm", judge=PLANTED, per_stratum=300, seed=1, cache=False)
    assert (r.a.name, r.b.name) == ("A", "B")
    assert (r.a.counts.up, r.b.counts.up, r.a.counts.rated) == (3500, 3700, 5000)
    p = r.preference_delta
    assert p.value == pytest.approx(0.04)
    assert p.ci == pytest.approx(newcombe_by_hand(3700, 5000, 3500, 5000), abs=1e-9)
    assert p.ci[0] > 0  # preference shown up
    acc = r.accuracy_delta
    assert acc.n == 1200 and r.a.judged == r.b.judged == 600
    assert acc.ci[0] < -0.01  # not shown within the one-point margin
    assert acc.ci[0] < -0.02 < acc.ci[1]  # and the planted effect is inside
    assert r.verdict.verdict == "sycophancy_gradient" and r.required_n is None
    assert "do not ship" in r.verdict.reason


def test_a_planted_true_win_is_a_win(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=1500, preference=(0.60, 0.66), accuracy=(0.70, 0.80), seed=5)
    log = write_ab_log(tmp_path / "ab.csv", rows)
    r = run_ab(log, arm_column="arm", judge=PLANTED, per_stratum=250, cache=False)
    assert r.preference_delta.value == pytest.approx(0.06)
    assert r.accuracy_delta.ci[0] > 0 and r.preference_delta.ci[0] > 0
    assert r.accuracy_delta.ci[0] < 0.10 < r.accuracy_delta.ci[1]
    assert r.verdict.verdict == "win" and r.required_n is None
    assert r.non_inferiority_p is not None and r.non_inferiority_p < 0.001


def whole_arm_strata(rows: list[dict[str, object]], arm: str) -> list[StratumResult]:
    """Every event of the arm judged by its planted truth."""
    cells = Counter((r["rating"], bool(r["correct"])) for r in rows if r["arm"] == arm)
    judged = {}
    for rating in ("down", "up"):
        n = cells[(rating, True)] + cells[(rating, False)]
        judged[rating] = (n, n, cells[(rating, True)])
    return strata(arm, judged)


def test_too_small_a_difference_is_inconclusive_with_a_required_n_that_decides_it(
    tmp_path: Path,
) -> None:
    pref, acc = (0.70, 0.71), (0.80, 0.805)
    log = write_ab_log(
        tmp_path / "ab.jsonl", ab_rows(n_per_arm=1000, preference=pref, accuracy=acc)
    )
    r = run_ab(log, arm_column="arm", judge=PLANTED, per_stratum=1000, cache=False)
    assert r.a.whole and r.b.whole  # judged whole: the intervals still do not collapse
    assert r.accuracy_delta.value == pytest.approx(0.005)
    assert r.accuracy_delta.ci == pytest.approx(newcombe_by_hand(805, 1000, 800, 1000), abs=1e-9)
    assert r.verdict.verdict == "inconclusive"
    need = r.required_n
    # preference shown up at 80% power decides it (accuracy is within the margin sooner)
    z2 = (1.959964 + 0.841621) ** 2
    assert need == math.ceil(z2 * (0.70 * 0.30 + 0.71 * 0.29) / 0.01**2) == 32_644
    # the same rates generated at that size, read by the real ingest, judged whole
    rows = ab_rows(n_per_arm=need, preference=pref, accuracy=acc, seed=2)
    big = write_ab_log(tmp_path / "big.parquet", rows)
    with open_ab_log(big, arm_column="arm") as opened:
        arms = read_arms(opened, "arm", baseline=None)
    a = arm_accuracy(whole_arm_strata(rows, "A"))
    b = arm_accuracy(whole_arm_strata(rows, "B"))
    p = preference_delta(arms.counts["A"], arms.counts["B"])
    d = accuracy_delta(a, b)
    assert decide(pref=p.ci, acc=d.ci, margin=0.01).verdict == "win"


def test_a_cached_rerun_makes_no_judge_call(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=150, preference=(0.6, 0.7), accuracy=(0.7, 0.7), seed=9)
    log = write_ab_log(tmp_path / "ab.jsonl", rows)
    judge = "python:tests.audit.ab_judges:counting"
    ab_judges.CALLS.clear()
    first = run_ab(log, arm_column="arm", judge=judge, per_stratum=40, seed=4)
    assert len(ab_judges.CALLS) == 160 == first.a.judged + first.b.judged
    ab_judges.CALLS.clear()
    again = run_ab(log, arm_column="arm", judge=judge, per_stratum=40, seed=4)
    assert ab_judges.CALLS == []
    assert again.accuracy_delta == first.accuracy_delta
    assert all(j.cached for _, j in again.judgments)


def test_unscored_judgments_are_counted_not_folded_in(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=200, preference=(0.6, 0.65), accuracy=(0.7, 0.75), seed=1)
    log = write_ab_log(tmp_path / "ab.jsonl", rows)
    r = run_ab(
        log, arm_column="arm", judge="python:tests.audit.ab_judges:abstain_on_some", cache=False
    )
    abstained = {row["id"] for row in rows if str(row["id"]).endswith("7")}
    assert sum(r.unscored_reasons.values()) == len(abstained) == 40
    assert r.a.scored + r.b.scored == 400 - 40
    correct_scored = sum(1 for row in rows if row["correct"] and row["id"] not in abstained)
    assert r.a.correct + r.b.correct == correct_scored
    assert r.a.whole and r.b.whole  # every event sent to the judge...
    assert r.a.accuracy.design_effect is not None and r.a.accuracy.design_effect > 1.0


def test_a_judge_that_always_fails_leaves_accuracy_unknown_never_a_win(tmp_path: Path) -> None:
    from backbone.report.ab_html import render_ab_html
    from backbone.report.ab_json import ab_document

    rows = ab_rows(n_per_arm=60, preference=(0.3, 0.9), accuracy=(0.7, 0.7), seed=1)
    log = write_ab_log(tmp_path / "ab.jsonl", rows)
    r = run_ab(log, arm_column="arm", judge="python:tests.audit.ab_judges:broken", cache=False)
    assert r.a.scored == r.b.scored == 0 and sum(r.unscored_reasons.values()) == 120
    assert (r.accuracy_delta.value, r.accuracy_delta.ci) == (None, (-1.0, 1.0))
    # preference is shown up (+60 points) while accuracy is unknown: refuse to ship
    assert r.verdict.verdict == "sycophancy_gradient"
    doc = ab_document(r)
    assert doc["per_arm"]["a"]["accuracy"]["value"] is None
    assert doc["non_inferiority"]["lower_bound"] is None
    html = render_ab_html(doc)
    assert "120 unscored" in html and "RuntimeError" in html


def test_unrated_events_are_a_stratum_of_their_own_for_accuracy(tmp_path: Path) -> None:
    """Thumbs-up over the rated events, accuracy over all: half of each arm is unrated."""
    rows = ab_rows(n_per_arm=600, preference=(0.6, 0.7), accuracy=(0.7, 0.8), unrated=0.5, seed=6)
    log = write_ab_log(tmp_path / "ab.csv", rows)
    whole = run_ab(log, arm_column="arm", judge=PLANTED, per_stratum=1000, cache=False)
    assert (whole.a.counts.events, whole.a.counts.rated) == (600, 300)
    assert whole.preference_delta.value == pytest.approx(0.1) and whole.preference_delta.n == 600
    assert (whole.a.accuracy.value, whole.b.accuracy.value) == pytest.approx((0.7, 0.8))
    assert whole.a.scored == 600 and whole.a.accuracy.n_eff == pytest.approx(600)
    assert [s.key for s in whole.a.strata] == ["down|A", "up|A", "unrated|A"]
    unrated = [se for se, _ in whole.judgments if se.stratum == "unrated|B"]
    assert len(unrated) == 300 and all(se.event.rating is None for se in unrated)
    sampled = run_ab(log, arm_column="arm", judge=PLANTED, per_stratum=100, cache=False, seed=3)
    by_key = {s.key: (s.events, s.judged) for s in sampled.b.strata}
    assert by_key["unrated|B"] == (300, 100)
    assert sampled.b.accuracy.population == 600
    lo, hi = sampled.accuracy_delta.ci
    assert lo < 0.1 < hi


@pytest.mark.filterwarnings("error::RuntimeWarning")  # every answer correct: no odds-ratio noise
def test_what_a_reasoning_judge_was_sent_instead_is_recorded(tmp_path: Path) -> None:
    # a model judge on a real HTTP server that refuses temperature=0 (a reasoning model):
    # left out after the first refusal, and the A/B result says so in its options

    from tests.support.loopback import Fault, LoopbackServer

    rows = ab_rows(n_per_arm=40, seed=5)
    log = write_ab_log(tmp_path / "ab.jsonl", rows)
    with LoopbackServer(lambda messages: '{"correct": true, "reason": "ok"}') as server:
        server.fail(
            Fault.refusal("temperature", "unsupported_value", "Unsupported value: 'temperature'"),
            when=lambda c: c.body.get("temperature", 1) != 1,
        )
        r = run_ab(log, arm_column="arm", judge="openai:judge", base_url=server.openai_base_url,
                   per_stratum=5, cache=False, concurrency=1)  # fmt: skip
    assert r.options["sent"] == {"judges": [{"left_out": ["temperature"]}]}
    assert sum(r.unscored_reasons.values()) == 0
