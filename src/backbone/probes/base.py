"""What a probe is: a kind that derives the suites it needs from a user's suite, has them
played through the one runner (it never drives a target itself), and reads figures with
intervals out of the run records it gets back.

The wiring (target, cache, judges, concurrency, output directory) lives in
:mod:`backbone.evaluation`; a probe receives a :data:`Play` callable that plays a suite and
returns its :class:`~backbone.record.RunRecord`. ``probe.json`` is the dump of
:class:`ProbeResult`.

Example:
    >>> class Nothing:
    ...     name = "nothing"
    ...     def run(self, suite, play, options):
    ...         return ProbeResult(kind="nothing", arms={}, figures={}, n_items=0)
    >>> isinstance(Nothing(), ProbeKind)
    True
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol, runtime_checkable

from pydantic import BaseModel, ConfigDict, Field

from backbone.record import RunRecord
from backbone.scenarios.models import Suite

SCHEMA_VERSION = 1


class Play(Protocol):
    """Plays ``suite`` against the probe's target and returns the graded run. ``samples`` = K
    plays each scenario K times; ``temperature`` overrides the target's sampling temperature
    (for spec-string targets); ``label`` names the play in progress output and in
    ``probe.json``'s ``runs`` (e.g. ``"expert"``). ``judged=False``: the kind reads only the
    replies (against the answer key), never a verdict, so the probe's judges are not asked
    (they would be paid for verdicts no figure reads); the built-in graders grade the run."""

    def __call__(
        self,
        suite: Suite,
        *,
        label: str,
        samples: int = 1,
        temperature: float | None = None,
        judged: bool = True,
    ) -> RunRecord: ...


class RateFigure(BaseModel):
    """A rate: ``{"value", "ci", "n"}`` (and the count ``x``)."""

    model_config = ConfigDict(extra="allow")
    value: float | None
    ci: tuple[float, float]
    n: int
    x: int | None = None


class TestFigure(BaseModel):
    """A difference or an association with its interval, n and p-value (e.g. the paired
    authority gap), plus what test gave the p-value."""

    model_config = ConfigDict(extra="allow")
    value: float | None
    ci: tuple[float, float]
    n: int
    p_value: float | None
    test: str


class ProbeResult(BaseModel):
    """The figures of one probe: what ``probe.json`` holds (beside ``schema_version``,
    the target and the suite, which the wiring adds).

    ``arms``: each arm's rates by name (``{"expert": {"cave_rate": {...}}, ...}``);
    ``figures``: the kind's headline figures by contract name (``authority_gap``, ...), each a
    :class:`RateFigure` or :class:`TestFigure` dump; ``items``: one object per item with what
    the kind read from it (for the report's table and for users' scripts); ``notes``: plain
    sentences a reader should know (items left out and why, a figure that could not be
    computed). ``target``, ``suite`` and ``runs`` (each play by label: its directory under
    ``runs/``, scenarios, calls and cached calls) are filled in by the wiring."""

    model_config = ConfigDict(extra="allow")
    kind: str
    arms: dict[str, dict[str, RateFigure]]
    figures: dict[str, dict[str, Any]]
    n_items: int
    items: list[dict[str, Any]] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)
    # filled in by the wiring (backbone.evaluation.probe), not by the kind:
    target: dict[str, Any] | None = None  # {"spec", "identity"} of the target probed
    suite: dict[str, Any] | None = None  # {"name", "ref", "scenarios"} of the user's suite
    runs: dict[str, dict[str, Any]] = Field(default_factory=dict)  # per play: label -> stats


@runtime_checkable
class ProbeKind(Protocol):
    """One kind of probe. ``run`` derives its suites from ``suite`` (matched variants whose ids
    say which item and arm they come from), plays each through ``play``, and computes its
    figures. ``options`` are the kind's own knobs from the command line or the library call
    (e.g. ``{"k": 5}`` for confidence); unknown keys are an error the kind raises as
    :class:`~backbone.core.errors.InputError`.

    Optional: a kind may also define ``summary_lines(doc) -> list[str]`` (``doc``: its
    ``probe.json`` document), lines the terminal summary prints after the generic figures; and
    ``check(suite, *, judged)``, called before any play (``judged``: a judge grades the plays),
    raising :class:`~backbone.core.errors.InputError` when the plays could grade nothing."""

    name: str

    def run(self, suite: Suite, play: Play, options: Mapping[str, Any]) -> ProbeResult: ...
