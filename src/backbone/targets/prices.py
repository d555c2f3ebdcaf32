"""What a target's tokens cost: a dated price table per provider and model, shipped with
backbone (``prices.yaml``) and overridable entry by entry by a user's file of the same shape.

The embedded model and ``python:`` targets cost nothing. An ``openai:``/``anthropic:`` model
pointed at another server (``--base-url`` other than the provider's own) is not priced from the
shipped table, whose prices are the provider's: give it a price in your own file, under the
provider name or under the base URL's host (``"127.0.0.1:8080": {my-model: {...}}``; a host
whose URL gives no port is written with its scheme's, ``"vllm:80"``).

Every key is checked, so an entry that could never price anything is an error naming the file,
its line and the key, never a silent "not priced": a provider key must be a priced provider
(``openai``, ``anthropic``) or look like a host (a dot or a port, or ``localhost``), so a typo
such as ``opneai`` is caught; a model key must not be empty (the empty prefix would price every
model of its provider); a ``batch_discount`` key must be a priced provider.

Example:
    >>> table = PriceTable.load()
    >>> table.lookup("openai:gpt-4o-mini-2024-07-18").price
    Price(input=0.15, output=0.6)
    >>> table.lookup("local").price
    Price(input=0.0, output=0.0)
    >>> table.lookup("openai:llama3", base_url="http://127.0.0.1:11434/v1").price is None
    True
"""

from __future__ import annotations

import difflib
import math
import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from backbone.core.errors import InputError
from backbone.core.user_file import read_text
from backbone.core.yaml_lines import NodePath, line_for, load_yaml_with_lines
from backbone.targets.base import TARGET_KINDS

PRICES_ENV = "BACKBONE_PRICES"
OFFICIAL_HOSTS = {"openai": "api.openai.com", "anthropic": "api.anthropic.com"}
FREE = ("local", "python")
PRICED = tuple(kind for kind in TARGET_KINDS if kind not in FREE)
"""The providers whose tokens are priced: every target kind but the free ones."""
DEFAULT_PORTS = {"http": 80, "https": 443}


@dataclass(frozen=True)
class Price:
    """USD per million tokens in and out."""

    input: float
    output: float

    def usd(self, input_tokens: int, output_tokens: int) -> float:
        return (input_tokens * self.input + output_tokens * self.output) / 1_000_000


@dataclass(frozen=True)
class Lookup:
    """The price found for a target (None: not priced) and where it came from."""

    spec: str
    price: Price | None
    source: str  # "free", "builtin", a user's file, or "none"
    note: str | None = None


@dataclass(frozen=True)
class PriceTable:
    """Prices by provider (or server host) and model-name prefix."""

    as_of: str
    currency: str
    entries: dict[str, dict[str, tuple[Price, str]]]  # provider -> prefix -> (price, source)
    sources: tuple[str, ...]
    batch_discounts: tuple[tuple[str, float], ...] = ()  # provider -> share off in batch mode

    def batch_discount(self, spec: str) -> float | None:
        """The share of the price a batch of ``spec``'s provider saves (None: no batch API).

        Example:
            >>> PriceTable.load().batch_discount("anthropic:claude-haiku-4-5")
            0.5
        """
        return dict(self.batch_discounts).get(spec.partition(":")[0])

    @classmethod
    def load(cls, user_file: str | Path | None = None) -> PriceTable:
        """The shipped table, with a user's file (or ``$BACKBONE_PRICES``) laid over it."""
        shipped = resources.files("backbone.targets").joinpath("prices.yaml").read_text("utf-8")
        doc = _parse(shipped, "prices.yaml (shipped)")
        entries = _entries(doc, "builtin", "prices.yaml (shipped)")
        as_of, currency = str(doc.data["as_of"]), str(doc.data.get("currency", "USD"))
        sources = ["builtin"]
        discounts = _discounts(doc, "prices.yaml (shipped)")
        path = user_file if user_file is not None else os.environ.get(PRICES_ENV) or None
        if path is not None:
            p = Path(path)
            text = read_text(p)
            user = _parse(text, str(p))
            mine = user.data
            if "currency" in mine and str(mine["currency"]) != currency:
                raise InputError.single(
                    str(p),
                    user.line("currency"),
                    f"currency {mine['currency']!r}: the table is in {currency}",
                )
            discounts.update(_discounts(user, str(p)))
            for provider, models in _entries(user, str(p), str(p)).items():
                entries.setdefault(provider, {}).update(models)
            if "as_of" in mine:
                as_of = f"{as_of} (builtin), {mine['as_of']} ({p.name})"
            sources.append(str(p))
        return cls(
            as_of=as_of, currency=currency, entries=entries, sources=tuple(sources),
            batch_discounts=tuple(sorted(discounts.items())),
        )  # fmt: skip

    def lookup(self, spec: str, *, base_url: str | None = None) -> Lookup:
        """The price of target ``spec`` (``provider:model``) served from ``base_url``."""
        provider, _, model = spec.partition(":")
        if provider in FREE:
            return Lookup(spec, Price(0.0, 0.0), "free")
        # host[:port], never the user:password@ a base URL may carry (notes are written out)
        parts = urlsplit(base_url) if base_url else None
        host = parts.netloc.rpartition("@")[2] if parts else None
        keys = []
        if host:
            keys.append(host)
            port = DEFAULT_PORTS.get(parts.scheme) if parts and not _has_port(host) else None
            if port is not None:  # "http://vllm/v1" is priced under "vllm:80" too
                keys.append(f"{host}:{port}")
        if host is None or host == OFFICIAL_HOSTS.get(provider):
            keys.append(provider)
        for key in keys:
            found = _longest_prefix(self.entries.get(key, {}), model)
            if found is not None:
                # the shipped table prices the provider's own servers only
                if found[1] == "builtin" and host not in (None, OFFICIAL_HOSTS.get(provider)):
                    continue
                return Lookup(spec, found[0], found[1])
        where = f" at {host}" if host else ""
        return Lookup(
            spec,
            None,
            "none",
            f"no price for {spec}{where}: add it to a price table (--prices FILE)",
        )


def _has_port(host: str) -> bool:
    """Whether ``host`` (a URL's netloc, without credentials) names its port."""
    return ":" in host.rpartition("]")[2]  # an IPv6 address's own colons are in brackets


def looks_like_host(key: str) -> bool:
    """Whether a price table's key names a server (as its base URL's host: a dot, a port,
    an IPv6 address, or ``localhost``) rather than a provider.

    Example:
        >>> [looks_like_host(k) for k in ("127.0.0.1:8080", "vllm:80", "localhost", "opneai")]
        [True, True, True, False]
    """
    return "." in key or ":" in key or key.startswith("[") or key.lower() == "localhost"


def _provider_problem(provider: str) -> str | None:
    """Why ``provider`` cannot be a price table's provider key (None: it can)."""
    if provider in PRICED or (provider not in TARGET_KINDS and looks_like_host(provider)):
        return None
    if provider in FREE:
        return f"'{provider}' targets cost nothing and are never priced: remove this entry"
    close = difflib.get_close_matches(provider.lower(), PRICED, n=1, cutoff=0.6)
    guess = f" (did you mean '{close[0]}'?)" if close else ""
    return (
        f"unknown provider {provider!r}{guess}: expected {' or '.join(PRICED)}, or a server's "
        "host as in its base URL, with its port (e.g. '127.0.0.1:8080')"
    )


def _longest_prefix(models: dict[str, tuple[Price, str]], model: str) -> tuple[Price, str] | None:
    best = max((k for k in models if model.startswith(k)), key=len, default=None)
    return models[best] if best is not None else None


@dataclass(frozen=True)
class _Doc:
    """A parsed table and the line of each of its nodes."""

    data: dict[str, Any]
    lines: dict[NodePath, int]

    def line(self, *path: str) -> int | None:
        return line_for(path, self.lines)


def _parse(text: str, where: str) -> _Doc:
    """The table's document, its problems at their lines: a key given twice (a model priced
    twice) is refused at its second line, never read as the last one silently."""
    data, lines = load_yaml_with_lines(text, where)
    if not isinstance(data, dict) or not isinstance(data.get("providers"), dict):
        raise InputError.single(
            where, line_for(("providers",), lines), "a price table needs a 'providers' mapping"
        )
    return _Doc(data, lines)


def _amount(v: object) -> bool:
    """A finite number: not a boolean (YAML's yes/true), not .nan or .inf (an infinite price
    would make every run's cost infinite)."""
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def _discounts(doc: _Doc, where: str) -> dict[str, float]:
    raw = doc.data.get("batch_discount", {})
    ok = isinstance(raw, dict) and all(_amount(v) and 0 <= v < 1 for v in raw.values())
    if not ok:
        raise InputError.single(
            where,
            doc.line("batch_discount"),
            f"batch_discount: expected provider: share off (0 <= x < 1), got {raw!r}",
        )
    for key in raw:
        if str(key) not in PRICED:
            raise InputError.single(
                where,
                doc.line("batch_discount", str(key)),
                f"batch_discount.{key}: unknown provider {str(key)!r}: expected "
                f"{' or '.join(PRICED)}",
            )
    return {str(k): float(v) for k, v in raw.items()}


def _entries(doc: _Doc, source: str, where: str) -> dict[str, dict[str, tuple[Price, str]]]:
    out: dict[str, dict[str, tuple[Price, str]]] = {}
    for provider, models in doc.data["providers"].items():
        name = "" if provider is None else str(provider)  # YAML's null key: no name at all
        problem = _provider_problem(name)
        if problem is not None:
            raise InputError.single(
                where, doc.line("providers", str(provider)), f"providers.{name}: {problem}"
            )
        if not isinstance(models, dict):
            raise InputError.single(
                where,
                doc.line("providers", str(provider)),
                f"providers.{provider}: expected model: price",
            )
        for model, p in models.items():
            if model is None or not str(model).strip():
                raise InputError.single(
                    where,
                    doc.line("providers", str(provider), "" if model is None else str(model)),
                    f"providers.{provider}: an empty model name ({model!r}) would price every "
                    f"model {'at' if looks_like_host(str(provider)) else 'of'} {provider}: name "
                    "the model, or the start of its name",
                )
            ok = (
                isinstance(p, dict)
                and set(p) == {"input", "output"}
                and all(_amount(v) and v >= 0 for v in p.values())
            )
            if not ok:
                raise InputError.single(
                    where,
                    doc.line("providers", str(provider), str(model)),
                    f"providers.{provider}.{model}: expected {{input: USD, output: USD}} per "
                    f"million tokens (non-negative numbers), got {p!r}",
                )
            price = Price(float(p["input"]), float(p["output"]))
            out.setdefault(str(provider), {})[str(model)] = (price, source)
    return out
