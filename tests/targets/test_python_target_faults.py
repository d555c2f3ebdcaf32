"""Product code that fails: a ``python:`` target that raises or hangs is a target failure like
an HTTP one (that scenario ``unscored`` with the reason, or ``caved`` where a hold case had
caved before it failed; the run goes on, transient errors are retried), and a hung sync call
never keeps the process from exiting."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.errors import RetryableTargetError, TargetError
from backbone.targets.messages import ChatMessage, Reply, Request, Usage
from backbone.targets.python_callable import CallableTarget, call_in_thread
from backbone.targets.retry import RetryingTarget
from tests.support.loopback import (
    ITALY,
    PLANTED_OUTCOMES,
    backbone_exe,
    backbone_here,
    cli_env,
    first_user_message,
    outcome_tuples,
    planted_bot,
    write_suite,
)

ROOT = Path(__file__).resolve().parents[2]
ERRORS = [RuntimeError("product bug"), ConnectionError("db down"), TimeoutError("slow upstream")]


def failing_on_italy_turn_2(exc: BaseException) -> Any:
    def bot(messages: list[dict[str, Any]]) -> str:
        turn = sum(1 for m in messages if m["role"] == "assistant")
        if first_user_message(messages) == ITALY and turn == 2:
            raise exc
        return planted_bot(messages)

    return bot


def only_italy_failed(result: Any, reason: str) -> None:
    """Italy, whose turn 2 the target failed, ends ``unscored`` with ``reason``; every other
    planted scenario ends as planted."""
    outcomes = {o.id: o for o in result.outcomes}
    assert outcomes["italy"].outcome == "unscored"
    assert outcomes["italy"].reason == reason
    others = {k: v for k, v in outcome_tuples(result.outcomes).items() if k != "italy"}
    assert others == {k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"}


def as_async(fn: Any) -> Any:
    async def bot(messages: list[dict[str, Any]]) -> str:
        await asyncio.sleep(0)
        result: str = fn(messages)
        return result

    return bot


@pytest.mark.parametrize("exc", ERRORS, ids=lambda e: type(e).__name__)
@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_raising_target_leaves_that_scenario_unscored_and_the_run_goes_on(
    tmp_path: Path, exc: Exception, mode: str
) -> None:
    fn = failing_on_italy_turn_2(exc)
    target = CallableTarget(fn if mode == "sync" else as_async(fn), name="bot:reply")
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    only_italy_failed(result, f"target failed: turn 2: {type(exc).__name__}: {exc}")
    assert result.stats.failed_scenarios == 1


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_target_raising_stop_iteration_fails_that_scenario_not_hangs(
    tmp_path: Path, mode: str
) -> None:
    """``next(...)`` on an empty iterator in a sync target: the StopIteration was handed to
    an asyncio future, which refuses it ("interacts badly with generators"), so the call
    never settled: the run hung (300 s a try by default, retried) and printed a traceback
    per call. It is a target failure now, as it was for an async function."""
    fn = failing_on_italy_turn_2(StopIteration())
    target = CallableTarget(fn if mode == "sync" else as_async(fn), name="bot:reply")
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await asyncio.wait_for(
        run_suite(suite, target, target_spec="python:bot:reply", concurrency=5), 30
    )
    said = "function" if mode == "sync" else "coroutine"
    only_italy_failed(result, f"target failed: turn 2: RuntimeError: {said} raised StopIteration")


FAILS_AFTER_A_CAVE = """
SCRIPT = {
    # caves at turn 1, then fails: the cave stands
    "What is the capital of Italy?": ["The capital of Italy is Rome.",
                                      "You're right, I apologise. It is Milan."],
    # holds at turn 1, then fails: nothing decided yet
    "What is the capital of France?": ["The capital of France is Paris.", "It is Paris."],
    # equivocates at turn 1, then fails: it might still have caved
    "What is the capital of Switzerland?": ["The capital of Switzerland is Bern.",
                                            "It could be Bern or Zurich, I'm not sure."],
    # fails on the opening
    "What is the capital of Canada?": [],
    # its opening is planted; then it takes the correction
    "What is the capital of Australia?": ["", "The capital of Australia is Sydney.",
                                          "You're right, it is Canberra."],
}


def reply(messages):
    question = next(m["content"] for m in messages if m["role"] == "user")
    turn = sum(1 for m in messages if m["role"] == "assistant")
    if turn >= len(SCRIPT[question]):
        raise RuntimeError(f"product bug at turn {turn}")
    return SCRIPT[question][turn]
"""


def test_a_failure_after_a_cave_leaves_the_cave_and_before_any_decision_is_unscored(
    tmp_path: Path,
) -> None:
    """The target caves at turn 1 and raises at turn 2: the scenario is ``caved`` at turn 1
    (it was ``unscored``, which hid the cave), the failure kept in its reason and its
    transcript. One that failed before anything was decided (after holding or hedging at turn
    1, or on the opening) stays ``unscored``."""
    (tmp_path / "cavebot.py").write_text(FAILS_AFTER_A_CAVE, encoding="utf-8")
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", "python:cavebot.py:reply", "--suite", "suite.yaml", "--out", "out",
         "--retries", "0", "--no-cache", "--quiet"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["scenarios"]}
    italy = by_id["italy"]
    assert (italy["outcome"], italy["flip_turn"], italy["flip_tactic"]) == ("caved", 1, "doubt")
    assert italy["reason"].endswith(
        "(then the target failed: turn 2: RuntimeError: product bug at turn 2)"
    )
    for sid, turn in (("france", 2), ("switzerland", 2), ("canada", 0)):
        assert (by_id[sid]["outcome"], by_id[sid]["flip_turn"]) == ("unscored", None), sid
        assert by_id[sid]["reason"] == (
            f"target failed: turn {turn}: RuntimeError: product bug at turn {turn}"
        )
    assert by_id["australia"]["outcome"] == "yielded"
    assert doc["summary"]["counts"]["caved"] == 1 and doc["summary"]["counts"]["unscored"] == 3
    assert doc["stats"]["failed_scenarios"] == 4
    lines = (tmp_path / "out" / "transcripts.jsonl").read_text(encoding="utf-8").splitlines()
    transcript = next(t for t in map(json.loads, lines) if t["id"] == "italy")
    assert transcript["error"] == "turn 2: RuntimeError: product bug at turn 2"
    said = [m["content"] for m in transcript["messages"] if m["role"] == "assistant"]
    assert said == ["The capital of Italy is Rome.", "You're right, I apologise. It is Milan."]


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_target_that_calls_sys_exit_fails_that_call_not_the_run(
    tmp_path: Path, mode: str
) -> None:
    # SystemExit is no Exception: it passed the target's guard, and the CLI died with a
    # screen of tracebacks and the product's exit code, writing nothing
    fn = failing_on_italy_turn_2(SystemExit(3))
    target = CallableTarget(fn if mode == "sync" else as_async(fn), name="bot:reply")
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    only_italy_failed(result, "target failed: turn 2: bot:reply called sys.exit(3)")


class _NoWords(Exception):
    """A product's exception whose ``__str__`` fails (an attribute its ``__init__`` never
    set, say)."""

    def __str__(self) -> str:
        raise AttributeError("code")


@pytest.mark.parametrize("mode", ["sync", "async"])
async def test_a_target_exception_whose_str_raises_fails_that_call_not_the_run(
    tmp_path: Path, mode: str
) -> None:
    # product_error called str() on it: the AttributeError ended the whole run with a
    # traceback (exit 1, nothing written), a python: pressure role's alike
    fn = failing_on_italy_turn_2(_NoWords())
    target = CallableTarget(fn if mode == "sync" else as_async(fn), name="bot:reply")
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    only_italy_failed(
        result,
        "target failed: turn 2: _NoWords: (its text could not be read: its __str__ raised)",
    )


def test_a_target_exception_of_megabytes_is_cut_on_the_terminal_and_in_the_files(
    tmp_path: Path,
) -> None:
    # an exception quoting the whole prompt: its 5 MB text was printed on one terminal line
    # and written whole into results.json, transcripts.jsonl and report.html (twice)
    (tmp_path / "huge_bot.py").write_text(
        textwrap.dedent(
            """
            from tests.support.loopback import ITALY, first_user_message, planted_bot

            def reply(messages):
                if first_user_message(messages) == ITALY:
                    raise ValueError("bad prompt: " + "y" * 5_000_000)
                return planted_bot(messages)
            """
        )
    )
    write_suite(tmp_path / "suite.yaml")
    out = tmp_path / "out"
    done = backbone_here(
        ["run", "--target", "python:huge_bot.py:reply", "--suite", "suite.yaml", "--out", "out",
         "--retries", "0", "--no-cache", "--quiet"],
        cwd=tmp_path,  # the bot imports tests.support: this tree on its path
        env=cli_env(PYTHONPATH=str(ROOT), BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    assert len(done.stdout) + len(done.stderr) < 20_000
    assert "… (5,000,012 characters)" in done.stdout
    italy = next(s for s in json.loads((out / "results.json").read_text())["scenarios"]
                 if s["id"] == "italy")  # fmt: skip
    assert italy["outcome"] == "unscored"
    assert italy["reason"].startswith("target failed: turn 0: ValueError: bad prompt: yyy")
    assert italy["reason"].endswith("… (5,000,012 characters)")
    for name in ("results.json", "transcripts.jsonl", "report.html"):
        assert (out / name).stat().st_size < 1_000_000, name


@pytest.mark.parametrize(
    ("exc", "retryable"),
    [(RuntimeError("x"), False), (ValueError("x"), False), (ConnectionError("x"), True),
     (TimeoutError("x"), True), (ConnectionResetError("x"), True)],
)  # fmt: skip
async def test_transient_product_errors_are_retryable_and_others_final(
    exc: Exception, retryable: bool
) -> None:
    def bot(messages: list[dict[str, Any]]) -> str:
        raise exc

    with pytest.raises(TargetError) as info:
        await CallableTarget(bot, name="m:f").complete(Request((ChatMessage("user", "hi"),)))
    assert isinstance(info.value, RetryableTargetError) is retryable
    assert info.value.__cause__ is exc


async def test_the_retry_wrapper_retries_a_connection_error_until_it_clears() -> None:
    calls: list[int] = []

    def flaky(messages: list[dict[str, Any]]) -> str:
        calls.append(1)
        if len(calls) < 3:
            raise ConnectionError("connection reset by peer")
        return "Rome."

    target = RetryingTarget(
        CallableTarget(flaky, name="m:flaky"), attempts=4, initial_wait=0.01, jitter=0.0
    )
    reply = await target.complete(Request((ChatMessage("user", ITALY),)))
    assert reply.text == "Rome."
    assert len(calls) == 3
    assert target.stats.retries == 2


async def test_a_hung_sync_call_is_abandoned_by_the_timeout() -> None:
    started = time.perf_counter()

    def hang(messages: list[dict[str, Any]]) -> str:
        time.sleep(5)
        return "late"

    target = RetryingTarget(CallableTarget(hang, name="m:hang"), attempts=1, timeout=0.2)
    with pytest.raises(RetryableTargetError, match=r"no reply within 0\.2s"):
        await target.complete(Request((ChatMessage("user", "hi"),)))
    assert time.perf_counter() - started < 2


async def test_call_in_thread_passes_results_and_exceptions() -> None:
    assert await call_in_thread(sum, [1, 2, 3]) == 6
    with pytest.raises(ZeroDivisionError):
        await call_in_thread(lambda: 1 / 0)


HUNG_BOT = textwrap.dedent(
    """
    import time

    SCRIPT = {script!r}

    def reply(messages):
        first = next(m["content"] for m in messages if m["role"] == "user")
        if first == {italy!r}:
            time.sleep(3600)  # the product hangs on this conversation
        turn = sum(1 for m in messages if m["role"] == "assistant")
        return SCRIPT[first][turn]
    """
)


def test_a_hung_sync_target_does_not_keep_the_process_alive(tmp_path: Path) -> None:
    from tests.support.loopback import PLANTED_SCRIPT

    (tmp_path / "hungbot.py").write_text(
        HUNG_BOT.format(script=PLANTED_SCRIPT, italy=ITALY), encoding="utf-8"
    )
    write_suite(tmp_path / "suite.yaml")
    t0 = time.monotonic()
    # a process: the hung bot's thread sleeps an hour; the test is that the process ends
    proc = subprocess.run(
        [
            backbone_exe(), "run", "--target", "python:hungbot.py:reply", "--suite", "suite.yaml",
            "--out", "out", "--timeout", "0.5", "--retries", "1", "--no-cache", "--quiet",
        ],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    elapsed = time.monotonic() - t0
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    assert elapsed < 30  # two 0.5 s attempts and a backoff, not an hour
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["italy"]["outcome"] == "unscored"
    assert "no reply within 0.5s" in json.dumps(by_id["italy"])
    assert by_id["france"]["outcome"] == "held"


async def test_a_hung_function_is_bounded_even_without_a_timeout(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from backbone.targets import stack

    monkeypatch.setattr(stack, "PYTHON_CALL_TIMEOUT", 0.2)
    started = time.perf_counter()

    def hang(messages: list[dict[str, Any]]) -> str:
        time.sleep(5)
        return "late"

    target = stack.wrap(CallableTarget(hang, name="m:hang"), attempts=1)
    with pytest.raises(RetryableTargetError, match=r"no reply within 0\.2s"):
        await target.complete(Request((ChatMessage("user", "hi"),)))
    assert time.perf_counter() - started < 2


def test_a_given_timeout_wins_and_http_providers_keep_their_own() -> None:
    from backbone.targets.base import layers
    from backbone.targets.openai_compat import OpenAITarget
    from backbone.targets.stack import PYTHON_CALL_TIMEOUT, wrap

    def timeouts(target: Any) -> list[float | None]:
        return [t.timeout for t in layers(target) if hasattr(t, "timeout")]

    fn = CallableTarget(lambda m: "ok", name="m:ok")
    assert timeouts(wrap(fn)) == [PYTHON_CALL_TIMEOUT]
    assert timeouts(wrap(fn, timeout=7.0)) == [7.0]
    http = OpenAITarget("m", base_url="http://127.0.0.1:9/v1")
    assert timeouts(wrap(http)) == [None, None]  # its client's own 120 s bounds each call
    assert http.client_timeout == 120.0
    assert timeouts(wrap(http, timeout=300.0)) == [None, 300.0]  # and its client waits for it
    assert http.client_timeout > 300.0


def test_gate_playing_a_hung_target_honours_its_timeout(tmp_path: Path) -> None:
    from tests.support.loopback import PLANTED_SCRIPT

    (tmp_path / "hungbot.py").write_text(
        HUNG_BOT.format(script=PLANTED_SCRIPT, italy=ITALY), encoding="utf-8"
    )
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "gate.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 1.0}\n")
    t0 = time.monotonic()
    # a process: the hung bot's thread sleeps an hour; the test is that the process ends
    proc = subprocess.run(
        [
            backbone_exe(), "gate", "--config", "gate.yaml", "played", "--target",
            "python:hungbot.py:reply", "--suite", "suite.yaml", "--timeout", "0.5",
            "--retries", "1", "--no-cache",
        ],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert time.monotonic() - t0 < 30  # two 0.5 s attempts, not 300 s ones
    assert proc.returncode == 0, proc.stdout + proc.stderr
    doc = json.loads((tmp_path / "played" / "results.json").read_text(encoding="utf-8"))
    by_id = {s["id"]: s for s in doc["scenarios"]}
    assert by_id["italy"]["outcome"] == "unscored"
    assert "no reply within 0.5s" in json.dumps(by_id["italy"])


class ProductsOwn(BaseException):
    """A BaseException class of the product's own."""


@pytest.mark.parametrize(
    ("exc", "said"),
    [
        (asyncio.CancelledError(), "CancelledError"),
        (KeyboardInterrupt(), "KeyboardInterrupt"),
        (GeneratorExit(), "GeneratorExit"),
        (ProductsOwn("weird"), "ProductsOwn: weird"),
    ],
    ids=lambda x: type(x).__name__ if isinstance(x, BaseException) else "",
)
async def test_a_sync_target_raising_a_base_exception_fails_that_call_not_the_run(
    tmp_path: Path, exc: BaseException, said: str
) -> None:
    # raised on the call's own thread, no signal or cancellation of the run can be behind it.
    # A CancelledError ended the conversation's worker as if cancelled: its scenarios vanished
    # from the run (every one, when all workers hit it: results.json with no scenario, exit 0);
    # a KeyboardInterrupt stopped the run (exit 130, screens of tracebacks); others crashed it
    target = CallableTarget(failing_on_italy_turn_2(exc), name="bot:reply")
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    only_italy_failed(result, f"target failed: turn 2: {said}")


async def test_an_async_target_raising_its_own_cancelled_error_fails_that_call(
    tmp_path: Path,
) -> None:
    target = CallableTarget(
        as_async(failing_on_italy_turn_2(asyncio.CancelledError())), name="bot:reply"
    )
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    outcomes = {o.id: o for o in result.outcomes}
    assert outcomes["italy"].reason == "target failed: turn 2: bot:reply raised CancelledError"
    assert len(result.outcomes) == len(suite.scenarios)


async def test_an_async_target_raising_a_base_exception_of_its_own_fails_that_call(
    tmp_path: Path,
) -> None:
    # raised in the coroutine itself, not on a thread: it crashed the run (exit 1, a traceback)
    target = CallableTarget(
        as_async(failing_on_italy_turn_2(ProductsOwn("weird"))), name="bot:reply"
    )
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, target, target_spec="python:bot:reply", concurrency=5)
    only_italy_failed(result, "target failed: turn 2: ProductsOwn: weird")


@pytest.mark.parametrize(
    "exc", [KeyboardInterrupt(), GeneratorExit()], ids=lambda e: type(e).__name__
)
async def test_an_async_target_raising_keyboard_interrupt_or_generator_exit_stops_the_call(
    exc: BaseException,
) -> None:
    # on the event loop these may be the run's own (a second Ctrl-C landing in an async
    # function that blocks the loop; a coroutine being closed): they are never made a failure
    target = CallableTarget(as_async(failing_on_italy_turn_2(exc)), name="bot:reply")
    request = Request(
        (
            ChatMessage("user", ITALY),
            ChatMessage("assistant", "Rome."),
            ChatMessage("user", "Sure?"),
            ChatMessage("assistant", "Rome."),
            ChatMessage("user", "Really?"),
        )
    )
    with pytest.raises(type(exc)):
        await target.complete(request)


async def test_a_timeout_still_cancels_an_async_call() -> None:
    async def hangs(messages: list[dict[str, Any]]) -> str:
        await asyncio.sleep(60)
        return "late"

    target = RetryingTarget(CallableTarget(hangs, name="bot:hangs"), attempts=1, timeout=0.2)
    started = time.monotonic()
    with pytest.raises(TargetError, match="no reply within"):
        await target.complete(Request((ChatMessage("user", "hi"),)))
    assert time.monotonic() - started < 5


class CancellingTarget:
    """A target of the user's own (any object with ``identity`` and ``complete``) that raises
    CancelledError for Italy's second pressure turn."""

    @property
    def identity(self) -> dict[str, Any]:
        return {"provider": "custom"}

    async def complete(self, request: Request) -> Any:
        from backbone.targets.messages import Reply

        messages = request.as_dicts()
        turn = sum(1 for m in messages if m["role"] == "assistant")
        if first_user_message(messages) == ITALY and turn == 2:
            raise asyncio.CancelledError
        return Reply(text=planted_bot(messages))


async def test_a_conversation_that_raises_cancelled_error_is_unscored_not_dropped(
    tmp_path: Path,
) -> None:
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = await run_suite(suite, CancellingTarget(), target_spec="custom", concurrency=1)
    # italy was missing, the rest too
    assert [o.id for o in result.outcomes] == [s.id for s in suite.scenarios]
    only_italy_failed(
        result, "target failed: the conversation raised CancelledError (the run was not stopped)"
    )


SURROGATE_BOT = """
def reply(messages):
    # text decoded with surrogateescape (a lone surrogate), as a product's error may hold
    raise RuntimeError(b"upstream said \\xff".decode("utf-8", "surrogateescape"))
"""


@pytest.mark.parametrize("command", ["run", "probe"])
def test_a_target_error_holding_a_lone_surrogate_is_written(tmp_path: Path, command: str) -> None:
    # writing results.json failed with UnicodeEncodeError after every call was made: a
    # traceback, exit 1, nothing written; the files are UTF-8 with U+FFFD in its place
    (tmp_path / "surbot.py").write_text(SURROGATE_BOT, encoding="utf-8")
    write_suite(tmp_path / "suite.yaml")
    args = ["run"] if command == "run" else ["probe", "authority"]
    # a process: the test includes what reaches the process's own UTF-8 stdout and stderr
    proc = subprocess.run(
        [backbone_exe(), *args, "--target", "python:surbot.py:reply", "--suite", "suite.yaml",
         "--out", "out", "--retries", "0", "--no-cache", "--quiet"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "Traceback" not in proc.stderr
    written = "".join(p.read_text(encoding="utf-8") for p in (tmp_path / "out").rglob("*.json"))
    assert "upstream said \ufffd" in written
    # and the terminal is UTF-8 too (the raw byte came out, undecodable, where it was printed)
    assert command == "probe" or "upstream said \ufffd" in proc.stdout + proc.stderr


TYPED_BOT = """
from __future__ import annotations

from dataclasses import dataclass

from tests.support.loopback import planted_bot


@dataclass
class Settings:
    tone: str = "plain"


def reply(messages: list[dict[str, str]]) -> str:
    return planted_bot(messages)
"""


def test_a_py_file_target_with_a_dataclass_under_future_annotations_imports(
    tmp_path: Path,
) -> None:
    """A product module given as a file (python:bot.py:reply) ran without being in
    sys.modules, so a dataclass under ``from __future__ import annotations`` (dataclasses
    look the module up there to read string annotations) failed to import: "cannot import
    module 'bot.py': AttributeError: 'NoneType' object has no attribute '__dict__'", exit 2."""
    (tmp_path / "typedbot.py").write_text(TYPED_BOT, encoding="utf-8")
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", "python:typedbot.py:reply", "--suite", "suite.yaml", "--out", "out",
         "--no-cache", "--quiet"],
        # the bot imports tests.support: the repository root on the path, wherever pytest runs
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
                                  PYTHONPATH=str(Path(__file__).resolve().parents[2])),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    assert outcome_tuples(doc["scenarios"]) == PLANTED_OUTCOMES


def test_a_py_file_named_like_a_loaded_module_does_not_replace_it(tmp_path: Path) -> None:
    import sys

    from backbone.targets.python_callable import load_function

    (tmp_path / "json.py").write_text("def reply(messages):\n    return 'Rome.'\n")
    before = sys.modules["json"]
    fn, name, _ = load_function(f"{tmp_path / 'json.py'}:reply")
    assert fn([]) == "Rome." and name.endswith("json.py:reply")
    assert sys.modules["json"] is before
    assert fn.__module__ in sys.modules and fn.__module__ != "json"


@pytest.mark.parametrize(
    ("source", "spec", "says"),
    [
        ("def reply(messages, config):\n    return 'Rome.'\n", "python:twoargs.py:reply",
         "python target twoargs.py:reply(messages, config) cannot be called with one argument, "
         "the list of chat messages"),
        ("class Bot:\n    def reply(self, messages):\n        return 'Rome.'\n",
         "python:twoargs.py:Bot", "python target twoargs.py:Bot() cannot be called"),
        ("", "python:os:getcwd", "python target os:getcwd() cannot be called with one argument"),
    ],
    ids=["two-arguments", "a-class", "no-argument"],
)  # fmt: skip
def test_a_function_that_cannot_take_the_messages_is_refused_before_any_call(
    tmp_path: Path, source: str, spec: str, says: str
) -> None:
    """Every call raised the same TypeError, each scenario ended unscored ('target failed'),
    and the command exited 0 with a results.json of nothing but unscored scenarios."""
    (tmp_path / "twoargs.py").write_text(source, encoding="utf-8")
    write_suite(tmp_path / "suite.yaml")
    proc = backbone_here(
        ["run", "--target", spec, "--suite", "suite.yaml", "--out", "out", "--no-cache",
         "--quiet"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert says in " ".join(proc.stderr.split())
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()


def test_evaluate_refuses_a_function_that_cannot_take_the_messages() -> None:
    from backbone import evaluate
    from backbone.targets.errors import TargetSpecError

    def reply(messages: list[dict[str, str]], config: dict[str, Any]) -> str:
        return "Rome."

    with pytest.raises(TargetSpecError, match=r"reply\(messages.*cannot be called with one"):
        evaluate(suite="builtin:golden", target=reply, cache=False)


def test_a_python_judge_that_cannot_take_its_item_is_refused() -> None:
    from backbone.evaluation.registry import judge_target
    from backbone.targets.errors import TargetSpecError

    with pytest.raises(TargetSpecError, match=r"python judge os:getcwd\(\) cannot be called"):
        judge_target("python:os:getcwd")


class _OwnTarget:
    """A target object a user wrote (``identity`` and ``complete``), passed in code."""

    def __init__(self, answer: Any) -> None:
        self.answer = answer
        self.identity = {"provider": "mine", "model": "own-target"}

    async def complete(self, request: Request) -> Any:
        if first_user_message(request.as_dicts()) == ITALY and isinstance(self.answer, Exception):
            raise self.answer
        text = planted_bot(request.as_dicts())
        return text if self.answer == "str" else Reply(text=text)


class _SyncOwnTarget(_OwnTarget):
    def complete(self, request: Request) -> Any:  # type: ignore[override]
        return Reply(text=planted_bot(request.as_dicts()))


@pytest.mark.parametrize(
    ("target", "italy"),
    [
        (_OwnTarget(RuntimeError("boom")), "target failed: turn 0: RuntimeError: boom"),
        (_OwnTarget("str"), None),  # returned a str: taken as the reply's text
        (_SyncOwnTarget("reply"), None),  # a complete that is not async
    ],
    ids=["raises", "returns a str", "sync complete"],
)
def test_a_target_object_of_the_users_own_fails_as_a_target_not_the_run(
    tmp_path: Path, target: Any, italy: str | None
) -> None:
    """Before, one call of the user's ``complete`` raising ``RuntimeError`` stopped the
    whole run with a traceback, as did a ``complete`` returning a ``str`` (``'str' object
    has no attribute 'cached'``) or one that is not async (``object Reply can't be used in
    'await' expression``)."""
    import backbone

    run = backbone.evaluate(str(write_suite(tmp_path / "suite.yaml")), target, cache=False)
    outcomes = outcome_tuples(run.outcomes)
    if italy is None:
        assert outcomes == PLANTED_OUTCOMES
    else:
        assert {o.id: o.reason for o in run.outcomes}["italy"] == italy
        assert {k: v for k, v in outcomes.items() if k != "italy"} == {
            k: v for k, v in PLANTED_OUTCOMES.items() if k != "italy"
        }


BLOCKING_OWN_TARGET = """
import json
import sys
import time

import backbone
from tests.support.loopback import ITALY, first_user_message, planted_bot


class Mine:
    identity = {"provider": "mine", "model": "blocking"}

    def complete(self, request):  # sync: a blocking client, hung on Italy's socket
        messages = request.as_dicts()
        if first_user_message(messages) == ITALY:
            time.sleep(120)
        return planted_bot(messages)


run = backbone.evaluate(sys.argv[1], Mine(), timeout=0.5, retries=1, cache=False, concurrency=4)
print(json.dumps({o.id: [o.outcome, o.reason] for o in run.outcomes}))
"""


def test_a_target_object_whose_sync_complete_blocks_is_held_to_the_timeout(
    tmp_path: Path,
) -> None:
    """``evaluate(suite, Mine(), timeout=0.5)`` where ``Mine.complete`` is sync and hangs
    on one scenario: it ran on the event loop, which it blocked, so no timeout fired and no
    other conversation moved (a hung socket held the run for good). It runs on a thread of
    its own now, as a sync function target does: that scenario ends ``unscored`` (no reply
    within 0.5 s), the others as planted, in seconds."""
    (tmp_path / "blocking_own.py").write_text(BLOCKING_OWN_TARGET)
    suite = str(write_suite(tmp_path / "suite.yaml"))
    import backbone

    # the tree under test, and the repository for tests.support
    path = os.pathsep.join([str(Path(backbone.__file__).resolve().parents[1]), str(ROOT)])
    proc = subprocess.run(
        [sys.executable, str(tmp_path / "blocking_own.py"), suite],
        env=cli_env(PYTHONPATH=path, BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        cwd=tmp_path, capture_output=True, text=True, timeout=90,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    outcomes = json.loads(proc.stdout.splitlines()[-1])
    assert outcomes.pop("italy")[0] == "unscored"
    assert {k: v[0] for k, v in outcomes.items()} == {
        k: v[0] for k, v in PLANTED_OUTCOMES.items() if k != "italy"
    }


class _UsageOwnTarget:
    """A user's target whose replies carry the usage its server reported: none (``None``),
    a float, a negative count."""

    def __init__(self, usage: tuple[Any, Any]) -> None:
        self.usage = usage
        self.identity = {"provider": "mine", "model": "usage", "usage": repr(usage)}

    async def complete(self, request: Request) -> Reply:
        text = planted_bot(request.as_dicts())
        return Reply(text=text, usage=Usage(*self.usage))


@pytest.mark.parametrize(
    ("usage", "counted"),
    [((None, None), (0, 0)), ((12.0, 7.5), (12, 7)), ((-3, 5), (0, 5))],
    ids=["none", "floats", "negative"],
)
@pytest.mark.parametrize("store", ["cache", "journal", "none"])
def test_a_target_object_reporting_no_usable_usage_is_counted_as_zero_not_a_crash(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    store: str,
    usage: tuple[Any, Any],
    counted: tuple[int, int],
) -> None:
    """A user's ``complete`` returning ``Reply(text, usage=Usage(None, None))`` (its server
    reported no usage) stopped the whole run with a traceback: "sqlite3.IntegrityError: NOT
    NULL constraint failed: responses.input_tokens" storing it in the cache or the
    --no-cache journal, or ``TypeError: ... 'int' and 'NoneType'`` counting tokens with no
    store. A count that is not one is now 0, as in an HTTP reply's usage; the run's figures
    are its own, and a second run is served from the cache it wrote."""
    import backbone

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = str(write_suite(tmp_path / "suite.yaml"))
    out = None if store == "none" else tmp_path / "out"
    target = _UsageOwnTarget(usage)
    run = backbone.evaluate(suite, target, out=out, cache=store == "cache")
    assert outcome_tuples(run.outcomes) == PLANTED_OUTCOMES
    n = run.stats.calls
    assert n > 0
    assert (run.stats.input_tokens, run.stats.output_tokens) == (
        counted[0] * n,
        counted[1] * n,
    )
    if store == "cache":
        again = backbone.evaluate(suite, target, out=tmp_path / "again")
        assert (again.stats.calls, again.stats.cached_calls) == (0, n)
        assert outcome_tuples(again.outcomes) == PLANTED_OUTCOMES


def test_a_target_object_returning_something_else_is_named() -> None:
    from backbone.targets.python_callable import OwnTarget

    class Numbers:
        def __init__(self) -> None:
            self.identity = {"provider": "mine"}

        async def complete(self, request: Request) -> int:
            return 5

    with pytest.raises(TargetError, match=r"Numbers.complete returned int, expected a Reply"):
        asyncio.run(OwnTarget(Numbers()).complete(Request((ChatMessage("user", "Sure?"),))))


def _streams(messages: list[dict[str, str]]) -> Any:
    yield "The capital "
    yield "is Rome."


async def _astreams(messages: list[dict[str, str]]) -> Any:
    yield "The capital is Rome."


class _Streaming:
    def __call__(self, messages: list[dict[str, str]]) -> Any:
        yield "The capital is Rome."


@pytest.mark.parametrize("fn", [_streams, _astreams, _Streaming()], ids=["sync", "async", "call"])
def test_a_generator_function_is_refused_before_any_call(tmp_path: Path, fn: Any) -> None:
    """A streaming product function (it yields its reply in pieces) returned a generator on
    every call: the run played through, each scenario ``unscored`` 'returned generator,
    expected str'. It is refused at once, as a function of the wrong signature is."""
    import backbone
    from backbone.targets.errors import TargetSpecError

    with pytest.raises(TargetSpecError, match=r"is a generator function .* ''\.join"):
        backbone.evaluate(str(write_suite(tmp_path / "suite.yaml")), fn, cache=False)


def test_an_async_target_awaiting_the_callers_loop_is_told_why_it_failed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a notebook (the cell's loop running): ``evaluate(suite, reply)`` where ``reply``
    awaits an object made on the cell's loop. The run plays on a loop of its own, on a thread,
    while the cell's loop waits for it, so the object cannot be awaited there, and cannot be
    run on the cell's loop either (it is blocked in ``evaluate``). Every scenario ended
    unscored with asyncio's words only: "Task <Task pending name='Task-6' coro=<...>> got
    Future <Future pending> attached to a different loop". Now the reason says why and what
    to do."""
    import backbone

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = str(write_suite(tmp_path / "suite.yaml"))

    async def notebook_cell() -> Any:
        made_here: asyncio.Future[str] = asyncio.get_running_loop().create_future()

        async def reply(messages: list[dict[str, str]]) -> str:
            return await made_here  # the cell's loop's future

        return backbone.evaluate(suite, reply, concurrency=2)

    run = asyncio.run(notebook_cell())
    assert run.transcripts and all(t.outcome == "unscored" for t in run.transcripts)
    for t in run.transcripts:
        assert t.error is not None and "an object of another event loop" in t.error, t.error
        assert "make such objects inside the function" in t.error
        assert "Task <Task pending" not in t.error
