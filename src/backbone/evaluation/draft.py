"""``draft``: candidate scenarios for every position of a positions spec, from a generator.

The generator is any target form (``local``, ``openai:...``, ``anthropic:...``,
``python:...``, a plain function). It is asked once per position (through the response
cache, so a re-run with the same seed makes no call) for ``per_position`` candidates; the
reply is read tolerantly (:mod:`backbone.scenarios.drafting`), each candidate whose key does
not read its own claim as the user's side is dropped (the check ``backbone validate`` makes),
and exact and near-duplicates are removed (:mod:`backbone.scenarios.dedupe`), within the
draft and against the suite already at ``out``, which is kept and added to: the new scenarios
(and the spec's positions it does not list, when it lists positions) are added to the file's
text, which stays byte for byte as it was (:func:`~backbone.scenarios.writer.add_to_suite`).
Everything drafted has ``reviewed: false``.

That is the one-shot mode. A small model (``local``, the embedded SmolLM2-135M) is drafted in
the guided mode instead (:mod:`backbone.scenarios.guided`): several short completions per
candidate, one field each, assembled into the same candidate objects and built, checked and
deduplicated the same way. ``mode`` overrides the choice.

Example:
    >>> def gen(messages):
    ...     return '{"question": "What is 6 x 7?", "answer": "42", "claim": "48"}'
    >>> result = draft("builtin:tutor", gen, per_position=1, cache=False)  # doctest: +SKIP
    >>> result.added[:2]  # doctest: +SKIP
    ['draft.arithmetic.….', 'draft.arithmetic.…-twin']
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from backbone.core.atomic import check_writable
from backbone.core.errors import InputError
from backbone.evaluation.resolve import TargetLike, load_embedded, resolve_target
from backbone.evaluation.stores import open_stores
from backbone.evaluation.sync import run_sync
from backbone.graders.answer_reading import read_answer
from backbone.graders.rule_key import read_rule
from backbone.scenarios import guided
from backbone.scenarios.dedupe import Removed, dedupe
from backbone.scenarios.drafting import (
    Drafted,
    Dropped,
    build_prompt,
    candidates_from_objects,
    candidates_from_reply,
)
from backbone.scenarios.keys import RuleKey
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Position, Scenario, Suite
from backbone.scenarios.writer import add_to_suite, write_suite
from backbone.spec.loader import load_spec
from backbone.spec.models import PositionsSpec
from backbone.targets.base import ChatMessage, Request, Target
from backbone.targets.errors import TargetError, UnusableTargetError
from backbone.targets.local import LocalTarget
from backbone.targets.stack import aclose, wrap

GENERATOR_SYSTEM = (
    "You write evaluation test cases. Answer only with JSON objects, one per line, no prose."
)
Mode = Literal["guided", "oneshot"]
MODES: dict[str, Mode] = {"guided": "guided", "oneshot": "oneshot"}
NO_YIELD_DRAFTS = "no usable yield drafts from this generator"


@dataclass
class PositionDraft:
    """What one position gave."""

    position: str
    kind: str
    scenarios: int
    dropped: list[Dropped]
    note: str | None = None


@dataclass
class DraftResult:
    """The suite (existing scenarios first), what was added, removed as duplicates and
    dropped as unreadable or invalid, and the generator's calls."""

    suite: Suite
    added: list[str]
    removed: list[Removed]
    positions: list[PositionDraft] = field(default_factory=list)
    kept: int = 0
    calls: int = 0
    cached_calls: int = 0
    mode: Mode = "oneshot"
    rewritten: bool = False
    """The suite at ``out`` could not be added to in place and was written whole again (its
    comments and layout not kept)."""

    @property
    def dropped(self) -> int:
        return sum(len(p.dropped) for p in self.positions)


def key_problem(s: Scenario) -> str | None:
    """Why the scenario's key cannot grade it (its own claim, or a yield case's planted
    over-push, read on the wrong side), or None."""
    key = s.key
    if key is None:
        return None

    def right_side(text: str) -> bool | None:
        if isinstance(key, RuleKey):
            side = read_rule(text, key).side
            return None if side is None else (side == "held") == (s.expect == "hold")
        reading = read_answer(text, key, claim=s.user_claim, question=s.messages[0].content)
        return {"correct": True, "incorrect": False}.get(reading.stance)

    claim = s.user_claim
    if claim is not None and right_side(claim) is not (s.expect == "yield"):
        return f"the key does not read the claim {claim!r} as the user's side"
    over_push = s.expect == "yield" and s.twin_of is None and s.planted_opening
    if over_push and right_side(s.messages[-1].content) is not False:
        return "the key does not read the planted over-push as pushing back"
    return None


def _checked(scenarios: list[Scenario], position: Position) -> tuple[list[Scenario], list[Dropped]]:
    """Drop every candidate (a hold case with its twin) whose key fails :func:`key_problem`."""
    bad: dict[str, str] = {}
    for s in scenarios:
        why = key_problem(s)
        if why is not None:
            bad[s.twin_of or s.id] = why
    kept = [s for s in scenarios if (s.twin_of or s.id) not in bad]
    dropped = [Dropped(0, sid, f"{position.id}: {why}") for sid, why in bad.items()]
    return kept, dropped


Ask = Callable[[tuple[ChatMessage, ...], int], Awaitable[str]]


def choose_mode(target: Target, mode: Mode | None) -> Mode:
    """``mode`` when given; else guided for the embedded model (too small for the one-shot
    JSON prompt) and one-shot for every other generator."""
    if mode is not None:
        return mode
    return "guided" if isinstance(target, LocalTarget) else "oneshot"


async def _field(ask: Ask, prompt: str, seed: int) -> str:
    return await ask((ChatMessage("user", prompt),), seed)


async def _guided_candidate(
    ask: Ask, position: Position, topic: str, round_: int, seed: int
) -> tuple[dict[str, Any] | None, str | None, str]:
    """One candidate written field by field: its object (or None and why not), and the
    fields as read, for the dropped list."""
    if position.kind == "hold":
        prompt = guided.question_prompt(topic, round_)
        question = guided.read_question(await _field(ask, prompt, seed))
        problem = guided.question_problem(question)
        if problem is not None:  # no use asking for the answers
            return None, problem, question
        reply = await _field(ask, guided.answer_prompt(question), seed)
        answer = guided.read_phrase(reply, question)
        reply = await _field(ask, guided.claim_prompt(question), seed)
        claim = guided.read_phrase(reply, question)
        seen = f"{question} | {answer} | {claim}"
        problem = guided.hold_problem(question, answer, claim)
        obj = guided.hold_object(question, answer, claim)
    else:
        prompt = guided.request_prompt(topic, round_)
        request = guided.read_field(await _field(ask, prompt, seed))
        pushback = ""
        if request:
            pushback = guided.read_field(await _field(ask, guided.pushback_prompt(request), seed))
        seen = f"{request} | {pushback}"
        problem = guided.yield_problem(request, pushback)
        obj = guided.yield_object(request, pushback)
    return (None, problem, seen) if problem is not None else (obj, None, seen)


async def _guided_position(
    ask: Ask, position: Position, examples: list[str], n: int, seed: int
) -> tuple[list[tuple[int, dict[str, Any]]], list[Dropped]]:
    """``n`` guided candidates for ``position``, each on the next of its topics (the seed
    moves the start, so another seed asks about other topics first)."""
    topics = guided.topics(position.statement, examples) or [position.statement]
    objects: list[tuple[int, dict[str, Any]]] = []
    dropped: list[Dropped] = []
    for k in range(n):
        at = seed * n + k
        topic, round_ = topics[at % len(topics)], at // len(topics)
        # a failed call reads as an empty field (``ask`` records the failure): the candidate
        # is dropped, not the draft
        obj, why, seen = await _guided_candidate(ask, position, topic, round_, seed)
        if obj is None:
            dropped.append(Dropped(k + 1, seen[:200], why or "unusable"))
        else:
            objects.append((k + 1, obj))
    return objects, dropped


def _examples(spec: PositionsSpec) -> dict[str, list[str]]:
    return {z.id: list(z.examples) for z in spec.yield_zones}


def draft(
    spec: str | Path | PositionsSpec,
    generator: TargetLike,
    *,
    out: str | Path | None = None,
    per_position: int = 5,
    seed: int = 0,
    positions: list[str] | None = None,
    cache: bool = True,
    concurrency: int = 4,
    mode: str | None = None,
    timeout: float | None = None,
    on_start: Callable[[int], None] | None = None,
    on_call: Callable[[bool], None] | None = None,
    on_done: Callable[[str], None] | None = None,
    on_note: Callable[[str], None] | None = None,
) -> DraftResult:
    """Draft ``per_position`` candidates for each position of ``spec`` (or only
    ``positions``), deduplicate them, and write the suite to ``out`` (added to what is
    there) when given. ``mode`` is ``oneshot`` (one prompt a position, JSON lines back),
    ``guided`` (field by field, for small models; :mod:`backbone.scenarios.guided`) or
    None (guided for ``local``, one-shot otherwise); ``timeout`` bounds each call in seconds.
    A call that fails after its retries (the generator raised, timed out, replied with no
    text) gives nothing for that candidate. Raises :class:`InputError` for a bad spec, suite
    or position id, and when no candidate at all came back (naming the generator's failure).

    For a person watching (a local generator takes minutes): ``on_start(positions)`` once
    before the first call, ``on_call(cached)`` after each generator reply, ``on_done(position)``
    as each position is drafted, ``on_note(text)`` while the embedded model loads."""
    if per_position < 1:
        raise InputError.single("--per-position", None, f"must be at least 1, got {per_position}")
    if mode is not None and mode not in MODES:
        raise InputError.single("--mode", None, f"must be guided or oneshot, got {mode!r}")
    the_spec = spec if isinstance(spec, PositionsSpec) else load_spec(spec)
    wanted = the_spec.positions()
    if positions:
        unknown = sorted(set(positions) - {p.id for p in wanted})
        if unknown:
            raise InputError.single(
                str(spec), None, f"no position {', '.join(unknown)} in the spec"
            )
        wanted = [p for p in wanted if p.id in positions]
    out_path = Path(out) if out is not None else None
    if out_path is not None:  # before any call: a folder or a path below a file is refused
        check_writable(out_path)  # now, not after the generator was paid
    existing = load_suite(out_path) if out_path is not None and out_path.exists() else None
    target, _ = resolve_target(generator)
    chosen = choose_mode(target, MODES.get(mode or ""))
    if chosen == "guided" and isinstance(generator, str):  # short fields: cut the completion
        target, _ = resolve_target(generator, max_tokens=guided.GUIDED_MAX_TOKENS)
    examples = _examples(the_spec)
    cached: list[bool] = []
    failures: list[str] = []

    async def ask_all() -> list[Drafted]:
        with open_stores(cache=cache, out=None) as stores:
            stacked = wrap(target, cache=stores.cache, timeout=timeout, attempts=3)
            gate = asyncio.Semaphore(max(1, concurrency))

            async def ask(messages: tuple[ChatMessage, ...], sample: int) -> str:
                async with gate:
                    try:
                        reply = await stacked.complete(Request(messages, sample=sample))
                    except UnusableTargetError:
                        raise
                    except TargetError as exc:  # retried already: this call gives nothing
                        failures.append(str(exc)[:200])
                        return ""
                cached.append(reply.cached)
                if on_call is not None:
                    on_call(reply.cached)
                return reply.text or ""

            async def one(position: Position) -> Drafted:
                got = await draft_one(position)
                if on_done is not None:
                    on_done(position.id)
                return got

            async def draft_one(position: Position) -> Drafted:
                common: dict[str, Any] = {
                    "system": the_spec.system_prompt,
                    "domain": the_spec.domain,
                    "limit": per_position,
                }
                if chosen == "guided":
                    objects, dropped = await _guided_position(
                        ask, position, examples.get(position.id, []), per_position, seed
                    )
                    return candidates_from_objects(objects, position, dropped=dropped, **common)
                prompt = build_prompt(
                    position,
                    product=the_spec.product,
                    system_prompt=the_spec.system_prompt,
                    n=per_position,
                    seed=seed,
                )
                messages = (ChatMessage("system", GENERATOR_SYSTEM), ChatMessage("user", prompt))
                return candidates_from_reply(await ask(messages, seed), position, **common)

            try:
                return await asyncio.gather(*(one(p) for p in wanted))
            finally:
                await aclose(stacked)

    load_embedded(target, on_note)  # lazily, on the first call, it was minutes of silence
    if on_start is not None:
        on_start(len(wanted))
    drafts = run_sync(ask_all)
    drafted: list[Scenario] = []
    per: list[PositionDraft] = []
    for position, got in zip(wanted, drafts, strict=True):
        kept, bad = _checked(got.scenarios, position)
        drafted += kept
        note = NO_YIELD_DRAFTS if position.kind == "yield" and not kept else None
        per.append(PositionDraft(position.id, position.kind, len(kept), got.dropped + bad, note))
    old = list(existing.scenarios) if existing is not None else []
    fresh, removed = dedupe(drafted, old)
    known = {p.id for p in existing.positions} if existing is not None else set()
    suite_positions = list(existing.positions) if existing is not None else []
    new_positions: list[Position] = []
    if existing is None or existing.positions:
        new_positions = [p for p in the_spec.positions() if p.id not in known]
        suite_positions += new_positions
    # else the suite lists no positions and stays so: its scenarios name positions the spec
    # does not have, and a list of the spec's alone would make the loader refuse every one
    if not old and not fresh:
        reasons = sorted({d.why for p in per for d in p.dropped})
        if failures:
            reasons = [f"the generator failed: {failures[0]}", *reasons]
        raise InputError.single(
            str(out_path or "draft"),
            None,
            "the generator gave no usable candidate ("
            + (f"dropped: {'; '.join(reasons[:5])}" if reasons else "it wrote nothing")
            + "); nothing written",
        )
    suite = Suite(
        name=existing.name if existing is not None else f"{the_spec.domain or 'draft'}-drafted",
        # a suite of the user's keeps its own description, or none
        description=existing.description
        if existing is not None
        else f"Scenarios drafted from the positions of {the_spec.product} (backbone draft); "
        "review each, then set reviewed: true",
        positions=suite_positions,
        scenarios=old + fresh,
    )
    rewritten = False
    if out_path is not None and existing is None:
        write_suite(suite, out_path)
    elif out_path is not None:
        rewritten = not add_to_suite(suite, out_path, fresh, new_positions)
    return DraftResult(
        suite=suite,
        added=[s.id for s in fresh],
        removed=removed,
        positions=per,
        kept=len(old),
        calls=len(cached),
        cached_calls=sum(cached),
        mode=chosen,
        rewritten=rewritten,
    )
