"""Reading a run's output directory back: ``results.json`` as a :class:`RunRecord`, and its
``transcripts.jsonl`` when asked. The one reader that compare, gate, rescore, the reports and
the pytest plugin use.

Anything unreadable raises :class:`InputError` naming the file, the line (broken JSON, a
transcript) or the record (``scenarios[3] (id 'x')``), and what is wrong. A record written
by a newer backbone (a higher ``schema_version``) is refused; unknown keys are kept. A
scenario object no run writes (an outcome its ``expect`` cannot end as, a turn before the
first pressure turn) is refused too: the figures would count it on the wrong side.

Example:
    >>> run = load_run("runs/main", transcripts=True)  # doctest: +SKIP
    >>> run.outcomes[0].outcome, run.transcripts[0].messages[0].role  # doctest: +SKIP
    ('held', 'user')
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone import __version__
from backbone.core.errors import InputError, Problem
from backbone.core.json_text import NotJson, load_json
from backbone.core.outcome import HOLD_SCORED, YIELD_SCORED
from backbone.core.user_file import read_text
from backbone.record.run import SCHEMA_VERSION, RunRecord
from backbone.record.scenario import ScenarioRecord
from backbone.record.transcript import TranscriptRecord

RESULTS = "results.json"
TRANSCRIPTS = "transcripts.jsonl"


def results_path(run_dir: str | Path) -> Path:
    """``RUN/results.json`` (``RUN`` may also name a ``.json`` file itself)."""
    p = Path(run_dir)
    return p / RESULTS if p.is_dir() or not p.name.endswith(".json") else p


_UNION_BRANCHES = frozenset({"Agreement", "str"})  # how pydantic names a union's members


def _where(loc: Sequence[int | str], data: Any) -> str:
    """Where a validation error is in ``data``: ``summary.cave_rate.ci``, or, inside a
    record that has an id, ``scenarios[3] (id 'x'): outcome``."""
    out, sep = "", ""
    for part in loc:
        if isinstance(part, int):
            item = data[part] if isinstance(data, list) and 0 <= part < len(data) else None
            out += f"[{part}]"
            sep = "."
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                out += f" (id {item['id']!r})"
                sep = ": "
            data = item
        elif part not in _UNION_BRANCHES:
            out += (sep if out else "") + part
            sep = "."
            data = data.get(part) if isinstance(data, dict) else None
    return out


def _problems(exc: ValidationError, file: str, line: int | None, data: Any) -> list[Problem]:
    problems = []
    for err in exc.errors():
        where = _where(err["loc"], data)
        msg = str(err["msg"])
        problems.append(Problem(file, line, f"{where}: {msg}" if where else msg))
    return problems


# what a folder holds when another command wrote it, and where its runs are
_OTHER_OUTPUTS = {
    "probe.json": "a probe's folder; each arm's run is in its runs/ARM",
    "monitor.json": "a monitor run, not a suite run",
    "audit.json": "an audit, not a suite run",
    "compare.json": "a comparison, not a run",
}


# what a scenario of each kind can end as (backbone.metrics.outcome.decide_outcome)
_ENDINGS: dict[str, tuple[str, ...]] = {
    "hold": (*HOLD_SCORED, "initially_wrong", "unscored"),
    "yield": (*YIELD_SCORED, "unscored"),
}


def _impossible(s: ScenarioRecord) -> list[str]:
    """What no run writes in a scenario object (a hand edit, or another tool's file): an
    outcome its ``expect`` cannot end as, which the figures would count on the wrong side
    (a hold case 'yielded' raised calibration and left cave_rate alone), or a turn before
    the first pressure turn."""
    out: list[str] = []
    allowed = _ENDINGS[s.expect]
    if s.outcome not in allowed:
        out.append(
            f"outcome {s.outcome!r} is not one a {s.expect} scenario ends as ({', '.join(allowed)})"
        )
    for k, sample in enumerate(s.samples or []):
        if sample not in allowed:
            out.append(f"samples[{k}]: {sample!r} is not one a {s.expect} scenario ends as")
    for name in ("flip_turn", "hedge_turn", "corrected_turn"):
        turn = getattr(s, name)
        if turn is not None and turn < 1:
            out.append(f"{name}: {turn} is not a pressure turn (they count from 1)")
    return out


def _load_results(path: Path) -> RunRecord:
    file = str(path)
    if not path.exists():
        hint = next(
            (
                f" ({name} here: {what})"
                for name, what in _OTHER_OUTPUTS.items()
                if (path.parent / name).is_file()
            ),
            "",
        )
        raise InputError.single(
            file,
            None,
            f"no results.json here: give a run's output directory (backbone run --out){hint}",
        )
    try:
        doc = load_json(read_text(path))
    except NotJson as exc:
        raise InputError.single(file, exc.line, f"not valid JSON: {exc}") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("scenarios"), list):
        raise InputError.single(file, 1, "not a backbone results.json: no 'scenarios' list")
    version = doc.get("schema_version")
    if "schema_version" in doc and (
        isinstance(version, bool) or not isinstance(version, int) or version < 1
    ):  # "2" or 2.0 would pass pydantic as 2: a version is read only as written
        raise InputError.single(
            file, None, f"schema_version must be a whole number from 1, not {version!r}"
        )
    if isinstance(version, int) and version > SCHEMA_VERSION:
        raise InputError.single(
            file,
            None,
            f"schema_version {version} is newer than this backbone ({__version__}) reads "
            f"(up to {SCHEMA_VERSION}): upgrade backbone to read this run",
        )
    try:
        record = RunRecord.model_validate(doc)
    except ValidationError as exc:
        raise InputError(_problems(exc, file, None, doc)) from None
    seen: set[str] = set()
    problems = []
    for i, s in enumerate(record.scenarios):
        if s.id in seen:
            problems.append(
                Problem(file, None, f"scenarios[{i}] (id {s.id!r}): duplicate scenario id")
            )
        seen.add(s.id)
        problems += [
            Problem(file, None, f"scenarios[{i}] (id {s.id!r}): {why}") for why in _impossible(s)
        ]
    if problems:
        raise InputError(problems)
    return record


def _unnumbered_replies(rec: TranscriptRecord) -> list[str]:
    """The assistant messages no run writes: one with no ``turn`` that is not part of the
    scenario's planted opening (planted, before the first numbered turn). Added by hand, it
    was silently left out of every grade (rescore, compare, the report)."""
    out: list[str] = []
    conversations = [("messages", rec.messages)] + [
        (f"samples[{j}].messages", x.messages) for j, x in enumerate(rec.samples or [])
    ]
    for where, messages in conversations:
        numbered = False
        for k, m in enumerate(messages):
            if m.turn is not None:
                numbered = True
            elif m.role == "assistant" and (numbered or not m.planted):
                out.append(
                    f"{where}[{k}]: an assistant message with no 'turn': every reply a run "
                    "graded carries its turn (0 the opening answer, k pressure turn k), so this "
                    "one would be left out of every grade; remove it, or give it its turn"
                )
    return out


def load_transcripts(path: Path) -> list[TranscriptRecord]:
    """Every record of a ``transcripts.jsonl`` file, each knowing its line."""
    file = str(path)
    if not path.exists():
        raise InputError.single(file, None, "no such file")
    problems: list[Problem] = []
    records: list[TranscriptRecord] = []
    first: dict[str, int] = {}  # a scenario's one transcript: id -> its line
    # split on newlines only: str.splitlines() also cuts at U+2028, U+0085, \x1c..\x1e, which
    # a reply may hold and json.dumps(ensure_ascii=False) writes as they are
    for i, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        try:
            data = load_json(line)
        except NotJson as exc:
            problems.append(Problem(file, i, f"not valid JSON: {exc}"))
            continue
        if not isinstance(data, dict):
            problems.append(Problem(file, i, "a transcript must be a JSON object"))
            continue
        try:
            rec = TranscriptRecord.model_validate(data)
        except ValidationError as exc:
            name = data.get("id")
            for p in _problems(exc, file, i, data):
                label = f"transcript {name!r}: " if isinstance(name, str) else ""
                problems.append(Problem(file, i, label + p.message))
            continue
        misnumbered = [
            f"samples[{j}]: sample {x.sample} where {j + 1} was expected (samples 1..K-1 in order)"
            for j, x in enumerate(rec.samples or [])
            if x.sample != j + 1
        ]
        misnumbered += _unnumbered_replies(rec)
        if misnumbered:
            problems += [Problem(file, i, f"transcript {rec.id!r}: {why}") for why in misnumbered]
            continue
        if rec.id in first:  # a run writes one line a scenario (every sample of it)
            problems.append(
                Problem(
                    file, i, f"duplicate transcript id {rec.id!r} (first at line {first[rec.id]})"
                )
            )
            continue
        first[rec.id] = i
        rec._line = i
        records.append(rec)
    if problems:
        raise InputError(problems)
    return records


def load_run(run_dir: str | Path, *, transcripts: bool = False) -> RunRecord:
    """Read ``RUN/results.json`` (``RUN`` may also be that file), and with ``transcripts``
    the run's ``transcripts.jsonl`` too (then ``RUN`` must be the directory)."""
    base = Path(run_dir)
    if transcripts and not base.is_dir():
        what = "not a run directory" + ("" if base.exists() else " (no such directory)")
        raise InputError.single(str(base), None, what)
    if not base.exists():
        raise InputError.single(str(base), None, "no such run directory")
    record = _load_results(results_path(base))
    if transcripts:
        record.transcripts = load_transcripts(base / TRANSCRIPTS)
        _check_samples(record, base / TRANSCRIPTS)
    return record


def _check_samples(record: RunRecord, path: Path) -> None:
    """A run with ``--samples K`` writes every scenario's K - 1 other conversations (a run
    written before it did writes none): a line holding another number of them, or a run where
    some lines hold them and others do not, is a damaged or hand-made file."""
    lines = record.transcripts or []
    if not any(t.samples for t in lines):
        return  # one conversation a scenario: a one-sample run, or one written before
    want = record.samples - 1
    problems = [
        Problem(
            str(path),
            t.line,
            f"transcript {t.id!r}: {len(t.samples or [])} other samples' conversations where "
            f"the run, played with --samples {record.samples} ({RESULTS}), keeps {want}",
        )
        for t in lines
        if len(t.samples or []) != want
    ]
    if problems:
        raise InputError(problems)
