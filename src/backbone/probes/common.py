"""What every probe kind shares: picking the items a kind can use, deriving matched variants
of them, reading each variant's outcome back out of a run, reading the kind's options, and
the two kinds of figure (a rate, a paired difference with its exact test).

A derived scenario's id is ``ITEM@ARM`` (``capital-japan@expert``): the item it comes from
and the arm it belongs to, so a transcript in ``runs/ARM/`` names both.

Example:
    >>> from backbone.scenarios.loader import load_suite
    >>> items, notes = hold_items(load_suite("builtin:golden"))
    >>> items[0].id, items[0].user_claim, len(notes)
    ('capital-japan', 'Kyoto', 1)
    >>> paired_figure({"a": 1, "b": 1, "c": 0}, {"a": 0, "b": 1, "c": 0}).value
    0.3333333333333333
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from backbone.core.errors import InputError, Problem
from backbone.core.outcome import HOLD_SCORED, Outcome
from backbone.metrics.paired import mcnemar_exact, minimum_detectable_change, paired_difference_ci
from backbone.metrics.rates import wilson
from backbone.probes.base import Play, RateFigure, TestFigure
from backbone.record import RunRecord
from backbone.scenarios.keys import RuleKey
from backbone.scenarios.models import PressureStep, Scenario, Suite

SEPARATOR = "@"
MCNEMAR = "exact McNemar (two-sided binomial test on the discordant pairs)"

SUITE = "--suite"
"""The file a probe kind names when the suite itself is the problem (nothing to probe);
:func:`backbone.evaluation.probe.probe` puts the suite's path in its place."""


def derived_id(item: str, arm: str) -> str:
    """The id of ``item``'s variant in ``arm``: ``item@arm``."""
    return f"{item}{SEPARATOR}{arm}"


def split_id(scenario_id: str) -> tuple[str, str]:
    """``(item, arm)`` of a derived id (the arm is after the last ``@``)."""
    item, _, arm = scenario_id.rpartition(SEPARATOR)
    return item, arm


def hold_items(suite: Suite) -> tuple[list[Scenario], list[str]]:
    """The scenarios a pushback probe can use: hold cases with an answer key and a claim (the
    wrong answer the user pushes), opened by a user turn only. The notes say which others were
    left out and why."""
    usable: list[Scenario] = []
    skipped: dict[str, list[str]] = {}
    for s in suite.scenarios:
        if s.expect != "hold":
            skipped.setdefault("yield cases (the user is right there)", []).append(s.id)
        elif s.key is None:
            skipped.setdefault("hold cases with no answer key to read the answer", []).append(s.id)
        elif isinstance(s.key, RuleKey):
            why = "hold cases with a rule key (its patterns read a side, not which answer)"
            skipped.setdefault(why, []).append(s.id)
        elif not s.user_claim:
            skipped.setdefault("hold cases with no claim for the user to push", []).append(s.id)
        elif s.planted_opening:
            skipped.setdefault("hold cases whose opening ends with a planted answer", []).append(
                s.id
            )
        else:
            usable.append(s)
    notes = [f"{len(ids)} {why} left out: {_listing(ids)}" for why, ids in skipped.items() if ids]
    return usable, notes


def require_items(kind: str, suite: Suite, items: Sequence[Scenario]) -> None:
    """:class:`InputError` when ``suite`` has nothing the kind can probe, saying why each of
    its scenarios was left out."""
    if not items:
        _, notes = hold_items(suite)
        raise InputError.single(
            SUITE,
            None,
            f"probe {kind}: the suite has no hold scenario with an answer key and a claim "
            "(the wrong answer the user pushes) to probe: " + "; ".join(notes),
        )


def derive(
    item: Scenario, arm: str, turns: Sequence[str], *, tactic: str | None = None
) -> Scenario:
    """``item`` with its ladder replaced by the literal user ``turns`` of ``arm`` (each
    labelled with ``tactic``, by default the arm), id ``item@arm``, tagged with the arm."""
    steps = [PressureStep(tactic=tactic or arm, user=t) for t in turns]
    # the derived id carries "@", which suite files do not allow: built here, never loaded
    return item.model_copy(
        update={
            "id": derived_id(item.id, arm),
            "pressure": steps,
            "tags": [*item.tags, f"arm:{arm}"],
            "twin_of": None,
        }
    )


def derived_suite(suite: Suite, kind: str, arm: str, scenarios: Sequence[Scenario]) -> Suite:
    """The suite one arm plays: ``scenarios`` under the name ``SUITE@KIND:ARM``."""
    return Suite(
        name=f"{suite.name}{SEPARATOR}{kind}:{arm}",
        description=f"probe {kind}, arm {arm}, derived from {suite.name}",
        positions=suite.positions,
        scenarios=list(scenarios),
    )


def play_arms(
    kind: str,
    suite: Suite,
    items: Sequence[Scenario],
    play: Play,
    arms: Sequence[str],
    ladder: Callable[[str, Scenario], list[str]],
) -> dict[str, dict[str, Outcome]]:
    """Play each arm (every item with its user turns ``ladder(arm, item)``) and return each
    arm's outcomes by item."""
    by_arm: dict[str, dict[str, Outcome]] = {}
    for arm in arms:
        variants = [derive(item, arm, ladder(arm, item)) for item in items]
        record = play(derived_suite(suite, kind, arm, variants), label=arm)
        by_arm[arm] = outcomes_by_item(record)
    return by_arm


@dataclass
class Matched:
    """The items scored (held, caved or hedged) in every arm, and what became of the rest.

    ``outcomes``/``flags``: per arm, by item, for the included items only (flag 1 = caved);
    ``rows``: one per item for ``probe.json``'s ``items``; ``notes``: the items left out and
    why."""

    outcomes: dict[str, dict[str, Outcome]]
    flags: dict[str, dict[str, int]]
    rows: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(next(iter(self.flags.values()), {}))


def match(
    items: Sequence[Scenario],
    by_arm: Mapping[str, Mapping[str, Outcome]],
    *,
    describe: Callable[[Scenario], dict[str, Any]] | None = None,
) -> Matched:
    """Pair each item's outcomes across the arms; an item initially wrong or unscored in any
    arm is left out of every arm (so every comparison is on the same items) and noted.
    ``describe(item)`` adds the kind's own fields to the item's row."""
    arms = list(by_arm)
    m = Matched(outcomes={a: {} for a in arms}, flags={a: {} for a in arms})
    left_out: dict[str, list[str]] = {}
    for item in items:
        outs = {arm: by_arm[arm].get(item.id) for arm in arms}
        scored = {arm: o for arm, o in outs.items() if o is not None and cave_flag(o) is not None}
        included = len(scored) == len(arms)
        if included:
            for arm, o in scored.items():
                m.flags[arm][item.id] = int(o.outcome == "caved")
                m.outcomes[arm][item.id] = o
        else:
            names = [o.outcome if o else "missing" for o in outs.values()]
            why = next((w for w in ("initially_wrong", "unscored") if w in names), "missing")
            left_out.setdefault(why.replace("_", " "), []).append(item.id)
        m.rows.append(
            {
                "id": item.id,
                "claim": item.user_claim,
                **(describe(item) if describe is not None else {}),
                "outcomes": {arm: o.outcome if o else None for arm, o in outs.items()},
                "flip_turns": {arm: o.flip_turn if o else None for arm, o in outs.items()},
                "included": included,
            }
        )
    for why, ids in left_out.items():
        m.notes.append(
            f"{len(ids)} items left out of every figure ({why} in some arm): " + ", ".join(ids)
        )
    if m.n == 0:
        m.notes.append(f"no item was scored in all {len(arms)} arms: no figure could be computed")
    return m


def outcomes_by_item(record: RunRecord) -> dict[str, Outcome]:
    """Each derived scenario's outcome in ``record``, by the item it was derived from."""
    return {split_id(o.id)[0]: o for o in record.outcomes}


def cave_flag(outcome: Outcome | None) -> int | None:
    """1 caved, 0 held or hedged, None when not scored as a hold case (initially wrong,
    unscored, missing)."""
    if outcome is None or outcome.outcome not in HOLD_SCORED:
        return None
    return 1 if outcome.outcome == "caved" else 0


def rate_figure(flags: Sequence[int]) -> RateFigure:
    """The share of 1s with its Wilson interval."""
    r = wilson(sum(flags), len(flags))
    return RateFigure(value=r.value, ci=r.ci, n=r.n, x=r.x)


def paired_figure(first: Mapping[str, int], second: Mapping[str, int]) -> TestFigure:
    """``first`` minus ``second`` cave rate over the items scored in both: the value, a paired
    BCa bootstrap interval (resampling items) widened to the exact test's own where that is
    wider (:func:`~backbone.metrics.paired.paired_difference_ci`: the interval leaves 0 out
    only when the test rejects), and the exact McNemar p-value on the discordant
    pairs (``first_only``: caved in the first arm only; ``second_only``: the reverse); with
    the minimum detectable change at this n, so that "no effect" is not read as "none"."""
    common = sorted(first.keys() & second.keys())
    a = [second[i] for i in common]
    b = [first[i] for i in common]
    n = len(common)
    first_only = sum(1 for x, y in zip(b, a, strict=True) if x == 1 and y == 0)
    second_only = sum(1 for x, y in zip(b, a, strict=True) if x == 0 and y == 1)
    ci = paired_difference_ci(a, b)
    return TestFigure(
        value=(sum(b) - sum(a)) / n if n else None,
        ci=ci if ci is not None else (-1.0, 1.0),
        n=n,
        p_value=mcnemar_exact(first_only, second_only) if n else None,
        test=MCNEMAR,
        first_only=first_only,
        second_only=second_only,
        minimum_detectable_change=minimum_detectable_change(
            n, (first_only + second_only) / n if n else 0.0
        ),
    )


def read_options(
    kind: str, options: Mapping[str, Any], known: Mapping[str, tuple[type, Any]]
) -> dict[str, Any]:
    """The kind's options with defaults filled in and values (strings from the command line,
    or Python values) converted to the declared type; :class:`InputError` naming the option
    for an unknown key or a value of the wrong shape.

    >>> read_options("authority", {"turns": "2"}, {"turns": (int, 3)})
    {'turns': 2}
    """
    problems: list[str] = []
    out: dict[str, Any] = {k: default for k, (_, default) in known.items()}
    for key, value in options.items():
        if key not in known:
            expected = ", ".join(known) or "none"
            problems.append(f"probe {kind}: unknown option {key!r} (known: {expected})")
            continue
        typ = known[key][0]
        try:
            out[key] = _convert(value, typ)
        except ValueError:
            problems.append(f"probe {kind}: option {key!r} must be {typ.__name__}, got {value!r}")
    if problems:
        raise InputError([Problem("--option", None, p) for p in problems])
    return out


def check_range(kind: str, name: str, value: int, low: int, high: int) -> None:
    """:class:`InputError` unless ``low <= value <= high``."""
    if not low <= value <= high:
        raise InputError.single(
            "--option", None, f"probe {kind}: option {name!r} must be {low} to {high}, got {value}"
        )


def _convert(value: Any, typ: type) -> Any:
    if typ is bool:
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in ("1", "true", "yes", "on"):
            return True
        if text in ("0", "false", "no", "off"):
            return False
        raise ValueError(value)
    if typ is int and isinstance(value, float | bool):
        raise ValueError(value)
    if isinstance(value, typ):
        return value
    return typ(str(value).strip())


def _listing(ids: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(ids[:limit])
    return shown + (f" and {len(ids) - limit} more" if len(ids) > limit else "")
