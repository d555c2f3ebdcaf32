"""What a run cost, for the target and the judges apart: ``results.json``'s ``costs``.

``usd`` is what the run's replies cost to produce at the table's prices (every reply, served
from the cache or not); ``usd_spent`` is what this run paid (the calls it made). Unpriced
targets (a model on your own server with no entry in your price table) have ``usd: null`` and
a ``note`` saying how to price them; free ones (the embedded model, ``python:``) cost 0.

A batch run (``--batch``) prices its replies at the batch price (the list price less the
provider's ``batch_discount``, recorded beside it); the few requests that went online after
their batches failed cost the list price; ``batch_saving_usd`` is what the calls this run made
would have cost online minus what they cost.

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
from dataclasses import dataclass
from typing import ClassVar, Protocol

from backbone.record.base import OmitsNone, Record
from backbone.targets.prices import Lookup, Price, PriceTable


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

    omitted_when_none: ClassVar[frozenset[str]] = frozenset(
        {"note", "batch_discount", "batch_saving_usd"}
    )
    specs: list[str]
    input_tokens: int
    output_tokens: int
    uncached_input_tokens: int
    uncached_output_tokens: int
    price: PriceRecord | None
    usd: float | None
    usd_spent: float | None
    note: str | None = None
    batch_discount: float | None = None
    batch_saving_usd: float | None = None

    @classmethod
    def of(
        cls,
        *lookups: Lookup,
        input_tokens: int,
        output_tokens: int,
        uncached_input_tokens: int,
        uncached_output_tokens: int,
        batch: BatchUse | None = None,
        calls: int = 0,
        cached_calls: int = 0,
    ) -> CostLine:
        """The cost of tokens at the price all ``lookups`` share (several judges with
        different prices cannot be told apart from summed tokens: not priced, with a note);
        with ``batch``, at the batch price (see the module doc). Replies (``calls`` made,
        ``cached_calls`` served) whose tokens the server never counted (a reply with no
        ``usage``) are not priced either, with a note: they were priced at 0, the run said
        "$0.0000 spent" for calls it paid for."""
        prices = {lk.price for lk in lookups}
        notes = [lk.note for lk in lookups if lk.note]
        price = next(iter(prices)) if len(prices) == 1 else None
        note = "; ".join(notes) or None
        if len(prices) > 1 and None not in prices:
            note = "the judges have different prices and their tokens are counted together"
        uncounted = uncounted_replies(
            calls, cached_calls, input_tokens + output_tokens,
            uncached_input_tokens + uncached_output_tokens,
        )  # fmt: skip
        if price is not None and (price.input or price.output) and uncounted:
            price = None
            note = (
                f"the server counted no tokens for {uncounted} replies (no usage in them), so "
                "what they cost is not known"
            )
        usd = spent = saving = None
        record = None
        if price is not None and batch is not None:
            off = 1.0 - batch.discount
            cheap = Price(price.input * off, price.output * off)
            online_in = min(batch.online_input_tokens, uncached_input_tokens)
            online_out = min(batch.online_output_tokens, uncached_output_tokens)
            usd = round(cheap.usd(input_tokens, output_tokens), 6)
            paid = cheap.usd(uncached_input_tokens - online_in, uncached_output_tokens - online_out)
            paid += price.usd(online_in, online_out)
            spent = round(paid, 6)
            saving = round(price.usd(uncached_input_tokens, uncached_output_tokens) - paid, 6)
        elif price is not None:
            usd = round(price.usd(input_tokens, output_tokens), 6)
            spent = round(price.usd(uncached_input_tokens, uncached_output_tokens), 6)
        if price is not None:
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
            batch_discount=batch.discount if batch is not None else None,
            batch_saving_usd=saving,
        )


def uncounted_replies(calls: int, cached_calls: int, tokens: int, uncached_tokens: int) -> int:
    """The replies whose tokens no usage counted, as far as the totals show: every reply
    (``calls`` made and ``cached_calls`` served) when ``tokens`` is 0, else the calls made
    when ``uncached_tokens`` is 0 (a reply takes at least one token in: 0 is no count).

    Example:
        >>> uncounted_replies(15, 0, 0, 0), uncounted_replies(3, 12, 900, 0)
        (15, 3)
        >>> uncounted_replies(15, 0, 900, 900), uncounted_replies(0, 0, 0, 0)
        (0, 0)
    """
    if calls + cached_calls > 0 and tokens == 0:
        return calls + cached_calls
    return calls if calls > 0 and uncached_tokens == 0 else 0


@dataclass(frozen=True)
class BatchUse:
    """A party played in batch mode: the provider's discount, and the tokens of the requests
    that went online after their batches failed (those cost the list price).

    Example:
        >>> from backbone.targets.prices import Lookup, Price
        >>> line = CostLine.of(Lookup("openai:m", Price(1.0, 2.0), "mine"),
        ...                    input_tokens=2_000_000, output_tokens=1_000_000,
        ...                    uncached_input_tokens=2_000_000, uncached_output_tokens=1_000_000,
        ...                    batch=BatchUse(0.5))
        >>> line.usd, line.usd_spent, line.batch_saving_usd
        (2.0, 2.0, 2.0)
    """

    discount: float
    online_input_tokens: int = 0
    online_output_tokens: int = 0


class CostsRecord(OmitsNone):
    """The run's costs: target, judges and the adaptive pressure role (``--pressure``) apart,
    and their totals (null when a party that made calls is not priced); ``batch_saving_usd``
    only in batch mode, ``pressure`` only with adaptive pressure."""

    omitted_when_none: ClassVar[frozenset[str]] = frozenset({"batch_saving_usd", "pressure"})

    currency: str
    prices_as_of: str
    target: CostLine
    judges: CostLine | None
    usd: float | None
    usd_spent: float | None
    batch_saving_usd: float | None = None
    pressure: CostLine | None = None

    @classmethod
    def of(
        cls,
        currency: str,
        as_of: str,
        target: CostLine,
        judges: CostLine | None,
        pressure: CostLine | None = None,
    ) -> CostsRecord:
        lines = [x for x in (target, judges, pressure) if x is not None]
        usd = (
            None if any(x.usd is None for x in lines) else round(sum(x.usd or 0 for x in lines), 6)
        )
        spent = (
            None
            if any(x.usd_spent is None for x in lines)
            else round(sum(x.usd_spent or 0 for x in lines), 6)
        )
        savings = [x.batch_saving_usd for x in lines if x.batch_saving_usd is not None]
        return cls(
            currency=currency, prices_as_of=as_of, target=target, judges=judges, usd=usd,
            usd_spent=spent, batch_saving_usd=round(sum(savings), 6) if savings else None,
            pressure=pressure,
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
    batch: BatchUse | None = None,
    judges_batch: BatchUse | None = None,
    pressure: tuple[str, _Tokens] | None = None,
) -> CostsRecord:
    """The costs of a run whose target (and judges) used these tokens (``batch``,
    ``judges_batch``: that party played in batch mode); ``pressure``: the adaptive pressure
    role's spec and tokens (it is sent to ``base_url`` as the target is)."""
    target_line = CostLine.of(
        table.lookup(target, base_url=base_url),
        input_tokens=stats.input_tokens,
        output_tokens=stats.output_tokens,
        uncached_input_tokens=stats.uncached_input_tokens or 0,
        uncached_output_tokens=stats.uncached_output_tokens or 0,
        batch=batch,
        calls=_count_of(stats, "calls"),
        cached_calls=_count_of(stats, "cached_calls"),
    )
    judge_line = None
    if judges is not None and judge_specs:
        judge_line = CostLine.of(
            *(table.lookup(s, base_url=judge_base_url) for s in judge_specs),
            input_tokens=judges.input_tokens,
            output_tokens=judges.output_tokens,
            uncached_input_tokens=judges.uncached_input_tokens or 0,
            uncached_output_tokens=judges.uncached_output_tokens or 0,
            batch=judges_batch,
            calls=_count_of(judges, "calls"),
            cached_calls=_count_of(judges, "cached_calls"),
        )
    pressure_line = None
    if pressure is not None:
        spec, used = pressure
        pressure_line = CostLine.of(
            table.lookup(spec, base_url=base_url),
            input_tokens=used.input_tokens,
            output_tokens=used.output_tokens,
            uncached_input_tokens=used.uncached_input_tokens or 0,
            uncached_output_tokens=used.uncached_output_tokens or 0,
        )
    return CostsRecord.of(table.currency, table.as_of, target_line, judge_line, pressure_line)


def _count_of(used: _Tokens, name: str) -> int:
    """A party's count of ``calls`` or ``cached_calls`` (0 where it keeps none)."""
    value = getattr(used, name, 0)
    return value if isinstance(value, int) else 0
