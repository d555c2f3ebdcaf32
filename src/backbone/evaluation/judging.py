"""The judge set-up shared by ``evaluate``, ``rescore`` and the judge check: judge specs into
one grader (a judge, or a majority over judges × samples), and what a run records about its
graders.

Example:
    >>> judging = setup_judging(["python:tests.fixtures.scripted_judge:judge"])  # doctest: +SKIP
    >>> judging.grader.name  # doctest: +SKIP
    'judge:python:tests.fixtures.scripted_judge:judge'
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from backbone.evaluation.registry import judge_target, takes_base_url
from backbone.graders.base import Grader
from backbone.graders.judge import JudgeGrader
from backbone.graders.measured import AgreementStore, agreement_for
from backbone.judges import JudgeStats, RubricTarget
from backbone.judges.rubrics.pushback import RUBRIC_VERSION
from backbone.targets.base import Target
from backbone.targets.batching import BatchSettings, provider_of
from backbone.targets.cache import ResponseStore, default_cache_dir
from backbone.targets.errors import TargetSpecError

AGREEMENT_FILE = "judge_agreement.json"


@dataclass
class Judging:
    """The judge grader of a command (one judge, or a majority over judges × samples)."""

    grader: Grader
    members: list[JudgeGrader]
    specs: list[str]
    samples: int
    targets: list[Target] = field(default_factory=list)

    @property
    def identity(self) -> dict[str, Any]:
        ident = getattr(self.grader, "identity", None)
        return dict(ident) if isinstance(ident, dict) else {"grader": self.grader.name}

    def stats(self) -> dict[str, int]:
        total = JudgeStats()
        for m in self.members:
            for k, v in vars(m.stats).items():
                setattr(total, k, getattr(total, k) + v)
        return total.as_dict()

    async def aclose(self) -> None:
        from backbone.targets.stack import aclose

        for t in self.targets:
            await aclose(t)


def check_specs(specs: Sequence[str] | None, *, base_url: str | None = None) -> None:
    """Validate judge specs before anything is written (raises ``TargetSpecError``)."""
    for spec in specs or []:
        judge_target(spec, base_url=base_url_of(spec, specs or [], base_url))


def base_url_of(spec: str, specs: Sequence[str], base_url: str | None) -> str | None:
    """The judge base URL for ``spec`` of the panel ``specs``: ``base_url`` for an
    ``openai:``/``anthropic:`` judge, none for a ``python:`` or ``local`` one beside it. A
    base URL that no judge of the panel takes raises ``TargetSpecError`` (it used to be
    dropped without a word: ``-j python:m:f --judge-base-url URL`` never called the URL).

    Example:
        >>> base_url_of("python:m:f", ["openai:a", "python:m:f"], "http://127.0.0.1:8000/v1")
        >>> base_url_of("openai:a", ["openai:a"], "http://127.0.0.1:8000/v1")
        'http://127.0.0.1:8000/v1'
    """
    if base_url is None:
        return None
    if not any(takes_base_url(s) for s in specs):
        shown = ", ".join(f"'{s.strip()}'" for s in specs)
        raise TargetSpecError(
            f"--judge-base-url {base_url!r} given, but no judge ({shown}) calls an HTTP API "
            "(a judge base URL is for openai:MODEL and anthropic:MODEL judges)"
        )
    return base_url if takes_base_url(spec) else None


def setup_judging(
    specs: Sequence[str] | None,
    *,
    base_url: str | None = None,
    samples: int = 1,
    cache: ResponseStore | None = None,
    journal: ResponseStore | None = None,
    attempts: int = 6,
    timeout: float | None = None,
    positions: dict[str, str] | None = None,
    temperature: float | None = None,
    gentle: int = 8,
    batch: BatchSettings | None = None,
) -> Judging | None:
    """Build the judge grader from judge specs (``None`` when none was given).

    Each judge target is wrapped with the rubric identity, retry, the cache and the journal.
    Several judges, or ``samples`` > 1, make a majority vote. The judge's temperature is 0
    unless several samples are drawn (then 0.7, or ``temperature`` when given: identical
    samples would make the vote pointless). An HTTP judge is paced by its rate-limit headers,
    starting at ``gentle`` calls in flight (:mod:`backbone.targets.ratelimit`). Raises
    ``TargetSpecError``. With ``batch``, an ``openai:``/``anthropic:`` judge sends its calls
    as provider batches too.
    """
    specs = list(dict.fromkeys(s.strip() for s in specs or []))  # the same judge once
    if not specs:
        return None
    from backbone.targets.stack import wrap

    members: list[JudgeGrader] = []
    targets: list[Target] = []
    for spec in specs:
        temp = temperature if temperature is not None else (0.0 if samples == 1 else 0.7)
        provider = judge_target(spec, base_url=base_url_of(spec, specs, base_url), temperature=temp)
        batched = batch if batch is not None and provider_of(provider) is not None else None
        stack = wrap(
            RubricTarget(provider), attempts=attempts, timeout=timeout, cache=cache,
            journal=journal, gentle=gentle, batch=batched,
        )  # fmt: skip
        targets.append(stack)
        for i in range(samples):
            name = f"judge:{spec}" + (f"#{i}" if samples > 1 else "")
            members.append(JudgeGrader(stack, name=name, positions=positions, sample=i))
    from backbone.graders.combine import MajorityGrader

    grader: Grader = members[0] if len(members) == 1 else MajorityGrader(members)
    return Judging(grader, members, list(specs), samples, targets)


def agreement_store(cache_root: Path | None = None) -> AgreementStore:
    """Judges' measured agreement, kept beside the response cache."""
    return AgreementStore((cache_root or default_cache_dir()) / AGREEMENT_FILE)


def grading_info(judging: Judging | None, store: AgreementStore | None) -> dict[str, Any]:
    """What a run records about its graders (``RunResult.grading``)."""
    info: dict[str, Any] = {
        "agreement": {
            "answer_key": agreement_for("answer_key", None, None),
            "rule_key": agreement_for("rule_key", None, None),
            "exemplar": agreement_for("exemplar", None, None),
        },
    }
    if judging is not None:
        info["agreement"][judging.grader.name] = agreement_for(
            judging.grader.name, judging.identity, store
        )
        info["judges"] = {
            "specs": judging.specs,
            "samples": judging.samples,
            "rubric_version": RUBRIC_VERSION,
            "grader": judging.grader.name,
            **judging.stats(),
        }
    return info
