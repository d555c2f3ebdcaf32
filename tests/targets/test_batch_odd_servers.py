"""Batch APIs that answer in odd but real ways, on a loopback batch server: upper-case
statuses (Together AI's ``VALIDATING``, ``IN_PROGRESS``, ``COMPLETED``...), a batch that ends
``failed`` with the provider's reason in its ``errors``, and a results download answered with
a proxy's HTML page."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from backbone.evaluation.evaluate import evaluate
from tests.support.batch_env import offline_batch_env
from tests.support.batch_server import GARBLED, BatchServer
from tests.support.loopback import (
    PLANTED_OUTCOMES,
    PLANTED_REQUESTS,
    outcome_tuples,
    planted_bot,
    write_suite,
)

TURNS = max(PLANTED_REQUESTS.values())


@pytest.fixture(autouse=True)
def _env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    offline_batch_env(monkeypatch, tmp_path)


class _UpperCase(BatchServer):
    """Together AI's batch API: the OpenAI shape, its statuses in capitals, and a batch that
    is ``VALIDATING`` at its first poll."""

    def _openai_view(self, b: Any) -> dict[str, Any]:
        view = super()._openai_view(b)
        view["status"] = "VALIDATING" if self.polls[b.id] <= 1 else view["status"].upper()
        return view


def test_upper_case_statuses_are_read_as_the_same_statuses(tmp_path: Path) -> None:
    """``VALIDATING`` and ``IN_PROGRESS`` were taken for ended statuses: each batch was read
    at its first poll, found without results, and its requests submitted twice more (paid
    three times), then all sent online at the full price: 12 batches and 15 online calls for
    a run of 4 turns."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with _UpperCase(planted_bot, delay=0.2) as server:
        run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False)
        assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
        assert server.creates == TURNS and server.total == 0
        stats = run.options["batch"]["target"]
        assert (stats["rebatched"], stats["online"]) == (0, 0)


class _Failed(BatchServer):
    """Every batch ends ``failed`` (nothing ran), saying why in ``errors``, as OpenAI's does
    for an organisation past its enqueued token limit."""

    def _openai_view(self, b: Any) -> dict[str, Any]:
        view = super()._openai_view(b)
        said = "Enqueued token limit reached for m in organization org-x."
        error = {"code": "token_limit_exceeded", "line": None, "message": said}
        return {**view, "status": "failed", "output_file_id": None, "error_file_id": None,
                "errors": {"object": "list", "data": [error]}}  # fmt: skip


def test_a_failed_batch_says_why_it_failed(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    """The requests of a failed batch go in the next batch, then online (nothing is lost);
    the warnings named only "ended failed without a result", never the provider's reason."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with _Failed(planted_bot) as server, caplog.at_level(logging.WARNING):
        run = evaluate(suite, "openai:m", base_url=server.openai_base_url, batch=True, cache=False)
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    said = [r.getMessage() for r in caplog.records if "sending it online" in r.getMessage()]
    assert said and all(
        "ended failed (token_limit_exceeded: Enqueued token limit reached for m in "
        "organization org-x.) without a result" in s
        for s in said
    )


class _PageFirst(BatchServer):
    """The first download of a results file (OpenAI's output or error file, Anthropic's
    results) is answered 200 with a proxy's HTML page instead of the file."""

    pages = 0

    def _page(self) -> web.Response | None:
        if self.pages:
            return None
        self.pages += 1
        return web.Response(text=GARBLED, content_type="text/html")

    async def _file_content(self, request: web.Request) -> web.Response:
        return self._page() or await super()._file_content(request)

    async def _results_anthropic(self, request: web.Request) -> web.Response:
        return self._page() or await super()._results_anthropic(request)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_a_results_file_answered_with_a_page_is_asked_for_again_not_paid_for_again(
    tmp_path: Path, api: str
) -> None:
    """The page was read as a results file with no lines: the batch's requests, all
    answered, were taken as unanswered and submitted again in another batch (paid twice)."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with _PageFirst(planted_bot) as server:
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
        assert server.pages == 1
        assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
        assert server.creates == TURNS and server.total == 0
        stats = run.options["batch"]["target"]
        assert (stats["rebatched"], stats["online"]) == (0, 0)


class _ErrorBodyOnce(BatchServer):
    """The first batch create is answered 200 with an error body (a proxy in front of the
    batch API passing the provider's overload on), as online calls sometimes are."""

    refused = 0

    async def _create_openai(self, request: web.Request) -> web.Response:
        if not self.refused:
            self.refused += 1
            error = {"type": "server_error", "message": "The server is overloaded"}
            return web.json_response({"error": error})
        return await super()._create_openai(request)

    async def _create_anthropic(self, request: web.Request) -> web.Response:
        if not self.refused:
            self.refused += 1
            error = {"type": "overloaded_error", "message": "Overloaded"}
            return web.json_response({"type": "error", "error": error})
        return await super()._create_anthropic(request)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_an_error_in_a_200_batch_answer_is_read_as_that_error_and_retried(
    tmp_path: Path, api: str
) -> None:
    """Online, a 200 whose body is an error is read as that error (retried when it says
    the fault passes); in batch mode it was an "unreadable response" that failed every
    request of the batch at once: the first turn's scenarios all ended unscored."""
    suite = str(write_suite(tmp_path / "suite.yaml"))
    with _ErrorBodyOnce(planted_bot) as server:
        base = server.openai_base_url if api == "openai" else server.anthropic_base_url
        run = evaluate(suite, f"{api}:m", base_url=base, batch=True, cache=False)
        assert server.refused == 1
        assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
        assert server.creates == TURNS and server.total == 0
