"""A base URL that cannot be right is refused before any call (exit 2 from the CLI, naming the
fix): one without http:// or https:// used to send every call of the suite, each retried with
backoff and then unscored ("NonHttpUrlClientError"), and one that ends with the endpoint
backbone adds got HTTP 404 on every call."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from backbone.targets.anthropic import AnthropicTarget
from backbone.targets.errors import TargetSpecError
from backbone.targets.openai_compat import OpenAITarget
from tests.support.loopback import backbone_exe, backbone_here, cli_env


@pytest.mark.parametrize(
    ("provider", "url", "says"),
    [
        ("openai", "127.0.0.1:8000/v1", "is not an http:// or https:// URL"),
        ("openai", "ftp://127.0.0.1/v1", "is not an http:// or https:// URL"),
        ("openai", "http:///v1", "is not an http:// or https:// URL"),
        (
            "openai",
            "http://127.0.0.1:8000/v1/chat/completions/",
            "ends with /chat/completions, which backbone adds: give 'http://127.0.0.1:8000/v1'",
        ),
        ("anthropic", "localhost:9000", "is not an http:// or https:// URL"),
        # urlsplit raised ValueError: a traceback, exit 1
        ("openai", "http://[::1/v1", "cannot be read: Invalid IPv6 URL"),
        ("anthropic", "http://[::1", "cannot be read: Invalid IPv6 URL"),
        # every call failed alike (InvalidUrlClientError), each retried, every scenario unscored
        ("openai", "http://127.0.0.1:99999/v1", "has no valid port"),
        ("openai", "http://127.0.0.1:8OOO/v1", "has no valid port"),
        ("anthropic", "http://127.0.0.1:-1", "has no valid port"),
        (
            "anthropic",
            "https://api.anthropic.com/v1/messages",
            "ends with /v1/messages, which backbone adds: give 'https://api.anthropic.com'",
        ),
        (
            "anthropic",
            "https://proxy.example/anthropic/v1",
            "ends with /v1, which backbone adds: give 'https://proxy.example/anthropic'",
        ),
    ],
)
def test_a_base_url_that_cannot_be_right_is_refused_naming_the_fix(
    provider: str, url: str, says: str
) -> None:
    make = OpenAITarget if provider == "openai" else AnthropicTarget
    with pytest.raises(TargetSpecError) as info:
        make("m", base_url=url, api_key="k")
    assert str(info.value).startswith(f"{provider} base URL {url!r} {says}")


@pytest.mark.parametrize(
    ("make", "url", "kept"),
    [
        (OpenAITarget, "http://127.0.0.1:8000/v1/", "http://127.0.0.1:8000/v1"),
        (OpenAITarget, " https://example.com/openai/v1 ", "https://example.com/openai/v1"),
        (AnthropicTarget, "https://proxy.example/anthropic/", "https://proxy.example/anthropic"),
    ],
)
def test_a_good_base_url_is_kept_without_its_trailing_slash(
    make: type[OpenAITarget] | type[AnthropicTarget], url: str, kept: str
) -> None:
    assert make("m", base_url=url, api_key="k").identity["base_url"] == kept


@pytest.mark.parametrize(
    "args",
    [
        ["run", "--target", "openai:m", "--base-url", "127.0.0.1:8000/v1"],
        ["rescore", "RUN", "--judge", "openai:m", "--judge-base-url", "127.0.0.1:8000/v1"],
    ],
    ids=["target", "judge"],
)
def test_the_cli_exits_2_before_any_call_and_writes_nothing(
    tmp_path: Path, args: list[str]
) -> None:
    if "rescore" in args:  # a finished run to grade again
        (tmp_path / "bot.py").write_text("def reply(messages):\n    return 'Tokyo.'\n")
        # a process: a dotted python:bot spec imports `bot` into sys.modules, where an earlier
        # in-process run's bot.py (another folder's) may already be
        run = subprocess.run(
            [backbone_exe(), "run", "--target", "python:bot:reply", "--limit", "2",
             "--out", "RUN", "--quiet", "--no-cache"],
            cwd=tmp_path, env=cli_env(), capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        assert run.returncode == 0, run.stderr
        args = [*args, "--out", "again"]
    else:
        args = [*args, "--out", "again", "--no-cache"]
    proc = backbone_here(args, cwd=tmp_path, env=cli_env())
    assert proc.returncode == 2, proc.stderr
    assert "error: openai base URL '127.0.0.1:8000/v1' is not an http:// or https:// URL" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "again").exists()


@pytest.mark.parametrize(
    ("url", "says"),
    [("http://[::1/v1", "cannot be read"), ("http://127.0.0.1:99999/v1", "has no valid port")],
)
def test_the_cli_exits_2_on_an_unreadable_url_or_port(tmp_path: Path, url: str, says: str) -> None:
    """Before: a traceback (exit 1) for the bracket; for the port, every call was sent and
    retried, every scenario unscored, and the command exited 0."""
    proc = backbone_here(
        ["run", "--target", "openai:m", "--base-url", url, "--limit", "2", "--out", "again",
         "--no-cache", "--retries", "0"],
        cwd=tmp_path, env=cli_env(),
    )  # fmt: skip
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert f"error: openai base URL '{url}' {says}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "again").exists()


@pytest.mark.parametrize(
    ("target", "shown"),
    [("local", "'local'"), ("python:tests.support.loopback:planted_bot",
                            "'python:tests.support.loopback:planted_bot'")],
)  # fmt: skip
def test_a_base_url_nothing_would_call_is_refused(tmp_path: Path, target: str, shown: str) -> None:
    """``run --target local --base-url URL`` ran the embedded model, the URL dropped without a
    word (the user meant a server behind it); a python: target the same. Refused now, exit 2,
    nothing written. A pressure role on an HTTP API is what the base URL is for: accepted."""
    from tests.support.loopback import LoopbackServer, planted_bot, write_suite

    write_suite(tmp_path / "suite.yaml")
    env = cli_env(PYTHONPATH=str(Path(__file__).resolve().parents[2]))
    args = ["run", "--target", target, "--suite", "suite.yaml", "--no-cache", "-q"]
    proc = backbone_here(
        [*args, "--base-url", "http://127.0.0.1:9/v1", "--out", "o"], cwd=tmp_path, env=env
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    said = " ".join(proc.stderr.split())
    assert f"base URL 'http://127.0.0.1:9/v1' given, but neither the target {shown}" in said
    assert "Traceback" not in proc.stderr and not (tmp_path / "o").exists()
    if target == "local":
        return
    with LoopbackServer(planted_bot) as server:  # the pressure model behind the base URL
        ok = backbone_here(
            [*args, "--pressure", "openai:m", "--base-url", server.openai_base_url, "--out", "p"],
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert ok.returncode == 0, ok.stdout + ok.stderr
        assert server.total > 0  # the pressure role called it
