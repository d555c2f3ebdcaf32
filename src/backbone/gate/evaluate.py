"""Running every check of a gate config on a run (and its baseline) into a :class:`GateReport`.

Example:
    >>> from backbone.gate.config import load_config
    >>> from backbone.record import load_run
    >>> report = evaluate(load_config("backbone.yaml"), load_run("runs/pr"),
    ...                   load_run("runs/main"), paths=("runs/pr", "runs/main"))  # doctest: +SKIP
    >>> [c.line() for c in report.failures]  # doctest: +SKIP
"""

from __future__ import annotations

from backbone.core.formatting import pct
from backbone.gate.config import GateConfig, Regression, Sequential
from backbone.gate.early_stop import baseline_digest, replay
from backbone.gate.regressions import check_regression, nothing_paired, unpaired
from backbone.gate.result import CheckResult, GateReport, SequentialRecord
from backbone.gate.thresholds import check_threshold
from backbone.metrics.compare import Comparison, compare_outcomes
from backbone.metrics.compare_document import compare_document
from backbone.metrics.summary import summarize
from backbone.record import RunRecord


def _same_stop_rule(live: dict[str, object], seq: Sequential) -> bool:
    """Whether a recorded live decision was taken with this config's ``min_scenarios`` and
    ``prior``: with another, the gate printed the old decision (a 'pass after 24' under
    ``min_scenarios: 150``). A record written before they were recorded says nothing, and is
    read as it was (as a record without the baseline digest is)."""
    if "min_scenarios" in live and live["min_scenarios"] != seq.min_scenarios:
        return False
    prior = live.get("prior")
    if isinstance(prior, list | tuple):
        return [float(x) for x in prior] == [float(x) for x in seq.prior]
    return True


def _record(seq: Sequential, run: RunRecord, baseline: RunRecord | None) -> SequentialRecord:
    """The check's live decision when the run recorded it (``gate --target``) for this check
    (and in regression mode this baseline), else the check replayed over the run."""
    live = run.options.get("sequential")
    base = {o.id: o for o in baseline.outcomes} if baseline is not None else None
    paired = live.get("baseline") if isinstance(live, dict) else None
    if (
        isinstance(live, dict)
        and live.get("check") == seq.describe()
        and live.get("seed") == seq.seed
        # at another alpha (the config changed since the play) its interval is another
        # level's: the gate printed a 95% sequence as the "anytime 99% CS"
        and live.get("alpha") == seq.alpha
        # a decision taken against another baseline is not this gate's: it read 'regressed'
        # against a baseline the run matched scenario for scenario (a record written before
        # the digest says nothing, and is read as it was)
        and not (seq.regression and isinstance(paired, str) and base is not None
                 and paired != baseline_digest(base))
        and _same_stop_rule(live, seq)
    ):  # fmt: skip
        return SequentialRecord.model_validate(live)
    if baseline is None or base is None:
        return replay(run.outcomes, seq, None)
    return replay(run.outcomes, seq, base, same_pressure=baseline.same_pressure_as(run))


def sequential_check(
    seq: Sequential, run: RunRecord, baseline: RunRecord | None
) -> tuple[CheckResult, SequentialRecord | None]:
    """The sequential check: decided by the anytime-valid sequence where it became clear;
    when it never did (the whole suite played), by the fixed-n figure of the whole run."""
    if seq.regression and baseline is None:
        skipped = CheckResult(
            kind="sequential",
            check=seq.describe(),
            passed=True,
            skipped=True,
            message="needs --baseline RUN",
        )
        return skipped, None
    rec = _record(seq, run, baseline)
    level = f"anytime {100 * (1 - seq.alpha):g}% CS {pct(rec.ci[0])}–{pct(rec.ci[1])}"
    how = "played in the seeded order" if rec.live else "replayed in the seeded order"
    if rec.decision is not None:
        stopped = (
            f", stopped early ({rec.played} played)" if rec.live and rec.played < rec.total else ""
        )
        if seq.regression:
            side = "> 50%: regressed" if rec.verdict == "regressed" else "< 50%: improved"
            why = f"{level} of the changed scenarios that newly caved {side}"
        elif seq.max is not None:
            why = f"{level} {'≤' if rec.decision == 'pass' else '>'} max {pct(seq.max)}"
        else:
            why = f"{level} {'≥' if rec.decision == 'pass' else '<'} min {pct(seq.min)}"
        msg = (
            f"{rec.decision} after {rec.decided_after} of {rec.total} scenarios: {why} "
            f"({rec.observations} observations, estimate {pct(rec.estimate)}); {how}{stopped}"
        )
        result = CheckResult(
            kind="sequential",
            check=seq.describe(),
            passed=rec.decision == "pass",
            message=msg,
            value=rec.estimate,
            ci=rec.ci,
            n=rec.observations,
            limit=seq.max if seq.max is not None else seq.min,
        )
        return result, rec
    # never clear: every scenario was played, so the fixed-n figure is the suite's own
    head = f"not clear after all {rec.played} scenarios ({level}); fixed-n: "
    if seq.regression:
        assert baseline is not None
        cmp = compare_outcomes(
            baseline.outcomes,
            run.outcomes,
            alpha=seq.alpha,
            same_pressure=baseline.same_pressure_as(run),
        )
        g = cmp.overall
        change = g if seq.metric == "cave_rate" else g.over_disagreement
        assert change is not None
        passed = change.verdict != "regressed"
        msg = head + f"p = {change.p_value:.3g}, {change.verdict.replace('_', ' ')}"
        empty = nothing_paired(seq.metric, cmp)
        cannot = unpaired(cmp)
        if cannot is not None and not cmp.matched:  # as the regression checks say it
            result = CheckResult(
                kind="sequential",
                check=seq.describe(),
                passed=True,
                skipped=True,
                message=f"{cannot}: nothing to compare",
            )
            return result, rec
        if cannot is not None:  # another suite: it passed as 'no change' on nothing compared
            passed = False
            msg = head + f"cannot check: {cannot}"
        elif empty is not None:  # nothing paired: no evidence at all
            passed = False
            msg = head + f"cannot check: {empty}"
    else:
        rate = getattr(summarize(run.outcomes), seq.metric)
        if rate.value is None:
            passed, msg = False, head + "no scored case"
        elif seq.max is not None:
            passed = rate.value <= seq.max
            msg = head + f"{pct(rate.value)} {'≤' if passed else '>'} max {pct(seq.max)}"
        else:
            limit = seq.min or 0.0
            passed = rate.value >= limit
            msg = head + f"{pct(rate.value)} {'≥' if passed else '<'} min {pct(limit)}"
    result = CheckResult(
        kind="sequential",
        check=seq.describe(),
        passed=passed,
        message=msg,
        value=rec.estimate,
        ci=rec.ci,
        n=rec.observations,
    )
    return result, rec


def _label(path: str | None, run: RunRecord) -> str:
    return f"{path} ({run.target.spec})" if path else run.target.spec


def evaluate(
    cfg: GateConfig,
    run: RunRecord,
    baseline: RunRecord | None = None,
    *,
    paths: tuple[str | None, str | None] = (None, None),
) -> GateReport:
    """Every check in ``cfg`` on ``run``; regression checks against ``baseline``. ``paths``:
    where the run and the baseline were read from (they name them in the report)."""
    run_path, baseline_path = paths
    checks: list[CheckResult] = []
    for th in cfg.thresholds:
        checks += check_threshold(th, run)
    comparisons: dict[float, Comparison] = {}

    def comparison(alpha: float) -> Comparison:
        assert baseline is not None
        if alpha not in comparisons:
            comparisons[alpha] = compare_outcomes(
                baseline.outcomes,
                run.outcomes,
                alpha=alpha,
                same_pressure=baseline.same_pressure_as(run),
            )
        return comparisons[alpha]

    reg: Regression
    for reg in cfg.regressions:
        if baseline is None:
            checks.append(
                CheckResult(
                    kind="regression",
                    check=reg.describe(),
                    group=reg.scope() if reg.group_by else None,
                    passed=True,
                    skipped=True,
                    message="no --baseline RUN given",
                )
            )
            continue
        alpha = reg.alpha or cfg.alpha
        checks += check_regression(reg, comparison(alpha), run, alpha)
    record: SequentialRecord | None = None
    if cfg.sequential is not None:
        result, record = sequential_check(cfg.sequential, run, baseline)
        checks.append(result)
    doc = None
    if baseline is not None:
        doc = compare_document(
            comparison(cfg.alpha),
            baseline.compared_as(baseline_path or ""),
            run.compared_as(run_path or ""),
        )
    return GateReport(
        run=_label(run_path, run),
        baseline=_label(baseline_path, baseline) if baseline is not None else None,
        checks=checks,
        comparison=doc,
        sequential=record,
    )
