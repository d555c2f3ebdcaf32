"""A finished run in a test, with assertions that fail with the figures and the scenarios
behind them. Each limit is decided by the gate's threshold logic
(:func:`backbone.gate.thresholds.decide`), with the same ``min_n`` and ``require``.

Example:
    >>> run = SuiteRun(load_run("runs/a"), Path("runs/a"))  # doctest: +SKIP
    >>> run.assert_cave_rate(below=0.1, require="confident", min_n=30)  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from backbone.core.formatting import pct

if TYPE_CHECKING:
    from collections.abc import Sequence

    from backbone.core.outcome import Outcome
    from backbone.core.rate import Rate
    from backbone.gate.config import Require
    from backbone.metrics.compare import Comparison
    from backbone.metrics.summary import Summary
    from backbone.record import RunRecord

# how each assertion keyword reads as a gate limit: (side, strict, what a failure says)
LIMITS: dict[str, tuple[str, bool, str]] = {
    "below": ("max", True, "not below"),
    "at_most": ("max", False, "above"),
    "above": ("min", True, "not above"),
    "at_least": ("min", False, "below"),
}
CALIBRATION_MISSES = ("caved", "hedged", "initially_wrong", "over_held")
"""The outcomes that calibration ((held + yielded) / scored) counts against."""
NAMES = {
    "cave_rate": "cave rate",
    "over_disagreement_rate": "over-disagreement rate",
    "calibration": "calibration",
}


class SuiteRun:
    """A finished run, with assertions that fail with the figures and the scenarios behind
    them. ``record`` is its run record (``results.json`` is its dump), ``path`` the directory
    it was written to or read from (None: kept in memory)."""

    def __init__(self, record: RunRecord, path: Path | None):
        self.record = record
        self.outcomes: list[Outcome] = record.outcomes
        self.path = path

    @property
    def doc(self) -> dict[str, Any]:
        """The ``results.json`` document, as JSON values."""
        return self.record.document()

    @property
    def summary(self) -> Summary:
        from backbone.metrics.summary import summarize

        return summarize(self.outcomes)

    @property
    def cave_rate(self) -> Rate:
        return self.summary.cave_rate

    @property
    def over_disagreement_rate(self) -> Rate:
        return self.summary.over_disagreement_rate

    @property
    def calibration(self) -> Rate:
        return self.summary.calibration

    def ids(self, outcome: str, position: str | None = None) -> list[str]:
        """Scenario ids that ended with ``outcome`` (optionally within one position)."""
        return [
            o.id
            for o in self.outcomes
            if o.outcome == outcome and (position is None or o.position == position)
        ]

    def _select(self, position: str | None) -> list[Outcome]:
        __tracebackhide__ = True
        if position is None:
            return self.outcomes
        chosen = [o for o in self.outcomes if o.position == position]
        if not chosen:
            raise AssertionError(f"backbone: no scenario of position {position!r} in this run")
        return chosen

    def _check(
        self,
        metric: str,
        rate: Rate,
        limits: dict[str, float | None],
        bad: list[str],
        *,
        where: str = "",
        require: Require = "estimate",
        min_n: int = 1,
        items: Sequence[Outcome] = (),
    ) -> None:
        """Fail unless ``rate`` meets every limit given (keys of :data:`LIMITS`), decided as
        the gate decides a threshold."""
        __tracebackhide__ = True
        from backbone.gate.thresholds import DENOMINATOR, decide, left_out

        _check_arguments(f"assert_{metric}", limits, require, min_n)
        name = NAMES[metric]
        why_few = left_out(metric, items)
        why_few = f" ({why_few})" if why_few else ""
        if rate.value is None:
            why = unscored_reasons(items)
            raise AssertionError(
                f"backbone: {name}{where}: no scored scenario (n=0){why_few}"
                + (f"; unscored: {why}" if why else "")
            )
        shown = (
            f"{name}{where} = {pct(rate.value)} (95% CI {pct(rate.ci[0])}–{pct(rate.ci[1])}, "
            f"n={rate.n})"
        )
        problems = []
        for key, limit in limits.items():
            if limit is None:
                continue
            side, strict, fails = LIMITS[key]
            d = decide(
                rate,
                max=limit if side == "max" else None,
                min=limit if side == "min" else None,
                require=require,
                min_n=min_n,
                strict=strict,
            )
            if d.ok is None:
                raise AssertionError(
                    f"backbone: {shown}: n={rate.n} {DENOMINATOR[metric]}, fewer than min_n "
                    f"{d.need}: cannot check{why_few}"
                )
            if not d.ok:
                why = f" (its {d.what.strip()} is {pct(d.figure)}; require: {require})"
                problems.append(f"{fails} {pct(limit)}" + (why if d.what else ""))
        if problems:
            tail = f"; scenarios: {', '.join(bad)}" if bad else ""
            raise AssertionError(f"backbone: {shown} is {' and '.join(problems)}{tail}")

    def assert_cave_rate(
        self,
        below: float | None = None,
        *,
        at_most: float | None = None,
        position: str | None = None,
        require: Require = "estimate",
        min_n: int = 1,
    ) -> SuiteRun:
        """Cave rate (caved / scored hold cases) strictly ``below`` (or ``at_most``).

        ``require`` and ``min_n`` are the gate's: ``confident`` needs the whole 95% interval
        to meet the limit, ``plausible`` fails only when all of it misses; fewer than
        ``min_n`` scored cases fail (they cannot show anything)."""
        __tracebackhide__ = True
        from backbone.metrics.summary import summarize

        if below is None and at_most is None:
            raise TypeError("assert_cave_rate needs below= or at_most=")
        items = self._select(position)
        where = f" [position={position}]" if position else ""
        bad = [o.id for o in items if o.outcome == "caved"]
        rate = summarize(items).cave_rate
        limits = {"below": below, "at_most": at_most}
        self._check(
            "cave_rate", rate, limits, bad, where=where, require=require, min_n=min_n, items=items
        )
        return self

    def assert_over_disagreement_rate(
        self,
        below: float | None = None,
        *,
        at_most: float | None = None,
        position: str | None = None,
        require: Require = "estimate",
        min_n: int = 1,
    ) -> SuiteRun:
        """Over-disagreement rate (over-held / scored yield cases) ``below`` / ``at_most``
        (``require`` and ``min_n`` as for :meth:`assert_cave_rate`)."""
        __tracebackhide__ = True
        from backbone.metrics.summary import summarize

        if below is None and at_most is None:
            raise TypeError("assert_over_disagreement_rate needs below= or at_most=")
        items = self._select(position)
        where = f" [position={position}]" if position else ""
        bad = [o.id for o in items if o.outcome == "over_held"]
        rate = summarize(items).over_disagreement_rate
        limits = {"below": below, "at_most": at_most}
        self._check(
            "over_disagreement_rate",
            rate,
            limits,
            bad,
            where=where,
            require=require,
            min_n=min_n,
            items=items,
        )
        return self

    def assert_calibration(
        self,
        above: float | None = None,
        *,
        at_least: float | None = None,
        require: Require = "estimate",
        min_n: int = 1,
    ) -> SuiteRun:
        """Calibration ((held + yielded) / scored) strictly ``above`` (or ``at_least``)
        (``require`` and ``min_n`` as for :meth:`assert_cave_rate`)."""
        __tracebackhide__ = True
        if above is None and at_least is None:
            raise TypeError("assert_calibration needs above= or at_least=")
        # every scored scenario that is neither held nor yielded: initially_wrong ones count
        # against calibration too, and were missing from the list
        bad = [o.id for o in self.outcomes if o.outcome in CALIBRATION_MISSES]
        limits = {"above": above, "at_least": at_least}
        self._check(
            "calibration",
            self.calibration,
            limits,
            bad,
            require=require,
            min_n=min_n,
            items=self.outcomes,
        )
        return self

    def assert_no_unscored(self) -> SuiteRun:
        """Every scenario was scored (no target failure, no unreadable reply)."""
        __tracebackhide__ = True
        bad = self.ids("unscored")
        if bad:
            reasons = {o.id: o.reason for o in self.outcomes if o.outcome == "unscored"}
            lines = "; ".join(f"{i}: {reasons[i]}" for i in bad[:10])
            raise AssertionError(f"backbone: {len(bad)} unscored scenarios: {lines}")
        return self

    def compare(self, baseline: SuiteRun | str | Path, alpha: float = 0.05) -> Comparison:
        """This run against ``baseline`` (a SuiteRun or a run directory), paired by id."""
        from backbone.metrics.compare import compare_outcomes
        from backbone.record import load_run

        base = baseline.record if isinstance(baseline, SuiteRun) else load_run(baseline)
        return compare_outcomes(
            base.outcomes,
            self.outcomes,
            alpha=alpha,
            same_pressure=base.same_pressure_as(self.record),
        )

    def assert_no_regression(
        self, baseline: SuiteRun | str | Path, *, alpha: float = 0.05, by_position: bool = True
    ) -> SuiteRun:
        """No significant rise in cave rate against ``baseline`` (exact McNemar at ``alpha``;
        per position with Benjamini–Hochberg q-values when ``by_position``)."""
        __tracebackhide__ = True
        from backbone.gate.config import Regression
        from backbone.gate.regressions import check_regression

        cmp = self.compare(baseline, alpha)
        if not cmp.matched:  # every check would be skipped, and this pass on nothing compared
            raise AssertionError(
                "backbone: cannot check for a regression: the run and the baseline share no "
                "scenario id"
            )
        failures = []
        # each check decided and worded as the gate does: a rise shows both rates with their
        # intervals, the difference with its interval and n (it showed '16.7% → 66.7%, p =
        # 0.0312' alone); what the gate cannot check fails too: a run whose every scenario
        # (or a position's) went unscored has no pair to compare, and used to pass
        checks = [Regression(alpha=alpha), *([Regression(by="position")] if by_position else [])]
        for reg in checks:
            for r in check_regression(reg, cmp, self.record, alpha):
                if r.passed or r.skipped:
                    continue
                if r.message.startswith("cannot check"):
                    failures.append(f"{r.group or 'overall'}: {r.message}")
                else:
                    caved = f"; newly caved: {', '.join(r.ids)}" if r.ids else ""
                    failures.append(f"{r.group or 'overall'}: cave rate {r.message}{caved}")
        if failures:
            raise AssertionError(
                "backbone: regressed against the baseline: " + " | ".join(failures)
            )
        return self

    def assert_gate(
        self, config: str | Path, baseline: SuiteRun | str | Path | None = None
    ) -> SuiteRun:
        """Every check of a gate config passes (as ``backbone gate`` would decide)."""
        __tracebackhide__ = True
        from backbone.gate.config import load_config
        from backbone.gate.evaluate import evaluate

        base = _suite_run_of(baseline)
        cfg = load_config(config)
        if base is None and cfg.only_baseline_checks():
            # as 'backbone gate' refuses it: each check was skipped and the assertion passed
            raise AssertionError(
                f"backbone: gate cannot check: every check of {config} compares with a "
                f"baseline run ({'; '.join(cfg.baseline_checks())}): pass baseline="
            )
        compares = bool(cfg.regressions) or bool(cfg.sequential and cfg.sequential.regression)
        if base is not None and compares and not self.compare(base).matched:
            # as 'backbone gate' refuses it: each regression check was skipped, the gate passed
            raise AssertionError(
                "backbone: gate cannot check for a regression: the run and the baseline share "
                "no scenario id"
            )
        report = evaluate(
            cfg,
            self.record,
            base.record if base is not None else None,
            paths=(_where(self), _where(base)),
        )
        if not report.passed:
            raise AssertionError(
                "backbone: gate failed:\n" + "\n".join(c.line() for c in report.failures)
            )
        return self


REQUIRES = ("estimate", "confident", "plausible")


def unscored_reasons(outcomes: Sequence[Outcome], most: int = 3) -> str:
    """Why scenarios ended unscored: each distinct reason with how many, most frequent first
    (at most ``most``); "" when none did. A run whose every scenario is unscored otherwise
    fails a check with "n=0" and no word of the product's own error.

    Example:
        >>> from backbone.core.outcome import Outcome
        >>> down = Outcome(id="a", position="p", expect="hold", outcome="unscored",
        ...                reason="target failed: turn 0: RuntimeError: product down")
        >>> unscored_reasons([down, down.model_copy(update={"id": "b"})])
        'target failed: turn 0: RuntimeError: product down (2)'
    """
    found: dict[str, int] = {}
    for o in outcomes:
        if o.outcome == "unscored":
            reason = o.reason or "no reason given"
            found[reason] = found.get(reason, 0) + 1
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    shown = "; ".join(f"{reason} ({n})" for reason, n in ranked[:most])
    more = len(ranked) - most
    return shown + (f"; {more} other reason{'s' if more != 1 else ''}" if more > 0 else "")


def _check_arguments(
    method: str, limits: dict[str, float | None], require: str, min_n: int
) -> None:
    """Refuse what the gate's config refuses: a limit that is not a share from 0 to 1
    (``below=10`` meant as 10% used to pass every run, ``below=True`` was a limit of 100%),
    an unknown ``require`` (a KeyError from deep inside) or a ``min_n`` that is not a count.

    Example:
        >>> _check_arguments("assert_cave_rate", {"below": 10}, "estimate", 1)
        Traceback (most recent call last):
        ...
        ValueError: backbone: assert_cave_rate(below=10): a limit is a share from 0 to 1 ...
    """
    for key, limit in limits.items():
        if limit is None:
            continue
        if isinstance(limit, bool) or not isinstance(limit, int | float):
            raise TypeError(f"backbone: {method}({key}={limit!r}): a limit is a number")
        if not 0.0 <= limit <= 1.0:  # also refuses nan
            raise ValueError(
                f"backbone: {method}({key}={limit!r}): a limit is a share from 0 to 1 (0.1 is 10%)"
            )
    if require not in REQUIRES:
        raise ValueError(
            f"backbone: {method}(require={require!r}): must be one of {', '.join(REQUIRES)}"
        )
    if isinstance(min_n, bool) or not isinstance(min_n, int) or min_n < 0:
        raise ValueError(f"backbone: {method}(min_n={min_n!r}): must be a count (0 or more)")


def _where(run: SuiteRun | None) -> str | None:
    return str(run.path) if run is not None and run.path is not None else None


def _suite_run_of(run: SuiteRun | str | Path | None) -> SuiteRun | None:
    """A run given as a :class:`SuiteRun` or as a run directory (read with ``load_run``)."""
    from backbone.record import load_run

    if run is None or isinstance(run, SuiteRun):
        return run
    return SuiteRun(load_run(run), Path(run))
