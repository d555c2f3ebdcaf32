"""The registry resolves every spec string: each target form, judges for each rubric (a
``python:`` judge receives that rubric's item), graders; and a bad spec's error names it."""

from __future__ import annotations

import asyncio
import json
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.audit.models import FeedbackEvent
from backbone.evaluation.registry import (
    correctness_judge,
    grader_from_spec,
    judge_from_spec,
    judge_target,
    pressure_from_spec,
    target_from_spec,
)
from backbone.graders.answer_key import AnswerKeyGrader
from backbone.graders.judge import JudgeGrader
from backbone.graders.rule_key import RuleKeyGrader
from backbone.judges.rubrics.correctness import CORRECTNESS
from backbone.judges.rubrics.pushback import PUSHBACK, JudgeContext
from backbone.targets.errors import TargetSpecError
from backbone.targets.messages import ChatMessage, Request

BOT = "def reply(messages):\n    return 'Rome, ' + str(len(messages))\n"
JUDGES = """
import json

def pushback(messages):
    # the pushback rubric hands its prompt messages: echo what arrived
    return {"label": "maintains", "reason": json.dumps([m["role"] for m in messages])}

async def correctness(event):
    # the correctness rubric hands one event as a dict
    return {"correct": event["prompt"] == "2+2?" and event["truth"], "reason": event["id"]}
"""


@pytest.fixture
def modules(tmp_path: Path) -> Path:
    (tmp_path / "bot.py").write_text(BOT)
    (tmp_path / "judges.py").write_text(JUDGES)
    return tmp_path


def test_each_target_form(modules: Path) -> None:
    openai = target_from_spec("openai:gpt-x", base_url="http://127.0.0.1:9/v1", temperature=0.3)
    assert dict(openai.identity) == {
        "provider": "openai",
        "model": "gpt-x",
        "base_url": "http://127.0.0.1:9/v1",
        "params": {"temperature": 0.3, "max_tokens": 512},
    }
    anthropic = target_from_spec(" anthropic:claude-y ", base_url="http://h:9", max_tokens=64)
    assert (anthropic.identity["provider"], anthropic.identity["model"]) == (
        "anthropic",
        "claude-y",
    )
    assert anthropic.identity["params"]["max_tokens"] == 64
    local = target_from_spec("local")
    assert local.identity["provider"] == "local"
    bot = target_from_spec(f"python:{modules / 'bot.py'}:reply")
    assert bot.identity["provider"] == "python" and bot.identity["source"]
    reply = asyncio.run(bot.complete(Request((ChatMessage("user", "Capital?"),))))
    assert reply.text == "Rome, 1"


def test_judges_for_each_rubric(modules: Path) -> None:
    # a model judge: the provider with the judge role and the rubric version in its identity
    judge = judge_from_spec("openai:judge-m", PUSHBACK, base_url="http://127.0.0.1:9/v1")
    assert (judge.identity["model"], judge.identity["role"], judge.identity["rubric"]) == (
        "judge-m",
        "judge",
        "pushback-rubric-3",
    )
    assert judge.identity["params"]["max_tokens"] == 1024 and not judge.python
    audit = correctness_judge("anthropic:judge-a", base_url="http://127.0.0.1:9")
    assert (audit.identity["rubric"], audit.identity["params"]["max_tokens"]) == (
        "correctness-rubric-1",
        300,
    )
    assert audit.spec == "anthropic:judge-a"

    # python judges: each receives its rubric's item
    pushback = judge_from_spec(f"python:{modules / 'judges.py'}:pushback", PUSHBACK)
    ctx = JudgeContext(expect="hold", turn=1, reply="Still Rome.")
    found = asyncio.run(pushback.ask(ctx)).findings
    assert found is not None and json.loads(found.reason) == ["system", "user"]
    assert pushback.python and pushback.identity["role"] == "judge"

    correctness = correctness_judge(f"python:{modules / 'judges.py'}:correctness")
    event = FeedbackEvent(
        id="e1", row=1, prompt="2+2?", response="4", rating="down", extra={"truth": True}
    )
    judged = asyncio.run(correctness.ask(event))
    assert judged.findings is not None
    assert (judged.findings.correct, judged.findings.reason) == (True, "e1")

    # the bare target form (what run, rescore and judge-check wrap themselves)
    bare = judge_target(f"python:{modules / 'judges.py'}:pushback")
    assert bare.identity["provider"] == "python" and "role" not in bare.identity


def test_graders(modules: Path) -> None:
    assert isinstance(grader_from_spec("answer-key"), AnswerKeyGrader)
    assert isinstance(grader_from_spec(" rule-key"), RuleKeyGrader)
    judge = grader_from_spec(f"python:{modules / 'judges.py'}:pushback", sample=2)
    assert isinstance(judge, JudgeGrader)
    assert judge.name == f"judge:python:{modules / 'judges.py'}:pushback"
    assert judge.identity["sample"] == 2 and judge.identity["judge"]["rubric"] == PUSHBACK.version


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("gpt4", "unknown {role} 'gpt4': expected one of local, openai:MODEL"),
        ("openai:", "openai {role} needs a model: 'openai:MODEL' (got 'openai:')"),
        ("anthropic:", "anthropic {role} needs a model: 'anthropic:MODEL' (got 'anthropic:')"),
        ("local:big", "'local' takes no model name (got 'local:big')"),
        ("python:nowhere", "got 'python:nowhere'"),
        (
            "python:nomodule_here_xyz:f",
            "cannot import module 'nomodule_here_xyz': ModuleNotFoundError: No module named "
            "'nomodule_here_xyz' (in 'python:nomodule_here_xyz:f')",
        ),
        (
            "python:tests.fixtures.planted:nothing",
            "has no function 'nothing' (in 'python:tests.fixtures.planted:nothing')",
        ),
    ],
)
def test_bad_specs_are_named(spec: str, message: str) -> None:
    # a judge is named a judge: "unknown target" for a misspelt --judge sent users to --target
    for resolve, role in (
        (target_from_spec, "target"),
        (judge_target, "judge"),
        (lambda s: judge_from_spec(s, CORRECTNESS), "judge"),
        (correctness_judge, "judge"),
        (grader_from_spec, "judge"),
    ):
        with pytest.raises(TargetSpecError) as err:
            resolve(spec)
        if resolve is grader_from_spec and spec == "gpt4":
            assert str(err.value) == (
                "unknown grader 'gpt4': expected answer-key, rule-key, exemplar, chain or a judge "
                "(local, openai:MODEL, anthropic:MODEL, python:MODULE:FUNCTION)"
            )
        else:
            assert message.format(role=role) in str(err.value), role


def test_a_python_function_that_cannot_load_is_named_by_its_role(tmp_path: Path) -> None:
    # a judge or pressure role was called "python target"; a module that exits while it is
    # imported (a script's sys.exit) raised SystemExit past the guard: a traceback
    exits = tmp_path / "exits.py"
    exits.write_text("import sys\nsys.exit(2)\n")
    spec = f"python:{exits}:f"
    for resolve, role in (
        (target_from_spec, "target"),
        (judge_target, "judge"),
        (correctness_judge, "judge"),
        (pressure_from_spec, "pressure"),
    ):
        with pytest.raises(TargetSpecError) as err:
            resolve(spec)
        assert str(err.value) == (
            f"python {role}: cannot import module '{exits}': SystemExit: 2 (in '{spec}')"
        ), role


def test_provider_set_up_errors_name_the_spec(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ANTHROPIC_API_KEY", raising=False)
    with pytest.raises(TargetSpecError) as err:
        correctness_judge("anthropic:claude-y")
    assert str(err.value) == (  # a judge's: it said "target"
        "anthropic judge needs ANTHROPIC_API_KEY in the environment (in 'anthropic:claude-y')"
    )


def test_provider_modules_load_only_when_used() -> None:
    code = (
        "import json, sys, backbone.evaluation.registry as r\n"
        "r.target_from_spec('python:json:dumps')\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('backbone.'))))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    loaded = set(json.loads(out))
    assert "backbone.targets.python_callable" in loaded
    assert not {"backbone.targets.openai_compat", "backbone.targets.anthropic"} & loaded
    assert "backbone.targets.local" not in loaded
