"""A 401 mid-run (a refused key) or a 404 (no such endpoint or model: a base URL without its
/v1, a model the server does not have) stops the whole run at once with the provider's message
and what to fix (exit 2, nothing written); once fixed, the same command resumes, asking for
nothing twice."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import (
    FRANCE,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    backbone_here,
    cli_env,
    planted_bot,
    write_suite,
)

MESSAGE = "Incorrect API key provided: the key was revoked"
MISSING = "The model `m` does not exist or you do not have access to it."
STOPS = {
    401: (
        MESSAGE,
        "authentication failed, so the command stopped: openai: HTTP 401: ",
        "Fix the key",
    ),
    404: (
        MISSING,
        "no such endpoint or model, so the command stopped: openai: HTTP 404 at http://127.0.0.1:",
        "Check the model name and the base URL (an OpenAI-compatible server usually answers "
        "under /v1",
    ),
}


@pytest.fixture
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(planted_bot) as s:
        yield s


def here(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`)."""
    return backbone_here(args, env=env, cwd=cwd)


def run(server: LoopbackServer, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return here(
        ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
         "--suite", "suite.yaml", "--out", "out", "--concurrency", "1", *extra],
        cwd=tmp, env=cli_env(OPENAI_API_KEY="sk-test", BACKBONE_CACHE_DIR=str(tmp / "cache")),
    )  # fmt: skip


@pytest.mark.parametrize(
    ("status", "cache"),
    [(401, True), (401, False), (404, True), (404, False)],
    ids=["401-cache", "401-no-cache", "404-cache", "404-no-cache"],
)
def test_a_call_no_later_call_can_pass_stops_the_run_and_the_rerun_resumes(
    server: LoopbackServer, tmp_path: Path, status: int, cache: bool
) -> None:
    write_suite(tmp_path / "suite.yaml")
    extra = () if cache else ("--no-cache",)
    message, summary, remedy = STOPS[status]
    # refused once, on France's second pressure turn
    server.fail(
        Fault.http(status, message=message),
        when=lambda c: c.conversation == FRANCE and c.turn == 2,
        times=1,
    )
    stopped = run(server, tmp_path, *extra)
    assert stopped.returncode == 2, stopped.stderr
    assert summary in stopped.stderr
    assert message in stopped.stderr and remedy in stopped.stderr
    assert "Traceback" not in stopped.stderr
    assert not (tmp_path / "out" / "results.json").exists()
    first = server.total
    assert first < sum(PLANTED_REQUESTS.values())  # it stopped, it did not play on
    assert server.per_conversation[FRANCE] == 3  # the refused call was never retried

    resumed = run(server, tmp_path, *extra)
    assert resumed.returncode == 0, resumed.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text())
    got = {s["id"]: (s["outcome"], s["flip_turn"]) for s in doc["scenarios"]}
    assert got == {k: (v[0], v[1]) for k, v in PLANTED_OUTCOMES.items()}
    # every answered request was asked exactly once across both runs (the 401 was answered
    # with no reply, so France's second pressure turn is asked again, once)
    assert server.per_conversation == {
        **PLANTED_REQUESTS,
        FRANCE: PLANTED_REQUESTS[FRANCE] + 1,
    }


QUOTA = (
    "You exceeded your current quota, please check your plan and billing details. For more "
    "information on this error, read the docs: "
    "https://platform.openai.com/docs/guides/error-codes/api-errors."
)


def test_a_spent_quota_stops_the_run_not_retried_like_a_rate_limit(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """OpenAI answers HTTP 429 ``insufficient_quota`` once an account's credit or monthly
    budget is spent: no later call can pass until its billing changes. It was retried as a
    rate limit (6 attempts with backoff, for every call of the run), and the run ended with
    every scenario unscored after minutes of waiting."""
    write_suite(tmp_path / "suite.yaml")
    error = {"message": QUOTA, "type": "insufficient_quota", "param": None,
             "code": "insufficient_quota"}  # fmt: skip
    server.fail(Fault.raw(json.dumps({"error": error}).encode(), status=429), when=lambda c: True)
    stopped = run(server, tmp_path)
    assert stopped.returncode == 2, stopped.stderr
    said = " ".join(stopped.stderr.split())
    stop = "the account's quota is spent, so the command stopped: openai: HTTP 429: "
    assert stop + QUOTA in said
    assert "Check the plan and billing of the key's account" in said
    assert "Traceback" not in stopped.stderr
    assert not (tmp_path / "out" / "results.json").exists()
    assert server.total == 1  # never retried, and no other call made


def test_a_redirected_call_stops_the_run_naming_where_it_was_sent(
    server: LoopbackServer, tmp_path: Path
) -> None:
    """A server that redirects its chat endpoint (http:// to https://, an old path to a new
    one) redirects every call, and redirects are not followed (the key must not travel on):
    each scenario made its call, failed it and ended unscored, and the run exited 0 with
    nothing graded."""
    write_suite(tmp_path / "suite.yaml")
    moved = "https://llm.example.com/v1/chat/completions"
    server.fail(Fault.raw(b"", status=307, headers={"location": moved}), when=lambda c: True)
    stopped = run(server, tmp_path)
    assert stopped.returncode == 2, stopped.stderr
    said = " ".join(stopped.stderr.split())
    assert (
        f"the server redirected the call, so the command stopped: openai: HTTP 307: redirected "
        f"to {moved}, which is not followed"
    ) in said
    assert "give the final URL as the base URL" in said and "Traceback" not in said
    assert not (tmp_path / "out" / "results.json").exists()
    assert server.total == 1


CREDITS = "Insufficient credits. Add more using https://openrouter.ai/settings/credits"


def test_payment_required_stops_the_run(server: LoopbackServer, tmp_path: Path) -> None:
    """OpenRouter answers HTTP 402 when the account or key has no credits left: every call
    failed alike, each scenario ended unscored, and the run exited 0 with nothing graded."""
    write_suite(tmp_path / "suite.yaml")
    body = json.dumps({"error": {"code": 402, "message": CREDITS}}).encode()
    server.fail(Fault.raw(body, status=402), when=lambda c: True)
    stopped = run(server, tmp_path)
    assert stopped.returncode == 2, stopped.stderr
    said = " ".join(stopped.stderr.split())
    stop = "the account's quota is spent, so the command stopped: openai: HTTP 402: "
    assert stop + CREDITS in said and "Traceback" not in said
    assert server.total == 1


async def test_payment_required_with_a_retry_after_is_waited_for(server: LoopbackServer) -> None:
    """OpenRouter's 402 with a Retry-After is its in-flight spending budget: it passes."""
    body = json.dumps({"error": {"code": 402, "message": "In-flight budget reached"}}).encode()
    server.fail(Fault.raw(body, status=402, headers={"retry-after": "0.05"}), on=[1])
    target = RetryingTarget(OpenAITarget("m", base_url=server.openai_base_url), initial_wait=0.01)
    try:
        reply = await target.complete(Request((ChatMessage("user", FRANCE),)))
    finally:
        await aclose(target)
    assert reply.text == "The capital of France is Paris." and server.total == 2


LOW_BALANCE = (
    "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing "
    "to upgrade or purchase credits."
)


def test_anthropics_credit_balance_too_low_stops_the_run(tmp_path: Path) -> None:
    """Anthropic refuses every call with HTTP 400 (``invalid_request_error``) once the
    credit balance is spent: each scenario's call failed in turn, all ended unscored, and
    the run exited 0 with nothing graded."""
    write_suite(tmp_path / "suite.yaml")
    error = {"type": "invalid_request_error", "message": LOW_BALANCE}
    body = json.dumps({"type": "error", "error": error}).encode()
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body, status=400), when=lambda c: True)
        stopped = here(
            ["run", "--target", "anthropic:m", "--base-url",
             server.anthropic_base_url, "--suite", "suite.yaml", "--out", "out",
             "--concurrency", "1"],
            cwd=tmp_path, env=cli_env(ANTHROPIC_API_KEY="sk-ant-test",
                                      BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        )  # fmt: skip
        assert server.total == 1
    assert stopped.returncode == 2, stopped.stderr
    said = " ".join(stopped.stderr.split())
    stop = "the account's quota is spent, so the command stopped: anthropic: HTTP 400: "
    assert stop + LOW_BALANCE in said and "Traceback" not in said


@pytest.mark.parametrize("status", [401, 404])
def test_a_no_cache_run_stopped_before_any_reply_leaves_no_journal(
    server: LoopbackServer, tmp_path: Path, status: int
) -> None:
    """A ``--no-cache`` run whose first call is refused has received nothing to resume from,
    yet it left an empty ``out/.backbone/journal.sqlite`` (the only trace of a run that
    wrote nothing). A run stopped after some replies keeps them for the rerun (above); one
    stopped before any now leaves no folder at all, as bad input does."""
    write_suite(tmp_path / "suite.yaml")
    message = STOPS[status][0]
    server.fail(Fault.http(status, message=message), when=lambda c: True)
    stopped = run(server, tmp_path, "--no-cache")
    assert stopped.returncode == 2, stopped.stderr
    assert message in stopped.stderr and "Traceback" not in stopped.stderr
    assert server.total == 1
    left = sorted(str(p.relative_to(tmp_path)) for p in (tmp_path / "out").rglob("*"))
    assert not (tmp_path / "out").exists(), left
