"""The run's ``report.html``: one self-contained page with the headline figures and their
intervals (the unscored count up front), survival curves per ladder, cave rate by turn,
tactic, position and domain with interval bars, the calibration view, the graders and their
measured agreement, and a transcript browser that filters by outcome, position, tactic,
domain and grader, shows each assistant turn's verdict beside it and marks the turn where the
position fell. With ``--samples K`` each conversation shows every sample's (sample 0 first,
the others each in its own fold, opened where it caved or over-held in a small run), its
summary lists the K outcomes, and a filter finds the scenarios by the outcome of any sample.

The view below only arranges what the record holds (it joins each transcript to its
scenario by id and pairs each position's two rates); every figure comes from the record.

Example:
    >>> html = render_html(load_run("runs/a", transcripts=True))  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import gzip
import json
from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup

from backbone.record import RunRecord, ScenarioRecord, TranscriptRecord
from backbone.record.base import RateRecord, Rates
from backbone.report import repeats_html, review_html  # noqa: F401  (register their sections)
from backbone.report.charts import CalibrationPoint
from backbone.report.cut_replies import cut_replies_note
from backbone.report.judge_hint import judge_hint
from backbone.report.page import env, render_page
from backbone.report.resumed import resumed_note
from backbone.report.role_failures import RoleFailure, role_failures

HEADLINE = [
    ("cave_rate", "Cave rate (hold cases)"),
    ("hedge_rate", "Hedge rate (hold cases)"),
    ("over_disagreement_rate", "Over-disagreement rate (yield cases)"),
    ("calibration", "Calibration (held + yielded)"),
    ("initial_accuracy", "Initial accuracy (hold cases)"),
    ("corrected_rate", "Corrected under pressure (initially wrong)"),
]
BREAKDOWNS = [
    ("Cave rate by pressure turn (of those still holding)", "by_turn"),
    ("Cave rate by tactic (of those still holding)", "by_tactic"),
    ("Cave rate by position", "by_position"),
    ("Cave rate by domain", "by_domain"),
    ("Over-disagreement by position", "over_disagreement_by_position"),
]
FILTERS = [
    ("outcome", "outcome"),
    ("position", "position"),
    ("tactic", "tactic (where it fell, else any on its ladder)"),
    ("domain", "domain"),
    ("grader", "grader"),
    ("sampled", "outcome in any sample"),  # --samples K runs only
]
ONLY_WITH_VALUES = frozenset({"sampled"})  # filters left out when no conversation has one
OPEN_UP_TO = 60  # runs this small open their caved and over-held conversations
INLINE_LIMIT = 1_500_000  # conversations' HTML above this many characters is packed (gzip)


@dataclass(frozen=True)
class Conversation:
    """A transcript with what the browser filters it by."""

    transcript: TranscriptRecord
    scenario: ScenarioRecord | None
    values: dict[str, list[str]]

    @property
    def id(self) -> str:
        return self.transcript.id


@dataclass(frozen=True)
class Breakdown:
    title: str
    key: str
    rates: Rates
    color: str


@dataclass(frozen=True)
class AdaptivePressure:
    """The adaptive pressure of a run (``options.pressure``): who wrote the user's turns,
    as which persona, how many, its calls and the role breaks."""

    target: str
    persona: str
    turns: int | None
    calls_made: str
    cached_calls: int
    role_breaks: int


def adaptive_pressure(options: dict[str, Any]) -> AdaptivePressure | None:
    """The run's adaptive pressure from its options, or None for a scripted run.

    >>> adaptive_pressure({"pressure": {"target": "python:m:f", "persona": "persistent",
    ...     "turns": 3, "calls": 45, "failed_calls": 2, "cached_calls": 0, "role_breaks": 1}})
    ... # doctest: +NORMALIZE_WHITESPACE
    AdaptivePressure(target='python:m:f', persona='persistent', turns=3,
        calls_made='47 made (2 of them failed)', cached_calls=0, role_breaks=1)
    >>> adaptive_pressure({}) is None
    True
    """
    info = options.get("pressure")
    if not isinstance(info, dict):
        return None
    calls, failed = int(info.get("calls") or 0), int(info.get("failed_calls") or 0)
    made = f"{calls + failed} made ({failed} of them failed)" if failed else f"{calls} made"
    turns = info.get("turns")
    return AdaptivePressure(
        target=str(info.get("target")),
        persona=str(info.get("persona")),
        turns=int(turns) if turns is not None else None,
        calls_made=made,
        cached_calls=int(info.get("cached_calls") or 0),
        role_breaks=int(info.get("role_breaks") or 0),
    )


@dataclass
class RunView:
    """What the run report's sections show."""

    record: RunRecord
    conversations: list[Conversation]
    filters: list[tuple[str, str, list[str]]]
    breakdowns: list[Breakdown]
    survival: dict[str, Rates]
    calibration: list[CalibrationPoint]
    headline: list[tuple[str, str, RateRecord]] = field(default_factory=list)
    open_flagged: bool = False
    bodies: list[Markup] = field(default_factory=list)
    packed: str | None = None
    judge_hint: str | None = None
    cut_note: str | None = None
    role_failures: list[RoleFailure] = field(default_factory=list)
    resumed_note: str = ""  # a run that resumed a killed one: its failed calls not known
    pressure: AdaptivePressure | None = None  # how the adaptive pressure was played


def _as_attribute(value: str) -> str:
    """``value`` as the browser reads it back from an attribute: a carriage return (alone
    or before a newline) as a newline, a NUL as U+FFFD. A filter's ``<option value>`` is read
    so; the conversation's ``data-*`` list, JSON, is not, so both carry this form (a position
    named 'a\\r\\nb' or 'a\\x00b' otherwise matched no conversation, or another one).

    >>> _as_attribute("a\\r\\nb\\rc\\x00")
    'a\\nb\\nc\\ufffd'
    """
    return value.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "\ufffd")


def _values(t: TranscriptRecord, s: ScenarioRecord | None) -> dict[str, list[str]]:
    return {key: [_as_attribute(v) for v in vs] for key, vs in _raw_values(t, s).items()}


def _raw_values(t: TranscriptRecord, s: ScenarioRecord | None) -> dict[str, list[str]]:
    outcome = t.outcome or (s.outcome if s else None)
    tactic = t.flip_tactic or (s.flip_tactic if s else None)
    ladder = list(s.tactics) if s else [m.tactic for m in t.messages if m.tactic]
    return {
        "outcome": [outcome] if outcome else [],
        "position": [p] if (p := t.position or (s.position if s else None)) else [],
        "tactic": [tactic] if tactic else sorted(set(ladder)),
        "domain": [s.domain] if s and s.domain else [],
        "grader": [s.grader] if s and s.grader else [],
        "sampled": sorted(set(s.samples)) if s and s.samples and len(s.samples) > 1 else [],
    }


def pack(bodies: list[Markup]) -> str:
    """The conversations' HTML as base64 of gzipped JSON (the page's script unpacks one when
    it is opened: a large run stays a few MB and shows at once). A NUL character is packed as
    U+FFFD, as :func:`~backbone.report.page.render_page` writes it on the page (the browser
    drops a NUL from text unseen).

    >>> import gzip, base64, json
    >>> json.loads(gzip.decompress(base64.b64decode(pack([Markup("<b>x</b>")]))))
    ['<b>x</b>']
    >>> json.loads(gzip.decompress(base64.b64decode(pack([Markup("nul\\x00")])))) == ["nul\\ufffd"]
    True
    """
    texts = [str(b).replace("\x00", "\ufffd") for b in bodies]
    raw = json.dumps(texts, ensure_ascii=False).encode("utf-8")
    return base64.b64encode(gzip.compress(raw, compresslevel=9, mtime=0)).decode("ascii")


def run_view(record: RunRecord, *, inline_limit: int = INLINE_LIMIT) -> RunView:
    """Arrange a run record for its report: each conversation's HTML inline, or all of them
    packed when they pass ``inline_limit`` characters."""
    scenarios = {s.id: s for s in record.scenarios}
    conversations = [
        Conversation(t, scenarios.get(t.id), _values(t, scenarios.get(t.id)))
        for t in record.transcripts or []
    ]
    filters = [
        (key, label, values)
        for key, label in FILTERS
        if (values := sorted({v for c in conversations for v in c.values[key]}))
        or key not in ONLY_WITH_VALUES
    ]
    summary = record.summary
    colors = {"over_disagreement_by_position": "#2563eb"}
    breakdowns = [
        Breakdown(title, key, getattr(summary, key), colors.get(key, "#c0392b"))
        for title, key in BREAKDOWNS
        if getattr(summary, key)
    ]
    survival = summary.survival_by_tactic or (
        {"all ladders": summary.survival} if summary.survival else {}
    )
    positions = sorted(set(summary.by_position) | set(summary.over_disagreement_by_position))
    calibration = [
        CalibrationPoint(
            p, summary.by_position.get(p), summary.over_disagreement_by_position.get(p)
        )
        for p in positions
    ]
    body = env.get_template("sections/run_conversation.html.j2")
    open_flagged = len(conversations) <= OPEN_UP_TO
    bodies = [Markup(body.render(t=c.transcript, open_samples=open_flagged)) for c in conversations]
    packed = pack(bodies) if sum(len(b) for b in bodies) > inline_limit else None
    return RunView(
        record=record,
        conversations=conversations,
        filters=filters,
        breakdowns=breakdowns,
        survival=survival,
        calibration=calibration,
        headline=[(name, label, getattr(summary, name)) for name, label in HEADLINE],
        open_flagged=open_flagged,
        bodies=[] if packed else bodies,
        packed=packed,
        judge_hint=judge_hint(record),
        cut_note=cut_replies_note(record),
        role_failures=role_failures(record),
        resumed_note=resumed_note(record.options),
        pressure=adaptive_pressure(record.options),
    )


def render_html(record: RunRecord, *, inline_limit: int = INLINE_LIMIT) -> str:
    """The report for a run, from its record (the transcript browser needs its
    transcripts)."""
    view = run_view(record, inline_limit=inline_limit)
    subtitle = Markup(
        "suite <b>{}</b> ({} scenarios) · target <b>{}</b> · {} · backbone {}"
    ).format(
        record.suite.name,
        record.suite.scenarios,
        record.target.spec,
        record.started.isoformat(timespec="seconds"),
        record.backbone_version,
    )
    return render_page(
        "run",
        title=Markup("backbone run: <bdi>{}</bdi> vs <bdi>{}</bdi>").format(
            record.suite.name, record.target.spec
        ),
        subtitle=subtitle,
        view=view,
        script=True,
    )


__all__ = ["BREAKDOWNS", "HEADLINE", "render_html", "run_view"]
