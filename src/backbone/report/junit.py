"""JUnit XML for CI: the gate's checks as test cases, plus one test case per scenario or per
position (``junit.cases``).

* ``backbone.gate``: one case per check and group; a failed check is a ``<failure>``, a
  skipped one (no baseline given) ``<skipped>``.
* ``cases: scenario``: one case per scenario (classname ``backbone.<position>``). ``caved``
  and ``over_held`` are failures; ``unscored`` is an ``<error>`` (never a pass);
  ``initially_wrong`` is ``<skipped>`` (no position to hold: counted in initial accuracy,
  left out of the cave rate); ``hedged`` passes with the hedge noted, as in the cave rate.
* ``cases: position``: one case per position, failed when any gate check on that position
  failed; the position's rates are in ``<system-out>``.

Example:
    >>> from backbone.gate.result import GateReport
    >>> xml = render_junit(GateReport(run="r", checks=[]), [], cases="scenario")
    >>> xml.splitlines()[1][:32]
    '<testsuites name="backbone" test'
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import defaultdict
from collections.abc import Mapping, Sequence
from typing import Literal

from backbone.core.formatting import pct
from backbone.core.outcome import Outcome
from backbone.gate.result import GateReport
from backbone.metrics.summary import Summary
from backbone.report.escape import xml_text


def _suite(parent: ET.Element, name: str) -> ET.Element:
    return ET.SubElement(parent, "testsuite", name=name)


def _case(suite: ET.Element, classname: str, name: str) -> ET.Element:
    return ET.SubElement(suite, "testcase", classname=classname, name=name, time="0")


def _sub(case: ET.Element, tag: str, message: str, text: str = "", kind: str = "") -> None:
    el = ET.SubElement(case, tag, message=message)
    if kind:
        el.set("type", kind)
    if text:
        el.text = text


def _count(suite: ET.Element) -> tuple[int, int, int, int]:
    cases = suite.findall("testcase")
    failures = sum(1 for c in cases if c.find("failure") is not None)
    errors = sum(1 for c in cases if c.find("error") is not None)
    skipped = sum(1 for c in cases if c.find("skipped") is not None)
    for key, val in (
        ("tests", len(cases)),
        ("failures", failures),
        ("errors", errors),
        ("skipped", skipped),
    ):
        suite.set(key, str(val))
    suite.set("time", "0")
    return len(cases), failures, errors, skipped


def _scenario_cases(root: ET.Element, outcomes: Sequence[Outcome]) -> None:
    suite = _suite(root, "backbone.scenarios")
    for o in outcomes:
        case = _case(suite, f"backbone.{o.position}", o.id)
        where = f" at turn {o.flip_turn} ({o.flip_tactic})" if o.flip_turn else ""
        if o.outcome == "caved":
            _sub(case, "failure", f"caved{where}", o.reason, "caved")
        elif o.outcome == "over_held":
            _sub(
                case, "failure", "over-held: argued where the user was right", o.reason, "over_held"
            )
        elif o.outcome == "unscored":
            _sub(case, "error", f"unscored: {o.reason}", o.reason, "unscored")
        elif o.outcome == "initially_wrong":
            _sub(case, "skipped", f"initially wrong (no position to hold): {o.reason}")
        else:
            note = o.outcome if o.outcome != "hedged" else f"hedged at turn {o.hedge_turn}"
            ET.SubElement(case, "system-out").text = f"{note}: {o.reason}"


def _position_cases(
    root: ET.Element,
    report: GateReport,
    outcomes: Sequence[Outcome],
    figures: Mapping[str, Summary],
) -> None:
    suite = _suite(root, "backbone.positions")
    groups: dict[str, list[Outcome]] = defaultdict(list)
    for o in outcomes:
        groups[o.position].append(o)
    failed: dict[str, list[str]] = defaultdict(list)
    for c in report.failures:
        if c.position is not None:
            failed[c.position].append(c.line())
    for position in sorted(groups):
        items = groups[position]
        s = figures[position]
        case = _case(suite, "backbone.positions", position)
        lines = failed.get(position)
        if lines:
            _sub(case, "failure", lines[0], "\n".join(lines), "gate")
        cr, od = s.cave_rate, s.over_disagreement_rate
        caved = [o.id for o in items if o.outcome == "caved"]
        ET.SubElement(case, "system-out").text = (
            f"cave rate {pct(cr.value)} (95% CI {pct(cr.ci[0])}–{pct(cr.ci[1])}, n={cr.n}); "
            f"over-disagreement {pct(od.value)} (n={od.n}); counts {s.counts}"
            + (f"; caved: {', '.join(caved)}" if caved else "")
        )


def render_junit(
    report: GateReport,
    outcomes: Sequence[Outcome],
    *,
    cases: Literal["scenario", "position"] = "scenario",
    positions: Mapping[str, Summary] | None = None,
) -> str:
    """The JUnit XML document. ``cases="position"`` needs each position's figures
    (:func:`backbone.metrics.summary.summarize_by_position`)."""
    root = ET.Element("testsuites", name="backbone")
    gate = _suite(root, "backbone.gate")
    for c in report.checks:
        case = _case(gate, f"backbone.gate.{c.kind}", c.label)
        if c.skipped:
            _sub(case, "skipped", c.message)
        elif not c.passed:
            detail = c.message + (f"\nscenarios: {', '.join(c.ids)}" if c.ids else "")
            _sub(case, "failure", c.message, detail, c.kind)
        else:
            ET.SubElement(case, "system-out").text = c.message
    if cases == "scenario":
        _scenario_cases(root, outcomes)
    else:
        if positions is None:
            raise ValueError("cases='position' needs the positions' figures")
        _position_cases(root, report, outcomes, positions)
    totals = [0, 0, 0, 0]
    for suite in root.findall("testsuite"):
        for i, v in enumerate(_count(suite)):
            totals[i] += v
    for key, val in zip(("tests", "failures", "errors", "skipped"), totals, strict=True):
        root.set(key, str(val))
    for el in root.iter():  # names and reasons are data: no character XML 1.0 forbids
        if el.text:
            el.text = xml_text(el.text)
        for name, value in el.attrib.items():
            el.set(name, xml_text(value))
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
