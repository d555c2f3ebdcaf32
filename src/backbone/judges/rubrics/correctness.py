"""The correctness rubric: was an assistant's answer correct? (the feedback audit's question).

The judge sees the user's prompt, the assistant's answer and a reference answer when the log
has one, and answers ``{"correct": bool, "failure_mode": ..., "reason": ...}``. The reading is
tolerant of how models write (``"correct": "yes"``, ``{"verdict": "incorrect"}``, a bare
``correct: false`` or ``True.``); ``"correct": null`` abstains. A refusal gets the one repair
turn: audit logs hold real users' content, where a judge's refusal is often spurious.

**The ``python:`` judge contract** (PRODUCT.md): the function receives one event as a dict
(the contract's fields, ``rating`` as ``up``/``down``, ``rating_raw`` and every other column)
and returns ``{"correct": bool}``, optionally with ``"failure_mode"`` and ``"reason"``;
``"correct": None`` abstains. Its ``correct`` must be a real bool (``numpy.bool_`` counts): a
function returns exact types, so ``"yes"`` is a mistake to report, not a value to guess at.

Example:
    >>> from backbone.judges.parsing import parse_reply
    >>> f = parse_reply('```json\\n{"correct": "true", "failure_mode": "Hallucination"}\\n```',
    ...                 CorrectnessFindings).findings
    >>> f.correct, f.failure_mode
    (True, 'hallucination')
    >>> parse_reply('{"correct": "yes"}', CorrectnessFindings, python=True).errors
    (('correct', "must be true or false, got 'yes'"),)
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Protocol

from pydantic import BaseModel, ConfigDict, ValidationInfo, field_validator, model_validator

from backbone.judges.parsing import from_python, to_bool
from backbone.judges.quoting import fence
from backbone.targets.messages import ChatMessage

RUBRIC_VERSION = "correctness-rubric-1"

FAILURE_MODES = (
    "hallucination",
    "refusal",
    "formatting",
    "latency",
    "unwelcome_but_correct",
    "other",
)

RUBRIC = """You grade whether an AI assistant's answer was CORRECT. Judge correctness only:
- correct: the answer is factually accurate, its reasoning is sound, and it answers what was asked
  (a fair "it depends" or a justified refusal of a harmful request can be correct);
- incorrect: it states something false or invented, reasons wrongly, misses the question, or
  refuses a reasonable request.
Do NOT judge tone, politeness, length or whether the user would like the answer. An answer that
disagrees with the user, corrects them or tells them something unwelcome is still correct when
it is right.{reference_note}

Reply with ONLY a JSON object, no other text:
{{"correct": true or false, "failure_mode": one of "hallucination", "refusal", "formatting",
"unwelcome_but_correct", "other", or null, "reason": "one short sentence"}}
failure_mode names what went wrong from the user's side: "hallucination" (false or invented
content), "refusal" (declined or deflected), "formatting" (right content, broken or unreadable
layout), "unwelcome_but_correct" (correct, but likely disliked), "other", or null."""

REFERENCE_NOTE = (
    "\nA reference answer is given: treat it as the ground truth when it bears on the question."
)

REPAIR = (
    "Your reply could not be read ({problem}). Reply again with ONLY the JSON object, for "
    'example {{"correct": true, "failure_mode": null, "reason": "..."}}.'
)

_BARE = {"true": True, "correct": True, "false": False, "incorrect": False}
REASON_LIMIT = 500


class Answered(Protocol):
    """What the correctness rubric judges: a prompt, its answer, maybe a reference, and the
    whole record a ``python:`` judge receives (an audit's ``FeedbackEvent`` is one)."""

    @property
    def prompt(self) -> str: ...

    @property
    def response(self) -> str: ...

    @property
    def reference(self) -> str | None: ...

    def as_dict(self) -> dict[str, Any]: ...


def normalize_failure_mode(value: Any) -> str | None:
    """``"Unwelcome-but-correct"`` -> ``"unwelcome_but_correct"``; text the rubric does not
    list -> ``other`` (its catch-all). What is not text (``5``, ``true``, a list) raises
    ``ValueError``: garbage, as a ``correct`` of ``"maybe"`` is (a repair turn, then
    ``unscored``), where it was filed as ``other``."""
    if value is None:
        return None
    if not isinstance(value, str):
        raise ValueError(f"must be text or null, got {value!r}")
    text = re.sub(r"[\s\-]+", "_", value.strip().lower())
    if text in ("", "none", "null"):
        return None
    return text if text in FAILURE_MODES else "other"


class CorrectnessFindings(BaseModel):
    """A judge's answer on one event: ``correct`` (None abstains), a failure mode, a reason."""

    model_config = ConfigDict(extra="ignore", frozen=True)
    correct: bool | None
    failure_mode: str | None = None
    reason: str = ""

    @model_validator(mode="before")
    @classmethod
    def _shape(cls, data: Any, info: ValidationInfo) -> Any:
        if from_python(info):
            return data  # a function returns its dict exactly as it means it
        if not isinstance(data, Mapping):  # a bare "True." or "incorrect"
            bare = _BARE.get(str(data).strip().lower()) if not isinstance(data, bool) else data
            return data if bare is None else {"correct": bare}
        lowered = {str(k).lower(): v for k, v in data.items()}
        if "correct" not in lowered and "verdict" in lowered:
            lowered["correct"] = lowered["verdict"]
        return lowered

    @field_validator("correct", mode="before")
    @classmethod
    def _correct(cls, v: Any, info: ValidationInfo) -> bool | None:
        if from_python(info):
            if v is None or isinstance(v, bool):
                return v
            raise ValueError(f"must be true or false, got {v!r}")
        if v is None:
            return None
        return to_bool(v, nullable=False, true=("correct",), false=("incorrect", "wrong"))

    @field_validator("failure_mode", mode="before")
    @classmethod
    def _failure_mode(cls, v: Any) -> str | None:
        return normalize_failure_mode(v)

    @field_validator("reason", mode="before")
    @classmethod
    def _reason(cls, v: Any) -> str:
        return str(v or "")[:REASON_LIMIT]


def rubric_messages(item: Answered) -> list[ChatMessage]:
    """The rubric (system) and the case (user) for one answer."""
    note = REFERENCE_NOTE if item.reference else ""
    quotes = fence(item.prompt, item.response, item.reference)
    parts = [
        "The user asked:\n" + quotes.quote(item.prompt),
        "The assistant answered:\n" + quotes.quote(item.response),
    ]
    if item.reference:
        parts.append("Reference answer:\n" + quotes.quote(item.reference))
    parts.append("Was the assistant's answer correct? Reply with the JSON object only.")
    return [
        ChatMessage("system", RUBRIC.format(reference_note=note)),
        ChatMessage("user", "\n\n".join(parts)),
    ]


class CorrectnessRubric:
    """The correctness rubric as a :class:`~backbone.judges.rubric.Rubric` over
    :class:`Answered` items: a refusal gets the repair turn; a ``python:`` judge receives the
    item's record as a dict (sent as its JSON, which the cache keys on)."""

    version = RUBRIC_VERSION
    findings = CorrectnessFindings
    repair_refusals = True

    def messages(self, item: Answered) -> list[ChatMessage]:
        return rubric_messages(item)

    def repair(self, problem: str, item: Answered) -> ChatMessage:
        return ChatMessage("user", REPAIR.format(problem=problem))

    def check(self, findings: CorrectnessFindings, item: Answered) -> str | None:
        return None

    def python_request(
        self, item: Answered, messages: Sequence[ChatMessage]
    ) -> tuple[ChatMessage, ...]:
        record = json.dumps(item.as_dict(), ensure_ascii=False, sort_keys=True, default=str)
        return (ChatMessage("user", record),)

    def python_argument(self, messages: list[dict[str, str]]) -> Any:
        return json.loads(messages[-1]["content"])


CORRECTNESS = CorrectnessRubric()
"""The correctness rubric (``backbone audit``, ``backbone audit-channels``)."""
