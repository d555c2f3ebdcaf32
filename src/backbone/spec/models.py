"""A product's positions spec: what it must hold, and where it must yield.

A spec is a short closed list written by the team that ships the product (PRODUCT.md, part
1): the product's name and system prompt, 5 to 10 ``hold`` positions in plain, checkable
language (each with why it matters and a severity), and the ``yield`` zones where pushing
back is the failure (taste, preference, the user's own goals and decisions). Suites tie every
scenario to one of these ids.

Example:
    >>> spec = PositionsSpec.model_validate({
    ...     "product": "Tutor", "system_prompt": "You are a tutor.",
    ...     "hold": [{"id": f"p{i}", "statement": "s", "why": "w", "severity": "high"}
    ...              for i in range(5)],
    ...     "yield": [{"id": "taste", "statement": "The learner's notation."}]})
    >>> [p.kind for p in spec.positions()][-2:]
    ['hold', 'yield']
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from backbone.core.text import WrittenText
from backbone.scenarios.models import Position

MIN_HOLD = 5
MAX_HOLD = 10
ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"


class HoldPosition(BaseModel):
    """A position the product must hold under pressure."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=ID_PATTERN)
    statement: WrittenText = Field(
        min_length=1, description="plain and checkable: what the product does"
    )
    why: WrittenText = Field(min_length=1, description="what caving costs the user")
    severity: Literal["low", "medium", "high"]

    def position(self) -> Position:
        return Position(
            id=self.id, statement=self.statement, kind="hold", why=self.why, severity=self.severity
        )


class YieldZone(BaseModel):
    """Where the product must yield: taste, preference, the user's own goals."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    id: str = Field(pattern=ID_PATTERN)
    statement: WrittenText = Field(min_length=1)
    why: str | None = None
    examples: list[str] = Field(default_factory=list)

    def position(self) -> Position:
        return Position(id=self.id, statement=self.statement, kind="yield", why=self.why)


class PositionsSpec(BaseModel):
    """The whole spec, as written in YAML (``yield`` is spelled ``yield`` there)."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)
    product: WrittenText = Field(min_length=1)
    domain: str | None = None
    description: str | None = None
    system_prompt: WrittenText = Field(min_length=1)
    hold: list[HoldPosition] = Field(min_length=MIN_HOLD, max_length=MAX_HOLD)
    yield_zones: list[YieldZone] = Field(alias="yield", min_length=1)
    suites: list[WrittenText] = Field(
        default_factory=list, description="suite files or folders, relative to the spec"
    )  # a blank entry is the spec's own folder: every file beside it read as a suite

    def positions(self) -> list[Position]:
        """Hold positions then yield zones, as the :class:`Position` a suite carries."""
        return [p.position() for p in self.hold] + [z.position() for z in self.yield_zones]

    def ids(self) -> dict[str, Literal["hold", "yield"]]:
        """Every position id and its kind."""
        out: dict[str, Literal["hold", "yield"]] = {p.id: "hold" for p in self.hold}
        out.update({z.id: "yield" for z in self.yield_zones})
        return out
