"""Suite files collected as tests: a suite whose file name matches ``backbone_suites`` is
played once against the configured target, and each check of the gate config named by
``backbone_gate`` (default: ``cave_rate`` at most ``backbone_max_cave_rate``, overall and in
each position) is one test item, decided by the gate's own check functions.

Example:
    $ pytest -m backbone -v      # tutor.backbone.yaml::cave_rate<=0.1[position=facts] PASSED
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from backbone.pytest_plugin.assertions import unscored_reasons
from backbone.pytest_plugin.playing import play

if TYPE_CHECKING:
    from backbone.gate.config import GateConfig, Regression, Sequential, Threshold
    from backbone.gate.result import CheckResult
    from backbone.record import RunRecord
    from backbone.scenarios.models import Suite


class CheckFailed(Exception):
    """A gate check on a collected suite failed."""


def _default_config(config: pytest.Config) -> GateConfig:
    from backbone.core.errors import InputError
    from backbone.gate.config import GateConfig

    raw = str(config.getini("backbone_max_cave_rate") or "0.1").strip()
    try:
        limit = float(raw)
    except ValueError:
        limit = math.nan
    if not 0.0 <= limit <= 1.0:  # also refuses nan
        where = str(config.inipath) if config.inipath else "the pytest ini file"
        raise InputError.single(
            where,
            None,
            f"backbone_max_cave_rate = {raw!r}: must be a number from 0 to 1 (0.1 is 10%)",
        )
    return GateConfig.model_validate(
        {
            "thresholds": [
                {"metric": "cave_rate", "max": limit},
                {"metric": "cave_rate", "max": limit, "by": "position"},
            ]
        }
    )


def _ini_path(config: pytest.Config, name: str) -> Path | None:
    value = config.getini(name)
    if not value:
        return None
    path = Path(str(value))
    return path if path.is_absolute() else Path(config.rootpath) / path


def _kept_as(path: Path, root: Path) -> Path:
    """Where ``--backbone-out`` keeps a collected suite's run: its path under the rootdir
    without a ``.yaml`` suffix (``suites/tutor.backbone.yaml`` -> ``suites/tutor.backbone``),
    so two suites of one name in different folders keep a run each. Another suffix stays:
    ``tutor.backbone.yml`` or ``.jsonl`` beside ``tutor.backbone.yaml`` is another suite, and
    dropping every suffix kept all three in one folder, each run replacing the one before.

    Example:
        >>> _kept_as(Path("/p/a/t.backbone.yaml"), Path("/p")).as_posix()
        'a/t.backbone'
        >>> _kept_as(Path("/p/a/t.backbone.jsonl"), Path("/p")).as_posix()
        'a/t.backbone.jsonl'
        >>> _kept_as(Path("/elsewhere/t.backbone.yaml"), Path("/p")).as_posix()
        't.backbone'
    """
    try:
        rel = path.resolve().relative_to(root.resolve())
    except ValueError:
        rel = Path(path.name)
    return rel.with_suffix("") if rel.suffix == ".yaml" else rel


def _groups(check: Threshold | Regression, suite: Suite) -> list[str | None]:
    """The groups a check expands to on this suite (None: the whole run)."""
    by = check.group_by
    if by is None:
        return [None]
    if by == "tactic":
        names = sorted({s.tactic for sc in suite.scenarios for s in sc.ladder()})
    elif by == "domain":
        names = sorted({sc.domain for sc in suite.scenarios if sc.domain})
    else:
        names = sorted({sc.position for sc in suite.scenarios})
        if check.positions is not None:
            names = list(check.positions)
        elif check.severities is not None:
            severity = {p.id: p.severity for p in suite.positions}
            names = [p for p in names if severity.get(p) in check.severities]
            if not names:  # the check reports that no position has this severity
                return [f"severity={'/'.join(check.severities)}"]
    if not names:  # the check fails for the whole breakdown: one item shows it
        return [f"each {by}"]
    return [f"{by}={n}" for n in names]


def _item_name(check: Threshold | Regression | Sequential, group: str | None) -> str:
    from backbone.gate.config import Regression, Sequential

    if isinstance(check, Sequential):
        base = "sequential"
    elif isinstance(check, Regression):
        base = f"no_regression:{check.metric}"
    else:
        limit = f"<={check.max:g}" if check.max is not None else f">={check.min:g}"
        base = f"{check.metric}{limit}"
    return f"{base}[{group}]" if group else base


class SuiteFile(pytest.File):
    """A suite file collected as tests: one item per gate check (and group)."""

    _result: tuple[RunRecord, RunRecord | None] | None = None
    _error: BaseException | None = None

    def collect(self) -> Iterator[pytest.Item]:
        from backbone.core.errors import InputError
        from backbone.gate.config import load_config
        from backbone.scenarios.loader import load_suite

        try:
            self.suite = load_suite(self.path)
            gate_path = _ini_path(self.config, "backbone_gate")
            self.gate = load_config(gate_path) if gate_path else _default_config(self.config)
        except InputError as exc:
            raise self.CollectError("\n".join(f"error: {p}" for p in exc.problems)) from None
        if self.gate.only_baseline_checks() and _ini_path(self.config, "backbone_baseline") is None:
            # as 'backbone gate' refuses it without --baseline: each item was skipped, and a
            # CI job that forgot backbone_baseline passed having checked nothing, every time
            raise self.CollectError(
                f"error: {gate_path}: every check compares with a baseline run "
                f"({'; '.join(self.gate.baseline_checks())}): set backbone_baseline in the "
                "pytest ini file"
            )
        checks: list[Threshold | Regression | Sequential] = [
            *self.gate.thresholds,
            *self.gate.regressions,
        ]
        for check in checks:
            for group in _groups(check, self.suite):  # type: ignore[arg-type]
                yield CheckItem.from_parent(
                    self, name=_item_name(check, group), check=check, group=group
                )
        if self.gate.sequential is not None:
            yield CheckItem.from_parent(
                self, name=_item_name(self.gate.sequential, None), check=self.gate.sequential
            )

    def played(self) -> tuple[RunRecord, RunRecord | None]:
        """Play the suite once for all of this file's items."""
        if self._error is not None:
            raise self._error
        if self._result is None:
            from backbone.record import load_run

            try:
                base_path = _ini_path(self.config, "backbone_baseline")
                baseline = load_run(base_path) if base_path else None
                out = self.config.getoption("backbone_out")
                out_dir = Path(out) / _kept_as(self.path, self.config.rootpath) if out else None
                run = play(self.config, self.suite, None, out=out_dir)
            except BaseException as exc:
                self._error = exc
                raise
            self._result = (run.record, baseline)
        return self._result


class CheckItem(pytest.Item):
    """One gate check on one group of a collected suite."""

    def __init__(
        self,
        *,
        check: Threshold | Regression | Sequential,
        group: str | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.check = check
        self.group = group
        self.add_marker("backbone")

    def _results(self) -> list[CheckResult]:
        from backbone.gate.config import Regression, Sequential
        from backbone.gate.evaluate import sequential_check
        from backbone.gate.regressions import check_regression
        from backbone.gate.thresholds import check_threshold
        from backbone.metrics.compare import compare_outcomes

        parent = self.parent
        assert isinstance(parent, SuiteFile)
        run, baseline = parent.played()
        if isinstance(self.check, Sequential):
            return [sequential_check(self.check, run, baseline)[0]]
        if isinstance(self.check, Regression):
            if baseline is None:
                pytest.skip("no baseline: set backbone_baseline in the pytest ini file")
            alpha = self.check.alpha or parent.gate.alpha
            cmp = compare_outcomes(
                baseline.outcomes,
                run.outcomes,
                alpha=alpha,
                same_pressure=baseline.same_pressure_as(run),
            )
            return check_regression(self.check, cmp, run, alpha)
        return check_threshold(self.check, run)

    def _unscored(self) -> str:
        """Why the unscored scenarios of this item's group (a position or a domain; else the
        whole run) are unscored (the product's own error, say): with no ``--backbone-out`` a
        failed item is all the user sees of the run. A position's item quoted the whole
        run's: 'unscored: ... (5)' under a position with none unscored."""
        parent = self.parent
        assert isinstance(parent, SuiteFile)
        outcomes = parent.played()[0].outcomes
        by, _, name = (self.group or "").partition("=")
        if by == "position":
            outcomes = [o for o in outcomes if o.position == name]
        elif by == "domain":
            outcomes = [o for o in outcomes if o.domain == name]
        return unscored_reasons(outcomes)

    def runtest(self) -> None:
        from backbone.gate.config import Sequential

        by = None if isinstance(self.check, Sequential) else self.check.group_by
        # a result for "each position" (nothing scored anywhere, no domain at all) is every
        # group's: it used to match no item, and each was skipped
        whole = f"each {by}" if by else None
        mine = [r for r in self._results() if r.group in (self.group, whole)]
        if not mine:
            pytest.skip(f"nothing to check for {self.group or 'the run'} (no scored scenario)")
        for r in mine:
            if r.skipped:
                pytest.skip(r.message)
            if not r.passed:
                tail = f"\nscenarios: {', '.join(r.ids)}" if r.ids else ""
                why = self._unscored()
                tail += f"\nunscored: {why}" if why else ""
                raise CheckFailed(f"{r.line()}{tail}")

    def repr_failure(
        self,
        excinfo: pytest.ExceptionInfo[BaseException],
        style: Any = None,
    ) -> str:
        if isinstance(excinfo.value, CheckFailed):
            return str(excinfo.value)
        from backbone.core.errors import InputError
        from backbone.targets.errors import TargetSpecError

        if isinstance(excinfo.value, InputError | TargetSpecError | pytest.UsageError):
            text = str(excinfo.value)
            return text if text.startswith("backbone:") else f"backbone: {text}"
        return str(super().repr_failure(excinfo))

    def reportinfo(self) -> tuple[Path, int | None, str]:
        return self.path, None, f"backbone {self.path.name}::{self.name}"
