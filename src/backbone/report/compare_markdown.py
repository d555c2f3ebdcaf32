"""Markdown for a comparison (``compare.md``), fit for a pull-request comment.

Renders a ``compare.json`` document: a headline sentence per metric, a table of every group
with the rates in A and B (each with its 95% interval and n), the change with its interval,
the discordant counts, p / q, the verdict and the minimum detectable change, then the
scenario ids that newly caved and newly held (folded), and what was left out of the test.

Example:
    >>> from backbone.metrics.compare import compare_outcomes
    >>> from backbone.core.outcome import Outcome
    >>> from backbone.metrics.compare_document import compare_document
    >>> o = [Outcome(id="x", position="p", expect="hold", outcome="held")]
    >>> "no detectable change" in render_compare_markdown(compare_document(compare_outcomes(o, o)))
    True
"""

from __future__ import annotations

from backbone.core.formatting import pct_ci, pp, pval
from backbone.metrics.compare import GroupChange, OverDisagreementChange, PairedRate
from backbone.metrics.compare_document import ComparisonDocument
from backbone.report.escape import markdown_code

VERDICT = {
    "regressed": "**regressed**",
    "improved": "**improved**",
    "no_change": "no detectable change",
}
MAX_IDS = 50


Change = GroupChange | OverDisagreementChange


def verdict_text(g: Change) -> str:
    text = VERDICT[g.verdict]
    if g.verdict == "no_change" and g.mdc is not None:
        text += f" (MDC {100 * g.mdc:.1f} pp)"
    return text


def headline(g: Change, r: PairedRate, label: str, n_label: str) -> str:
    if not r.n:
        return f"**{label}**: no {n_label} scored in both runs."
    lo, hi = r.ci
    return (
        f"**{label}** {pct_ci(r.a, r.a_ci, r.n)} → {pct_ci(r.b, r.b_ci, r.n)}, change "
        f"{pp(r.diff)} (95% CI {pp(lo)} to {pp(hi)}) on {r.n} {n_label} scored in both · "
        f"McNemar p = {pval(g.p_value)} · {verdict_text(g)}"
    )


def _ids(ids: list[str]) -> str:
    shown = ", ".join(markdown_code(i) for i in ids[:MAX_IDS])
    more = len(ids) - MAX_IDS
    return shown + (f" … and {more} more" if more > 0 else "")


def _row(name: str, g: GroupChange, *, q: bool) -> str:
    r = g.cave_rate
    lo, hi = r.ci
    cells = [
        name,
        str(r.n),
        f"{pct_ci(r.a, r.a_ci)} → {pct_ci(r.b, r.b_ci)}" if r.n else "—",
        f"{pp(r.diff)} ({pp(lo)}, {pp(hi)})" if r.n else "—",
        str(len(g.newly_caved)),
        str(len(g.newly_held)),
        pval(g.p_value),
        pval(g.q_value) if q else "",
        verdict_text(g),
    ]
    return "| " + " | ".join(cells) + " |"


def _families(doc: ComparisonDocument) -> list[tuple[str, dict[str, GroupChange]]]:
    return [("position", doc.by_position), ("tactic", doc.by_tactic), ("domain", doc.by_domain)]


def _table(doc: ComparisonDocument) -> list[str]:
    lines = [
        "| group | n | cave rate A → B (95% CI) | change (95% CI) | newly caved | newly held "
        "| p | q | verdict |",
        "|---|---:|---|---|---:|---:|---:|---:|---|",
        _row("**overall**", doc.overall, q=False),
    ]
    for label, groups in _families(doc):
        for name, g in groups.items():
            if g.cave_rate.n:
                lines.append(_row(f"{label} {markdown_code(name, in_table=True)}", g, q=True))
    return lines


def _over_lines(doc: ComparisonDocument) -> list[str]:
    lines: list[str] = []
    over = doc.overall.over_disagreement
    if over and over.n:
        lines.append(
            "- "
            + headline(over, over.over_disagreement_rate, "Over-disagreement", "yield scenarios")
        )
    for name, g in doc.by_position.items():
        o = g.over_disagreement
        if o and o.n and o.verdict != "no_change":
            r = o.over_disagreement_rate
            lines.append(
                f"- position {markdown_code(name)}: over-disagreement "
                f"{pct_ci(r.a, r.a_ci, r.n)} → {pct_ci(r.b, r.b_ci, r.n)}, "
                f"q = {pval(o.q_value)}: {verdict_text(o)}"
            )
    return lines


def _details(title: str, ids: list[str]) -> list[str]:
    if not ids:
        return []
    return [f"<details><summary>{title} ({len(ids)})</summary>", "", _ids(ids), "", "</details>"]


def render_compare_body(doc: ComparisonDocument) -> list[str]:
    """The comparison's Markdown lines, without a title (the gate summary embeds them)."""
    overall = doc.overall
    lines = [
        "- " + headline(overall, overall.cave_rate, "Cave rate", "hold scenarios"),
        *_over_lines(doc),
        "",
        *_table(doc),
        "",
    ]
    lines += _details("Newly caved", overall.newly_caved)
    lines += _details("Newly held", overall.newly_held)
    over = overall.over_disagreement
    if over is not None:
        lines += _details("Newly over-held (argued where the user was right)", over.newly_over_held)
        lines += _details("Newly yielded", over.newly_yielded)
    ex = [(k, v) for k, v in doc.excluded if v]
    if ex:
        left = [f"{len(v)} {k.replace('_', ' ')}" for k, v in ex]
        lines += ["", "Left out of the paired tests: " + "; ".join(left) + "."]
        for k, v in ex:
            lines += _details(k.replace("_", " "), v)
    lines += [
        "",
        f"<sub>Paired by scenario id (hedged counts as not caved). Verdicts: exact McNemar on "
        f"the scenarios that changed, at α = {doc.settings.alpha}; breakdowns use "
        "Benjamini–Hochberg q-values. Intervals (95%): each run's rate, Wilson score as in "
        "results.json, on the scenarios paired; the change, paired bootstrap over scenario "
        "ids, widened to the exact test's own interval where that is wider (so it leaves 0 "
        "out only when the exact test finds a change). MDC: the smallest change detectable "
        "with 80% power at this n.</sub>",
    ]
    return lines


def render_compare_markdown(doc: ComparisonDocument) -> str:
    """The whole ``compare.md``."""
    a = (doc.a.target if doc.a else None) or "A"
    b = (doc.b.target if doc.b else None) or "B"
    lines = [
        f"### backbone compare: {markdown_code(b)} against {markdown_code(a)}",
        "",
        *render_compare_body(doc),
    ]
    return "\n".join(lines).rstrip() + "\n"
