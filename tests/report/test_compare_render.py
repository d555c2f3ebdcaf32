"""Rendering a comparison: compare.json's shape, the Markdown for a pull request, the
terminal table, and the repeats line."""

from __future__ import annotations

import json

import pytest
from rich.console import Console

from backbone.core.outcome import Outcome
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.compare_document import ComparisonDocument, compare_document
from backbone.metrics.paired import minimum_detectable_change
from backbone.metrics.rates import wilson
from backbone.record import RepeatsRecord
from backbone.report.compare_json import render_compare_json
from backbone.report.compare_markdown import render_compare_markdown
from backbone.report.compare_terminal import print_compare, print_repeats


def o(i: str, outcome: str, position: str = "dosage", expect: str = "hold") -> Outcome:
    return Outcome(id=i, position=position, expect=expect, outcome=outcome)  # type: ignore[arg-type]


def planted_doc() -> ComparisonDocument:
    a = [o(f"d{i}", "held") for i in range(30)] + [o(f"t{i}", "held", "taste") for i in range(30)]
    a += [o("u1", "held"), o("y1", "yielded", "taste", "yield")]
    b = [o(f"d{i}", "caved" if i < 7 else "held") for i in range(30)]
    b += [o(f"t{i}", "held", "taste") for i in range(30)]
    b += [o("u1", "unscored"), o("y1", "over_held", "taste", "yield")]
    return compare_document(compare_outcomes(a, b))


def test_json_shape_round_trips() -> None:
    doc = planted_doc()
    back = json.loads(render_compare_json(doc))
    assert back == doc.model_dump(mode="json")
    assert set(back["overall"]["cave_rate"]) == {"a", "b", "diff", "ci", "n", "a_ci", "b_ci"}
    assert back["overall"]["newly_caved"] == [f"d{i}" for i in range(7)]
    assert back["overall"]["p_value"] == 2 * 0.5**7
    assert back["by_position"]["dosage"]["verdict"] == "regressed"
    assert back["by_position"]["taste"]["verdict"] == "no_change"
    assert back["excluded"]["unscored_in_b"] == ["u1"]


def test_markdown_for_a_pull_request() -> None:
    md = render_compare_markdown(planted_doc())
    lines = md.splitlines()
    assert lines[0] == "### backbone compare: `B` against `A`"
    a, b = wilson(0, 60), wilson(7, 60)  # each run's rate on the 60 paired, with its interval
    assert lines[2].startswith(
        f"- **Cave rate** 0.0% (0.0% – {100 * a.ci[1]:.1f}%, n=60) → 11.7% "
        f"({100 * b.ci[0]:.1f}% – {100 * b.ci[1]:.1f}%, n=60), change +11.7 pp (95% CI "
    )
    assert lines[2].endswith(
        "on 60 hold scenarios scored in both · McNemar p = 0.0156 · **regressed**"
    )
    d0, d7 = wilson(0, 30), wilson(7, 30)
    dosage = f"0.0% (0.0% – {100 * d0.ci[1]:.1f}%) → 23.3% ({100 * d7.ci[0]:.1f}% – "
    assert f"| position `dosage` | 30 | {dosage}{100 * d7.ci[1]:.1f}%) |" in md
    u = 100 * (1 - 0.025 ** (1 / 30))  # nothing changed in 30: the interval stays open
    mdc = 100 * (minimum_detectable_change(30, 0.0) or 0)
    none = f"0.0% (0.0% – {100 * d0.ci[1]:.1f}%)"
    taste = (
        f"| position `taste` | 30 | {none} → {none} | +0.0 pp (-{u:.1f} pp, +{u:.1f} pp) | 0 | 0 "
    )
    assert taste + f"| 1 | — | no detectable change (MDC {mdc:.1f} pp) |" in md
    assert "<details><summary>Newly caved (7)</summary>" in md
    assert "`d0`, `d1`, `d2`, `d3`, `d4`, `d5`, `d6`" in md
    assert "Left out of the paired tests: 1 unscored in b." in md


def test_terminal_table() -> None:
    console = Console(record=True, width=160)
    print_compare(planted_doc(), console)
    text = console.export_text()
    assert "overall" in text and "position dosage" in text and "regressed" in text
    assert "newly caved (7): d0, d1, d2, d3, d4, d5, d6" in text
    r = planted_doc().overall
    assert r.over_disagreement is not None
    lo, hi = r.over_disagreement.over_disagreement_rate.ci
    zero, one = wilson(0, 1), wilson(1, 1)
    assert (
        f"over-disagreement: 0.0% (0.0% – {100 * zero.ci[1]:.1f}%, n=1) → 100.0% "
        f"({100 * one.ci[0]:.1f}% – 100.0%, n=1), change +100.0 pp (95% CI {100 * lo:+.1f} pp "
        f"to {100 * hi:+.1f} pp) on 1 yield scenarios"
    ) in text


def test_a_narrow_console_gets_every_figure_not_an_ellipsis() -> None:
    """At 80 columns (a pipe, a CI log) the eight-column table squeezed the interval, p and
    MDC to '+…', '0…', '7…'; each group is then a line of its own, every figure whole."""
    console = Console(record=True, width=80, soft_wrap=True)
    print_compare(planted_doc(), console)
    text = console.export_text()
    assert "…" not in text
    r = planted_doc().overall.cave_rate
    lo, hi = (f"{100 * x:+.1f}" for x in r.ci)
    a, b = wilson(0, 60), wilson(7, 60)
    rates = (
        f"0.0% (0.0% – {100 * a.ci[1]:.1f}%) → 11.7% ({100 * b.ci[0]:.1f}% – {100 * b.ci[1]:.1f}%)"
    )
    assert f"overall · n 60 · {rates} · Δ pp +11.7 ({lo}, {hi}) · caved +7 held −0" in text
    assert "· p 0.0156 · regressed · MDC " in text
    none = f"0.0% (0.0% – {100 * wilson(0, 30).ci[1]:.1f}%)"
    assert f"position taste · n 30 · {none} → {none}" in text and "· q — · no change" in text
    wide = Console(record=True, width=160)
    print_compare(planted_doc(), wide)
    assert "┃ group" in wide.export_text()  # the table where it fits


def test_repeats_line() -> None:
    console = Console(record=True, width=200)
    rate = {"value": 0.5, "ci": [0.1, 0.9], "n": 4}
    doc = {
        "summary": {
            "repeats": {
                "samples": 2,
                "per_sample_cave_rate": {"0": rate, "1": {**rate, "value": 0.25}},
                "spread": {"min": 0.25, "max": 0.5, "range": 0.25, "sd": 0.18},
                "mean_cave_probability": {"value": 0.375, "ci": [0.1, 0.7], "n": 4},
                "flaky": ["s2"],
                "flaky_rate": {"value": 0.25, "ci": [0.0, 0.7], "n": 4},
            }
        }
    }
    print_repeats(RepeatsRecord.model_validate(doc["summary"]["repeats"]), console)
    text = console.export_text()
    assert (
        "repeats: 2 samples per scenario · cave rate per sample 50.0% (10.0% – 90.0%, n=4), "
        "25.0% (10.0% – 90.0%, n=4) (range 25.0%)" in text
    )
    assert "1 flaky (caved in some samples only): s2" in text


@pytest.mark.parametrize(
    ("compared", "says"),
    [
        (0, "flaky scenarios cannot be told: no hold scenario was scored in two samples or more"),
        (3, "no flaky scenarios: each of the 3 hold scenarios scored in two samples or more "
            "behaved the same in every scored sample"),
    ],
)  # fmt: skip
def test_the_repeats_line_says_how_many_scenarios_could_be_compared(
    compared: int, says: str
) -> None:
    """With no flaky scenario the line said "every hold scenario behaved the same in every
    sample", even when no hold scenario was scored twice (a product down in every sample):
    a reassurance about scenarios never compared."""
    none = {"value": None, "ci": [0.0, 1.0], "n": 0}
    same = {"value": 0.0, "ci": [0.0, 0.56], "n": compared}
    rate = same if compared else none
    repeats = {
        "samples": 3,
        "per_sample_cave_rate": {"0": rate, "1": rate, "2": rate},
        "spread": {"min": None, "max": None, "range": None, "sd": None},
        "mean_cave_probability": rate,
        "flaky": [],
        "flaky_rate": rate,
    }
    console = Console(record=True, width=200)
    print_repeats(RepeatsRecord.model_validate(repeats), console)
    assert says in console.export_text()
    assert "every hold scenario behaved the same" not in console.export_text()


def test_the_page_says_why_a_group_has_no_q() -> None:
    """A group with too few discordant scenarios for the exact test ever to reach alpha is
    left out of the false-discovery family: its q is null. The page wrote a bare '—' in the
    q column, under an intro promising 'its false-discovery-adjusted q', with no word on
    why (the planted runs' every group read '—'). The cell is now marked and a note under
    the tables says why, and how many discordant scenarios a group needs (6 at alpha 0.05).
    A group in the family shows its q, unmarked."""
    import re

    from backbone.report.compare_html import render_compare_html

    a = [o(f"d{i}", "held") for i in range(30)] + [o(f"t{i}", "held", "taste") for i in range(5)]
    b = [o(f"d{i}", "caved" if i < 7 else "held") for i in range(30)]
    b += [o(f"t{i}", "caved" if i < 2 else "held", "taste") for i in range(5)]
    doc = compare_document(compare_outcomes(a, b))
    assert doc.by_position["taste"].q_value is None and doc.by_position["dosage"].q_value
    page = render_compare_html(doc)
    position = page[page.index('<table data-family="position">') :]
    position = position[: position.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr data-group=.*?</tr>", position, re.S):
        name = re.search(r'data-group="([^"]*)"', row)
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        assert name
        rows[name.group(1)] = cells[7]  # the q column
    assert "—*" in rows["taste"] and "q-none" in rows["taste"]
    assert rows["dosage"] == pval_text(doc.by_position["dosage"].q_value)
    note = re.search(r'<p class="muted" id="q-note">(.*?)</p>', page, re.S)
    assert note and "too few discordant scenarios" in note.group(1)
    assert "at least 6 are needed" in note.group(1)


def pval_text(p: float | None) -> str:
    from backbone.core.formatting import pval

    return pval(p)


def test_the_page_says_the_change_interval_is_widened_to_the_exact_tests() -> None:
    """Every group newly caved (5 of 5, none newly held) has a paired bootstrap interval of
    a single point; the interval shown is widened to the exact McNemar test's, +100.0 pp
    (-4.4 pp, +100.0 pp), since the test (p = 0.0625) shows no change. The page called it
    'its paired-bootstrap interval' only, so a reader could not tell where a negative lower
    end came from. The intro now says it is widened to the exact test's, and why."""
    import re

    from backbone.report.compare_html import render_compare_html

    a = [o(f"d{i}", "held") for i in range(5)]
    b = [o(f"d{i}", "caved") for i in range(5)]
    doc = compare_document(compare_outcomes(a, b))
    lo, hi = doc.by_position["dosage"].cave_rate.ci
    assert lo < 0 < hi == 1.0  # widened below the bootstrap's single point
    page = render_compare_html(doc)
    intro = re.search(
        r'<section class="part" id="positions"><h2>[^<]*</h2>\s*<p[^>]*>(.*?)</p>', page, re.S
    )
    assert intro and "widened to the exact McNemar test's own" in intro.group(1)
