"""``options.sent`` says what every model of a run was sent instead of its settings: the
target's, the judges' and the adaptive pressure role's. The role's model is a loopback
OpenAI-compatible server that refuses ``temperature`` as a reasoning model does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from backbone import evaluate
from tests.runner import pressure_bots
from tests.support.loopback import Fault, LoopbackServer
from tests.targets.test_reasoning_models import TEMPERATURE

SUITE = str(Path(__file__).parents[1] / "runner" / "pressure_suite.yaml")
BOT = "python:tests.runner.pressure_bots:quote_caver"
ROLE = "role-playing a user"  # in the pressure role's prompt


def pushes(messages: list[dict[str, str]]) -> str:
    claim = messages[0]["content"].split("right answer is: ")[1].split(".")[0]
    return f"No, it is {claim}. I will not change my mind."


def test_what_the_pressure_model_was_sent_is_recorded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pressure model refused ``temperature=0`` and was sent none from then on (one
    warning); results.json had no ``options.sent`` at all, as if it had been sent 0. The
    same is said by a re-run served from the cache, which makes no call."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BACKBONE_RETRY_BACKOFF", "0.01")
    pressure_bots.CALLS.clear()
    refused: Fault = TEMPERATURE
    with LoopbackServer(pushes) as server:
        server.fail(refused, when=lambda c: "temperature" in c.body)
        kw = {"base_url": server.openai_base_url, "pressure": "openai:pusher",
              "pressure_turns": 2}  # fmt: skip
        run = evaluate(SUITE, BOT, out=tmp_path / "a", **kw)  # type: ignore[arg-type]
        made = server.total
        again = evaluate(SUITE, BOT, out=tmp_path / "b", **kw)  # type: ignore[arg-type]
        assert server.total == made
    assert all(ROLE in c.messages[0]["content"] for c in server.calls)
    assert all(s.pressure == "adaptive" for s in run.scenarios)
    said = {"pressure": {"left_out": ["temperature"]}}
    for out in ("a", "b"):
        doc = json.loads((tmp_path / out / "results.json").read_text())
        assert doc["options"]["sent"] == said, out
    assert run.options["sent"] == again.options["sent"] == said
