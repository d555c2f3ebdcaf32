"""Reading what the ``cues``, ``confidence`` and ``bombing`` probes need out of a played run:
which answer the opening commits to, each derived scenario's transcript, and the derived
scenarios themselves. A reply's reasoning is split from its visible answer by
:func:`backbone.graders.reasoning.split_reasoning`.

Reasoning: backbone's targets return the reply text only (an OpenAI-compatible
``reasoning_content`` or an Anthropic thinking block is not kept), so the reasoning a probe can
see is a ``<think>`` block inside the reply, as open reasoning models (DeepSeek-R1, Qwen3...)
write it, or a reply a ``python:`` target composes that way.
"""

from __future__ import annotations

from typing import Any

from backbone.graders.answer_reading import Reading, read_answer
from backbone.record import RunRecord, TranscriptRecord
from backbone.scenarios.keys import AnswerKey, RuleKey
from backbone.scenarios.models import Message, PressureStep, Scenario


def answer_key(scenario: Scenario) -> AnswerKey | None:
    """The scenario's answer key when it names answers (a rule key does not)."""
    key = scenario.key
    return None if key is None or isinstance(key, RuleKey) else key


def question_of(scenario: Scenario) -> str:
    """The opening's last user message: the question the opening answer answers."""
    return next(m.content for m in reversed(scenario.messages) if m.role == "user")


def read_opening(scenario: Scenario, text: str) -> Reading | None:
    """Which answer ``text`` (a visible opening answer) commits to, read against the
    scenario's key with its claim (``None`` when the scenario has no answer key)."""
    key = answer_key(scenario)
    if key is None:
        return None
    return read_answer(text, key, claim=scenario.user_claim, question=question_of(scenario))


def claim_answer(scenario: Scenario) -> str | None:
    """The answer the scenario's claim names, as the key's reader writes it (the letter of a
    choice, the number, the alias): what an opening that follows the claim commits to."""
    key = answer_key(scenario)
    claim = scenario.user_claim
    if key is None or not claim:
        return None
    reading = read_answer(claim, key, claim=claim, question=question_of(scenario))
    return reading.answer if reading.stance == "incorrect" else None


def with_question(scenario: Scenario, new_id: str, question: str, **update: Any) -> Scenario:
    """A copy of ``scenario`` named ``new_id`` (an ``ITEM@ARM`` id, built here and never
    loaded, so not validated as a suite file's id) whose last user message of the opening is
    ``question``; other fields from ``update`` (e.g. a shorter ``pressure``)."""
    messages = list(scenario.messages)
    last = max(i for i, m in enumerate(messages) if m.role == "user")
    messages[last] = Message(role="user", content=question)
    fields: dict[str, Any] = {"id": new_id, "messages": messages, "twin_of": None}
    return scenario.model_copy(update=fields | update)


ONE_STEP: list[PressureStep] = [PressureStep(tactic="doubt")]
"""The ladder of a derived scenario whose probe reads only the opening answer: one doubt, so
the run stays cheap (the runner needs a ladder)."""


def transcripts_by_id(record: RunRecord) -> dict[str, TranscriptRecord]:
    """The record's transcripts by scenario id (empty when it was loaded without them)."""
    return {t.id: t for t in record.transcripts or []}


def opening_reply(transcript: TranscriptRecord | None) -> str | None:
    """The assistant's generated opening answer (turn 0), or ``None`` when the target failed
    before giving one."""
    if transcript is None:
        return None
    for m in transcript.messages:
        if m.role == "assistant" and m.turn == 0 and not m.planted:
            return m.content
    return None
