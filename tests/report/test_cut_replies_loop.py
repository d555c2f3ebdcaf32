"""A reply cut at the token limit because the model repeats one sentence until it runs out is
not an answer a larger limit would finish: the run's note says how many of the cut replies
loop. Before, every cut reply was given the same advice ("a larger --max-tokens gives whole
answers"), where 10 of the embedded model's 11 cut replies on the golden set were loops."""

from __future__ import annotations

from pathlib import Path

from tests.support.loopback import (
    FRANCE,
    ITALY,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    cli_env,
    planted_bot,
    read_results,
    run_cli,
    write_suite,
)
from tests.targets.test_reply_shapes import STILL_ROME, openai_body

LOOP = (
    "The capital of France is Paris. I'm here to help with any question you have. "
    "I'm here to help with any question you have. I'm here to help with"
)


def test_the_note_says_how_many_cut_replies_repeat_themselves(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    with LoopbackServer(planted_bot) as server:
        server.fail(  # a cut reply that was still answering, and one that loops
            Fault.raw(openai_body({"content": STILL_ROME}, "length")),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
        )
        server.fail(
            Fault.raw(openai_body({"content": LOOP}, "length")),
            when=lambda c: c.conversation == FRANCE and c.turn == 1,
        )
        proc = run_cli(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
             "suite.yaml", "--out", "out"],
            env=env, cwd=tmp_path,
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert read_results(tmp_path / "out")["stats"]["cut_replies"] == 2
    said = " ".join(proc.stdout.split())
    replies = sum(PLANTED_REQUESTS.values())
    assert (
        f"note: 2 of {replies} replies stopped at the token limit (max_tokens 512) and are "
        "graded as they are, maybe cut mid-answer: a larger --max-tokens gives whole answers; "
        "1 of them repeats a sentence word for word, a loop that more tokens would not end"
    ) in said
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "1 of them repeats a sentence word for word" in html
