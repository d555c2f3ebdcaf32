"""The summary table printed at the end of a run.

Example:
    >>> print_summary(load_run("runs/a"), Console())  # doctest: +SKIP
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from backbone.core.formatting import pct
from backbone.record import RunRecord
from backbone.record.base import RateRecord
from backbone.report.escape import terminal
from backbone.report.html import HEADLINE


def print_summary(record: RunRecord, console: Console) -> None:
    """Headline figures with intervals and n, then the outcome counts."""
    name, spec = terminal(record.suite.name), terminal(record.target.spec)
    table = Table(title=f"backbone · {name} · {spec}")
    table.add_column("figure")
    table.add_column("value", justify="right")
    table.add_column("95% CI", justify="right")
    table.add_column("n", justify="right")
    for name, label in HEADLINE:
        r: RateRecord = getattr(record.summary, name)
        table.add_row(label, pct(r.value), f"{pct(r.ci[0])} – {pct(r.ci[1])}", str(r.n))
    console.print(table)
    counts = record.summary.counts
    parts = [f"{k} {v}" for k, v in counts.items() if k != "total"]
    console.print("outcomes: " + " · ".join(parts) + f"  (total {counts['total']})")
    if counts.get("unscored"):
        console.print(
            f"[magenta]{counts['unscored']} unscored[/] (not counted as passes): "
            + "; ".join(f"{terminal(k)} ({v})" for k, v in record.summary.unscored_reasons.items())
        )
    stats = record.stats
    console.print(
        f"target calls: {stats.calls} made, {stats.cached_calls} from cache · "
        f"tokens in {stats.input_tokens}, out {stats.output_tokens}"
    )
