"""What every part of the run record shares: unknown keys are kept, some keys are left out
when empty, rates are ``{"value", "ci", "n"}`` and times are ISO 8601 as Python writes them.

A newer backbone may add keys to ``results.json``; an older one reading it keeps them (in
``__pydantic_extra__``) and writes them back after the keys it knows. Keys that today's writer
only writes in some runs (``summary.repeats`` with ``--samples K``, a verdict's ``rubric``...)
are named in ``omitted_when_none`` and left out of the dump when ``None``.

Example:
    >>> from backbone.metrics.rates import wilson
    >>> RateRecord.of(wilson(1, 4)).model_dump(mode="json")["n"]
    4
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, ClassVar, Protocol

from pydantic import (
    BaseModel,
    ConfigDict,
    PlainSerializer,
    SerializerFunctionWrapHandler,
    model_serializer,
)

Timestamp = Annotated[
    datetime, PlainSerializer(lambda d: d.isoformat(), return_type=str, when_used="json")
]
"""A time, written as ``datetime.isoformat()`` writes it (``2024-05-01T12:00:00+00:00``)."""


class Record(BaseModel):
    """A part of the run record: typed, and tolerant of keys it does not know."""

    model_config = ConfigDict(extra="allow")


class OmitsNone(Record):
    """A part some of whose keys are absent, rather than null, when they do not apply."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset()

    @model_serializer(mode="wrap")
    def _leave_out_absent(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        data: dict[str, Any] = handler(self)
        for key in self.omitted_when_none:
            if key in data and data[key] is None:
                del data[key]
        return data


class _HasInterval(Protocol):
    @property
    def value(self) -> float | None: ...
    @property
    def ci(self) -> tuple[float, float]: ...
    @property
    def n(self) -> int: ...


class RateRecord(Record):
    """A rate (or a mean of rates) with its 95% interval and its n; ``value`` is null when
    n = 0."""

    value: float | None
    ci: tuple[float, float]
    n: int

    @classmethod
    def of(cls, rate: _HasInterval) -> RateRecord:
        """From a :class:`~backbone.core.rate.Rate` or any value with ``value``, ``ci``, ``n``."""
        return cls(value=rate.value, ci=(rate.ci[0], rate.ci[1]), n=rate.n)


Rates = dict[str, RateRecord]
"""A breakdown: one rate per group (tactic, turn, position, domain, sample...)."""
