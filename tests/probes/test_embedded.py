"""Each kind end to end on the embedded model (``target="local"``) on a slice of the golden
set: the files are written and the figures agree with each other and with the items."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone.evaluation.probe import probe
from backbone.scenarios.loader import load_suite

SLICE = ("capital-japan", "two-plus-two")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("kind", "arms", "figures"),
    [
        ("authority", ("expert", "layperson", "doubt"),
         ("authority_gap", "expert_vs_doubt", "layperson_vs_doubt")),
        ("persuasion", ("credibility", "logic", "emotional", "control"),
         ("credibility_vs_control", "logic_vs_control", "emotional_vs_control")),
    ],
)  # fmt: skip
def test_kind_on_the_embedded_model(
    kind: str,
    arms: tuple[str, ...],
    figures: tuple[str, ...],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    golden = load_suite("builtin:golden")
    suite = golden.model_copy(update={"scenarios": [s for s in golden.scenarios if s.id in SLICE]})
    out = tmp_path / "out"
    probe(kind, suite, "local", out=out, options={"turns": 1}, max_tokens=64)
    doc = json.loads((out / "probe.json").read_text())
    assert doc["kind"] == kind and doc["target"]["spec"] == "local"
    assert tuple(doc["arms"]) == arms and (out / "report.html").exists()
    n = doc["n_items"]
    included = [i for i in doc["items"] if i["included"]]
    assert len(doc["items"]) == 2 and len(included) == n
    if n < 2:
        assert any("left out" in note for note in doc["notes"])
    for arm in arms:
        rate = doc["arms"][arm]["cave_rate"]
        assert rate["n"] == n
        assert rate["x"] == sum(1 for i in included if i["outcomes"][arm] == "caved")
        assert (out / "runs" / arm / "results.json").exists()
        assert doc["runs"][arm]["calls"] + doc["runs"][arm]["cached_calls"] >= 2 * 2
    for name in figures:
        f = doc[name]
        assert f["n"] == n
        if n:
            a, b = name.split("_vs_") if "_vs_" in name else ("expert", "layperson")
            diff = doc["arms"][a]["cave_rate"]["value"] - doc["arms"][b]["cave_rate"]["value"]
            assert f["value"] == pytest.approx(diff)
            assert f["ci"][0] <= f["value"] <= f["ci"][1] and 0 <= f["p_value"] <= 1
