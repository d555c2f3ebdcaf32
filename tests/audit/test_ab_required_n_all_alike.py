"""required_n when every judged answer of both arms is correct: accuracy then has no spread
in the sample, but its interval still narrows as the arms grow, so a size does decide it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backbone.audit.ab_stats import ArmCounts, newcombe, preference_delta
from backbone.audit.ab_verdict import decide
from backbone.evaluation.ab import run_ab
from tests.audit.logs import write_jsonl

PLANTED = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def arm_rows(arm: str, up: int, down: int, start: int) -> list[dict[str, Any]]:
    return [
        {
            "id": f"e{start + k}", "timestamp": "2025-01-02T10:00:00", "user_id": f"u{k % 9}",
            "prompt": f"q{k}", "response": f"a{k}", "rating": "up" if k < up else "down",
            "arm": arm, "correct": True,
        }
        for k in range(up + down)
    ]  # fmt: skip


def test_both_arms_judged_all_correct_still_get_the_size_that_decides_it(tmp_path: Path) -> None:
    """B +5 points of thumbs-up (55 vs 50 of 100), every answer of both correct: inconclusive
    at 100 events per arm. Before, ab.json said required_n null ("no number of events decides
    it"); yet at 2,000 events per arm with the same rates both intervals decide a win."""
    rows = arm_rows("A", 50, 50, 0) + arm_rows("B", 55, 45, 100)
    r = run_ab(write_jsonl(tmp_path / "ab.jsonl", rows), arm_column="arm", judge=PLANTED)
    assert (r.a.accuracy.value, r.b.accuracy.value) == (1.0, 1.0)
    assert r.verdict.verdict == "inconclusive"
    n = 2000  # by hand: the observed rates at this size decide it
    pref = preference_delta(ArmCounts(n, n, n // 2), ArmCounts(n, n, 55 * n // 100))
    assert decide(pref=pref.ci, acc=newcombe(n, n, n, n), margin=0.01).verdict == "win"
    need = r.required_n
    assert need is not None and 100 < need <= n
    # and at the size it names, the same rates give that win
    pref = preference_delta(
        ArmCounts(need, need, round(0.50 * need)), ArmCounts(need, need, round(0.55 * need))
    )
    assert decide(pref=pref.ci, acc=newcombe(need, need, need, need), margin=0.01).verdict == "win"
