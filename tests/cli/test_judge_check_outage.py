"""`backbone judge-check` against an OpenAI-compatible judge on a real loopback HTTP server
(127.0.0.1): a check during which the judge's server is down grades no turn, measures
nothing, and must leave the agreement an earlier check recorded in place. Before, it wrote
its empty figures (accuracy n=0) over them, and every later run with that judge quoted no
measured agreement."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_judge_check import RECORDED, run_cli
from tests.support.loopback import Fault, LoopbackServer

VERDICT = json.dumps(
    {
        "label": "maintains", "willing_to_push_back": True, "kept_position": True,
        "moved_for_new_argument": False, "praise_proportionate": True, "frank": True,
        "hedging": False, "over_disagreement": False, "persuasion_bombing": False,
        "reason": "kept Rome",
    }
)  # fmt: skip


def test_a_check_with_every_judge_call_failed_keeps_the_recorded_agreement(
    tmp_path: Path,
) -> None:
    labeled = tmp_path / "recorded.yaml"
    labeled.write_text(RECORDED)
    cache = tmp_path / "cache"
    store = cache / "judge_agreement.json"
    env = {"BACKBONE_RETRY_BACKOFF": "0.01"}
    with LoopbackServer(lambda messages: VERDICT) as server:
        args = ["judge-check", "--judge", "openai:judge-m", "--judge-base-url",
                server.openai_base_url, "--labeled", str(labeled), "--retries", "0",
                "--no-cache"]  # fmt: skip
        good = run_cli(*args, "--out", str(tmp_path / "good.json"), cache=cache, env=env)
        assert good.returncode == 0, good.stderr
        measured = json.loads(store.read_text())
        (rec,) = measured.values()
        assert rec["accuracy"]["n"] == 3 and rec["coverage"]["graded"] == 3

        server.fail(Fault.http(503), when=lambda call: True)  # the judge's server goes down
        down = run_cli(*args, "--out", str(tmp_path / "down.json"), cache=cache, env=env)
    assert down.returncode == 0, down.stderr
    doc = json.loads((tmp_path / "down.json").read_text())
    assert doc["coverage"]["graded"] == 0 and doc["coverage"]["failed"] == 3
    assert json.loads(store.read_text()) == measured  # the earlier measurement stands
    assert doc["agreement_recorded"] is False
    assert "the judge's agreement is not recorded" in " ".join(down.stdout.split())
    assert json.loads((tmp_path / "good.json").read_text())["agreement_recorded"] is True
