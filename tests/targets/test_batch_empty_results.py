"""A batch whose results download comes back empty (HTTP 200, no body: a proxy's fault) is
asked for again, not read as a batch with no results: Anthropic's (every request of an ended
batch has a result line), and an OpenAI output file the batch counts completed requests for.
Read as none, each request of the batch, answered and paid for, was sent (and paid for) again
in the next batch."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from backbone.evaluation.evaluate import evaluate
from tests.support.batch_env import offline_batch_env
from tests.support.batch_server import BatchServer
from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    outcome_tuples,
    planted_bot,
    write_suite,
)


def test_an_empty_results_download_is_asked_for_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    offline_batch_env(monkeypatch, tmp_path)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    downloads: list[str] = []

    def first_empty(which: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        downloads.append(which)
        return [] if len(downloads) == 1 else lines

    with BatchServer(planted_bot) as server:
        server.rewrite = first_empty
        run = evaluate(suite, "anthropic:m", base_url=server.anthropic_base_url, batch=True,
                       cache=False)  # fmt: skip
        assert server.batch_items == sum(PLANTED_REQUESTS.values())  # was 20: 5 sent again
        assert server.total == 0
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert run.options["batch"]["target"]["rebatched"] == 0
    assert run.stats.failed_calls == 0


def test_an_empty_openai_output_file_the_batch_counts_lines_for_is_asked_for_again(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    offline_batch_env(monkeypatch, tmp_path)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    outputs: list[int] = []

    def first_output_empty(which: str, lines: list[dict[str, Any]]) -> list[dict[str, Any]]:
        if which == "output":
            outputs.append(len(lines))
            return [] if len(outputs) == 1 else lines
        return lines

    with BatchServer(planted_bot) as server:
        server.rewrite = first_output_empty
        run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True,
                       cache=False)  # fmt: skip
        assert server.batch_items == sum(PLANTED_REQUESTS.values())  # was 20: 5 sent again
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    assert run.options["batch"]["target"]["rebatched"] == 0
