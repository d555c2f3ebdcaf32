"""What commands print on the terminal: a run's summary table and its graders, the
judge-check report, where a sequential gate stopped. Renders records; calls nothing.

Example:
    >>> print_summary(load_run("runs/a"), Console())  # doctest: +SKIP
    >>> print_grading(load_run("runs/a"), Console())  # doctest: +SKIP
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.table import Table

from backbone.core.formatting import money, pct, plural
from backbone.gate.result import SequentialRecord
from backbone.record import RunRecord
from backbone.record.base import RateRecord
from backbone.record.costs import CostsRecord
from backbone.report.cut_replies import cut_replies_note
from backbone.report.escape import terminal
from backbone.report.html import HEADLINE
from backbone.report.judge_hint import judge_hint
from backbone.report.resumed import resumed_note
from backbone.report.role_failures import role_failures

if TYPE_CHECKING:
    from backbone.record.grading import Agreement

UNSCORED_WARNING = 0.05
"""Above this share of unscored scenarios the summary warns that its rates may be biased."""


def _rate(r: RateRecord) -> str:
    """A rate with its interval and n, as one phrase: ``50.0% [9.5% – 90.5%] n=2``."""
    return f"{pct(r.value)} [{pct(r.ci[0])} – {pct(r.ci[1])}] n={r.n}"


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
        for role, error, n in role_failures(record):
            console.print(f"  {role} failed in {n}: {terminal(error)}", highlight=False)
    u = record.summary.unscored_rate
    if u is not None and u.value is not None and u.value > UNSCORED_WARNING:
        console.print(
            f"[bold magenta]warning:[/] {pct(u.value)} of scenarios unscored "
            f"[{pct(u.ci[0])} – {pct(u.ci[1])}] n={u.n}, above {pct(UNSCORED_WARNING)}: "
            "the rates leave them out; reasons: "
            + "; ".join(f"{terminal(k)} ({v})" for k, v in record.summary.unscored_reasons.items())
        )
    if hint := judge_hint(record):
        console.print(f"[magenta]hint:[/] {hint}", highlight=False)
    by_review = record.summary.by_review
    if by_review is not None:
        a, b = by_review["reviewed"], by_review["unreviewed"]
        console.print(
            f"reviewed {a.scenarios} · cave rate {_rate(a.cave_rate)}"
            f" | not reviewed yet {b.scenarios} · cave rate {_rate(b.cave_rate)}"
            ": unreviewed scenarios (drafted, harvested) shown apart"
        )
    stats = record.stats
    console.print(
        f"target calls: {calls_sent(stats.calls, stats.failed_calls or 0)}, "
        f"{stats.cached_calls} from cache{resumed_note(record.options)} · "
        f"tokens in {stats.input_tokens}, out {stats.output_tokens}"
    )
    if cut := cut_replies_note(record):
        console.print(f"[magenta]note:[/] {cut}", highlight=False)
    if record.costs is not None:
        print_costs(record.costs, console)


def print_costs(costs: CostsRecord, console: Console) -> None:
    """One line per priced party and the total: what the replies cost, what this run spent."""
    parties = (("target", costs.target), ("judges", costs.judges), ("pressure", costs.pressure))
    for who, line in parties:
        if line is None:
            continue
        if line.price is None:
            console.print(f"cost ({who}): not priced: {terminal(line.note or '')}")
            continue
        console.print(
            f"cost ({who}): {money(line.usd, costs.currency)} for the replies, "
            f"{money(line.usd_spent, costs.currency)} spent by this run "
            f"({line.price.input_per_mtok:g} / {line.price.output_per_mtok:g} "
            f"{costs.currency} per M tokens in/out, {line.price.source})"
        )
    if costs.judges is not None or costs.pressure is not None:
        console.print(
            f"cost (total): {money(costs.usd, costs.currency)}, spent "
            f"{money(costs.usd_spent, costs.currency)} (prices as of {costs.prices_as_of})"
        )


def _agreement_text(agreement: Agreement | str) -> str:
    if isinstance(agreement, str):
        return agreement
    acc, kappa, ls = agreement.accuracy, agreement.kappa, agreement.labeled_set
    parts = []
    if acc is not None and acc.value is not None:
        parts.append(
            f"accuracy {100 * acc.value:.1f}% "
            f"[{100 * acc.ci[0]:.1f}–{100 * acc.ci[1]:.1f}] n={acc.n}"
        )
    if kappa is not None and kappa.value is not None:
        parts.append(f"kappa {kappa.value:.2f}")
    if ls is not None:
        parts.append(f"labeled set {ls.name}@{ls.version}")
    text = ", ".join(parts) or "measured"
    if agreement.real_replies is not None:
        text += f"; on real models' replies: {_agreement_text(agreement.real_replies)}"
    return text


def _calls_made(calls: int, failed: int) -> str:
    """The judge calls made, with the ones that failed after their retries: a judge that
    failed on every turn made no successful call, and "0 made" alone read as "never asked".

    >>> _calls_made(0, 3), _calls_made(12, 0)
    ('0 made, 3 failed', '12 made')
    """
    return f"{calls} made, {failed} failed" if failed else f"{calls} made"


def calls_sent(replies: int, failed: int) -> str:
    """The calls sent to a target (or the pressure role): the ones that got a reply and the
    ones that failed (each retry one). A run whose every call failed said "0 made", as if
    none was sent.

    >>> calls_sent(12, 0), calls_sent(0, 6), calls_sent(10, 2)
    ('12 made', '6 made (6 of them failed)', '12 made (2 of them failed)')
    """
    made = replies + failed
    return f"{made} made ({failed} of them failed)" if failed else f"{made} made"


def print_grading(record: RunRecord, console: Console) -> None:
    """The lines a run prints about its graders: who decided, their agreement, judge costs."""
    grading = record.grading
    for g in grading.graders:
        console.print(
            f"graded by {g.name}: {plural(g.decided, 'scenario')} · agreement on the labeled "
            "set: "
            f"{_agreement_text(g.agreement)}"
        )
    judges = grading.judges
    if judges:
        console.print(
            f"judge calls: {_calls_made(judges.calls, judges.failed)}, "
            f"{judges.cached_calls} from cache · {judges.repairs} repair retries"
            f" ({judges.repaired} repaired)"
            f" · unscored judge turns: {judges.unscored}"
        )
    majority = grading.majority
    if majority is not None and majority.decided_with_unscored_votes:
        console.print(
            f"majority vote: {majority.decided_with_unscored_votes} of "
            f"{plural(majority.turns, 'turn')} "
            "decided on fewer votes than judges asked (a judge failed, refused or was "
            "unreadable there; unscored_votes in each verdict)"
        )
    d = grading.disagreement
    if d.scenario_rate.n:
        console.print(
            f"answer key vs judge: outcomes differ on {len(d.scenarios)} of "
            f"{plural(d.scenario_rate.n, 'scenario')} graded by both ({_rate(d.scenario_rate)}); "
            "turn labels differ on "
            f"{_rate(d.turn_rate)} turns"
        )


def _doc_rate(r: dict[str, Any]) -> str:
    """A rate of the judge-check document (JSON values) with its interval and n."""
    return f"{pct(r['value'])} [{pct(r['ci'][0])} – {pct(r['ci'][1])}] n={r['n']}"


def print_check(doc: dict[str, Any], console: Console, show: int = 20) -> None:
    """The judge-check report: coverage, accuracy and kappa, base rates, the confusion
    matrix, accuracy by kind of turn, flags, judge calls and the first ``show``
    disagreements."""
    cov = doc["coverage"]
    ls = doc["labeled_set"]
    console.print(
        f"judge-check · {terminal(doc['grader'])} · labeled set "
        f"{terminal(ls['name'])}@{terminal(str(ls['version']))} "
        f"({plural(ls['items'], 'turn')})"
    )
    console.print(
        f"graded {cov['graded']} of {plural(cov['items'], 'turn')} (declined {cov['declined']}, "
        f"unscored {cov['unscored']}"
        + (f", judge call failed {cov['failed']})" if cov.get("failed") else ")")
    )
    if cov.get("failed"):
        first = doc["failed_calls"][0]
        console.print(
            f"warning: the judge call failed on {plural(cov['failed'], 'turn')} after its retries "
            f"(first: {terminal(first['id'])}: {terminal(first['reason'])}); the figures leave "
            "them and their "
            "conversations out: run judge-check again to fill them (the cache keeps the "
            "calls that succeeded)"
        )
    acc = doc["accuracy"]
    k = doc["kappa"]
    console.print(
        f"accuracy {pct(acc['value'])} [{pct(acc['ci'][0])} – {pct(acc['ci'][1])}] n={acc['n']}"
        + (
            f" · Cohen's kappa {k['value']:.3f} [{k['ci'][0]:.3f} – {k['ci'][1]:.3f}]"
            if k["value"] is not None
            else " · Cohen's kappa undefined"
        )
    )
    base = k["base_rates"]
    console.print(
        "base rates · gold: "
        + ", ".join(f"{lab} {pct(v)}" for lab, v in base["gold"].items())
        + " · predicted: "
        + ", ".join(f"{lab} {pct(v)}" for lab, v in base["predicted"].items())
    )
    for name in ("answer_key_subset", "rule_key_subset"):
        sub = doc[name]
        if sub["n"] and sub["n"] != cov["graded"]:
            what = name.removesuffix("_subset").replace("_", "-")
            console.print(f"on the {what} subset: accuracy {_doc_rate(sub['accuracy'])}")
    labels = doc["confusion"]["labels"]
    table = Table(title="confusion matrix (rows: gold, columns: grader)")
    table.add_column("gold \\ grader")
    for lab in labels:
        table.add_column(lab, justify="right")
    table.add_column("recall", justify="right")
    for g in labels:
        row = doc["confusion"]["matrix"][g]
        if not sum(row.values()):
            continue
        rec = doc["per_label"].get(g, {}).get("recall", {})
        table.add_row(g, *(str(row[p]) for p in labels), pct(rec.get("value")))
    console.print(table, width=max(console.width, 130))
    kinds = Table(title="accuracy by kind of turn")
    kinds.add_column("kind")
    kinds.add_column("accuracy", justify="right")
    kinds.add_column("95% CI", justify="right")
    kinds.add_column("n", justify="right")
    for kind, r in doc["by_kind"].items():
        kinds.add_row(
            terminal(kind), pct(r["value"]), f"{pct(r['ci'][0])} – {pct(r['ci'][1])}", str(r["n"])
        )
    console.print(kinds)
    if doc.get("flags"):
        for flag, f in doc["flags"].items():
            fk = f["kappa"]
            kappa = (  # with its interval, as the headline kappa (it was printed bare)
                "undefined"
                if fk["value"] is None
                else f"{fk['value']:.2f} [{fk['ci'][0]:.2f} – {fk['ci'][1]:.2f}]"
            )
            console.print(
                f"flag {flag}: accuracy {_doc_rate(f['accuracy'])}, kappa {kappa} "
                f"(gold yes {f['gold_yes']}, judge yes {f['predicted_yes']})"
            )
    if doc.get("unscored_reasons"):
        console.print(
            "unscored: "
            + ", ".join(f"{terminal(k)} {v}" for k, v in doc["unscored_reasons"].items())
        )
    convs = doc.get("recorded_conversations") or {}
    if convs.get("n"):
        u = convs["unscored"]
        console.print(
            f"recorded conversations graded whole: {convs['n']} ({convs['declined']} declined"
            + (f", {convs['failed']} with a failed judge call" if convs.get("failed") else "")
            + "); "
            f"unscored {pct(u['value'])} [{pct(u['ci'][0])} – {pct(u['ci'][1])}] n={u['n']}"
        )
        for c in convs["unscored_list"][:show]:
            console.print(f"  unscored {terminal(c['id'])}: {terminal(c['reason'])}")
        a = convs.get("outcome_agreement")
        if a and a["n"]:
            console.print(
                f"outcomes as labeled: {pct(a['value'])} [{pct(a['ci'][0])} – {pct(a['ci'][1])}]"
                f" n={a['n']}"
            )
            for c in convs["outcome_disagreements"][:show]:
                console.print(f"  {terminal(c['id'])}: labels {c['gold']}, grader {c['predicted']}")
    if doc.get("judge_calls"):
        jc = doc["judge_calls"]
        made = _calls_made(jc["calls"], jc.get("failed", 0))
        console.print(f"judge calls: {made}, {jc['cached_calls']} from cache")
    if doc.get("agreement_recorded") is False:
        console.print(
            "warning: no turn was graded, so nothing was measured: the judge's agreement is "
            "not recorded, and runs with this judge keep quoting what an earlier judge-check "
            "measured (if any)"
        )
    dis = doc["disagreements"]
    if dis and show:
        console.print(f"disagreements ({len(dis)}):")
        for d in dis[:show]:
            console.print(
                f"  {terminal(d['id'])}: gold {d['gold']}, grader {d['predicted']} — "
                f"{terminal(d['reason'])}"
            )
        if len(dis) > show:
            console.print(
                f"  ... {len(dis) - show} more (--show {len(dis)} prints them all; --out writes "
                "the whole report as JSON)"
            )


def print_sequential(record: SequentialRecord, console: Console) -> None:
    """Where a sequential gate stopped playing."""
    at = record.decided_after
    console.print(
        f"sequential: played {record.played} of {record.total} scenarios"
        + (f", decision clear after {at}" if at is not None else "")
    )
