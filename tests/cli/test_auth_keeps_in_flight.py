"""A 401 while other calls are in flight: the run stops (exit 2) but the replies of the calls
already made are stored, so the re-run asks for none of them again (found by
benchmarks/soak_faults.py: the re-run repeated the in-flight calls)."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from tests.support.loopback import (
    ITALY,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    backbone_here,
    cli_env,
    planted_bot,
    write_suite,
)


def here(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`)."""
    return backbone_here(args, env=env, cwd=cwd)


def run(server: LoopbackServer, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return here(
        ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
         "--suite", "suite.yaml", "--out", "out", "--concurrency", "5", "-q", *extra],
        cwd=tmp, env=cli_env(OPENAI_API_KEY="sk-test", BACKBONE_CACHE_DIR=str(tmp / "cache")),
    )  # fmt: skip


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_calls_in_flight_at_a_401_are_kept_for_the_rerun(tmp_path: Path, cache: bool) -> None:
    write_suite(tmp_path / "suite.yaml")
    extra = () if cache else ("--no-cache",)
    with LoopbackServer(planted_bot) as server:
        # Italy's first pressure turn is refused at once, while the other four conversations'
        # next calls are in flight (answered 0.5 s later)
        server.fail(
            Fault.http(401, message="Incorrect API key provided"),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
            times=1,
        )
        server.fail(Fault.slow(0.5), when=lambda c: c.conversation != ITALY and c.turn == 1)
        stopped = run(server, tmp_path, *extra)
        assert stopped.returncode == 2, stopped.stderr
        assert "Incorrect API key provided" in stopped.stderr
        assert not (tmp_path / "out" / "results.json").exists()
        in_flight = sum(server.per_conversation.values())
        assert in_flight < sum(PLANTED_REQUESTS.values())  # it stopped, it did not play on

        resumed = run(server, tmp_path, *extra)
        assert resumed.returncode == 0, resumed.stderr
        doc = json.loads((tmp_path / "out" / "results.json").read_text())
        got = {s["id"]: (s["outcome"], s["flip_turn"]) for s in doc["scenarios"]}
        assert got == {k: (v[0], v[1]) for k, v in PLANTED_OUTCOMES.items()}
        # every request was asked once across both runs, but the refused one (asked again)
        assert server.per_conversation == {**PLANTED_REQUESTS, ITALY: PLANTED_REQUESTS[ITALY] + 1}
