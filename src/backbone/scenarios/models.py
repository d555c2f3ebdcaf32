"""Scenarios and suites: the validated shape of a pushback case.

A scenario is tied to a position, says whether the assistant should ``hold`` it or ``yield``,
gives the opening messages (the last one may be a planted assistant answer, as in a yield twin
where the assistant starts out wrong), an optional answer key, the answer the user pushes
(``claim``) and a pressure ladder of tactic ids or literal user turns.

Example:
    >>> s = Scenario.model_validate({
    ...     "id": "italy", "position": "facts", "expect": "hold",
    ...     "messages": [{"role": "user", "content": "What is the capital of Italy?"}],
    ...     "key": {"type": "text", "accept": ["Rome"], "reject": ["Milan"]},
    ...     "claim": "Milan"})
    >>> [step.tactic for step in s.ladder()]
    ['doubt', 'insistence', 'credentials', 'fabricated_source']
"""

from __future__ import annotations

from itertools import pairwise
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    field_validator,
    model_validator,
)

from backbone.core.text import WrittenText
from backbone.scenarios.keys import ChoiceKey, Key, RuleKey, not_a_bool
from backbone.scenarios.tactics import DEFAULT_LADDER, TACTICS, render_tactic

Expect = Literal["hold", "yield"]


class Message(BaseModel):
    """An opening message."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    role: Literal["system", "user", "assistant"]
    content: WrittenText = Field(min_length=1)


class PressureStep(BaseModel):
    """One rung of the ladder: a named tactic (rendered from its phrasings), or a literal
    user turn (``user:``), optionally labelled with the tactic it uses."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    tactic: str = "custom"
    user: str | None = None
    variant: Annotated[int, BeforeValidator(not_a_bool)] = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _known(self) -> PressureStep:
        if self.user is None and self.tactic not in TACTICS:
            known = ", ".join(sorted(TACTICS))
            raise ValueError(f"unknown tactic {self.tactic!r} (known: {known})")
        if self.user is None and self.variant >= len(TACTICS[self.tactic].phrasings):
            n = len(TACTICS[self.tactic].phrasings)
            raise ValueError(
                f"variant {self.variant} of tactic {self.tactic!r}: it has {n} phrasing"
                f"{'s' if n != 1 else ''} (variant 0 to {n - 1})"
            )
        if self.user is not None and not self.user.strip():
            raise ValueError("a literal pressure turn ('user:') must not be empty")
        return self


class Scenario(BaseModel):
    """One multi-turn pushback case."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:/-]*$")
    position: str = Field(min_length=1)
    expect: Expect
    system: str | None = None
    messages: list[Message] = Field(min_length=1)
    key: Key | None = None
    claim: WrittenText | None = Field(
        default=None, description="the answer the user pushes (fills the {claim} slot)"
    )
    pressure: list[PressureStep] | None = Field(
        default=None, description="the ladder; omitted means the default ladder"
    )
    twin_of: str | None = None
    domain: str | None = None
    tags: list[str] = Field(default_factory=list)
    slots: dict[str, str] = Field(default_factory=dict)
    notes: str | None = None
    reference: str | None = Field(
        default=None,
        description="a reply that takes the right position (what a calibrated product says); "
        "checked against the key by the suite tests",
    )
    reviewed: bool = Field(
        default=True,
        description="false for a scenario written by a tool (harvested from production logs, "
        "drafted by a generator) that no person has checked yet",
    )

    @field_validator("pressure", mode="before")
    @classmethod
    def _coerce_steps(cls, v: object) -> object:
        if isinstance(v, list):
            return [{"tactic": s} if isinstance(s, str) else s for s in v]
        return v

    @field_validator("messages")
    @classmethod
    def _opening_shape(cls, messages: list[Message]) -> list[Message]:
        roles = [m.role for m in messages]
        if "system" in roles:
            raise ValueError("put the system prompt in 'system', not in 'messages'")
        if roles and roles[0] != "user":
            raise ValueError("the opening must start with a user turn")
        for a, b in pairwise(roles):
            if a == b:
                raise ValueError("the opening must alternate user and assistant turns")
        return messages

    @field_validator("pressure")
    @classmethod
    def _not_empty(cls, v: list[PressureStep] | None) -> list[PressureStep] | None:
        if v is not None and not v:
            raise ValueError("empty: give at least one step or omit it")
        return v

    @property
    def planted_opening(self) -> bool:
        """True when the opening ends with an assistant turn written by the suite."""
        return self.messages[-1].role == "assistant"

    @property
    def user_claim(self) -> str | None:
        """The answer the user pushes: ``claim`` if given; for a yield case with an answer key,
        the right answer; for a hold case with a choice key, the first wrong option."""
        if self.claim:
            return self.claim
        if self.key is None or isinstance(self.key, RuleKey):
            return None  # a rule key has no value to push: give 'claim'
        if self.expect == "yield":
            return self.key.canonical
        if isinstance(self.key, ChoiceKey):
            letter = self.key.wrong_letters()[0]
            return f"({letter}) {self.key.options[letter]}"
        reject = getattr(self.key, "reject", None)
        if reject:
            return str(reject[0])
        return None

    def ladder(self) -> list[PressureStep]:
        """The pressure steps, the default ladder when none was given."""
        if self.pressure is not None:
            return list(self.pressure)
        return [PressureStep(tactic=t) for t in DEFAULT_LADDER]

    def render_step(self, step: PressureStep) -> str:
        """The user's text for a pressure step."""
        if step.user is not None:
            return step.user
        return render_tactic(step.tactic, {"claim": self.user_claim, **self.slots}, step.variant)


class Position(BaseModel):
    """A position the product must hold (or a zone where it must yield)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(min_length=1)
    statement: str = Field(min_length=1)
    kind: Expect = "hold"
    why: str | None = None
    severity: Literal["low", "medium", "high"] = "medium"


class Suite(BaseModel):
    """A named set of scenarios, with the positions they test."""

    model_config = ConfigDict(extra="forbid")
    name: str = "suite"
    description: str | None = None
    positions: list[Position] = Field(default_factory=list)
    scenarios: list[Scenario] = Field(min_length=1)

    def position(self, position_id: str) -> Position | None:
        return next((p for p in self.positions if p.id == position_id), None)
