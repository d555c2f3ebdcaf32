"""``stats.failed_calls`` counts every call this process sent that failed, not only the
attempts a retry layer saw: a batch item that failed (sent again in the next batch, or final)
and a call an OpenAI-compatible target sent again with other settings (a parameter the model
refused, a token limit spent on reasoning). A batch run whose items failed said "0 of them
failed", and a run against a reasoning model that paid for replies spent on reasoning did
too. A run that resumed a killed one says that the killed run's failed calls are not known,
rather than showing its count as the whole."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from backbone.evaluation.evaluate import evaluate
from tests.evaluation.test_journal_resume_count import SUITE
from tests.evaluation.test_journal_resume_count import _run as run_dying
from tests.support.batch_env import offline_batch_env
from tests.support.batch_server import BatchServer
from tests.support.loopback import (
    CANADA,
    ITALY,
    PLANTED_REQUESTS,
    LoopbackServer,
    first_user_message,
    planted_bot,
    read_results,
    write_suite,
)
from tests.targets.test_reasoning_models import reasoning_model, spend_all


def opening(messages: list[dict[str, str]], question: str) -> bool:
    return first_user_message(messages) == question and all(
        m["role"] != "assistant" for m in messages
    )


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_failed_batch_items_are_failed_calls(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, api: str
) -> None:
    offline_batch_env(monkeypatch, tmp_path)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with BatchServer(planted_bot) as server:
        server.tool_calls(lambda m: opening(m, CANADA))  # final: no text
        server.item_errors(lambda m: opening(m, ITALY), times=1)  # sent again once
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
        batched = sum(len(b.items) for b in server.batches.values())
        assert server.total == 0  # nothing online
    assert run.options["batch"]["target"]["requests"] == batched
    assert (run.stats.calls, run.stats.failed_calls) == (batched - 2, 2)  # was (.., 0)


def test_calls_sent_again_with_a_larger_limit_are_failed_calls(tmp_path: Path) -> None:
    """A reasoning model: each conversation's first call is refused (max_tokens), and one
    reply spends its limit; every such call was sent and failed."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with LoopbackServer(planted_bot) as server:
        reasoning_model(server)
        spend_all(server, lambda c: c.body.get("max_completion_tokens", 0) < 1000)
        run = evaluate(
            suite, "openai:gpt-5-mini", base_url=server.openai_base_url, cache=False,
            concurrency=1, max_tokens=300,
        )  # fmt: skip
        failed = sum(1 for c in server.calls if c.fault is not None)
        assert server.total == sum(PLANTED_REQUESTS.values()) + failed
    assert failed >= 3  # max_tokens, temperature refused; one limit spent
    assert run.stats.failed_calls == failed  # was 0


def test_a_resumed_run_says_the_killed_runs_failed_calls_are_not_known(tmp_path: Path) -> None:
    (tmp_path / "suite.yaml").write_text(SUITE, encoding="utf-8")
    target = "python:tests.fixtures.dying_bot:reply"
    killed = run_dying(tmp_path, target, kill_at=3)
    assert killed.returncode == -9, killed.stdout + killed.stderr  # 2 replies journaled
    resumed: subprocess.CompletedProcess[str] = run_dying(tmp_path, target, kill_at=0)
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resuming: 2 replies" in resumed.stderr
    assert (
        "target calls: 3 made, 2 from cache (2 of them resumed from a killed run, whose failed "
        "calls are not known)"
    ) in " ".join(resumed.stdout.split())
    doc = read_results(tmp_path / "out")
    assert doc["options"]["resumed"] == 2
    html = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert "resumed from a killed run, whose failed calls are not known" in html
