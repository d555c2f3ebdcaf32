"""What a run cost, for the target and the judges apart: ``results.json``'s ``costs``.

``usd`` is what the run's replies cost to produce at the table's prices (every reply, served
from the cache or not); ``usd_spent`` is what this run paid (the calls it made). Unpriced
targets (a model on your own server with no entry in your price table) have ``usd: null`` and
a ``note`` saying how to price them; free ones (the embedded model, ``python:``) cost 0.

Example:
    >>> from backbone.targets.prices import Price, Lookup
    >>> line = CostLine.of(Lookup("openai:gpt-4o-mini", Price(0.15, 0.6), "builtin"),
    ...                    input_tokens=1_000_000, output_tokens=100_000,
    ...                    uncached_input_tokens=500_000, uncached_output_tokens=50_000)
    >>> line.usd, line.usd_spent
    (0.21, 0.105)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol

from backbone.record.base import OmitsNone, Record
from backbone.targets.prices import Lookup, PriceTable


class _Tokens(Protocol):
    @property
    def input_tokens(self) -> int: ...
    @property
    def output_tokens(self) -> int: ...
    @property
    def uncached_input_tokens(self) -> int | None: ...
    @property
    def uncached_output_tokens(self) -> int | None: ...


class PriceRecord(Record):
    """USD per million tokens in and out, and where the price came from."""

    input_per_mtok: float
    output_per_mtok: float
    source: str


class CostLine(OmitsNone):
    """One priced party (the target, or the judges together)."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"note"})
    specs: list[str]
    input_tokens: int
    output_tokens: int
    uncached_input_tokens: int
    uncached_output_tokens: int
    price: PriceRecord | None
    usd: float | None
    usd_spent: float | None
    note: str | None = None

    @classmethod
    def of(
        cls,
        *lookups: Lookup,
        input_tokens: int,
        output_tokens: int,
        uncached_input_tokens: int,
        uncached_output_tokens: int,
    ) -> CostLine:
        """The cost of tokens at the price all ``lookups`` share (several judges with
        different prices cannot be told apart from summed tokens: not priced, with a note)."""
        prices = {lk.price for lk in lookups}
        notes = [lk.note for lk in lookups if lk.note]
        price = next(iter(prices)) if len(prices) == 1 else None
        note = "; ".join(notes) or None
        if len(prices) > 1 and None not in prices:
            note = "the judges have different prices and their tokens are counted together"
        usd = spent = None
        record = None
        if price is not None:
            usd = round(price.usd(input_tokens, output_tokens), 6)
            spent = round(price.usd(uncached_input_tokens, uncached_output_tokens), 6)
            record = PriceRecord(
                input_per_mtok=price.input,
                output_per_mtok=price.output,
                source=lookups[0].source,
            )
        return cls(
            specs=[lk.spec for lk in lookups],
            input_tokens=input_tokens,
            output_tokens=output_tokens,
            uncached_input_tokens=uncached_input_tokens,
            uncached_output_tokens=uncached_output_tokens,
            price=record,
            usd=usd,
            usd_spent=spent,
            note=note,
        )


class CostsRecord(Record):
    """The run's costs: target and judges apart, and their totals (null when a party that
    made calls is not priced)."""

    currency: str
    prices_as_of: str
    target: CostLine
    judges: CostLine | None
    usd: float | None
    usd_spent: float | None

    @classmethod
    def of(
        cls, currency: str, as_of: str, target: CostLine, judges: CostLine | None
    ) -> CostsRecord:
        lines = [target] + ([judges] if judges is not None else [])
        usd = (
            None if any(x.usd is None for x in lines) else round(sum(x.usd or 0 for x in lines), 6)
        )
        spent = (
            None
            if any(x.usd_spent is None for x in lines)
            else round(sum(x.usd_spent or 0 for x in lines), 6)
        )
        return cls(
            currency=currency, prices_as_of=as_of, target=target, judges=judges, usd=usd,
            usd_spent=spent,
        )  # fmt: skip


def price_run(
    stats: _Tokens,
    judges: _Tokens | None,
    table: PriceTable,
    *,
    target: str,
    base_url: str | None,
    judge_specs: Sequence[str],
    judge_base_url: str | None,
) -> CostsRecord:
    """The costs of a run whose target (and judges) used these tokens."""
    target_line = CostLine.of(
        table.lookup(target, base_url=base_url),
        input_tokens=stats.input_tokens,
        output_tokens=stats.output_tokens,
        uncached_input_tokens=stats.uncached_input_tokens or 0,
        uncached_output_tokens=stats.uncached_output_tokens or 0,
    )
    judge_line = None
    if judges is not None and judge_specs:
        judge_line = CostLine.of(
            *(table.lookup(s, base_url=judge_base_url) for s in judge_specs),
            input_tokens=judges.input_tokens,
            output_tokens=judges.output_tokens,
            uncached_input_tokens=judges.uncached_input_tokens or 0,
            uncached_output_tokens=judges.uncached_output_tokens or 0,
        )
    return CostsRecord.of(table.currency, table.as_of, target_line, judge_line)
