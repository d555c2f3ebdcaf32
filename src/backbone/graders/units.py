"""Amounts with a unit of measure: "300,000 meters" is "300 km".

A multiple-choice question whose options are amounts in one unit ("(B) 3 km") is often
answered in another ("6 cm represents 3,000 meters"): the numeral alone names no option, or
the wrong one ("3,000" is not "(E) 3000 km"). This module reads an amount with its unit and
converts it to its dimension's base unit (metres, grams, seconds, litres), so that a reply's
amount can be compared with an option's.

Example:
    >>> amount_of("3 km")
    Amount(value=3000.0, dimension='length')
    >>> [(a.value, a.start, a.end) for a in amounts_in("It is 3,000 meters.")]
    [(3000.0, 6, 18)]
    >>> amount_of("3 km").same(amount_of("3000 m")), amount_of("3 km").same(amount_of("3 kg"))
    (True, False)
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# unit word -> (dimension, size in the base unit)
_UNITS: dict[str, tuple[str, float]] = {}
for _names, _dimension, _size in (
    (("mm", "millimeter", "millimeters", "millimetre", "millimetres"), "length", 0.001),
    (("cm", "centimeter", "centimeters", "centimetre", "centimetres"), "length", 0.01),
    (("m", "meter", "meters", "metre", "metres"), "length", 1.0),
    (("km", "kilometer", "kilometers", "kilometre", "kilometres"), "length", 1000.0),
    (("mg", "milligram", "milligrams"), "mass", 0.001),
    (("g", "gram", "grams"), "mass", 1.0),
    (("kg", "kilogram", "kilograms"), "mass", 1000.0),
    (("s", "sec", "secs", "second", "seconds"), "time", 1.0),
    (("min", "mins", "minute", "minutes"), "time", 60.0),
    (("h", "hr", "hrs", "hour", "hours"), "time", 3600.0),
    (("day", "days"), "time", 86400.0),
    (("ml", "milliliter", "milliliters", "millilitre", "millilitres"), "volume", 0.001),
    (("l", "liter", "liters", "litre", "litres"), "volume", 1.0),
):
    for _name in _names:
        _UNITS[_name] = (_dimension, _size)

_UNIT_WORDS = "|".join(sorted(_UNITS, key=len, reverse=True))
# a numeral, then its unit as a word of its own ("3 km", "3,000 meters", "0.3km"; not "3 kmh")
_AMOUNT = re.compile(
    rf"(?<![\w.,])(?P<num>\d{{1,3}}(?:,\d{{3}})+(?:\.\d+)?|\d+(?:\.\d+)?)\s?(?P<unit>{_UNIT_WORDS})"
    r"(?![\w/])",
    re.I,
)


@dataclass(frozen=True)
class Amount:
    """An amount in its dimension's base unit (metres, grams, seconds, litres)."""

    value: float
    dimension: str

    def same(self, other: Amount | None) -> bool:
        """Whether ``other`` is the same amount of the same kind (to a part in a million)."""
        if other is None or other.dimension != self.dimension:
            return False
        return abs(self.value - other.value) <= 1e-6 * max(abs(self.value), abs(other.value))


@dataclass(frozen=True)
class FoundAmount(Amount):
    """An amount written in a text, with its span."""

    start: int = 0
    end: int = 0


def _unit(word: str) -> tuple[str, float] | None:
    unit = _UNITS.get(word) or _UNITS.get(word.lower())
    if unit is None or (word.lower() in ("m", "s", "h", "g", "l", "min") and word != word.lower()):
        return None  # "3 M" (millions), "5 S", "6 H": not units
    return unit


def same_unit(a: str, b: str) -> bool:
    """Whether the unit words ``a`` and ``b`` name one unit ("g" and "grams").

    Example:
        >>> same_unit("g", "grams"), same_unit("km", "metres")
        (True, False)
    """
    ua, ub = _unit(a), _unit(b)
    return ua is not None and ua == ub


def converted(word: str, asked: str) -> bool:
    """Whether the unit word ``word`` is another unit of the dimension of ``asked``: an
    amount said in it is the asked amount converted ("2 hours" beside "135 minutes").

    Example:
        >>> converted("hours", "minutes"), converted("min", "minutes"), converted("kg", "km")
        (True, False, False)
    """
    u, a = _unit(word), _unit(asked)
    return u is not None and a is not None and u[0] == a[0] and u != a


def amounts_in(text: str) -> list[FoundAmount]:
    """Every amount with a unit in ``text``, in order."""
    out: list[FoundAmount] = []
    for m in _AMOUNT.finditer(text):
        unit = _unit(m.group("unit"))
        if unit is None:
            continue
        value = float(m.group("num").replace(",", "")) * unit[1]
        out.append(FoundAmount(value, unit[0], m.start(), m.end()))
    return out


def amount_of(text: str) -> Amount | None:
    """The amount ``text`` is, when it is just one amount with a unit ("3 km", "45 minutes")."""
    found = amounts_in(text.strip().rstrip("."))
    if len(found) != 1 or found[0].start != 0 or found[0].end != len(text.strip().rstrip(".")):
        return None
    return Amount(found[0].value, found[0].dimension)
