"""Replies whose server counted no tokens (no ``usage`` in them, a legal shape for an
OpenAI-compatible server) are not priced at 0: a priced run said "$0.0000 for the replies,
$0.0000 spent by this run" for calls it paid for. Now the cost is unknown (null), with a note
saying why, in results.json and on the terminal."""

from __future__ import annotations

import json
from pathlib import Path

from tests.cli.test_run_costs import PRICES, _run
from tests.support.loopback import (
    PLANTED_REQUESTS,
    Call,
    Fault,
    LoopbackServer,
    planted_bot,
    write_suite,
)
from tests.targets.test_reply_shapes import openai_body


def any_call(call: Call) -> bool:
    return True


def test_replies_with_no_usage_are_not_priced_at_zero(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        host = server.openai_base_url.split("//")[1].split("/")[0]
        (tmp_path / "prices.yaml").write_text(PRICES.format(host=host), encoding="utf-8")
        server.fail(Fault.raw(openai_body({"content": "The answer is Rome."})), when=any_call)
        proc = _run(server, tmp_path, "--out", "out", "--no-cache")
        assert proc.returncode == 0, proc.stderr
        made = server.total
    assert made <= sum(PLANTED_REQUESTS.values())
    costs = json.loads((tmp_path / "out" / "results.json").read_text())["costs"]
    target = costs["target"]
    assert (target["input_tokens"], target["output_tokens"]) == (0, 0)
    assert (target["usd"], target["usd_spent"], costs["usd"]) == (None, None, None)  # was 0.0
    said = f"the server counted no tokens for {made} replies (no usage in them), so what they cost"
    assert target["note"].startswith(said)
    assert f"cost (target): not priced: {said}" in " ".join(proc.stdout.split())
