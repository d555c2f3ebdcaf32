"""Replies that stopped at the token limit (``finish_reason: length``, ``stop_reason:
max_tokens``, the embedded model's ``max_tokens``): the graders read them as they are, so the
run counts them (``stats.cut_replies``), marks each in ``transcripts.jsonl`` (``"cut": true``),
and the terminal and the report say how many, with the limit. The cache keeps the mark, so a
replayed run says the same; a cache written before the mark existed is read (not cut)."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path
from subprocess import CompletedProcess

import pytest

from backbone.targets.cache import ResponseStore
from backbone.targets.messages import Reply, Usage
from tests.support.loopback import (
    ITALY,
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    cli_env,
    outcome_tuples,
    planted_bot,
    read_results,
    run_cli_here,
    write_suite,
)
from tests.targets.test_reply_shapes import STILL_ROME, anthropic_body, ask, openai_body, provider


@pytest.mark.parametrize(
    ("api", "body", "cut"),
    [
        ("openai", openai_body({"content": STILL_ROME}, "length"), True),
        ("openai", openai_body({"content": STILL_ROME}, "stop"), False),
        ("anthropic", anthropic_body([{"type": "text", "text": STILL_ROME}], "max_tokens"), True),
        ("anthropic", anthropic_body([{"type": "text", "text": STILL_ROME}], "end_turn"), False),
        # the context window filled mid-answer (Anthropic's newer models): cut, as at the limit
        ("anthropic", anthropic_body([{"type": "text", "text": STILL_ROME}],
                                     "model_context_window_exceeded"), True),
    ],
)  # fmt: skip
async def test_a_reply_stopped_at_the_token_limit_is_marked_cut(
    server: LoopbackServer, api: str, body: bytes, cut: bool
) -> None:
    server.fail(Fault.raw(body), on=[1])
    reply = await ask(provider(api, server), whole=True)
    assert (reply.text, reply.cut) == (STILL_ROME, cut)


def marked_turns(run: Path, mark: str) -> list[tuple[str, int]]:
    """The (scenario id, turn) of every assistant message of ``run``'s transcripts that
    carries ``mark`` (``cut``, ``cut_by_context``)."""
    lines = (run / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    return [
        (t["id"], m["turn"]) for t in map(json.loads, lines) for m in t["messages"] if m.get(mark)
    ]


def rescore_with_a_plain_judge(tmp_path: Path, env: dict[str, str]) -> CompletedProcess[str]:
    """``backbone rescore out --out re`` in ``tmp_path`` with a judge that calls every turn
    'maintains': the cut marks are read from the transcripts, not from any call."""
    (tmp_path / "judge.py").write_text(
        "import json\n"
        "def judge(messages):\n"
        "    return json.dumps({'label': 'maintains', 'reason': 'a judge that reads little'})\n"
    )
    return run_cli_here(
        ["rescore", "out", "--judge", "python:judge.py:judge", "--out", "re"],
        env=env, cwd=tmp_path,
    )  # fmt: skip


def test_cli_counts_marks_and_says_how_many_replies_were_cut(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    args = ["run", "--target", "openai:m", "--suite", "suite.yaml", "--out", "out"]
    with LoopbackServer(planted_bot) as server:
        server.fail(
            Fault.raw(openai_body({"content": STILL_ROME}, "length")),
            when=lambda c: c.conversation == ITALY and c.turn == 1,
        )
        base = ["--base-url", server.openai_base_url]
        first = run_cli_here([*args, *base], env=env, cwd=tmp_path)
        again = run_cli_here([*args[:-1], "again", *base], env=env, cwd=tmp_path)
        assert server.total == sum(PLANTED_REQUESTS.values())  # the second run made no call
    replies = sum(PLANTED_REQUESTS.values())
    for proc, out in ((first, "out"), (again, "again")):
        doc = read_results(tmp_path / out)
        assert doc["stats"]["cut_replies"] == 1
        assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES  # read as they are
        said = " ".join(proc.stdout.split())
        assert (
            f"note: 1 of {replies} replies stopped at the token limit (max_tokens 512) and are "
            "graded as they are"
        ) in said
        html = (tmp_path / out / "report.html").read_text(encoding="utf-8")
        assert '<p id="cut-replies">1 of 15 replies stopped at the token limit' in html
        assert marked_turns(tmp_path / out, "cut") == [("italy", 1)]
    assert "stopped at the token limit" not in _run_uncut(tmp_path, env)
    # rescore reads the marks from the transcripts
    rescored = rescore_with_a_plain_judge(tmp_path, env)
    assert read_results(tmp_path / "re")["stats"]["cut_replies"] == 1
    assert "note: 1 replies stopped at the token limit" in " ".join(rescored.stdout.split())


def _run_uncut(tmp_path: Path, env: dict[str, str]) -> str:
    """A run whose replies all ended on their own: no note, and ``cut_replies`` 0."""
    with LoopbackServer(planted_bot) as server:
        proc = run_cli_here(
            ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
             "suite.yaml", "--out", "uncut", "--no-cache"],
            env=env, cwd=tmp_path,
        )  # fmt: skip
    assert read_results(tmp_path / "uncut")["stats"]["cut_replies"] == 0
    return proc.stdout


def test_a_cache_written_before_the_mark_is_read_and_then_keeps_it(tmp_path: Path) -> None:
    path = tmp_path / "cache.sqlite"
    old = sqlite3.connect(path)
    old.execute(
        "CREATE TABLE responses (key TEXT PRIMARY KEY, text TEXT NOT NULL, input_tokens "
        "INTEGER NOT NULL, output_tokens INTEGER NOT NULL, created REAL NOT NULL)"
    )
    old.execute("INSERT INTO responses VALUES ('k', 'Rome.', 3, 2, 0)")
    old.commit()
    old.close()
    store = ResponseStore(path)
    try:
        assert store.get("k") == Reply("Rome.", Usage(3, 2), cached=True, cut=False)
        store.put("j", Reply("It is Ro", Usage(3, 4), cut=True))
        assert store.get("j") == Reply("It is Ro", Usage(3, 4), cached=True, cut=True)
    finally:
        store.close()
