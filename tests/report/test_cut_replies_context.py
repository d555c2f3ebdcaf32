"""A reply cut because the conversation filled the model's context window (Anthropic's
``stop_reason: model_context_window_exceeded``; an OpenAI-compatible server's ``finish_reason:
length`` with fewer tokens than ``max_tokens`` asked for) is marked so, and the cut-replies
note no longer advises "a larger --max-tokens gives whole answers" for it: more tokens would
not lift that limit; a shorter conversation or a larger context window would. The note says
what is seen (a limit met before max_tokens was used up), not a context cut for certain: a
server that leaves hidden reasoning out of its count looks the same; and a reply that shows
reasoning text its usage does not count apart is not marked at all. The mark is kept
by the cache (a re-run says the same), in transcripts.jsonl and by a rescore."""

from __future__ import annotations

from pathlib import Path
from subprocess import CompletedProcess

import pytest

from tests.support.loopback import (
    FRANCE,
    ITALY,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    backbone_here,
    cli_env,
    planted_bot,
    read_results,
)
from tests.support.loopback import write_suite as write_planted_suite
from tests.targets.test_cut_replies import marked_turns, rescore_with_a_plain_judge
from tests.targets.test_reply_shapes import STILL_ROME, anthropic_body, ask, openai_body, provider

OPENAI_USAGE = {"prompt_tokens": 4000, "completion_tokens": 96}  # short of max_tokens 512
ALL_OF_IT = {"prompt_tokens": 30, "completion_tokens": 512}
REASONED = {"completion_tokens": 96, "completion_tokens_details": {"reasoning_tokens": 416}}


@pytest.mark.parametrize(
    ("api", "body", "by_context"),
    [
        ("anthropic", anthropic_body([{"type": "text", "text": STILL_ROME}],
                                     "model_context_window_exceeded"), True),
        ("anthropic", anthropic_body([{"type": "text", "text": STILL_ROME}], "max_tokens"),
         False),
        ("openai", openai_body({"content": STILL_ROME}, "length", usage=OPENAI_USAGE), True),
        ("openai", openai_body({"content": STILL_ROME}, "length", usage=ALL_OF_IT), False),
        ("openai", openai_body({"content": STILL_ROME}, "length"), False),  # no usage: unknown
        # reasoning tokens given apart from completion_tokens: all 512 were spent
        ("openai", openai_body({"content": STILL_ROME}, "length", usage=REASONED), False),
        # reasoning text beside the reply and none counted apart: whether completion_tokens
        # holds it is not shown, so no context cut is claimed (it was)
        ("openai", openai_body({"content": STILL_ROME, "reasoning_content": "Hmm, Rome..."},
                               "length", usage=OPENAI_USAGE), False),
    ],
)  # fmt: skip
async def test_a_reply_the_context_window_cut_is_marked_so(
    api: str, body: bytes, by_context: bool
) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.raw(body), on=[1])
        reply = await ask(provider(api, server), whole=True)
    assert (reply.cut, reply.cut_by_context) == (True, by_context)


def run_cli(args: list[str], *, env: dict[str, str], cwd: Path) -> CompletedProcess[str]:
    """``backbone ARGS`` in this process; fails the test with its output when it exits non-zero."""
    proc = backbone_here(args, env=env, cwd=cwd)
    assert proc.returncode == 0, f"exited {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
    return proc


def cut_at(server: LoopbackServer, question: str, usage: dict[str, int]) -> None:
    """The reply to ``question``'s first pressure turn stops at a length limit."""
    server.fail(
        Fault.raw(openai_body({"content": STILL_ROME}, "length", usage=usage)),
        when=lambda c: c.conversation == question and c.turn == 1,
    )


def test_the_note_gives_the_advice_that_fits_and_a_rerun_says_the_same(tmp_path: Path) -> None:
    write_planted_suite(tmp_path / "suite.yaml")
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    args = ["run", "--target", "openai:m", "--suite", "suite.yaml", "--out"]
    with LoopbackServer(planted_bot) as server:
        cut_at(server, ITALY, OPENAI_USAGE)
        base = ["--base-url", server.openai_base_url]
        first = run_cli([*args, "out", *base], env=env, cwd=tmp_path)
        again = run_cli([*args, "again", *base], env=env, cwd=tmp_path)  # from the cache
        assert server.total == sum(PLANTED_REQUESTS.values())
    for proc, out in ((first, "out"), (again, "again")):
        said = " ".join(proc.stdout.split())
        assert (
            "note: 1 of 15 replies stopped at a token limit before max_tokens 512 was used up "
            "and are graded as they are, maybe cut mid-answer: the limit they met is another "
            "(the model's context window, filled by the conversation, most likely, or a cap of "
            "the server's own), which a larger --max-tokens would not lift (unless the server "
            "leaves a model's hidden reasoning out of its token counts); a shorter "
            "conversation, or a model (or server) with a larger context window, would"
        ) in said
        assert "gives whole answers" not in said
        stats = read_results(tmp_path / out)["stats"]
        assert (stats["cut_replies"], stats["cut_by_context"]) == (1, 1)
        assert marked_turns(tmp_path / out, "cut_by_context") == [("italy", 1)]
    rescored = rescore_with_a_plain_judge(tmp_path, env)
    assert read_results(tmp_path / "re")["stats"]["cut_by_context"] == 1
    assert "a larger --max-tokens would not lift" in " ".join(rescored.stdout.split())


def test_a_run_with_both_kinds_of_cut_says_which_is_which(tmp_path: Path) -> None:
    write_planted_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        cut_at(server, ITALY, OPENAI_USAGE)
        cut_at(server, FRANCE, ALL_OF_IT)
        proc = run_cli(
            ["run", "--target", "openai:m", "--suite", "suite.yaml", "--out", "out",
             "--base-url", server.openai_base_url, "--no-cache"],
            env=cli_env(), cwd=tmp_path,
        )  # fmt: skip
    said = " ".join(proc.stdout.split())
    assert (
        "note: 2 of 15 replies stopped at a token limit and are graded as they are, maybe cut "
        "mid-answer: 1 at max_tokens 512, which a larger --max-tokens lifts, and 1 before it "
        "was used up, at another limit (the model's context window, filled by the "
        "conversation, most likely, or a cap of the server's own), which it would not lift "
        "(unless the server leaves a model's hidden reasoning out of its token counts"
    ) in said
