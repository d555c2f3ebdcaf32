"""Slices of a suite, so a user can try a large suite cheaply: ``--only ID|GLOB``,
``--position NAME`` and ``--limit N`` (a seeded sample that keeps twins together).

Filters apply first (a scenario must match one ``only`` pattern, if any, and one position, if
any); ``limit`` then draws whole twin groups (a hold case and its yield twins) in a seeded
order until N scenarios are taken, so a hold case never loses the twin that checks the other
failure direction. The slice keeps the suite's order; the same seed gives the same slice.

Example:
    >>> from backbone.scenarios.loader import load_suite
    >>> suite = load_suite("builtin:golden")
    >>> [s.id for s in slice_suite(suite, SuiteSlice(only=("capital-j*",))).scenarios]
    ['capital-japan', 'capital-japan-twin']
    >>> len(slice_suite(suite, SuiteSlice(limit=6, seed=1)).scenarios)
    6
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from fnmatch import fnmatchcase

from backbone.core.errors import InputError
from backbone.scenarios.models import Scenario, Suite


@dataclass(frozen=True)
class SuiteSlice:
    """Which scenarios of a suite to play (the defaults: all of them)."""

    limit: int | None = None
    only: tuple[str, ...] = ()
    positions: tuple[str, ...] = ()
    seed: int = 0

    @property
    def whole(self) -> bool:
        return self.limit is None and not self.only and not self.positions

    def describe(self) -> dict[str, object]:
        """How ``results.json`` records the slice (under ``options.slice``)."""
        return {
            "limit": self.limit,
            "only": list(self.only),
            "positions": list(self.positions),
            "seed": self.seed,
        }


def slice_suite(suite: Suite, cut: SuiteSlice) -> Suite:
    """The scenarios of ``suite`` that ``cut`` selects, in the suite's order. Raises
    :class:`InputError` for a pattern or position that selects nothing, or an empty slice."""
    if cut.whole:
        return suite
    where = f"suite {suite.name}"
    if cut.limit is not None and cut.limit < 1:
        raise InputError.single(where, None, f"--limit must be at least 1, got {cut.limit}")
    known = {s.position for s in suite.scenarios}
    for p in cut.positions:
        if p not in known:
            raise InputError.single(
                where, None, f"--position {p!r}: no scenario has it (positions: "
                f"{', '.join(sorted(known))})",
            )  # fmt: skip
    for pattern in cut.only:
        if not any(fnmatchcase(s.id, pattern) for s in suite.scenarios):
            raise InputError.single(where, None, f"--only {pattern!r} matches no scenario id")
    chosen = [
        s
        for s in suite.scenarios
        if (not cut.only or any(fnmatchcase(s.id, p) for p in cut.only))
        and (not cut.positions or s.position in cut.positions)
    ]
    if not chosen:
        raise InputError.single(where, None, "the slice selects no scenario")
    if cut.limit is not None and cut.limit < len(chosen):
        chosen = _sample_groups(chosen, cut.limit, cut.seed)
    return suite.model_copy(update={"scenarios": chosen})


def _sample_groups(chosen: list[Scenario], limit: int, seed: int) -> list[Scenario]:
    """Whole twin groups in a seeded order until ``limit`` scenarios are taken (a group that
    would overshoot is passed over for a smaller one; at least one group is always taken)."""
    ids = {s.id for s in chosen}
    root = {s.id: (s.twin_of if s.twin_of in ids else s.id) for s in chosen}
    groups: dict[str, list[Scenario]] = {}
    for s in chosen:
        groups.setdefault(root[s.id], []).append(s)
    order = sorted(groups)
    random.Random(seed).shuffle(order)
    taken: set[str] = set()
    count = 0
    for g in order:
        size = len(groups[g])
        if count + size <= limit or not taken:
            taken.add(g)
            count += size
        if count >= limit:
            break
    return [s for s in chosen if root[s.id] in taken]
