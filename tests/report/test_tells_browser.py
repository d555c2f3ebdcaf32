"""The tells report opened in real headless Chromium (Debian's, through Playwright): the
alarm card and the table agree with tells.json, each trend tell's series is drawn with a point
per period and its Theil–Sen line, the churn curves show power and casual users, and the page
runs no script and fetches nothing."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.report.test_reports_browser import assert_charts_fit, browser, open_page

__all__ = ["browser"]  # the shared fixture: Debian's Chromium through Playwright


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    d = tmp_path_factory.mktemp("tells")
    runner = CliRunner()
    on = "satisfaction_vs_task,power_user_churn,ticket_shift"
    synth = ["synth", "tells", "--out", str(d), "--on", on, "--seed", "1"]
    assert runner.invoke(app, synth).exit_code == 0
    args = ["tells", str(d / "feedback.jsonl"), "--out", str(d / "out")]
    for opt, name in (
        ("--task-metrics", "task_metrics"),
        ("--tickets", "tickets"),
        ("--evals", "evals"),
    ):
        args += [opt, str(d / f"{name}.csv")]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    return d / "out"


def test_tells_report(report: Path, browser: Any, tmp_path: Path) -> None:
    doc = json.loads((report / "tells.json").read_text())
    path = report / "report.html"
    page, requests, errors = open_page(browser, path)
    assert errors == [] and requests == [path.as_uri()]  # nothing fetched
    assert page.evaluate("document.scripts.length") == 0
    assert page.title() == f"backbone tells: {doc['input']['file']} — 3 on, ALARM"
    assert page.inner_text("[data-card=alarm] .val") == "ALARM"
    assert page.inner_text("[data-card=on_count] .val") == str(doc["on_count"]) == "3"
    for t in doc["tells"]:
        row = page.locator(f"#tells tr[data-tell={t['name']}]")
        assert row.get_attribute("data-on") == ("true" if t["on"] else "false")
        assert t["why"] in row.inner_text()
    # each trend tell: a point per period (per release for evals) and its Theil–Sen line
    expected = {"satisfaction_vs_task": 26 + 26, "ticket_shift": 26, "eval_divergence": 52}
    for name, points in expected.items():
        block = page.locator(f"#tells-series div.tell[data-tell={name}]")
        assert block.locator("svg[data-chart=series] circle.point").count() == points, name
        lines = block.locator("svg[data-chart=series] line.theil-sen").count()
        assert lines == (2 if name == "satisfaction_vs_task" else 1), name
    churn = page.locator("#tells-series div.tell[data-tell=power_user_churn]")
    curves = churn.locator("svg[data-chart=activity] g.series")
    assert curves.count() == 2
    assert [curves.nth(i).get_attribute("data-series") for i in range(2)] == ["power", "casual"]
    assert_charts_fit(page)
    shot = tmp_path / "tells.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_churn_curves_say_which_period_is_where(report: Path, browser: Any) -> None:
    """The power-user churn chart drew its x axis with a title ('periods since first event')
    and no number on it: how many periods the curves span, or when power users were gone,
    could not be read. The axis now carries period numbers from 0 to the last, under their
    place on the curves, inside the chart."""
    doc = json.loads((report / "tells.json").read_text())
    churn = next(t for t in doc["tells"] if t["name"] == "power_user_churn")
    s = churn["series"]
    last = max(int(p["period"]) for curve in (s["power"], s["casual"]) for p in curve)
    page, _, errors = open_page(browser, report / "report.html")
    assert errors == []
    chart = page.locator(
        "#tells-series div.tell[data-tell=power_user_churn] svg[data-chart=activity]"
    )
    ticks = [int(t) for t in chart.locator("text.tick").all_text_contents()]
    assert ticks[0] == 0 and ticks[-1] == last and len(ticks) >= 3 and ticks == sorted(ticks)
    xs = [
        b["x"]
        for b in (chart.locator("text.tick").nth(i).bounding_box() for i in range(len(ticks)))
        if b
    ]
    assert xs == sorted(xs) and len(set(xs)) == len(xs)
    assert_charts_fit(page)
    page.close()


def test_each_slope_and_its_interval_are_written_by_one_rule(report: Path, browser: Any) -> None:
    """The trend tables wrote a slope to four significant digits and its interval to three,
    each on its own, with exponents and no unit: 'metric accuracy  -2.131e-05  -0.000333 –
    0.00026', and the thumbs-up rate's '+0.01239' beside '0.0103 – 0.0138' (a share per
    week). A slope and its interval now share their decimals and signs, with no exponent; a
    share's slope is in percentage points; the header says what a slope is per."""
    doc = json.loads((report / "tells.json").read_text())
    page, _, errors = open_page(browser, report / "report.html")
    assert errors == []
    checked = 0
    for t in doc["tells"]:
        block = page.locator(f"#tells-series div.tell[data-tell={t['name']}] table.trends")
        if not block.count():
            continue
        step = "release" if t["name"] == "eval_divergence" else doc["period"]
        assert f"Theil–Sen slope (per {step})" in block.locator("tr").first.inner_text()
        for i in range(1, block.locator("tr").count()):
            cells = block.locator("tr").nth(i).locator("td").all_inner_texts()
            label, slope, ci = cells[0], cells[1], cells[2]
            lo, hi = ci.split(" – ")
            assert "e-" not in slope + ci and "e+" not in slope + ci, cells
            decimals = {
                len(x.split(".")[1].split(" ")[0]) if "." in x else 0 for x in (slope, lo, hi)
            }
            assert len(decimals) == 1, cells
            assert all(x[0] in "+-" for x in (slope, lo, hi)), cells
            rate = label in ("satisfaction", "share")
            assert all(x.endswith(" pp") == rate for x in (slope, lo, hi)), cells
            checked += 1
    sat = next(t for t in doc["tells"] if t["name"] == "satisfaction_vs_task")
    row = page.locator(
        "#tells-series div.tell[data-tell=satisfaction_vs_task] table.trends tr"
    ).nth(1)
    slope = sat["evidence"]["satisfaction"]["slope"]
    assert row.locator("td").nth(1).inner_text() == f"{100 * slope:+.2f} pp"
    assert checked >= 8
    page.close()


def test_no_alarm_says_when_the_alarm_could_not_sound(tmp_path: Path) -> None:
    """With the feedback log alone, only one tell (power-user churn) can be measured, and
    the alarm needs three on: the card read 'no alarm', the same as a log whose four tells
    were measured and found quiet, though here the one measurable tell was on. The card now
    says the alarm cannot sound, with how many tells could be measured."""
    runner = CliRunner()
    synth = ["synth", "tells", "--out", str(tmp_path), "--on", "power_user_churn", "--seed", "1"]
    assert runner.invoke(app, synth).exit_code == 0
    r = runner.invoke(
        app, ["tells", str(tmp_path / "feedback.jsonl"), "--out", str(tmp_path / "o")]
    )
    assert r.exit_code == 0, r.output
    doc = json.loads((tmp_path / "o" / "tells.json").read_text())
    available = [t for t in doc["tells"] if t["available"]]
    assert not doc["alarm"] and len(available) == 1
    page = (tmp_path / "o" / "report.html").read_text(encoding="utf-8")
    card = page[page.index('data-card="alarm"') :]
    card = card[: card.index('data-card="on_count"')]
    assert "no alarm" in card
    assert "cannot sound: 1 of 4 tells could be measured, and the alarm needs 3 on" in card


NICE = (1.0, 2.0, 2.5, 5.0)


def test_series_charts_label_their_y_axis_with_round_values(report: Path, browser: Any) -> None:
    """The series charts cut their y axis in quarters of the data's range, so the labels
    read '55% 66% 77% 88% 99%' (the thumbs-up rate) or '-1.64 -0.885 -0.126 0.633 1.39' (the
    task index): no value a reader can place a point against. The labels are now round
    values, evenly spaced by 1, 2, 2.5 or 5 times a power of ten."""
    import itertools
    import math

    page, _, errors = open_page(browser, report / "report.html")
    assert errors == []
    charts = page.locator("svg[data-chart=series]")
    assert charts.count() >= 4
    for i in range(charts.count()):
        labels = charts.nth(i).locator("g.axis text[text-anchor=end]").all_text_contents()
        values = [float(s.rstrip("%")) for s in labels]
        assert len(values) >= 3, labels
        steps = {round(b - a, 9) for a, b in itertools.pairwise(values)}
        assert len(steps) == 1, labels
        step = steps.pop()
        mantissa = step / 10 ** math.floor(math.log10(step))
        assert any(math.isclose(mantissa, m) for m in NICE), labels
        assert all(math.isclose(v / step, round(v / step), abs_tol=1e-6) for v in values), labels
    assert_charts_fit(page)
    page.close()
