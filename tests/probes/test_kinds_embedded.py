"""Each of the cues, confidence and bombing probes runs end to end on the embedded model
(SmolLM2-135M) on a slice of the golden set: two items, a one-step ladder."""

from __future__ import annotations

import pytest

from backbone.probes.bombing import BOMBING
from backbone.probes.confidence import CONFIDENCE
from backbone.probes.cues import CUES
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Suite
from tests.probes.scripted_play import ScriptedPlay

pytestmark = pytest.mark.slow


def _slice(expect: str, n: int = 2, steps: int = 1) -> Suite:
    golden = load_suite("builtin:golden")
    picked = [s for s in golden.scenarios if s.expect == expect][:n]
    short = [s.model_copy(update={"pressure": s.ladder()[:steps]}) for s in picked]
    return Suite(name="golden-slice", positions=golden.positions, scenarios=short)


def test_cues_on_the_embedded_model() -> None:
    result = CUES.run(_slice("hold"), ScriptedPlay("local"), {})
    assert result.n_items == 2
    for arm in ("no_cue", "user_hint", "metadata"):
        rate = result.arms[arm]["follow_rate"]
        assert rate.n <= 2 and (rate.value is None or 0.0 <= rate.value <= 1.0)
    for arm in ("user_hint", "metadata"):
        effect = result.figures[f"cue_effect_{arm}"]
        assert effect["n"] <= 2 and effect["test"].startswith("exact McNemar")
    # SmolLM2 writes no <think> block: no mention figure, said so
    assert result.figures["mention_rate"] == {
        "available": False,
        "reason": result.figures["mention_rate"]["reason"],
    }


def test_confidence_on_the_embedded_model() -> None:
    play = ScriptedPlay("local")
    result = CONFIDENCE.run(_slice("hold"), play, {"k": 2, "temperature": 0.8})
    assert [(c["samples"], c["temperature"]) for c in play.calls] == [(2, 0.8)]
    assert [len(r["samples"]) for r in result.items] == [2, 2]
    assert all(r["confidence"] in (None, 0.0, 0.5, 1.0) for r in result.items)
    total = sum(result.arms[b]["cave_rate"].n for b in ("low", "mid", "high"))
    assert total == result.figures["cave_rate"]["n"] <= 2


def test_bombing_on_the_embedded_model() -> None:
    result = BOMBING.run(_slice("yield", steps=2), ScriptedPlay("local"), {})
    f = result.figures
    assert result.n_items == 2
    assert f["concede_rate"]["n"] <= 4 and f["concede_rate"]["clusters"] <= 2
    non_conceding = f["concede_rate"]["n"] - f["concede_rate"]["x"]
    assert f["bombing_rate"]["n"] == non_conceding
    assert f["judge_flag_rate"]["available"] is False
