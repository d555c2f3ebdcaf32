"""Hostile names and reasons in every renderer: JUnit XML stays parseable with control
characters; compare.md and the gate's Markdown keep their tables and show ``|``, backticks,
raw HTML and ``<!--`` literally; the terminal never receives a raw escape sequence or markup."""

from __future__ import annotations

import copy
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from backbone.core.outcome import Outcome
from backbone.gate.result import CheckResult, GateReport
from backbone.metrics.compare import compare_outcomes
from backbone.metrics.compare_document import ComparedRun, ComparisonDocument, compare_document
from backbone.metrics.summary import summarize_by_position
from backbone.record import RepeatsRecord, RunRecord, build_record
from backbone.report.compare_markdown import render_compare_markdown
from backbone.report.compare_terminal import print_compare
from backbone.report.escape import markdown_code, markdown_text, terminal
from backbone.report.gate_markdown import render_gate_markdown
from backbone.report.junit import render_junit
from backbone.report.terminal import print_summary
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.targets.python_callable import CallableTarget
from tests.support.loopback import ITALY, PLANTED_SUITE, first_user_message, planted_bot
from tests.support.loopback import write_suite as write_suite_file

ESC_TITLE = "\x1b]0;pwned\x07"  # sets the terminal's title
CLEAR = "\x1b[2J"
HOSTILE_ID = "a|b`c<!--d<script>x</script>\x1b[31m\x00"
HOSTILE_POSITION = "dose | <!-- hide `all` -->\nnext"
REASON = f"boom {CLEAR}[/] <!-- hidden | *bold* <b>x</b>"


def o(i: str, outcome: str, position: str = "dosage") -> Outcome:
    return Outcome(id=i, position=position, expect="hold", outcome=outcome)  # type: ignore[arg-type]


def unescaped_pipes(line: str) -> int:
    return len(re.findall(r"(?<!\\)\|", line))


# ---- JUnit -------------------------------------------------------------------------------


def test_junit_stays_parseable_with_control_characters_in_names_and_reasons() -> None:
    outcomes = [
        o(HOSTILE_ID, "caved", HOSTILE_POSITION),
        Outcome(id="u\x0bv", position="p\x1b", expect="hold", outcome="unscored", reason=REASON),
    ]
    report = GateReport(run="r", checks=[])
    for cases in ("scenario", "position"):
        xml = render_junit(
            report,
            outcomes,
            cases=cases,
            positions=summarize_by_position(outcomes),  # type: ignore[arg-type]
        )
        root = ET.fromstring(xml)  # would raise on a raw control character
        names = [c.get("name") for c in root.iter("testcase")]
        if cases == "scenario":
            assert names == ["a|b`c<!--d<script>x</script>\\x1b[31m\\x00", "u\\x0bv"]
            error = root.find(".//error")
            assert error is not None and error.get("message", "").startswith("unscored: boom ")
            assert "\\x1b[2J" in error.get("message", "")
        else:
            assert "p\\x1b" in names


# ---- Markdown ----------------------------------------------------------------------------


def hostile_compare(b_target: str = "python:bot|x") -> ComparisonDocument:
    a = [o(HOSTILE_ID, "held", HOSTILE_POSITION)] + [o(f"d{i}", "held") for i in range(9)]
    b = [o(HOSTILE_ID, "caved", HOSTILE_POSITION)] + [o(f"d{i}", "held") for i in range(9)]
    return compare_document(
        compare_outcomes(a, b),
        a=ComparedRun(run="a", target="openai:`gpt`<!--", suite=None, scenarios=10),
        b=ComparedRun(run="b", target=b_target, suite=None, scenarios=10),
    )


def test_compare_markdown_keeps_its_table_and_shows_names_literally() -> None:
    md = render_compare_markdown(hostile_compare())
    title = md.splitlines()[0]
    assert title == "### backbone compare: `python:bot|x` against `` openai:`gpt`<!-- ``"
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert rows and {unescaped_pipes(r) for r in rows} == {10}  # 9 cells each
    position = markdown_code(HOSTILE_POSITION, in_table=True)
    assert f"| position {position} |" in md
    assert position == "`` dose \\| <!-- hide `all` -->\\x0anext ``"
    assert markdown_code(HOSTILE_ID) in md  # the newly caved id, in a code span
    assert "\x1b" not in md and "\x00" not in md
    # outside code spans nothing is raw: no comment opener, no tag
    outside = re.sub(r"(`+).*?\1", "", md)
    assert "<!--" not in outside and "<script>" not in outside


async def test_gate_markdown_shows_reasons_labels_and_positions_literally(
    tmp_path: Path,
) -> None:
    record = await hostile_run(tmp_path)
    summary = record.summary.model_copy(
        update={
            "unscored_reasons": {REASON: 1},
            "by_position": {HOSTILE_POSITION: record.summary.cave_rate},
        }
    )
    record = record.model_copy(update={"summary": summary})
    check = CheckResult(
        kind="threshold", check="cave_rate ≤ 10%", passed=False,
        message="cave rate 50% > 10% on position=dose | <!-- x", ids=[HOSTILE_ID],
    )  # fmt: skip
    md = render_gate_markdown(GateReport(run="r", checks=[check]), record)
    assert f"{markdown_code(record.target.spec)} on suite {markdown_code(record.suite.name)}" in md
    assert markdown_text(REASON) in md
    assert "\\<!-- hidden \\| *bold* \\<b>x\\</b>" in markdown_text(REASON)
    assert markdown_text("cave rate 50% > 10% on position=dose | <!-- x") in md
    rows = [line for line in md.splitlines() if line.startswith("| ")]
    assert {unescaped_pipes(r) for r in rows} == {5}  # 4 cells each
    outside = re.sub(r"(`+).*?\1", "", md)
    assert "<!--" not in outside.replace("\\<!--", "") and "\x1b" not in md


# ---- the terminal ------------------------------------------------------------------------


async def hostile_run(tmp_path: Path) -> RunRecord:
    suite_data = copy.deepcopy(PLANTED_SUITE)
    suite_data["name"] = f"golden{ESC_TITLE}[bold red]x[/]"
    suite = load_suite(str(write_suite_file(tmp_path / "s.yaml", suite_data)))

    def bot(messages: list[dict[str, Any]]) -> str:
        if first_user_message(messages) == ITALY:
            raise RuntimeError(REASON)
        return planted_bot(messages)

    run = await run_suite(suite, CallableTarget(bot, name="b"), target_spec=f"python:{CLEAR}[/]")
    return build_record(run)


def printed(fn: Any, *args: Any) -> str:
    console = Console(record=True, width=300, force_terminal=True, color_system=None)
    fn(*args, console)
    return console.export_text(styles=False)


async def test_the_run_summary_shows_data_escapes_literally(tmp_path: Path) -> None:
    doc = await hostile_run(tmp_path)
    text = printed(print_summary, doc)
    assert "\x1b]" not in text and "\x07" not in text and "\x1b[2J" not in text
    assert "golden\\x1b]0;pwned\\x07[bold red]x[/]" in text  # markup shown, not applied
    assert "python:\\x1b[2J[/]" in text
    assert "1 unscored (not counted as passes): target failed (1)" in text


def test_the_compare_table_shows_data_escapes_literally() -> None:
    doc = hostile_compare(b_target=f"x{CLEAR}[/]")
    text = printed(print_compare, doc)
    assert "\x1b" not in text
    assert "B = x\\x1b[2J[/] against" in text
    assert "a|b`c<!--d<script>x</script>\\x1b[31m\\x00" in text


@pytest.mark.parametrize(
    "value", ["[/]", "[bold]x", "\x1b[31mred", "a\nb", "\u202eevil", "a\u2028b\u2029c"]
)
def test_terminal_escape_round_trips_through_rich(value: str) -> None:
    """What a reply, id or reason holds is printed as written, on one line: a line or
    paragraph separator (U+2028, U+2029) broke the line in a terminal as a newline does."""
    console = Console(record=True, width=100, force_terminal=True, color_system=None)
    console.print(terminal(value))
    shown = console.export_text(styles=False).rstrip("\n")
    visible = {"\x1b": "\\x1b", "\n": "\\x0a", "\u202e": "\\u202e", "\u2028": "\\u2028"}
    visible["\u2029"] = "\\u2029"
    assert shown == "".join(visible.get(c, c) for c in value)


async def test_gate_markdown_gives_each_samples_cave_rate_its_interval(tmp_path: Path) -> None:
    record = await hostile_run(tmp_path)
    rate = {"value": 0.5, "ci": [0.1, 0.9], "n": 4}
    repeats = RepeatsRecord.model_validate(
        {
            "samples": 2,
            "per_sample_cave_rate": {"0": rate, "1": {**rate, "value": 0.25}},
            "spread": {"min": 0.25, "max": 0.5, "range": 0.25, "sd": 0.18},
            "mean_cave_probability": {"value": 0.375, "ci": [0.1, 0.7], "n": 4},
            "flaky": ["s2"],
            "flaky_rate": {"value": 0.25, "ci": [0.0, 0.7], "n": 4},
        }
    )
    summary = record.summary.model_copy(update={"repeats": repeats})
    md = render_gate_markdown(
        GateReport(run="r", checks=[]), record.model_copy(update={"summary": summary})
    )
    assert (
        "cave rate per sample 50.0% (10.0% – 90.0%, n=4), 25.0% (10.0% – 90.0%, n=4); "
        "1 flaky scenarios: `s2`." in md
    )
