"""Two runs' transcripts of the scenarios a comparison found changed, paired by id, with the
assistant turn where they first differ (for ``compare.html``).

The changes come in the order a reader needs them: newly caved first, then newly over-held,
newly held and newly yielded. ``diverge_turn`` is the first assistant turn whose verdict
label differs between the runs (failing that, whose text differs); ``None`` when the two
conversations read the same.

Example:
    >>> from backbone.record.transcript import MessageRecord, VerdictRecord
    >>> def conv(label: str) -> TranscriptRecord:
    ...     v = VerdictRecord(label=label, grader="answer_key")
    ...     return TranscriptRecord(id="s", messages=[
    ...         MessageRecord(role="assistant", content="Rome", turn=0, verdict=v)])
    >>> diverge_turn(conv("maintains"), conv("capitulates"))
    0
"""

from __future__ import annotations

from typing import Literal

from backbone.metrics.compare_document import ComparisonDocument
from backbone.record.base import Record
from backbone.record.run import RunRecord
from backbone.record.scenario import ScenarioRecord
from backbone.record.transcript import MessageRecord, TranscriptRecord

Change = Literal["newly_caved", "newly_over_held", "newly_held", "newly_yielded"]
ORDER: tuple[Change, ...] = ("newly_caved", "newly_over_held", "newly_held", "newly_yielded")


class PairedRow(Record):
    """One step of the two conversations, side by side (either side may be missing)."""

    a: MessageRecord | None
    b: MessageRecord | None


class PairedTranscript(Record):
    """One changed scenario: how it ended in each run, and both conversations aligned."""

    id: str
    change: Change
    position: str | None
    a: ScenarioRecord | None
    b: ScenarioRecord | None
    diverge_turn: int | None
    rows: list[PairedRow]


def _assistant_turns(t: TranscriptRecord) -> dict[int, MessageRecord]:
    return {m.turn: m for m in t.messages if m.role == "assistant" and m.turn is not None}


def diverge_turn(a: TranscriptRecord, b: TranscriptRecord) -> int | None:
    """The first assistant turn where the verdicts differ, else where the replies differ."""
    ta, tb = _assistant_turns(a), _assistant_turns(b)
    common = sorted(set(ta) & set(tb))
    for turn in common:
        va, vb = ta[turn].verdict, tb[turn].verdict
        if (va.label if va else None) != (vb.label if vb else None):
            return turn
    for turn in common:
        if ta[turn].content != tb[turn].content:
            return turn
    only = sorted(set(ta) ^ set(tb))
    return only[0] if only else None


def _rows(a: TranscriptRecord | None, b: TranscriptRecord | None) -> list[PairedRow]:
    ma, mb = (a.messages if a else []), (b.messages if b else [])
    return [
        PairedRow(a=ma[i] if i < len(ma) else None, b=mb[i] if i < len(mb) else None)
        for i in range(max(len(ma), len(mb)))
    ]


def pair_changes(
    doc: ComparisonDocument, a: RunRecord, b: RunRecord, *, limit: int = 200
) -> list[PairedTranscript]:
    """The changed scenarios of ``doc`` (overall), newly caved first, at most ``limit``."""
    over = doc.overall.over_disagreement
    ids: dict[Change, list[str]] = {
        "newly_caved": doc.overall.newly_caved,
        "newly_over_held": over.newly_over_held if over else [],
        "newly_held": doc.overall.newly_held,
        "newly_yielded": over.newly_yielded if over else [],
    }
    ta = {t.id: t for t in a.transcripts or []}
    tb = {t.id: t for t in b.transcripts or []}
    sa = {s.id: s for s in a.scenarios}
    sb = {s.id: s for s in b.scenarios}
    out: list[PairedTranscript] = []
    for change in ORDER:
        for i in ids[change]:
            if len(out) >= limit:
                return out
            x, y = ta.get(i), tb.get(i)
            scenario = sb.get(i) or sa.get(i)
            out.append(
                PairedTranscript(
                    id=i,
                    change=change,
                    position=scenario.position if scenario else None,
                    a=sa.get(i),
                    b=sb.get(i),
                    diverge_turn=diverge_turn(x, y) if x and y else None,
                    rows=_rows(x, y),
                )
            )
    return out


def _opening(t: TranscriptRecord) -> list[str]:
    """The scenario's scripted opening user turns (the pressure turns carry a ``turn``)."""
    return [m.content for m in t.messages if m.role == "user" and m.turn is None]


def asked_otherwise(a: RunRecord, b: RunRecord) -> list[str]:
    """The scenario ids both runs played whose opening user turns differ in their
    transcripts: two suites that reuse an id for another question (results.json does not
    hold the question, so the outcomes alone paired them). Empty when either run's
    transcripts are not loaded, or a scenario's transcript is missing or has no opening.

    Example:
        >>> from backbone.record.transcript import MessageRecord
        >>> def run(question: str) -> RunRecord:
        ...     return RunRecord.model_construct(transcripts=[TranscriptRecord(id="s",
        ...         messages=[MessageRecord(role="user", content=question)])])
        >>> asked_otherwise(run("2+2?"), run("2+3?"))
        ['s']
    """
    if a.transcripts is None or b.transcripts is None:
        return []
    first = {t.id: _opening(t) for t in a.transcripts}
    out: list[str] = []
    for t in b.transcripts:
        was, now = first.get(t.id), _opening(t)
        if was and now and was != now:
            out.append(t.id)
    return out
