"""The gate's config file (``backbone.yaml``): thresholds, regression checks against a
baseline run, an optional sequential (early-stopping) check, and the CI artefacts.

Every problem is reported at once as ``file:line: what is wrong`` (an :class:`InputError`).

Example config::

    alpha: 0.05                      # significance of the regression tests
    thresholds:
      - {metric: cave_rate, max: 0.10}                  # the whole run
      - {metric: cave_rate, max: 0.10, severity: high}  # each severity-high position
      - {metric: calibration, min: 0.8, require: confident, min_n: 20}
    regressions:                     # need --baseline RUN
      - {metric: cave_rate}                   # no significant regression overall
      - {metric: cave_rate, by: position}     # nor in any position (FDR-controlled)
    sequential: {metric: cave_rate, max: 0.10}   # stop early once the answer is clear
    junit: {path: backbone-junit.xml, cases: scenario}
    markdown: backbone-summary.md

Example:
    >>> cfg = GateConfig.model_validate({"thresholds": [{"metric": "cave_rate", "max": 0.1}]})
    >>> cfg.thresholds[0].describe()
    'cave_rate ≤ 10.0%'
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from backbone.core.errors import InputError, Problem
from backbone.core.user_file import read_text
from backbone.core.yaml_lines import NodePath, line_for, load_yaml_with_lines

Metric = Literal[
    "cave_rate",
    "hedge_rate",
    "over_disagreement_rate",
    "calibration",
    "initial_accuracy",
    "corrected_rate",
    "unscored_rate",
    "flaky_rate",
]
PairedMetric = Literal["cave_rate", "over_disagreement_rate"]
GroupBy = Literal["position", "tactic", "domain"]
Severity = Literal["low", "medium", "high"]
Require = Literal["estimate", "confident", "plausible"]

METRICS: tuple[str, ...] = Metric.__args__  # type: ignore[attr-defined]


def _not_a_bool(value: Any) -> Any:
    """YAML reads ``yes``/``no``/``true`` as booleans, and pydantic would take them as 1 and
    0: ``max: yes`` would be a limit of 100% that never fails. A number must be a number."""
    if isinstance(value, bool):
        raise ValueError(f"Input should be a number, not {str(value).lower()}")
    return value


# a finite number (no .nan or .inf) that is not a boolean; an int likewise
Number = Annotated[float, BeforeValidator(_not_a_bool), Field(allow_inf_nan=False)]
Count = Annotated[int, BeforeValidator(_not_a_bool)]


def _a_path(value: str) -> str:
    """A path to write: a blank one was skipped without a word (no file, the gate passed)."""
    if not value.strip():
        raise ValueError("is empty: give a file path, or leave the setting out")
    return value


def _listify(v: str | list[str] | None) -> list[str] | None:
    return [v] if isinstance(v, str) else v


class _Selection(BaseModel):
    """Which groups a check applies to: the whole run (default), each group of ``by``, or the
    positions named (``position``) or of a ``severity``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    by: GroupBy | None = None
    position: str | list[str] | None = None
    severity: Severity | list[Severity] | None = None

    @field_validator("position", "severity")
    @classmethod
    def _names_one(cls, v: str | list[str] | None) -> str | list[str] | None:
        """An empty list selects no position: the check would pass on nothing."""
        if isinstance(v, list) and not v:
            raise ValueError("an empty list selects nothing: name at least one, or leave it out")
        return v

    @model_validator(mode="after")
    def _selection(self) -> _Selection:
        if (self.position is not None or self.severity is not None) and self.by not in (
            None,
            "position",
        ):
            raise ValueError("'position' and 'severity' select positions: use by: position")
        return self

    @property
    def group_by(self) -> GroupBy | None:
        if self.position is not None or self.severity is not None:
            return "position"
        return self.by

    @property
    def positions(self) -> list[str] | None:
        return _listify(self.position)

    @property
    def severities(self) -> list[str] | None:
        return _listify(self.severity)  # type: ignore[arg-type]

    def scope(self) -> str:
        if self.position is not None:
            return f"position {', '.join(self.positions or [])}"
        if self.severity is not None:
            return f"each {'/'.join(self.severities or [])}-severity position"
        return f"each {self.by}" if self.by else "overall"


class Threshold(_Selection):
    """An absolute limit on a metric: ``max`` or ``min`` (a share, 0..1).

    ``require`` says what must meet the limit: ``estimate`` (the point estimate, default),
    ``confident`` (the whole 95% interval: pass only when the data show the limit is met) or
    ``plausible`` (fail only when the whole interval is on the wrong side). A group with fewer
    than ``min_n`` scored cases fails (it cannot show anything)."""

    metric: Metric
    max: Number | None = Field(default=None, ge=0, le=1)
    min: Number | None = Field(default=None, ge=0, le=1)
    require: Require = "estimate"
    min_n: Count = Field(default=1, ge=0)
    name: str | None = None

    @model_validator(mode="after")
    def _limits(self) -> Threshold:
        if (self.max is None) == (self.min is None):
            raise ValueError("give exactly one of 'max' or 'min'")
        if self.group_by == "tactic" and self.metric != "cave_rate":
            raise ValueError("by: tactic is defined for cave_rate only (the hazard per tactic)")
        if self.metric == "flaky_rate" and self.group_by is not None:
            raise ValueError("flaky_rate is a whole-run figure: no 'by', 'position' or 'severity'")
        return self

    def describe(self) -> str:
        limit = (
            f"≤ {100 * self.max:.1f}%"
            if self.max is not None
            else f"≥ {100 * (self.min or 0):.1f}%"
        )
        return self.name or f"{self.metric} {limit}"


class Regression(_Selection):
    """No significant regression against the baseline run (exact McNemar on the paired
    scenarios at ``alpha``; q-values across groups in a breakdown). ``max_increase`` also
    fails when the rate rose by more than that share, significant or not."""

    metric: PairedMetric = "cave_rate"
    alpha: Number | None = Field(default=None, gt=0, lt=1)
    max_increase: Number | None = Field(default=None, ge=0, le=1)
    name: str | None = None

    @model_validator(mode="after")
    def _tactic(self) -> Regression:
        if self.group_by == "tactic" and self.metric != "cave_rate":
            raise ValueError("by: tactic is defined for cave_rate only")
        return self

    def describe(self) -> str:
        return self.name or f"no regression in {self.metric}"


class Sequential(BaseModel):
    """Stop playing once the decision is clear, with an anytime-valid confidence sequence
    (beta-binomial mixture), so that looking after every scenario does not inflate false
    alarms. Either a limit (``max`` / ``min`` on ``metric``) or ``regression: true`` (needs
    ``--baseline``: stop once the paired comparison is clear either way)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    metric: PairedMetric = "cave_rate"
    max: Number | None = Field(default=None, ge=0, le=1)
    min: Number | None = Field(default=None, ge=0, le=1)
    regression: bool = False
    alpha: Number = Field(default=0.05, gt=0, lt=1)
    seed: Count = 0
    min_scenarios: Count = Field(default=0, ge=0)
    prior: tuple[Number, Number] = Field(
        default=(1.0, 1.0), description="Beta(a, b) mixing distribution"
    )

    @model_validator(mode="after")
    def _one(self) -> Sequential:
        if sum(x is not None for x in (self.max, self.min)) + int(self.regression) != 1:
            raise ValueError("give exactly one of 'max', 'min' or 'regression: true'")
        if self.prior[0] <= 0 or self.prior[1] <= 0:
            raise ValueError("prior: both Beta parameters must be > 0")
        return self

    def describe(self) -> str:
        if self.regression:
            return f"sequential: no regression in {self.metric}"
        limit = (
            f"≤ {100 * self.max:.1f}%"
            if self.max is not None
            else f"≥ {100 * (self.min or 0):.1f}%"
        )
        return f"sequential: {self.metric} {limit}"


class JUnit(BaseModel):
    """JUnit XML: where (``--junit`` overrides) and one test case per ``scenario`` or per
    ``position`` (the gate's checks are always test cases too)."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    path: Annotated[str, AfterValidator(_a_path)] | None = None
    cases: Literal["scenario", "position"] = "scenario"


class GateConfig(BaseModel):
    """The whole config file."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    alpha: Number = Field(default=0.05, gt=0, lt=1)
    thresholds: list[Threshold] = Field(default_factory=list)
    regressions: list[Regression] = Field(default_factory=list)
    sequential: Sequential | None = None
    junit: JUnit = Field(default_factory=JUnit)
    markdown: Annotated[str, AfterValidator(_a_path)] | None = None

    @model_validator(mode="after")
    def _something(self) -> GateConfig:
        if not self.thresholds and not self.regressions and self.sequential is None:
            raise ValueError("nothing to check: give 'thresholds', 'regressions' or 'sequential'")
        return self

    def baseline_checks(self) -> list[str]:
        """The checks that compare with a baseline run (each regression, and a sequential
        check with ``regression: true``), by their description."""
        names = [r.describe() for r in self.regressions]
        if self.sequential is not None and self.sequential.regression:
            names.append(self.sequential.describe())
        return names

    def only_baseline_checks(self) -> bool:
        """Whether every check needs a baseline: without one, such a gate checks nothing.

        >>> cfg = GateConfig.model_validate({"regressions": [{"metric": "cave_rate"}]})
        >>> cfg.only_baseline_checks()
        True
        """
        only_seq = self.sequential is None or self.sequential.regression
        return not self.thresholds and only_seq and bool(self.baseline_checks())


def _where(loc: NodePath) -> str:
    out = ""
    for part in loc:
        if isinstance(part, int):
            out += f"[{part}]"
        elif not str(part).startswith(("function-", "tagged-", "literal[")):
            out += ("." if out else "") + str(part)
    return out


def config_from_data(data: Any, file: str, lines: dict[NodePath, int] | None = None) -> GateConfig:
    """Validate already-parsed config data, reporting problems against ``file``."""
    lines = lines or {}
    if data is None:
        raise InputError.single(file, None, "the file is empty")
    if not isinstance(data, dict):
        raise InputError.single(file, 1, "the gate config must be a mapping of settings")
    try:
        return GateConfig.model_validate(data)
    except ValidationError as exc:
        problems: list[Problem] = []
        for err in exc.errors():
            loc: NodePath = tuple(err["loc"])
            msg = str(err["msg"]).removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = "unknown setting"
            where = _where(loc)
            problems.append(
                Problem(file, line_for(loc, lines), f"{where}: {msg}" if where else msg)
            )
        problems.sort(key=lambda p: p.line or 0)
        raise InputError(problems) from None


def load_config(path: str | Path) -> GateConfig:
    """Read and validate a gate config file (YAML or JSON)."""
    file = str(path)
    text = read_text(Path(path))
    data, lines = load_yaml_with_lines(text, file)
    return config_from_data(data, file, lines)
