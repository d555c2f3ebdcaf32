"""Every chart of the reports, drawn with the longest names and figures a report can hold,
keeps each label inside its frame in a real browser: an inline ``<svg>`` cuts off what
overflows it ("70.0% n=200", a position's name losing its end)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from backbone.record.base import RateRecord
from backbone.report import charts, tells_charts
from tests.report.test_reports_browser import assert_charts_fit, browser, open_page

__all__ = ["browser"]  # the module's browser fixture

LONG = "wrong-answer-defended-in-the-medication-dosage-domain"  # clipped to each chart's limit


def rate(value: float, n: int) -> RateRecord:
    return RateRecord(value=value, ci=(max(0.0, value - 0.05), min(1.0, value + 0.05)), n=n)


def delta(value: float, n: int) -> RateRecord:
    return RateRecord(value=value, ci=(value - 0.123, value + 0.123), n=n)


def test_no_chart_cuts_off_a_label(browser: Any, tmp_path: Path) -> None:
    wide = [("wwwwwwwwwwwwwwwwwwwwwwwwwwwwww", rate(1.0, 1_000_000)), (LONG, rate(0.5, 99_999))]
    svgs = [
        charts.interval_bars(wide, width=540),
        charts.interval_bars([("A: A", rate(0.7, 2000)), ("B: B", rate(0.74, 2000))]),
        charts.delta_intervals([(LONG, delta(-0.456, 1_000_000)), ("accuracy", delta(0.1, 9))]),
        charts.survival_chart(
            {LONG: {"1": rate(0.9, 100_000), "2": rate(0.8, 100_000)}, "doubt": {"1": rate(1, 5)}}
        ),
        charts.calibration_chart(
            [
                charts.CalibrationPoint(LONG, rate(0.9, 40), rate(1.0, 40)),
                charts.CalibrationPoint("Mmmmmmmmmmmmmmmmmmmmmmmmmmmm", rate(0.1, 4), None),
            ]
        ),
        charts.share_strip(rate(0.0, 10), ship=0.0, stop=1.0),
        tells_charts.series_chart(
            [f"2026-{m:02d}-29" for m in range(1, 13)], [0.1 * (m % 5) for m in range(12)]
        ),
        tells_charts.series_chart([f"release-{i}.{i}.{i}" for i in range(8)], [1.0] * 8),
    ]
    page_path = tmp_path / "charts.html"
    page_path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>charts</title></head><body>"
        + "".join(f"<div>{svg}</div>" for svg in svgs)
        + "</body></html>",
        encoding="utf-8",
    )
    page, _, errors = open_page(browser, page_path)
    assert errors == []
    assert page.evaluate("document.querySelectorAll('svg.chart').length") == len(svgs)
    assert_charts_fit(page)
    page.close()


def test_a_survival_chart_of_many_ladders_shows_every_legend_line(
    browser: Any, tmp_path: Path
) -> None:
    """A run with many ladders (a harvested suite: each scenario its own) has a curve and a
    legend line for each; the legend ran past the chart's frame, and the lines after the
    16th were cut off. The calibration view's legend (one line a position) the same after
    the 20th."""
    curves = {f"doubt → tactic-{i:02d}": {"1": rate(0.5, 4), "2": rate(0.25, 4)} for i in range(40)}
    positions = [  # the calibration view's legend, one line a position, the same way
        charts.CalibrationPoint(f"position-{i:02d}", rate(0.3, 5), rate(0.2, 5)) for i in range(40)
    ]
    page_path = tmp_path / "survival.html"
    page_path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>survival</title></head><body>"
        f"<div>{charts.survival_chart(curves)}</div>"
        f"<div>{charts.calibration_chart(positions)}</div></body></html>",
        encoding="utf-8",
    )
    page, _, errors = open_page(browser, page_path)
    assert errors == []
    assert page.locator("svg[data-chart=survival] path.curve").count() == len(curves)
    assert page.locator("svg[data-chart=calibration] g.point").count() == len(positions)
    assert_charts_fit(page)
    page.close()


def test_the_default_ladder_is_named_whole_in_the_survival_legend(
    browser: Any, tmp_path: Path
) -> None:
    """The survival chart cut a ladder's name to 30 characters in its legend, so every run
    on the default ladder read 'doubt → insistence → credenti…' beside its curve. A name now
    takes up to three legend lines, broken at its spaces, inside the chart; the next ladder's
    line starts below it."""
    ladder = "doubt → insistence → credentials → fabricated_source"
    curves = {ladder: {"1": rate(0.8, 6), "2": rate(0.5, 6)}, "credentials": {"1": rate(0.6, 3)}}
    page_path = tmp_path / "legend.html"
    page_path.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>legend</title></head><body>"
        f"<div>{charts.survival_chart(curves)}</div></body></html>",
        encoding="utf-8",
    )
    page, _, errors = open_page(browser, page_path)
    assert errors == []
    legends = page.locator("svg[data-chart=survival] g.series > text")
    lines = legends.nth(0).locator("tspan").all_text_contents()[:-1]
    first = " ".join(s.strip("\u2068\u2069") for s in lines)  # each line isolated (bidi)
    assert first == ladder
    a, b = legends.nth(0).bounding_box(), legends.nth(1).bounding_box()
    assert a and b and b["y"] >= a["y"] + a["height"] - 1  # no overlap
    assert_charts_fit(page)
    page.close()
