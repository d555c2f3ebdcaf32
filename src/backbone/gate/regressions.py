"""Regression checks against a baseline run: fail on a significant paired regression.

Each check reads a :class:`~backbone.metrics.compare.Comparison` (baseline = A, the run = B):
overall by its exact McNemar p-value, in a breakdown by its Benjamini–Hochberg q-value. A
check with ``max_increase`` also fails when the rate rose by more than that, significant or
not.

Example:
    >>> from backbone.gate.config import Regression
    >>> Regression(metric="cave_rate", by="position").describe()
    'no regression in cave_rate'
"""

from __future__ import annotations

from collections.abc import Sequence

from backbone.core.formatting import pct, pp, pval
from backbone.gate.config import Regression
from backbone.gate.result import CheckResult
from backbone.metrics.compare import Comparison, GroupChange, OverDisagreementChange
from backbone.record import RunRecord


def _judge(
    reg: Regression, g: GroupChange, group: str | None, position: str | None, alpha: float
) -> CheckResult:
    change: GroupChange | OverDisagreementChange | None
    if reg.metric == "cave_rate":
        change = g
        rate = g.cave_rate
        worse, better = g.newly_caved, g.newly_held
        words = ("newly caved", "newly held")
    else:
        change = g.over_disagreement
        if change is None:
            return CheckResult(
                kind="regression",
                check=reg.describe(),
                group=group,
                position=position,
                passed=True,
                skipped=True,
                message="no yield scenarios here",
            )
        rate = change.over_disagreement_rate
        worse, better = change.newly_over_held, change.newly_yielded
        words = ("newly over-held", "newly yielded")
    if rate.n == 0:
        return CheckResult(
            kind="regression",
            check=reg.describe(),
            group=group,
            position=position,
            passed=True,
            skipped=True,
            message="no scenario scored in both runs: nothing to compare",
        )
    in_breakdown = group is not None
    p = change.q_value if in_breakdown else change.p_value
    p_name = "q" if in_breakdown else "p"
    lo, hi = rate.ci
    found = (
        f"{pct(rate.a)} [{pct(rate.a_ci[0])}–{pct(rate.a_ci[1])}] → "
        f"{pct(rate.b)} [{pct(rate.b_ci[0])}–{pct(rate.b_ci[1])}] "
        f"({pp(rate.diff)}, 95% CI {pp(lo)} to {pp(hi)}, "
        f"n={rate.n}), {len(worse)} {words[0]}, {len(better)} {words[1]}"
    )
    if p is None:
        stat = f"p = {pval(change.p_value)}, too few discordant pairs to test"
    else:
        stat = f"{p_name} = {pval(p)} {'<' if p < alpha else '≥'} α {alpha:g}"
    failed = change.verdict == "regressed"
    reasons = [change.verdict.replace("_", " ")]
    if change.verdict == "no_change" and change.mdc is not None:
        reasons = [f"no detectable change (MDC {100 * change.mdc:.1f} pp)"]
    if reg.max_increase is not None and rate.diff is not None and rate.diff > reg.max_increase:
        failed = True
        reasons.append(f"rose {pp(rate.diff)} > max_increase {pp(reg.max_increase)}")
    return CheckResult(
        kind="regression",
        check=reg.describe(),
        group=group,
        position=position,
        passed=not failed,
        message=f"{found}; {stat}: {'; '.join(reasons)}",
        value=rate.diff,
        ci=(lo, hi),
        n=rate.n,
        limit=reg.max_increase,
        ids=list(worse) if failed else [],
    )


def check_regression(
    reg: Regression, cmp: Comparison, run: RunRecord, alpha: float
) -> list[CheckResult]:
    """One regression check: overall, or each group of its breakdown."""
    by = reg.group_by
    unmeasured = _not_one_suite(reg, cmp) or _unscored_everywhere(reg, cmp)
    if unmeasured is not None:  # overall, or for the whole breakdown at once
        return [unmeasured.model_copy(update={"group": f"each {by}" if by else None})]
    if by is None:
        return [_with_left_out(_judge(reg, cmp.overall, None, None, alpha), cmp)]
    family = {"position": cmp.by_position, "tactic": cmp.by_tactic, "domain": cmp.by_domain}[by]
    if by == "domain" and not any(o.domain for o in run.outcomes):
        # a check on nothing must not pass (it used to give no result: "0 checks", exit 0)
        return [
            CheckResult(
                kind="regression",
                check=reg.describe(),
                group="each domain",
                passed=False,
                message="cannot check: no scenario has a domain "
                "(give the suite's scenarios a 'domain')",
            )
        ]
    unscored = _unscored_groups(reg, by, cmp, run)
    if by != "position" and not family and not unscored:
        return [
            CheckResult(
                kind="regression",
                check=reg.describe(),
                group=f"each {by}",
                passed=True,
                skipped=True,
                message="no scenario scored in both runs: nothing to compare",
            )
        ]
    # a group whose scenarios all went unscored has no pair, and is in no family: it is
    # checked (and fails), not left out
    names = list(family) + [k for k in sorted(unscored) if k not in family]
    if by != "tactic":  # positions and domains in name order, as the family has them
        names.sort()
    results: list[CheckResult] = []
    if by == "position":
        wanted = reg.positions
        if reg.severities is not None:
            severity = run.severity()
            wanted = [p for p, s in severity.items() if s in reg.severities]
            if not wanted:
                return [
                    CheckResult(
                        kind="regression",
                        check=reg.describe(),
                        group=f"severity={'/'.join(reg.severities)}",
                        passed=False,
                        message=f"no position of severity {'/'.join(reg.severities)} in the "
                        "run (does its suite declare 'positions'?)",
                    )
                ]
        if wanted is not None:
            for p in wanted:
                if p not in family and p not in unscored and reg.positions is not None:
                    results.append(
                        CheckResult(
                            kind="regression",
                            check=reg.describe(),
                            group=f"position={p}",
                            position=p,
                            passed=False,
                            message=f"position {p!r} has no scenario in both runs",
                        )
                    )
            names = [p for p in wanted if p in family or p in unscored]
    for name in names:
        group, position = f"{by}={name}", name if by == "position" else None
        change = family.get(name)
        if name in unscored and (change is None or _paired(reg, change) == 0):
            in_b, in_a, wrong_b, wrong_a = unscored[name]
            results.append(
                CheckResult(
                    kind="regression",
                    check=reg.describe(),
                    group=group,
                    position=position,
                    passed=False,
                    message=f"cannot check: {_none_scored(in_b, in_a, wrong_b, wrong_a)}",
                    ids=in_b + [i for i in wrong_b if i not in in_b],
                )
            )
        elif change is not None:
            results.append(_judge(reg, change, group, position, alpha))
    return results


def _paired(reg: Regression, change: GroupChange) -> int:
    """How many scenarios of the metric's kind were scored in both runs in this group."""
    if reg.metric == "cave_rate":
        return change.cave_rate.n
    od = change.over_disagreement
    return od.over_disagreement_rate.n if od is not None else 0


def _unscored_groups(
    reg: Regression, by: str, cmp: Comparison, run: RunRecord
) -> dict[str, tuple[list[str], list[str], list[str], list[str]]]:
    """The groups of the breakdown that hold a scenario of the metric's kind left out of the
    pairs as unscored or, for ``cave_rate``, as ``initially_wrong``: per group, the ids
    unscored in the run and in the baseline, then those that opened wrong in each. A group
    left with no pair fails its check, rather than vanish from the breakdown."""
    kind = "hold" if reg.metric == "cave_rate" else "yield"
    excluded = cmp.excluded
    sides = [excluded.unscored_in_b, excluded.unscored_in_a]
    if kind == "hold":
        sides += [excluded.initially_wrong_in_b, excluded.initially_wrong_in_a]
    outcomes = {o.id: o for o in run.outcomes}
    groups: dict[str, tuple[list[str], list[str], list[str], list[str]]] = {}
    for side, ids in enumerate(sides):
        for i in ids:
            o = outcomes.get(i)
            if o is None or o.expect != kind:
                continue
            keys = [o.position] if by == "position" else [o.domain] if by == "domain" else o.tactics
            for key in dict.fromkeys(k for k in keys if k):
                groups.setdefault(key, ([], [], [], []))[side].append(i)
    return groups


def _with_left_out(result: CheckResult, cmp: Comparison) -> CheckResult:
    """The overall check's message, saying how many scenarios went unscored and so were left
    out of the pairs: a run that fails on more scenarios than its baseline compares fewer
    pairs, and the user should see that beside the verdict."""
    in_b, in_a = cmp.excluded.unscored_in_b, cmp.excluded.unscored_in_a
    if result.skipped or not (in_b or in_a):
        return result
    note = f"; left out unscored: {len(in_b)} in the run, {len(in_a)} in the baseline"
    return result.model_copy(update={"message": result.message + note})


def unpaired(cmp: Comparison) -> str | None:
    """Why nothing in ``cmp`` can pair: the baseline shares no scenario with the run, by id,
    or every shared id was played under another pressure ladder or expectation (another
    suite, or the suite changed between them). None when some scenario pairs."""
    differ, flipped = cmp.excluded.ladder_differs, cmp.excluded.expect_differs
    if not cmp.matched:
        return "the run and the baseline share no scenario id"
    if len(differ) + len(flipped) == cmp.matched:
        return (
            "every scenario id the run shares with the baseline was played under another "
            f"pressure ladder or expectation (first: {(differ or flipped)[0]!r}): they are not "
            "runs of one suite"
        )
    return None


def _not_one_suite(reg: Regression, cmp: Comparison) -> CheckResult | None:
    """The check when nothing can pair (:func:`unpaired`), None otherwise. A baseline that
    shares ids with the run, every one played under another ladder, fails it: each check
    was skipped, "nothing to compare", and the gate (its library form, the pytest plugin's
    assertions and items) passed on nothing compared. One that shares no id is skipped,
    saying so (one ``backbone_baseline`` serves every suite the plugin collects; ``backbone
    gate`` and the plugin's assertions, given a baseline for this run, refuse it)."""
    why = unpaired(cmp)
    if why is None:
        return None
    if not cmp.matched:
        return CheckResult(
            kind="regression",
            check=reg.describe(),
            passed=True,
            skipped=True,
            message=f"{why}: nothing to compare",
        )
    return CheckResult(
        kind="regression", check=reg.describe(), passed=False, message=f"cannot check: {why}"
    )


def nothing_paired(metric: str, cmp: Comparison) -> str | None:
    """Why no scenario of ``metric``'s kind is scored in both runs, when scenarios went
    unscored (a product that failed on every call, a judge that refused) or, for
    ``cave_rate``, opened wrong (``initially_wrong``: no position to hold): "no scenario
    scored in both runs (...)", no evidence of no regression. None when some scenario pairs,
    or when there was nothing of the kind to pair (no yield scenario in either run)."""
    unscored_b, unscored_a = cmp.excluded.unscored_in_b, cmp.excluded.unscored_in_a
    wrong_b: list[str] = []
    wrong_a: list[str] = []
    overall = cmp.overall
    if metric == "cave_rate":
        paired: int | None = overall.cave_rate.n
        wrong_b, wrong_a = cmp.excluded.initially_wrong_in_b, cmp.excluded.initially_wrong_in_a
    else:  # None: no yield scenario in either run, nothing to measure (stays skipped)
        od = overall.over_disagreement
        paired = od.over_disagreement_rate.n if od is not None else None
    if paired != 0 or not (unscored_b or unscored_a or wrong_b or wrong_a):
        return None
    return _none_scored(unscored_b, unscored_a, wrong_b, wrong_a)


def _none_scored(
    unscored_b: Sequence[str],
    unscored_a: Sequence[str],
    wrong_b: Sequence[str] = (),
    wrong_a: Sequence[str] = (),
) -> str:
    """The reason a check has nothing to compare, with what was left out of the pairs."""
    left_out = f"{len(unscored_b)} unscored in the run, {len(unscored_a)} in the baseline"
    if wrong_b or wrong_a:  # every hold case opened wrong: it passed, on nothing compared
        left_out += f"; {len(wrong_b)} initially_wrong in the run, {len(wrong_a)} in the baseline"
    return f"no scenario scored in both runs ({left_out})"


def _unscored_everywhere(reg: Regression, cmp: Comparison) -> CheckResult | None:
    """A failed check when nothing is scored in both runs (:func:`nothing_paired`): that is
    no evidence of no regression. None otherwise (judged as usual)."""
    why = nothing_paired(reg.metric, cmp)
    if why is None:
        return None
    excluded = cmp.excluded
    wrong = excluded.initially_wrong_in_b if reg.metric == "cave_rate" else []
    return CheckResult(
        kind="regression",
        check=reg.describe(),
        passed=False,
        message=f"cannot check: {why}",
        ids=list(excluded.unscored_in_b) + [i for i in wrong if i not in excluded.unscored_in_b],
    )


def _ladders(a: RunRecord, b: RunRecord, scenario_id: str) -> str:
    """How one scenario's ladder reads in each run (for a message)."""

    def ladder(run: RunRecord) -> str:
        found = next((s for s in run.scenarios if s.id == scenario_id), None)
        return " → ".join(found.tactics) if found and found.tactics else "none"

    return f"{scenario_id!r}: {ladder(a)} in A, {ladder(b)} in B"


def _expects(a: RunRecord, b: RunRecord, scenario_id: str) -> str:
    """What one scenario expects in each run (for a message)."""

    def expect(run: RunRecord) -> str:
        return next((s.expect for s in run.scenarios if s.id == scenario_id), "none")

    return f"{scenario_id!r}: expect {expect(a)} in A, {expect(b)} in B"


def unlike_runs(
    cmp: Comparison, a: RunRecord, b: RunRecord, name_a: str, name_b: str
) -> str | None:
    """Why runs ``a`` and ``b`` (read from ``name_a`` and ``name_b``) are not two runs of one
    suite, when every scenario id they share was played under another pressure ladder or
    expectation, so nothing pairs (None: some scenario pairs). ``compare`` and ``gate
    --baseline`` refuse such a pair rather than report a verdict on nothing compared."""
    differ, flipped = cmp.excluded.ladder_differs, cmp.excluded.expect_differs
    if not cmp.matched or len(differ) + len(flipped) != cmp.matched:
        return None
    first = _ladders(a, b, differ[0]) if differ else _expects(a, b, flipped[0])
    return (
        f"{name_a} and {name_b} played every shared scenario id under another pressure "
        f"ladder or expectation (first: {first}): they are not runs of the same suite; "
        "compare runs of one suite"
    )
