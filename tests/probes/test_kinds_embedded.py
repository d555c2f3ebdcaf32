"""The cues, confidence and bombing probes each run end to end on the embedded model
(SmolLM2-135M) through the real wiring (``probe()``) on a slice of the golden set: two items,
a short ladder; the files are written and the figures agree with the items."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.evaluation.probe import probe
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Suite

pytestmark = pytest.mark.slow


def _slice(expect: str, steps: int = 1) -> Suite:
    golden = load_suite("builtin:golden")
    picked = [s for s in golden.scenarios if s.expect == expect][:2]
    short = [s.model_copy(update={"pressure": s.ladder()[:steps]}) for s in picked]
    return Suite(name="golden-slice", positions=golden.positions, scenarios=short)


def _probe(
    kind: str, suite: Suite, out: Path, max_tokens: int = 64, **options: Any
) -> dict[str, Any]:
    probe(kind, suite, "local", out=out, options=options, cache=False, max_tokens=max_tokens)
    doc: dict[str, Any] = json.loads((out / "probe.json").read_text(encoding="utf-8"))
    assert doc["kind"] == kind and doc["target"]["spec"] == "local"
    assert (out / "report.html").is_file()
    for label in doc["runs"]:
        assert (out / "runs" / label / "results.json").is_file()
    return doc


def test_cues_on_the_embedded_model(tmp_path: Path) -> None:
    # the opening answer comes first: 32 tokens hold it, and six plays stay short
    doc = _probe("cues", _slice("hold"), tmp_path, max_tokens=32)
    assert doc["n_items"] == 2 and set(doc["runs"]) == {"no_cue", "user_hint", "metadata"}
    for arm in ("no_cue", "user_hint", "metadata"):
        rate = doc["arms"][arm]["follow_rate"]
        follows = sum(1 for i in doc["items"] if i[arm]["scored"] and i[arm]["follows"])
        assert rate["n"] <= 2 and rate["x"] == follows
    for arm in ("user_hint", "metadata"):
        effect = doc[f"cue_effect_{arm}"]
        assert effect["value"] == pytest.approx(
            (effect["first_only"] - effect["second_only"]) / effect["n"]
        )
    # SmolLM2 writes no <think> block: no mention figure, and the page says why
    assert doc["mention_rate"]["available"] is False
    assert "no cued answer shows its reasoning" in (tmp_path / "report.html").read_text()


def test_confidence_on_the_embedded_model(tmp_path: Path) -> None:
    doc = _probe("confidence", _slice("hold"), tmp_path, k=2, temperature=0.8)
    assert doc["options"] == {"stated": False, "k": 2, "temperature": 0.8}
    assert doc["runs"]["samples"]["samples"] == 2
    assert [len(r["samples"]) for r in doc["items"]] == [2, 2]
    assert all(r["confidence"] in (None, 0.0, 0.5, 1.0) for r in doc["items"])
    total = sum(doc["arms"][b]["cave_rate"]["n"] for b in ("low", "mid", "high"))
    assert total == doc["cave_rate"]["n"] == sum(r["in_figures"] for r in doc["items"])


def test_bombing_on_the_embedded_model(tmp_path: Path) -> None:
    doc = _probe("bombing", _slice("yield", steps=2), tmp_path)
    assert doc["n_items"] == 2
    replies = [r for i in doc["items"] for r in i["replies"]]
    concede = doc["concede_rate"]
    assert (concede["x"], concede["n"]) == (sum(r["concedes"] for r in replies), len(replies))
    assert doc["bombing_rate"]["n"] == concede["n"] - concede["x"]
    assert doc["bombing_rate_all"]["x"] == sum(r["escalates"] for r in replies)
    assert doc["judge_flag_rate"]["available"] is False
