"""The probe's ``report.html``: one self-contained page for any probe kind, from its
``probe.json`` document.

Generic sections, which work for every kind: each arm's rates drawn with their intervals, the
figures table (value, interval, n, p-value, test), the items table, the notes and the plays
(with links to each play's own run report under ``runs/``). A kind adds its own sections by
registering more on the page ``probe`` (``when`` reading ``v.kind``), as the persuasion
survival curves below do.

Example:
    >>> html = render_probe_html(probe_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from backbone.core.formatting import pct, pp
from backbone.record.base import RateRecord
from backbone.report.page import render_page
from backbone.report.probe_json import figure_rows, is_figure
from backbone.report.sections import Section, register

PAGE = "probe"
MAX_ROWS = 2000  # items listed in the page (probe.json has them all)


@dataclass
class ProbeView:
    """What the probe page's sections show: the ``probe.json`` document and helpers."""

    doc: dict[str, Any]
    max_rows: int = MAX_ROWS

    @property
    def kind(self) -> str:
        return str(self.doc["kind"])

    def rate_names(self) -> list[str]:
        """The names of the rates the arms report, in first-seen order."""
        names: dict[str, None] = {}
        for rates in self.doc["arms"].values():
            names.update(dict.fromkeys(rates))
        return list(names)

    def arm_bars(self, name: str = "cave_rate") -> list[tuple[str, RateRecord]]:
        """Each arm's ``name`` rate with its interval."""
        return [
            (arm, RateRecord.model_validate(rates[name]))
            for arm, rates in self.doc["arms"].items()
            if name in rates
        ]

    def arms_design(self) -> str:
        """What the arms are, for the kind: matched ladders that differ in the pushback
        (authority, persuasion), the same question with a different cue (cues), bands of
        items by confidence (confidence: each item in one arm), or one play of the yield
        twins (bombing)."""
        played = len(self.doc.get("items") or [])
        n = self.doc["n_items"]
        common = (
            f"rates are over the {f'{n} ' if played > n else ''}items scored in every arm, "
            "with 95% (Wilson) intervals."
        )
        if self.kind == "cues":
            return (
                f"Each arm asks the same {max(played, n)} items and differs only in the cue "
                "the opening carries (none, the user's hint toward a wrong answer, a metadata "
                "line naming it); " + common
            )
        if self.kind == "confidence":
            return (
                "Each arm is a band of confidence in the opening answer: every item falls in "
                "one band, so the arms hold different items (n per arm); rates with 95% "
                "(Wilson) intervals."
            )
        if self.kind == "bombing":
            return (
                f"One play: the yield twins of {max(played, n)} items, where the user is right "
                "and challenges the assistant's error; rates are over replies, intervals count "
                "conversations."
            )
        return (
            f"Each arm plays the same {max(played, n)} items and differs only in the pushback; "
            + common
        )

    def figures(self) -> list[tuple[str, dict[str, Any]]]:
        return list(figure_rows(self.doc))

    def figure_bars(self, names: list[str]) -> list[tuple[str, RateRecord]]:
        """The top-level figures ``names`` that are rates, in that order, as bars."""
        return [
            (name, RateRecord.model_validate(self.doc[name]))
            for name in names
            if is_figure(self.doc.get(name))
        ]

    def item_columns(self) -> list[str]:
        """The items' keys, in first-seen order (``id`` first)."""
        cols: dict[str, None] = {"id": None}
        for item in self.doc["items"][: self.max_rows]:
            cols.update(dict.fromkeys(item))
        return list(cols)

    def show_value(self, fig: dict[str, Any]) -> str:
        return show_value(fig)

    def show_ci(self, fig: dict[str, Any]) -> str:
        return show_ci(fig)

    def show_test(self, fig: dict[str, Any]) -> str:
        return show_test(fig)

    def show_cell(self, value: Any) -> str:
        return show_cell(value)

    def curves(self, figure: str) -> dict[str, dict[str, RateRecord]]:
        """A figure shaped ``{series: {turn: rate}}`` as records for the survival chart."""
        return {
            series: {turn: RateRecord.model_validate(r) for turn, r in curve.items()}
            for series, curve in (self.doc.get(figure) or {}).items()
        }


def show_value(fig: dict[str, Any]) -> str:
    """A figure's value as people read it: turns, a difference in points, or a share. A
    median of turns with no value (fewer than half of the items flipped within the ladder)
    reads "beyond the ladder", as its interval's open end does.

    >>> show_value({"value": None, "ci": [None, None], "n": 8, "flipped": 0, "unit": "turns"})
    'beyond the ladder'
    """
    if fig.get("unit") == "turns" and fig.get("value") is None and fig.get("n"):
        return "beyond the ladder"
    return _fmt(fig, fig.get("value"))


def show_test(fig: dict[str, Any]) -> str:
    """The figure's test, or for a median of turns how many items flipped at all.

    >>> show_test({"value": 3, "ci": [3, 3], "n": 8, "flipped": 8, "unit": "turns"})
    'median turn of the flip; 8 of 8 items flipped within the ladder'
    """
    if "test" in fig:
        return str(fig["test"])
    if fig.get("unit") == "turns" and fig.get("flipped") is not None:
        return (
            f"median turn of the flip; {fig['flipped']} of {fig['n']} items flipped within "
            "the ladder"
        )
    return ""


def show_ci(fig: dict[str, Any]) -> str:
    """The interval; an open end (a median of turns whose band never reaches one half
    within the ladder) reads "beyond the ladder"."""
    low, high = fig["ci"]
    if low is None and high is None:
        return "—"
    top = "beyond the ladder" if high is None else _fmt(fig, high)
    return f"{_fmt(fig, low)} – {top}"


def _fmt(fig: dict[str, Any], x: float | None) -> str:
    if fig.get("unit") == "turns":
        return "—" if x is None else f"{x:g} turn{'' if x == 1 else 's'}"
    if fig.get("unit") == "probability":  # a test whose value is a probability, not a gap
        return "—" if x is None else f"{x:.2f}"
    return pp(x) if "p_value" in fig else pct(x)


def show_cell(value: Any) -> str:
    """An item's value in the items table: a yes/no as ``yes`` or ``no`` (not Python's
    ``True``/``False``), nothing as ``—``.

    >>> show_cell({"scored": False, "variant": 0, "answer": None, "held": True})
    'scored: no, variant: 0, answer: —, held: yes'
    """
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dict):
        return ", ".join(f"{k}: {show_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(show_cell(v) for v in value)
    if value is None:
        return "—"
    if isinstance(value, float):
        return f"{value:.3g}"
    return str(value)


def items_played(doc: dict[str, Any]) -> str:
    """How many items the probe played: ``n_items`` counts those scored in every arm (the
    paired n), and the items left out were played too.

    >>> items_played({"n_items": 0, "items": [{"id": "a"}, {"id": "b"}]})
    '2 items (0 scored in every arm)'
    """
    played, scored = len(doc.get("items") or []), doc["n_items"]
    if played > scored:
        return f"{played} items ({scored} scored in every arm)"
    return f"{scored} items"


def render_probe_html(doc: dict[str, Any]) -> str:
    """The report for a probe, from its ``probe.json`` document."""
    target = (doc.get("target") or {}).get("spec", "?")
    suite = (doc.get("suite") or {}).get("ref", "?")
    items = items_played(doc)
    subtitle = Markup(
        "kind <b>{}</b> · target <b>{}</b> · suite <b>{}</b> · {} · {} · backbone {}"
    ).format(doc["kind"], target, suite, items, doc["created"], doc["backbone_version"])
    return render_page(
        PAGE,
        title=Markup("backbone probe {}: <bdi>{}</bdi>").format(doc["kind"], target),
        subtitle=subtitle,
        view=ProbeView(doc),
    )


def _register() -> None:
    for section in (
        Section("probe-arms", "Rates by arm", "probe_arms.html.j2"),
        Section("probe-figures", "Figures", "probe_figures.html.j2"),
        Section(
            "probe-survival",
            "Survival by tactic",
            "probe_survival.html.j2",
            lambda v: bool(v.doc.get("survival")),
        ),
        Section("probe-items", "Items", "probe_items.html.j2"),
        Section("probe-notes", "Notes", "probe_notes.html.j2", lambda v: bool(v.doc["notes"])),
        Section("probe-runs", "Plays", "probe_runs.html.j2", lambda v: bool(v.doc["runs"])),
    ):
        register(PAGE, section)
    for section in (
        Section("probe-cues", "Following the cue", "probe_cues.html.j2", _kind("cues")),
        Section(
            "probe-confidence",
            "Caving by confidence",
            "probe_confidence.html.j2",
            _kind("confidence"),
        ),
        Section(
            "probe-bombing", "Conceding or escalating", "probe_bombing.html.j2", _kind("bombing")
        ),
    ):
        register(PAGE, section, after="probe-arms")


def _kind(name: str) -> Callable[[ProbeView], bool]:
    return lambda v: v.kind == name


_register()
