"""A reply with no text that stopped at a length limit (``finish_reason: length``) is asked
again with a larger token limit only when its usage shows the limit spent (or reasoning
tokens counted). One whose usage counts far fewer
tokens than the limit met another limit (the model's context window, a cap of the server's):
it used to be asked again at 2,048 and 8,192 tokens, two calls paid for in vain, and its
reason still said the limit was spent on reasoning. It now fails at once, its reason saying
what the server returned, and its scenario ends ``unscored`` with that reason."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from backbone.targets.errors import NoTextError
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
from tests.targets.test_reply_shapes import ask, openai_body, provider

SHORT = {"prompt_tokens": 4000, "completion_tokens": 12}  # of max_tokens 512
NOT_SPENT = (
    "openai: the reply has no text (finish_reason 'length': completion_tokens 12 of max_tokens "
    "512: the limit was not spent, so another one stopped it (the model's context window, "
    "filled by the conversation, or a cap of the server's own), unless the server leaves "
    "reasoning out of its count; not asked again with a larger limit)"
)


def no_text(usage: dict[str, Any] | None, **message: Any) -> Fault:
    extra = {} if usage is None else {"usage": usage}
    return Fault.raw(openai_body({"content": None, **message}, "length", **extra))


async def test_a_limit_the_usage_shows_unspent_is_not_asked_again_with_more() -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(no_text(SHORT), when=lambda c: True)
        with pytest.raises(NoTextError) as info:
            await ask(provider("openai", server))
        sent = [c.body["max_tokens"] for c in server.calls]
    assert sent == [512]  # was [512, 2048, 8192]
    assert str(info.value) == NOT_SPENT


@pytest.mark.parametrize(
    ("usage", "message"),
    [
        pytest.param({"completion_tokens": 512}, {}, id="usage-counts-the-whole-limit"),
        pytest.param(
            {"completion_tokens": 0, "completion_tokens_details": {"reasoning_tokens": 64}},
            {},
            id="reasoning-tokens-counted",
        ),
    ],
)
async def test_a_limit_spent_on_reasoning_is_asked_again_with_more(
    usage: dict[str, Any], message: dict[str, Any]
) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(no_text(usage, **message), on=[1])
        reply = await ask(provider("openai", server), whole=True)
        sent = [c.body["max_tokens"] for c in server.calls]
    assert sent == [512, 2048] and reply.text


async def test_reasoning_text_the_count_may_leave_out_is_not_a_guess_paid_for() -> None:
    """Reasoning text beside no reply, the usage counting 12 of 512 and no reasoning tokens:
    most servers count the reasoning (the limit was then not spent), some leave it out; not
    known, so not asked again with more, and the reason says so."""
    with LoopbackServer(planted_bot) as server:
        server.fail(no_text(SHORT, reasoning_content="Let me think..."), when=lambda c: True)
        with pytest.raises(NoTextError) as info:
            await ask(provider("openai", server))
        assert server.total == 1
    assert str(info.value) == (
        "openai: the reply has no text (finish_reason 'length': completion_tokens 12 of "
        "max_tokens 512, with reasoning text beside the reply that the count may leave out, so "
        "whether the token limit was spent (on reasoning perhaps) is not known; not asked again "
        "with a larger limit (a larger --max-tokens may help))"
    )


def test_cli_the_scenarios_end_unscored_saying_what_the_server_returned(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        server.fail(no_text(SHORT), when=lambda c: True)
        proc = run_cli(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
             "--suite", "suite.yaml", "--out", "out", "--no-cache", "--concurrency", "1"],
            env=cli_env(), cwd=tmp_path,
        )  # fmt: skip
        assert server.total == len(PLANTED_REQUESTS)  # each opening once, never with more
    assert "asking again" not in proc.stderr
    doc = read_results(tmp_path / "out")
    assert {s["outcome"] for s in doc["scenarios"]} == {"unscored"}
    assert all(s["reason"].endswith(NOT_SPENT) for s in doc["scenarios"])
    assert "sent" not in doc["options"]  # the limit never grew


def test_the_batch_item_with_its_limit_unspent_is_final_not_sent_again_with_more() -> None:
    from backbone.targets.batch_openai import OpenAIBatchClient
    from backbone.targets.openai_compat import OpenAITarget

    target = OpenAITarget("m", base_url="http://127.0.0.1:9/v1")
    client = OpenAIBatchClient(target)
    body = json.loads(openai_body({"content": None}, "length", usage=SHORT))
    client._limits["k"] = {"max_tokens": 512}
    item = client._item(
        {"custom_id": "k", "response": {"status_code": 200, "body": body}, "error": None}
    )
    assert item.final and target.budget == 512
    assert "completion_tokens 12 of max_tokens 512" in (item.error or "")
