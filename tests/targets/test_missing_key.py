"""A provider's own API with no key in the environment is refused before the run starts, for
``openai:`` as for ``anthropic:`` (exit 2, the variable named, nothing written), while a
server named by ``--base-url`` or ``OPENAI_BASE_URL`` needs none (Ollama, llama.cpp)."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.evaluation.registry import judge_target, target_from_spec
from backbone.targets.errors import TargetSpecError
from backbone.targets.openai_compat import OpenAITarget
from tests.support.loopback import LoopbackServer, backbone_here, cli_env, write_suite


def test_openai_with_no_key_and_no_server_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    for resolve, spec, role, option in (
        (target_from_spec, "openai:gpt-4o-mini", "target", "--base-url"),
        (judge_target, "openai:j", "judge", "--judge-base-url"),  # it said target, --base-url
    ):
        with pytest.raises(TargetSpecError) as err:
            resolve(spec)
        assert str(err.value).startswith(
            f"openai {role} needs OPENAI_API_KEY in the environment (or {option} for a server"
        )
        assert f"(in '{spec}')" in str(err.value)


def test_a_key_or_a_server_of_ones_own_is_enough(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("OPENAI_API_KEY", raising=False)
    monkeypatch.delenv("OPENAI_BASE_URL", raising=False)
    local = OpenAITarget("llama3.2", base_url="http://127.0.0.1:11434/v1")
    assert local.api_key is None
    assert OpenAITarget("gpt-4o-mini", api_key="sk-test").api_key == "sk-test"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8080/v1")
    assert OpenAITarget("m").base_url == "http://127.0.0.1:8080/v1"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-env")
    assert OpenAITarget("gpt-4o-mini").api_key == "sk-env"


@pytest.mark.parametrize(
    ("flag", "spec", "variable"),
    [
        ("--target", "openai:gpt-4o-mini", "OPENAI_API_KEY"),
        ("--target", "anthropic:claude-sonnet-4-5", "ANTHROPIC_API_KEY"),
        ("--judge", "openai:gpt-4o-mini", "OPENAI_API_KEY"),
    ],
)
def test_the_cli_exits_2_before_any_call_and_writes_nothing(
    tmp_path: Path, flag: str, spec: str, variable: str
) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(lambda messages: "4") as server:  # the target when the judge is tested
        args = ["run", "--suite", "suite.yaml", "--out", "out", "--no-cache"]
        if flag == "--target":
            args += ["--target", spec]
        else:
            args += ["--target", "openai:m", "--base-url", server.openai_base_url, flag, spec]
        proc = backbone_here(
            args, cwd=tmp_path, env=cli_env(OPENAI_BASE_URL=None, ANTHROPIC_BASE_URL=None)
        )
        assert server.total == 0
    assert proc.returncode == 2, proc.stderr
    assert f"needs {variable} in the environment" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert not (tmp_path / "out").exists()
