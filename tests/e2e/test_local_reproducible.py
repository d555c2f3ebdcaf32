"""The embedded model plays one conversation at a time by default, so a run's replies are the
same from run to run: at 8 at a time llama.cpp's arithmetic depends on what shares a forward
pass, and two default runs of the golden set agreed on 133 of 140 replies (their outcome counts
differed), where two runs one at a time agree on all of them, in the same time."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from backbone.scenarios.loader import load_suite

ROOT = Path(__file__).resolve().parents[2]

PLAY = """
import json, sys
import backbone
from backbone.targets.local import LocalTarget
record = backbone.evaluate(sys.argv[1], "local", cache=False)
print(json.dumps({
    "concurrency": record.options["concurrency"],
    "peak": LocalTarget(max_tokens=160).decoder().stats().peak_batch,
    "replies": {t.id: [m.content for m in t.messages if m.role == "assistant"]
                for t in record.transcripts or []},
}))
"""


def _play(suite: Path) -> dict[str, object]:
    proc = subprocess.run(
        [sys.executable, "-c", PLAY, str(suite)],
        capture_output=True, text=True, timeout=600, cwd=ROOT, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(proc.stdout.splitlines()[-1])
    return result


@pytest.mark.engines  # two runs on the embedded model, each in a process of its own
def test_two_default_runs_on_the_embedded_model_give_the_same_replies(tmp_path: Path) -> None:
    golden = load_suite("golden")
    four = [s.model_dump(mode="json", exclude_none=True) for s in golden.scenarios[:4]]
    suite = tmp_path / "four.yaml"
    suite.write_text(yaml.safe_dump({"name": "four", "scenarios": four}, sort_keys=False))
    first, second = _play(suite), _play(suite)
    assert first["concurrency"] == "auto"
    assert first["peak"] == 1  # one conversation's tokens a forward pass (8 before: 4 here)
    assert first["replies"] == second["replies"]
