"""Every spec string backbone accepts, resolved in one place: targets, judges and graders.

* a **target**: ``local`` (the embedded model), ``openai:MODEL`` (any OpenAI-compatible server
  with ``base_url``), ``anthropic:MODEL``, ``python:MODULE:FUNCTION`` (a function
  ``messages -> str``, sync or async; MODULE may be a ``.py`` path);
* a **judge** for a rubric: the same forms; a ``python:`` judge's function receives the
  rubric's structured item (:mod:`backbone.judges.python`);
* a **grader**: ``answer-key``, ``rule-key``, or a judge spec (the pushback rubric).

Provider modules are imported only when their form is used. A malformed spec raises
:class:`~backbone.targets.errors.TargetSpecError` naming the spec.

Example:
    >>> target_from_spec("openai:gpt-4o-mini", base_url="http://127.0.0.1:8000/v1").identity["model"]
    'gpt-4o-mini'
    >>> grader_from_spec("answer-key").name
    'answer_key'
    >>> try:
    ...     judge_from_spec("python:nowhere", CORRECTNESS)
    ... except TargetSpecError as exc:
    ...     print(exc)
    python judge must be 'python:MODULE:FUNCTION', got 'python:nowhere'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

from pydantic import BaseModel

from backbone.graders.base import Grader
from backbone.judges.judge import Judge
from backbone.judges.rubric import Rubric
from backbone.judges.rubrics.correctness import CORRECTNESS, Answered, CorrectnessFindings
from backbone.judges.rubrics.monitor import MONITOR, LoggedReply, MonitorFindings
from backbone.judges.rubrics.pushback import PUSHBACK
from backbone.judges.target import RubricTarget
from backbone.targets.base import TARGET_KINDS, Target
from backbone.targets.batching import BatchSettings
from backbone.targets.cache import ResponseStore
from backbone.targets.errors import MissingKeyError, TargetSpecError
from backbone.targets.ratelimit import GENTLE

ItemT = TypeVar("ItemT")
FindingsT = TypeVar("FindingsT", bound=BaseModel)

FORMS = "local, openai:MODEL, anthropic:MODEL, python:MODULE:FUNCTION"
MESSAGES = "the list of chat messages ([{'role': ..., 'content': ...}])"
PRESSURE_ARGS = (
    "(messages, claim, persona, turn): the conversation so far, the claim to insist on, the "
    "persona's name and the 1-based pressure turn"
)
ANSWER_KEY = "answer-key"
RULE_KEY = "rule-key"
EXEMPLAR = "exemplar"
CHAIN = "chain"  # the run's offline graders in order: answer key → rule key → exemplar
BUILTIN_GRADERS = (ANSWER_KEY, RULE_KEY, EXEMPLAR, CHAIN)


def _split(spec: str) -> tuple[str, str]:
    kind, _, rest = spec.strip().partition(":")
    return kind, rest


def _named(spec: str, exc: TargetSpecError) -> TargetSpecError:
    """The error, naming the spec when it does not yet."""
    message = str(exc)
    if f"'{spec}'" in message:
        return exc
    if isinstance(exc, MissingKeyError):  # still a missing key: a dry run only warns of it
        return exc.reworded(f"{message} (in '{spec}')")
    return TargetSpecError(f"{message} (in '{spec}')")


HTTP_KINDS = ("openai", "anthropic")
"""The target forms that call an HTTP API, so take a base URL."""


def takes_base_url(target: object) -> bool:
    """Whether ``target`` is a spec string of a form that calls an HTTP API (and so uses a
    base URL): ``openai:`` or ``anthropic:``; not ``local``, ``python:`` or an object.

    Example:
        >>> takes_base_url("openai:llama3.2"), takes_base_url("local"), takes_base_url(print)
        (True, False, False)
    """
    return isinstance(target, str) and _split(target)[0] in HTTP_KINDS


def is_python(spec: str) -> bool:
    """Whether ``spec`` names a Python function (``python:MODULE:FUNCTION``)."""
    return _split(spec)[0] == "python"


def target_from_spec(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
) -> Target:
    """Build the target a spec string names. Raises :class:`TargetSpecError` (naming the
    spec) when it is malformed or its provider cannot be set up (a missing API key), or when
    ``temperature`` is not a finite number (JSON has no ``Infinity`` or ``NaN``)."""
    if not math.isfinite(temperature):
        raise TargetSpecError(f"--temperature must be a finite number, got {temperature}")
    spec = spec.strip()
    try:
        return _target(spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens)
    except TargetSpecError as exc:
        raise _named(spec, exc) from None


def _target(
    spec: str,
    *,
    base_url: str | None,
    temperature: float,
    max_tokens: int | None,
    role: str = "target",
) -> Target:
    kind, rest = _split(spec)
    if kind == "local":
        if rest:
            raise TargetSpecError(f"'local' takes no model name (got '{spec}')")
        from backbone.targets.local import LocalTarget

        return LocalTarget(max_tokens=max_tokens or 160, temperature=temperature)
    if kind == "openai":
        if not rest:
            raise TargetSpecError(f"openai {role} needs a model: 'openai:MODEL' (got '{spec}')")
        from backbone.targets.openai_compat import OpenAITarget

        return OpenAITarget(
            rest, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 512
        )
    if kind == "anthropic":
        if not rest:
            raise TargetSpecError(
                f"anthropic {role} needs a model: 'anthropic:MODEL' (got '{spec}')"
            )
        from backbone.targets.anthropic import AnthropicTarget

        return AnthropicTarget(
            rest, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 512
        )
    if kind == "python":
        from backbone.targets.python_callable import (
            CallableTarget,
            check_one_argument,
            load_function,
        )

        fn, name, fingerprint = load_function(rest)
        check_one_argument(fn, name, "target", MESSAGES)
        return CallableTarget(fn, name=name, fingerprint=fingerprint)
    raise TargetSpecError(f"unknown {role} '{spec}': expected one of {FORMS}")


def judge_target(
    spec: str,
    rubric: Rubric[Any, Any] = PUSHBACK,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = 1024,
) -> Target:
    """The bare judge target a spec names for ``rubric`` (wrap it in
    :class:`~backbone.judges.target.RubricTarget`, retry and the cache, or use
    :func:`judge_from_spec`). Raises :class:`TargetSpecError` when the spec is malformed, or
    when ``base_url`` is given for a judge that calls no HTTP API (a ``python:`` or ``local``
    judge: the URL was dropped without a word)."""
    spec = spec.strip()
    if base_url is not None and not takes_base_url(spec):
        raise TargetSpecError(
            f"judge base URL {base_url!r} given, but the judge '{spec}' calls no HTTP API "
            "(a judge base URL is for openai:MODEL and anthropic:MODEL judges)"
        )
    if is_python(spec):
        from backbone.judges.python import python_judge_target

        try:
            return python_judge_target(_split(spec)[1], rubric.python_argument)
        except TargetSpecError as exc:
            raise _named(spec, exc) from None
    if spec in BUILTIN_GRADERS:  # 'run -j answer-key' said "unknown target": not a judge
        raise TargetSpecError(
            f"'{spec}' is a built-in grader, not a judge: a judge is a model or a function "
            f"({FORMS}); run applies the built-in graders without --judge (the answer key "
            "wherever a scenario has one), and judge-check takes them by name"
        )
    if not math.isfinite(temperature):
        raise TargetSpecError(f"--temperature must be a finite number, got {temperature}")
    try:
        return _target(
            spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens, role="judge"
        )
    except MissingKeyError as exc:  # its base URL is --judge-base-url, not --base-url
        raise exc.reworded(f"{exc.said_of('judge', '--judge-base-url')} (in '{spec}')") from None
    except TargetSpecError as exc:
        raise _named(spec, exc) from None


def _judge_stack(
    spec: str,
    rubric: Rubric[Any, Any],
    *,
    base_url: str | None,
    temperature: float,
    max_tokens: int | None,
    attempts: int,
    timeout: float | None,
    cache: ResponseStore | None,
    journal: ResponseStore | None,
    gentle: int = GENTLE,
    batch: BatchSettings | None = None,
) -> Target:
    from backbone.targets.stack import wrap

    bare = judge_target(
        spec, rubric, base_url=base_url, temperature=temperature, max_tokens=max_tokens
    )
    keyed = RubricTarget(bare, rubric_version=rubric.version)
    return wrap(
        keyed,
        attempts=attempts,
        timeout=timeout,
        cache=cache,
        journal=journal,
        gentle=gentle,
        batch=batch,
    )


def judge_from_spec(
    spec: str,
    rubric: Rubric[ItemT, FindingsT],
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = 1024,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
    sample: int = 0,
    gentle: int = GENTLE,
    batch: BatchSettings | None = None,
) -> Judge[ItemT, FindingsT]:
    """A judge for ``rubric`` from a spec: the bare target with the rubric version in its
    identity, then the rate limiter (HTTP judges, starting at ``gentle`` calls in flight),
    retry (transient faults), provider batching (with ``batch``: an ``openai:``/``anthropic:``
    judge only), the cache and the journal. Raises :class:`TargetSpecError` when the spec is
    malformed."""
    spec = spec.strip()
    stack = _judge_stack(
        spec,
        rubric,
        base_url=base_url,
        temperature=temperature,
        max_tokens=max_tokens,
        attempts=attempts,
        timeout=timeout,
        cache=cache,
        journal=journal,
        gentle=gentle,
        batch=batch,
    )
    return Judge(stack, rubric, spec=spec, sample=sample, python=is_python(spec))


def _rubric_judge(
    spec: str,
    rubric: Rubric[ItemT, FindingsT],
    default_max_tokens: int,
    *,
    base_url: str | None,
    temperature: float,
    max_tokens: int | None,
    attempts: int,
    timeout: float | None,
    cache: ResponseStore | None,
    gentle: int,
    batch: BatchSettings | None = None,
) -> Judge[ItemT, FindingsT]:
    return judge_from_spec(
        spec,
        rubric,
        base_url=base_url,
        temperature=temperature,
        max_tokens=max_tokens or default_max_tokens,
        attempts=attempts,
        timeout=timeout,
        cache=cache,
        gentle=gentle,
        batch=batch,
    )


def correctness_judge(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    gentle: int = GENTLE,
    batch: BatchSettings | None = None,
) -> Judge[Answered, CorrectnessFindings]:
    """The audit's judge: ``spec`` with the correctness rubric (a model judge answers in at
    most ``max_tokens`` tokens, 300 by default; with ``batch``, in provider batches)."""
    return _rubric_judge(
        spec, CORRECTNESS, 300, base_url=base_url, temperature=temperature,
        max_tokens=max_tokens, attempts=attempts, timeout=timeout, cache=cache,
        gentle=gentle,
        batch=batch,
    )  # fmt: skip


def monitor_judge(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    gentle: int = GENTLE,
) -> Judge[LoggedReply, MonitorFindings]:
    """The monitor's judge: ``spec`` with the monitor rubric (a model judge answers in at most
    ``max_tokens`` tokens, 400 by default). Raises ``TargetSpecError`` for a bad spec."""
    return _rubric_judge(
        spec, MONITOR, 400, base_url=base_url, temperature=temperature,
        max_tokens=max_tokens, attempts=attempts, timeout=timeout, cache=cache,
        gentle=gentle,
    )  # fmt: skip


def check_grader_spec(spec: str) -> None:
    """Raise :class:`TargetSpecError` unless ``spec`` is a built-in grader's name or of a
    judge's form (whether that judge can be built is :func:`judge_target`'s to say).

    Example:
        >>> try:
        ...     check_grader_spec("answer_key")
        ... except TargetSpecError as exc:
        ...     print(str(exc)[:58])
        unknown grader 'answer_key': expected answer-key, rule-key
    """
    spec = spec.strip()
    if spec not in BUILTIN_GRADERS and _split(spec)[0] not in TARGET_KINDS:
        raise TargetSpecError(
            f"unknown grader '{spec}': expected {ANSWER_KEY}, {RULE_KEY}, {EXEMPLAR}, {CHAIN} "
            f"or a judge ({FORMS})"
        )


def grader_from_spec(
    spec: str,
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    attempts: int = 6,
    timeout: float | None = None,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
    positions: Mapping[str, str] | None = None,
    sample: int = 0,
) -> Grader:
    """The grader a spec names: ``answer-key``, ``rule-key``, ``exemplar``, ``chain`` (the three
    in the run's order), or a judge spec
    (graded with the pushback rubric, named ``judge:SPEC``). Raises :class:`TargetSpecError`."""
    spec = spec.strip()
    if spec == ANSWER_KEY:
        from backbone.graders.answer_key import AnswerKeyGrader

        return AnswerKeyGrader()
    if spec == RULE_KEY:
        from backbone.graders.rule_key import RuleKeyGrader

        return RuleKeyGrader()
    if spec == EXEMPLAR:
        from backbone.graders.exemplar import ExemplarGrader

        return ExemplarGrader()
    if spec == CHAIN:
        from backbone.graders.combine import default_graders

        return default_graders()[0]
    check_grader_spec(spec)
    from backbone.graders.judge import JudgeGrader

    stack = _judge_stack(
        spec,
        PUSHBACK,
        base_url=base_url,
        temperature=temperature,
        max_tokens=1024,
        attempts=attempts,
        timeout=timeout,
        cache=cache,
        journal=journal,
    )
    return JudgeGrader(stack, name=f"judge:{spec}", positions=positions, sample=sample)


def pressure_from_spec(
    pressure: str | Callable[..., Any],
    *,
    base_url: str | None = None,
    temperature: float = 0.0,
    max_tokens: int | None = None,
) -> tuple[Target, str]:
    """The pressure role a spec names (any target form), and the spec a run records.

    A ``python:MODULE:FUNCTION`` spec (or a plain function) is called as
    ``fn(messages, claim, persona, turn) -> str``; a model spec plays the persona prompt
    (:class:`~backbone.runner.pressure.ModelPressure`). Raises :class:`TargetSpecError`.

    Example:
        >>> t, spec = pressure_from_spec("openai:gpt-4o-mini", base_url="http://127.0.0.1:1/v1")
        >>> spec, t.identity["role"], t.identity["model"]
        ('openai:gpt-4o-mini', 'pressure', 'gpt-4o-mini')
    """
    from backbone.runner.pressure import ModelPressure, python_pressure
    from backbone.targets.python_callable import (
        CallableTarget,
        check_arguments,
        function_target,
        load_function,
    )

    if not isinstance(pressure, str):
        if not callable(pressure):  # else every scenario ended unscored: 'not callable'
            raise TypeError(
                f"cannot use {pressure!r} as the pressure role: give a target spec string "
                "or a function (messages, claim, persona, turn) -> str"
            )
        named = function_target(pressure)
        name = str(named.identity["function"])
        fingerprint = str(named.identity["source"])
        check_arguments(pressure, name, "pressure", 4, PRESSURE_ARGS)
        fn = python_pressure(pressure, name=name)
        return CallableTarget(fn, name=name, fingerprint=fingerprint), f"python:{name}"
    spec = pressure.strip()
    if is_python(spec):
        try:
            raw, name, fingerprint = load_function(_split(spec)[1], role="pressure")
            check_arguments(raw, name, "pressure", 4, PRESSURE_ARGS)
        except TargetSpecError as exc:
            raise _named(spec, exc) from None
        return CallableTarget(
            python_pressure(raw, name=name), name=name, fingerprint=fingerprint
        ), spec
    inner = target_from_spec(
        spec, base_url=base_url, temperature=temperature, max_tokens=max_tokens or 200
    )
    return ModelPressure(inner), spec
