"""An HTTP 200 with an empty body (a proxy or a server that dropped the reply) is a fault,
retried like a 5xx, and when it stays the scenario ends ``unscored`` saying "empty response
body (HTTP 200)". It used to be a final "unreadable response: ''", never asked again."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.targets.errors import RetryableTargetError
from tests.support.loopback import (
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    cli_env,
    planted_bot,
    read_results,
    run_cli,
    write_suite,
)
from tests.targets.test_reply_shapes import ask, provider

EMPTY = Fault.raw(b"")
BLANK = Fault.raw(b"\r\n  \n")


@pytest.mark.parametrize("api", ["openai", "anthropic"])
@pytest.mark.parametrize("fault", [EMPTY, BLANK], ids=["empty", "blanks"])
async def test_an_empty_200_is_asked_again(api: str, fault: Fault) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(fault, on=[1])
        assert await ask(provider(api, server)) == "The capital of France is Paris."
        assert server.total == 2


@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_an_empty_200_that_stays_says_so_after_the_retries(api: str) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(EMPTY, when=lambda c: True)
        with pytest.raises(RetryableTargetError) as info:
            await ask(provider(api, server))
        assert server.total == 3  # every attempt (ask: 3)
    assert str(info.value) == f"{api}: empty response body (HTTP 200)"


def test_cli_the_scenarios_end_unscored_with_the_reason(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(EMPTY, when=lambda c: True)
        run_cli(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
             "--suite", "suite.yaml", "--out", "out", "--no-cache"],
            env=cli_env(BACKBONE_RETRY_BACKOFF="0.001"), cwd=tmp_path,
        )  # fmt: skip
        assert server.total == 6 * len(PLANTED_REQUESTS)  # each opening, all its attempts
    doc = read_results(tmp_path / "out")
    assert {s["outcome"] for s in doc["scenarios"]} == {"unscored"}
    assert all(
        s["reason"].endswith("openai: empty response body (HTTP 200)") for s in doc["scenarios"]
    )
