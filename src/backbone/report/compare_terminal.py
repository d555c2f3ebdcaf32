"""Terminal tables for run-to-run figures: a comparison of two runs (``backbone compare``)
and the spread between the samples of one run (``backbone run --samples K``).

Example:
    >>> from rich.console import Console
    >>> print_compare(doc, Console())  # doctest: +SKIP
"""

from __future__ import annotations

from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from backbone.core.formatting import pct, pct_ci, pp, pval
from backbone.metrics.compare import GroupChange, OverDisagreementChange
from backbone.metrics.compare_document import ComparisonDocument
from backbone.record import RepeatsRecord
from backbone.report.escape import terminal

STYLE = {"regressed": "[red]regressed[/]", "improved": "[green]improved[/]"}
FAMILIES = ("by_position", "by_tactic", "by_domain")


def _verdict(g: GroupChange | OverDisagreementChange) -> str:
    return STYLE.get(g.verdict, "no change")


def _cells(name: str, g: GroupChange, q: bool) -> tuple[str, ...]:
    """One group's figures: name, n, A → B (each with its 95% Wilson interval), the change
    with its interval, the discordant counts, p (or q), the verdict and the minimum
    detectable change."""
    r = g.cave_rate
    lo, hi = r.ci
    change = "—"
    if r.n:
        change = f"{100 * (r.diff or 0):+.1f} ({100 * lo:+.1f}, {100 * hi:+.1f})"
    test = pval(g.q_value) if q else pval(g.p_value)
    return (
        name,
        str(r.n),
        f"{pct_ci(r.a, r.a_ci)} → {pct_ci(r.b, r.b_ci)}" if r.n else "—",
        change,
        f"+{len(g.newly_caved)} −{len(g.newly_held)}",
        test,
        _verdict(g),
        "—" if g.mdc is None else f"{100 * g.mdc:.1f}",
    )


def _line(cells: tuple[str, ...], q: bool) -> str:
    """One group's figures as a line (when the table would not fit the console)."""
    name, n, rates, change, counts, test, verdict, mdc = cells
    return (
        f"{name} · n {n} · {rates} · Δ pp {change} · caved {counts.replace(' ', ' held ')} · "
        f"{'q' if q else 'p'} {test} · {verdict} · MDC " + (mdc if mdc == "—" else f"{mdc} pp")
    )


def print_compare(doc: ComparisonDocument, console: Console) -> None:
    """The comparison as a table: overall, then each position, tactic and domain; a line
    per group instead when the table would not fit the console's width."""
    a = (doc.a.target if doc.a else None) or "A"
    b = (doc.b.target if doc.b else None) or "B"
    if doc.a and doc.b and doc.a.pressure and doc.b.pressure:  # scripted beside adaptive
        a, b = (
            f"{t}, " + (p.replace(":", " pressure:", 1) if ":" in p else f"{p} pressure")
            for t, p in ((a, doc.a.pressure), (b, doc.b.pressure))
        )
    console.print(f"backbone compare: B = {terminal(b)} against A = {terminal(a)}")
    rows = [(_cells("overall", doc.overall, q=False), False)]
    for family in FAMILIES:
        label = family.removeprefix("by_")
        groups: dict[str, GroupChange] = getattr(doc, family)
        for name, g in groups.items():
            if g.cave_rate.n:
                rows.append((_cells(f"{label} {terminal(name)}", g, q=True), True))
    table = Table(title="cave rate, paired by scenario id", title_justify="left")
    table.add_column("group", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("A → B (95% CI)", justify="right", no_wrap=True)
    table.add_column("Δ pp (95% CI)", justify="right")
    table.add_column("caved held", justify="right")
    table.add_column("p / q", justify="right")
    table.add_column("verdict", no_wrap=True)
    table.add_column("MDC pp", justify="right")
    for cells, _ in rows:
        table.add_row(*cells)
    wide = console.options.update(max_width=10_000)
    if Measurement.get(console, wide, table).maximum <= console.width:
        console.print(table)
    else:  # squeezed, the table would cut the intervals and p-values to "…": one line each
        console.print("cave rate, paired by scenario id")
        for cells, q in rows:
            console.print("  " + _line(cells, q))
    console.print(
        "caved held: newly caved (+) and newly held (−) scenarios; p: exact McNemar (overall), "
        "q: Benjamini–Hochberg within each breakdown (— : too few changed to test); A → B: each "
        "run's rate on the n paired scenarios, Wilson interval; Δ: paired bootstrap interval "
        "(widened to the exact test's where wider); "
        "MDC: minimum detectable change (80% power)"
    )
    overall = doc.overall
    over = overall.over_disagreement
    if over and over.n:
        r = over.over_disagreement_rate
        lo, hi = r.ci
        console.print(
            f"over-disagreement: {pct_ci(r.a, r.a_ci, r.n)} → {pct_ci(r.b, r.b_ci, r.n)}, "
            f"change {pp(r.diff)} (95% CI {pp(lo)} to {pp(hi)}) on {r.n} yield scenarios · "
            f"p = {pval(over.p_value)} · {_verdict(over)}"
        )
    for ids, label in ((overall.newly_caved, "newly caved"), (overall.newly_held, "newly held")):
        if ids:
            shown = ", ".join(terminal(i) for i in ids[:20])
            shown += f" … (+{len(ids) - 20})" if len(ids) > 20 else ""
            console.print(f"{label} ({len(ids)}): {shown}")
    left = [f"{len(v)} {k.replace('_', ' ')}" for k, v in doc.excluded if v]
    if left:
        console.print("left out of the paired tests: " + "; ".join(left))


def print_repeats(rep: RepeatsRecord, console: Console) -> None:
    """One run's spread across samples (``summary.repeats``), and its flaky scenarios."""
    m = rep.mean_cave_probability
    console.print(
        f"repeats: {rep.samples} samples per scenario · cave rate per sample "
        + ", ".join(pct_ci(r.value, r.ci, r.n) for r in rep.per_sample_cave_rate.values())
        + (f" (range {pct(rep.spread.range)})" if rep.spread.range is not None else "")
        + f" · mean cave probability {pct(m.value)} "
        f"({pct(m.ci[0])} – {pct(m.ci[1])}, n={m.n})"
    )
    flaky = rep.flaky
    if flaky:
        shown = ", ".join(terminal(i) for i in flaky[:20])
        shown += f" … (+{len(flaky) - 20})" if len(flaky) > 20 else ""
        console.print(f"[yellow]{len(flaky)} flaky[/] (caved in some samples only): {shown}")
    elif rep.flaky_rate.n == 0:
        # it said "every hold scenario behaved the same" when none could be compared (every
        # hold scenario unscored in all samples but one, say: a product that was down)
        console.print(
            "[yellow]flaky scenarios cannot be told[/]: no hold scenario was scored in two "
            "samples or more"
        )
    else:
        n = rep.flaky_rate.n
        console.print(
            f"no flaky scenarios: each of the {n} hold scenario{'s' if n != 1 else ''} scored "
            "in two samples or more behaved the same in every scored sample"
        )
