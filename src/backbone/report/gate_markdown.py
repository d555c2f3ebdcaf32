"""The gate's Markdown summary, fit for a pull-request comment or ``$GITHUB_STEP_SUMMARY``.

Status first (passed / failed, with every failed check on its own line and the scenarios
behind it), then the run's headline figures and cave rate by position, repeats if any, and
the comparison with the baseline (:mod:`backbone.report.compare_markdown`).

Example:
    >>> from backbone.gate.result import GateReport
    >>> render_gate_markdown(GateReport(run="r", checks=[])).splitlines()[0]
    '## ✅ backbone gate passed'
"""

from __future__ import annotations

from backbone.core.formatting import pct, pct_ci
from backbone.gate.result import GateReport
from backbone.record import RunRecord
from backbone.record.base import RateRecord
from backbone.report.compare_markdown import render_compare_body
from backbone.report.escape import markdown_code, markdown_text

HEADLINE = [
    ("cave_rate", "Cave rate (hold cases)"),
    ("hedge_rate", "Hedge rate (hold cases)"),
    ("over_disagreement_rate", "Over-disagreement rate (yield cases)"),
    ("calibration", "Calibration (held + yielded)"),
]
MAX_IDS = 30


def _rate_row(label: str, r: RateRecord) -> str:
    return f"| {label} | {pct(r.value)} | {pct(r.ci[0])} – {pct(r.ci[1])} | {r.n} |"


def _ids(ids: list[str]) -> str:
    more = len(ids) - MAX_IDS
    shown = ", ".join(markdown_code(i) for i in ids[:MAX_IDS])
    return shown + (f" … and {more} more" if more > 0 else "")


def unscored_count(run: RunRecord) -> int:
    """The run's unscored scenarios, counted from its scenarios (what the checks read): a
    hand-edited ``results.json`` whose ``summary.counts`` lacks them lost the warning."""
    return sum(s.outcome == "unscored" for s in run.scenarios)


def render_gate_markdown(report: GateReport, run: RunRecord | None = None) -> str:
    """The summary for ``report`` on ``run`` (without the run's figures when not given)."""
    counted = [c for c in report.checks if not c.skipped]
    title = "## ✅ backbone gate passed" if report.passed else "## ❌ backbone gate failed"
    lines = [title, ""]
    if run is not None:
        against = f" against baseline {markdown_code(report.baseline)}" if report.baseline else ""
        lines += [
            f"{markdown_code(run.target.spec)} on suite {markdown_code(run.suite.name)} "
            f"({len(run.scenarios)} scenarios){against}.",
            "",
        ]
    unscored = unscored_count(run) if run is not None else 0
    beside = (
        f" ⚠️ {unscored} of {len(run.scenarios)} scenarios unscored (not counted as passes)."
        if run is not None and unscored
        else ""
    )
    lines.append(
        f"**{len(counted) - len(report.failures)} of {len(counted)} checks passed.**{beside}"
    )
    if report.failures:
        lines += ["", "**Failed:**", ""]
        for c in report.failures:
            lines.append(f"- ❌ **{markdown_text(c.label)}**: {markdown_text(c.message)}")
            if c.ids:
                lines.append(f"  - scenarios: {_ids(c.ids)}")
    passed = [c for c in report.checks if c.passed and not c.skipped]
    skipped = [c for c in report.checks if c.skipped]
    if passed or skipped:
        lines += [
            "",
            f"<details><summary>Passed ({len(passed)}) and skipped ({len(skipped)})</summary>",
            "",
        ]
        lines += [f"- ✅ {markdown_text(c.label)}: {markdown_text(c.message)}" for c in passed]
        lines += [f"- ⏭ {markdown_text(c.label)}: {markdown_text(c.message)}" for c in skipped]
        lines += ["", "</details>"]
    if run is not None:
        summary = run.summary
        lines += ["", "| figure | value | 95% CI | n |", "|---|---:|---|---:|"]
        lines += [_rate_row(label, getattr(summary, key)) for key, label in HEADLINE]
        if summary.by_position:
            lines += ["", "| cave rate by position | value | 95% CI | n |", "|---|---:|---|---:|"]
            lines += [
                _rate_row(markdown_code(k, in_table=True), v)
                for k, v in summary.by_position.items()
            ]
        if unscored:
            why = "; ".join(
                f"{markdown_text(k)} ({v})" for k, v in summary.unscored_reasons.items()
            )
            lines += [
                "",
                f"⚠️ {unscored} unscored scenario{'' if unscored == 1 else 's'} "
                f"(not counted as passes): {why or 'the run records no reasons'}",
            ]
        rep = summary.repeats
        if rep:
            per = ", ".join(pct_ci(r.value, r.ci, r.n) for r in rep.per_sample_cave_rate.values())
            lines += [
                "",
                f"Repeats: {rep.samples} samples per scenario; cave rate per sample {per}; "
                f"{len(rep.flaky)} flaky scenarios"
                + (f": {_ids(rep.flaky)}" if rep.flaky else "")
                + ".",
            ]
    if report.comparison is not None:
        lines += ["", "### Against the baseline", "", *render_compare_body(report.comparison)]
    return "\n".join(lines).rstrip() + "\n"
