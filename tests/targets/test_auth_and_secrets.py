"""Credentials: a 401/403 is an AuthenticationError with the provider's message, never
retried; a server that echoes the key gets it redacted from every error, stored file and
terminal line; which key goes to which server follows one stated rule; a huge Retry-After is
capped at 120 s and the terminal says so."""

from __future__ import annotations

import json
import logging
import subprocess
import textwrap
import time
from pathlib import Path
from typing import Any

import pytest

from backbone.audit.judging import judge_all
from backbone.audit.models import FeedbackEvent, SampledEvent
from backbone.evaluation.registry import correctness_judge as judge_from_spec
from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.credentials import choose_key
from backbone.targets.errors import (
    AuthenticationError,
    NotFoundError,
    RetryableTargetError,
    TargetError,
    UnusableTargetError,
)
from backbone.targets.http_client import HttpResponse
from backbone.targets.http_errors import raise_for_status
from backbone.targets.http_provider import HttpProvider
from backbone.targets.messages import ChatMessage, Request
from backbone.targets.openai_compat import OpenAITarget
from backbone.targets.python_callable import CallableTarget
from backbone.targets.redact import redact
from backbone.targets.retry import RetryingTarget
from backbone.targets.stack import aclose
from tests.support.loopback import (
    FRANCE,
    Fault,
    LoopbackServer,
    backbone_exe,
    cli_env,
    planted_bot,
    write_suite,
)

KEY = "sk-live-0123456789abcdefSECRET"
PARIS = "The capital of France is Paris."


def provider(api: str, server: LoopbackServer, key: str = KEY) -> HttpProvider:
    if api == "openai":
        return OpenAITarget("m", base_url=server.openai_base_url, api_key=key)
    return AnthropicTarget("m", base_url=server.anthropic_base_url, api_key=key)


def france() -> Request:
    return Request((ChatMessage("user", FRANCE),))


# ---- 401 / 403 ---------------------------------------------------------------------------


async def refused_once(server: LoopbackServer, api: str, fault: Fault) -> UnusableTargetError:
    """The error a retrying provider raises when every call meets ``fault``: one that no
    later call can pass, raised after a single request (never retried)."""
    server.fail(fault, when=lambda c: True)
    target = RetryingTarget(provider(api, server), attempts=4, initial_wait=0.01)
    try:
        with pytest.raises(UnusableTargetError) as info:
            await target.complete(france())
    finally:
        await aclose(target)
    assert isinstance(info.value, TargetError)
    assert not isinstance(info.value, RetryableTargetError)
    assert server.total == 1
    return info.value


@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_auth_failure_is_an_authentication_error_with_the_message_and_no_retry(
    server: LoopbackServer, api: str, status: int
) -> None:
    error = await refused_once(
        server, api, Fault.http(status, message=f"Incorrect API key provided: {KEY}.")
    )
    # the provider's own key is an exact secret: masked whole
    assert str(error) == f"{api}: HTTP {status}: Incorrect API key provided: [redacted]."
    assert isinstance(error, AuthenticationError)


@pytest.mark.parametrize("api", ["openai", "anthropic"])
async def test_a_404_is_no_such_endpoint_or_model_naming_the_url_and_is_not_retried(
    server: LoopbackServer, api: str
) -> None:
    """A base URL without its /v1 or a model the server does not have: every later call
    would fail the same way, so it is an UnusableTargetError (the run stops), not retried."""
    error = await refused_once(server, api, Fault.http(404, message="model 'm' not found"))
    path = "/chat/completions" if api == "openai" else "/v1/messages"
    base = server.openai_base_url if api == "openai" else server.anthropic_base_url
    assert str(error) == f"{api}: HTTP 404 at {base}{path}: model 'm' not found"
    assert isinstance(error, NotFoundError) and not isinstance(error, AuthenticationError)


def test_an_auth_error_says_why_an_environment_key_was_withheld() -> None:
    response = HttpResponse(401, {}, '{"error": {"message": "missing key"}}')
    with pytest.raises(AuthenticationError) as info:
        raise_for_status(response, "openai", auth_note="OPENAI_API_KEY was not sent to ...")
    assert str(info.value) == "openai: HTTP 401: missing key (OPENAI_API_KEY was not sent to ...)"


async def test_a_redirect_is_not_followed_so_the_key_goes_nowhere_else(
    server: LoopbackServer,
) -> None:
    with LoopbackServer(planted_bot) as elsewhere:
        server.fail(
            Fault.raw(b"", status=307, headers={"location": elsewhere.openai_base_url}), on=[1]
        )
        target = provider("openai", server)
        try:
            with pytest.raises(TargetError, match=r"HTTP 307: redirected to .* not followed"):
                await target.complete(france())
        finally:
            await aclose(target)
        assert elsewhere.total == 0


# ---- redaction ---------------------------------------------------------------------------

ECHO = f"bad request: Authorization: Bearer {KEY}; x-api-key: {KEY}; url ...?api_key={KEY}"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Authorization: Bearer abc.def-ghi", "Authorization: Bearer [redacted]"),
        ('{"x-api-key": "k-123456789"}', '{"x-api-key": "[redacted]"}'),
        ("GET /v1?api_key=abcd1234&x=1", "GET /v1?api_key=[redacted]&x=1"),
        ("apiKey: 'zzzz9999'", "apiKey: '[redacted]'"),
        ("access_token=tok_live_123", "access_token=[redacted]"),
        ("key sk-ant-api03-AbCdEf123456 bad", "key sk-[redacted] bad"),
        ("password=hunter22", "password=[redacted]"),
        ("max_tokens: 512, temperature: 0", "max_tokens: 512, temperature: 0"),  # untouched
    ],
)
def test_redact(text: str, expected: str) -> None:
    assert redact(text) == expected
    assert redact(expected) == expected  # idempotent


def test_every_target_error_is_redacted_including_exact_secrets() -> None:
    assert KEY not in str(TargetError(ECHO))
    assert str(RetryableTargetError("echo opaque-secret-value", secrets=["opaque-secret-value"]))\
        == "echo [redacted]"  # fmt: skip


async def test_a_python_target_error_that_carries_a_key_is_redacted() -> None:
    def leaky(messages: list[dict[str, Any]]) -> str:
        raise ConnectionError(f"upstream refused api_key={KEY}")

    with pytest.raises(RetryableTargetError) as info:
        await CallableTarget(leaky, name="m:f").complete(france())
    assert str(info.value) == "ConnectionError: upstream refused api_key=[redacted]"


async def test_an_audit_python_judge_error_is_redacted(tmp_path: Path) -> None:
    (tmp_path / "leaky_judge.py").write_text(
        f"def judge(event):\n    raise RuntimeError('token=' + {KEY!r})\n", encoding="utf-8"
    )
    judge = judge_from_spec(f"python:{tmp_path / 'leaky_judge.py'}:judge")
    event = FeedbackEvent(
        id="e1", row=1, timestamp="2024-01-01T00:00:00Z", user_id="u", prompt="2+2?",
        response="4",
        rating="up",
    )  # fmt: skip
    try:
        [judgment] = await judge_all(judge, [SampledEvent(event=event, stratum="up", weight=1.0)])
    finally:
        await judge.aclose()
    assert judgment.unscored_reason == "python judge raised RuntimeError: token=[redacted]"


def test_no_echoed_key_reaches_the_run_files_or_the_terminal(
    server: LoopbackServer, tmp_path: Path
) -> None:
    server.fail(Fault.http(400, message=ECHO), when=lambda c: c.conversation == FRANCE)
    write_suite(tmp_path / "suite.yaml")
    proc = subprocess.run(
        [backbone_exe(), "run", "--target", "openai:m", "--base-url", server.openai_base_url,
         "--suite", "suite.yaml", "--out", "out", "--no-cache"],
        cwd=tmp_path, env=cli_env(OPENAI_API_KEY=KEY, BACKBONE_CACHE_DIR=str(tmp_path / "c")),
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert {c.headers["authorization"] for c in server.calls} == {f"Bearer {KEY}"}
    files = {p.name: p.read_text(encoding="utf-8") for p in (tmp_path / "out").iterdir()
             if p.is_file()}  # fmt: skip
    assert set(files) == {"results.json", "transcripts.jsonl", "report.html"}
    for name, text in {**files, "stdout": proc.stdout, "stderr": proc.stderr}.items():
        assert KEY not in text, name
        assert "0123456789abcdef" not in text, name
    france = next(s for s in json.loads(files["results.json"])["scenarios"] if s["id"] == "france")
    assert france["outcome"] == "unscored"
    assert "Bearer [redacted]" in json.dumps(json.loads(files["results.json"]))


# ---- which key goes where ----------------------------------------------------------------

OPENAI = "https://api.openai.com/v1"


@pytest.mark.parametrize(
    ("url", "env_base", "sent"),
    [
        (OPENAI, None, True),  # the provider's own API
        ("https://api.groq.com/openai/v1", None, True),  # a named HTTPS server
        ("http://127.0.0.1:11434/v1", None, True),  # this machine
        ("http://localhost:8000/v1", None, True),
        ("http://[::1]:8000/v1", None, True),
        ("http://10.0.0.5:8000/v1", None, False),  # plain HTTP across the network
        ("http://gpu-box:8000/v1", None, False),
        ("http://gpu-box:8000/v1", "http://gpu-box:8000/v1", True),  # paired in the environment
        ("http://gpu-box:8000/v1", "http://gpu-box:9000/v1", False),  # another port: not paired
    ],
)
def test_which_server_gets_the_environment_key(url: str, env_base: str | None, sent: bool) -> None:
    choice = choose_key(
        url, explicit=None, env_key="sk-env", env_base=env_base, default_url=OPENAI,
        key_var="OPENAI_API_KEY", base_var="OPENAI_BASE_URL",
    )  # fmt: skip
    assert (choice.key == "sk-env") is sent
    assert bool(choice.withheld) is not sent
    if not sent:
        assert f"set OPENAI_BASE_URL={url}" in choice.withheld


def test_an_explicit_key_is_always_sent() -> None:
    choice = choose_key(
        "http://10.0.0.5/v1", explicit="sk-given", env_key="sk-env", env_base=None,
        default_url=OPENAI, key_var="OPENAI_API_KEY", base_var="OPENAI_BASE_URL",
    )  # fmt: skip
    assert choice == type(choice)("sk-given")


def test_providers_apply_the_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-openai-env")
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-ant-env")
    lan = OpenAITarget("m", base_url="http://10.0.0.5:8000/v1")
    assert lan.api_key is None and "OPENAI_API_KEY was not sent" in lan.auth_note
    assert OpenAITarget("m").api_key == "sk-openai-env"
    assert AnthropicTarget("m").api_key == "sk-ant-env"
    assert AnthropicTarget("m", base_url="http://10.0.0.5:8000").api_key == ""
    monkeypatch.setenv("ANTHROPIC_BASE_URL", "http://10.0.0.5:8000")
    paired = AnthropicTarget("m")
    assert (paired.base_url, paired.api_key) == ("http://10.0.0.5:8000", "sk-ant-env")


# ---- Retry-After beyond the cap ----------------------------------------------------------


async def test_a_huge_retry_after_is_capped_and_reported_once(
    server: LoopbackServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.fail(Fault.http(429, retry_after=99999), on=[1, 2])
    target = RetryingTarget(
        OpenAITarget("m", base_url=server.openai_base_url), attempts=4, max_retry_after=0.2
    )
    t0 = time.monotonic()
    with caplog.at_level(logging.WARNING, logger="backbone.targets.retry"):
        try:
            reply = await target.complete(france())
        finally:
            await aclose(target)
    assert reply.text == PARIS
    assert 0.4 <= time.monotonic() - t0 < 2
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "the server asked to wait 99999s before retrying (Retry-After); waiting 0.2s instead, "
        "the cap (reported once)"
    ]


def test_the_default_cap_is_120_seconds() -> None:
    target = RetryingTarget(CallableTarget(lambda m: "x", name="x"))
    assert target._delay(RetryableTargetError("429", retry_after=99999), 1) == 120.0


def test_the_cli_shows_the_capped_wait(server: LoopbackServer, tmp_path: Path) -> None:
    server.fail(Fault.http(429, retry_after=99999), when=lambda c: True)
    write_suite(tmp_path / "suite.yaml")
    proc = subprocess.Popen(
        [backbone_exe(), "run", "--target", "openai:m", "--base-url", server.openai_base_url,
         "--suite", "suite.yaml", "--out", "out", "--no-cache", "--quiet"],
        cwd=tmp_path, env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "c")),
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        line = ""
        assert proc.stderr is not None
        while time.monotonic() < deadline:
            line = proc.stderr.readline()
            if "Retry-After" in line or not line:
                break
    finally:
        proc.kill()
        proc.wait()
    assert line.strip() == textwrap.dedent(
        "the server asked to wait 99999s before retrying (Retry-After); waiting 120s instead, "
        "the cap (reported once)"
    )
