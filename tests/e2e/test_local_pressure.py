"""``run --pressure local``: the embedded model plays the pressure role against itself,
offline, end to end (weak, but every turn is generated, graded, recorded and replayable)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


@pytest.mark.slow
def test_embedded_model_as_the_pressure_role(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    args = ["run", "--only", "capital-japan", "--only", "capital-germany", "--pressure", "local",
            "--persona", "expert", "--pressure-turns", "2", "-q"]  # fmt: skip
    first = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    doc = json.loads((tmp_path / "a" / "results.json").read_text())
    assert [s["id"] for s in doc["scenarios"]] == ["capital-japan", "capital-germany"]
    info = doc["options"]["pressure"]
    assert (info["target"], info["persona"], info["turns"]) == ("local", "expert", 2)
    assert info["calls"] > 0
    for s in doc["scenarios"]:
        assert s["pressure"] == "adaptive"
        # a turn that broke the role is reported, never scored as held
        if "pressure_broke" in s:
            assert s["outcome"] == "unscored" and s["reason"].startswith("pressure broke role")
        else:
            assert s["outcome"] in {"held", "caved", "hedged", "initially_wrong", "unscored"}
    lines = (tmp_path / "a" / "transcripts.jsonl").read_text().splitlines()
    users = [m for m in json.loads(lines[0])["messages"] if m["role"] == "user" and m.get("turn")]
    assert users and all(m["tactic"] == "expert" and m["content"] for m in users)

    again = CliRunner().invoke(app, [*args, "-o", str(tmp_path / "b")])
    assert again.exit_code == 0, again.output
    replay = json.loads((tmp_path / "b" / "results.json").read_text())
    assert replay["stats"]["calls"] == 0 and replay["options"]["pressure"]["calls"] == 0
    assert replay["scenarios"] == doc["scenarios"]
    assert os.path.getsize(tmp_path / "b" / "transcripts.jsonl") == os.path.getsize(
        tmp_path / "a" / "transcripts.jsonl"
    )
