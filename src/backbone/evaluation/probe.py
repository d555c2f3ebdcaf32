"""``probe()``: run one probe kind (why does it cave?) against a target.

The kind (:mod:`backbone.probes`) derives matched suites from the user's suite and reads
figures out of the runs; this module gives it its :class:`~backbone.probes.base.Play`: each
play is one call of :func:`backbone.evaluation.evaluate.evaluate` (the one runner) with this
probe's target, judges, response cache, retries and concurrency, so a rerun is served from the
cache; an item whose opening answer is already wrong gets no ladder (it is left out of every
figure). With ``out`` it writes ``probe.json`` and ``report.html`` there, and each play's run
files (``results.json``, ``transcripts.jsonl``, ``report.html``) under ``runs/LABEL/``, all at
the end: a probe that fails leaves nothing half written. An ``out`` that an earlier probe wrote
(another kind, or other arms) keeps only this probe's plays under ``runs/``: once the new set is
in place, the run files of each play the earlier ``probe.json`` lists and this probe did not
play are removed (a file a user put in such a folder stays, and so does the folder holding it).

Example:
    >>> from backbone.evaluation.probe import probe
    >>> def tutor(messages):                  # never caves
    ...     return "Tokyo is the capital of Japan."
    >>> suite = "builtin:golden"
    >>> result = probe("authority", suite, tutor, cache=False)  # doctest: +SKIP
    >>> result.figures["authority_gap"]["value"]  # doctest: +SKIP
    0.0
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Mapping, Sequence
from contextlib import nullcontext
from dataclasses import replace
from pathlib import Path
from typing import Any

from backbone.core.atomic import check_writable
from backbone.core.errors import InputError
from backbone.core.json_text import NotJson, load_json
from backbone.core.output_dir import OutputDir
from backbone.evaluation import arguments
from backbone.evaluation.evaluate import evaluate, interrupted_keeps
from backbone.evaluation.registry import BUILTIN_GRADERS
from backbone.evaluation.resolve import TargetLike
from backbone.evaluation.stores import kept_in
from backbone.probes.base import ProbeResult
from backbone.probes.common import SUITE
from backbone.probes.registry import probe_kind
from backbone.record import RunRecord
from backbone.report.probe_html import render_probe_html
from backbone.report.probe_json import PROBE_JSON, REPORT, probe_document, render_probe_json
from backbone.report.run_files import RUN_FILES, run_files
from backbone.runner.result import ScenarioResult
from backbone.scenarios.models import Suite
from backbone.spec.validate import load_playable

RUNS = "runs"


def probe(
    kind: str,
    suite: str | Path | Suite = "builtin:golden",
    target: TargetLike = "local",
    *,
    out: str | Path | None = None,
    options: Mapping[str, Any] | None = None,
    judges: Sequence[str] = (),
    concurrency: int | None = None,
    cache: bool = True,
    retries: int = 5,
    timeout: float | None = None,
    base_url: str | None = None,
    max_tokens: int | None = None,
    on_note: Callable[[str], None] | None = None,
    on_result: Callable[[ScenarioResult], None] | None = None,
) -> ProbeResult:
    """Run probe ``kind`` (``authority``, ``persuasion``, ...) on ``suite`` against ``target``
    and return its figures (what ``probe.json`` holds).

    ``options``: the kind's knobs (e.g. ``{"turns": 2}``); an unknown one is an
    :class:`~backbone.core.errors.InputError`, as are an unknown kind, a bad suite and a suite
    with nothing the kind can probe. The call options (``judges``, ``concurrency``, ``cache``,
    ``retries``, ``timeout``, ``base_url``, ``max_tokens``) are those of
    :func:`~backbone.evaluation.evaluate.evaluate` and apply to every play. ``on_note(text)``
    hears what a person watching should know (each play as it starts, model loading);
    ``on_result`` is called after each scenario played.
    """
    if not isinstance(suite, Suite):  # else suite=None was an AttributeError in the loader
        arguments.path("suite", suite, also="'builtin:NAME' or a Suite")
    arguments.folder("out", out)  # out="" wrote probe.json and runs/ into the working folder
    # options="turns=2" (as on the command line) was a ValueError from dict() naming no option
    arguments.instance("options", options, (Mapping,), "a mapping such as {'turns': 2}")
    the_kind = probe_kind(kind)
    the_suite, suite_ref = (
        (suite, suite.name) if isinstance(suite, Suite) else (load_playable(suite), str(suite))
    )
    out_dir = Path(out) if out is not None else None
    records: dict[str, RunRecord] = {}
    unjudged: list[str] = []  # plays whose verdicts the kind never reads: no judge asked

    def play(
        suite: Suite,
        *,
        label: str,
        samples: int = 1,
        temperature: float | None = None,
        judged: bool = True,
    ) -> RunRecord:
        if label in records or not label or "/" in label:
            raise ValueError(f"probe {kind}: play label {label!r} is empty, repeated or a path")
        if on_note is not None:
            n = len(suite.scenarios)
            on_note(f"{kind} · {label}: {n} scenario{'s' if n != 1 else ''}")
        if not judged:
            unjudged.append(label)
        record = evaluate(
            suite,
            target,
            judges=judges if judged else (),
            concurrency=concurrency,
            cache=cache,
            samples=samples,
            retries=retries,
            timeout=timeout,
            base_url=base_url,
            max_tokens=max_tokens,
            temperature=0.0 if temperature is None else temperature,
            # an item whose opening is wrong is left out of every figure: no ladder for it
            wrong_openings="stop",
            options={"probe": kind, "arm": label, "probe_suite": suite_ref},
            on_result=on_result,
            on_note=on_note,
        )
        records[label] = record
        return record

    probe_dir = (
        OutputDir(out_dir, command=f"probe {kind}", files=(REPORT, PROBE_JSON)) if out_dir else None
    )
    # a Ctrl-C while the files are written says what was kept, as one during a play does
    with (
        interrupted_keeps(kept_in(cache=cache, out=None)),  # the plays keep no journal
        probe_dir if probe_dir is not None else nullcontext() as held,
    ):
        earlier: set[str] = set()
        if out_dir is not None:
            # runs/ a file: every play was made, then the writing failed (checked first)
            check_writable(out_dir / RUNS, directory=True)
            earlier = _earlier_plays(out_dir)
        try:
            check = getattr(the_kind, "check", None)
            if callable(check):  # before any play: a suite the plays could grade none of
                # a built-in grader (answer-key, exemplar...) reads no opening a key does not
                check(the_suite, judged=any(str(j).strip() not in BUILTIN_GRADERS for j in judges))
            result = the_kind.run(the_suite, play, dict(options or {}))
        except InputError as exc:  # the suite has nothing to probe: name the suite's file
            raise InputError(
                [replace(p, file=suite_ref) if p.file == SUITE else p for p in exc.problems]
            ) from None
        first = next(iter(records.values()), None)
        if unjudged and any(str(j).strip() not in BUILTIN_GRADERS for j in judges):
            # say why the judge shows no call in those plays
            result.notes.append(
                f"the judge was not asked in {', '.join(unjudged)}: probe {kind} reads those "
                "replies against the answer key, not a judge's verdict"
            )
        result = result.model_copy(
            update={
                "target": (first.target.model_dump(mode="json") if first is not None else None),
                "suite": {
                    "name": the_suite.name,
                    "ref": suite_ref,
                    "scenarios": len(the_suite.scenarios),
                },
                "runs": {
                    label: {
                        "dir": f"{RUNS}/{label}",
                        "scenarios": len(r.scenarios),
                        "samples": r.samples,
                        "calls": r.stats.calls,
                        "cached_calls": r.stats.cached_calls,
                        "unscored": r.summary.counts.get("unscored", 0),
                        "unscored_reasons": dict(r.summary.unscored_reasons),
                    }
                    for label, r in records.items()
                },
            }
        )
        if held is not None:  # every run's files and the probe's own: one set, all or none
            files = {
                f"{RUNS}/{label}/{name}": text
                for label, record in records.items()
                for name, text in run_files(record).items()
            }
            doc = probe_document(result)
            held.write_set(
                files | {REPORT: render_probe_html(doc), PROBE_JSON: render_probe_json(doc)}
            )
            for label in sorted(earlier - records.keys()):
                gone = _remove_play(held.path / RUNS / label)
                if on_note is not None:
                    on_note(
                        f"removed {RUNS}/{label}/, a play of the probe written there before"
                        if gone
                        else f"{RUNS}/{label}/ (a play of the probe written there before) holds "
                        "other files: its run files are removed, the folder is left"
                    )
    return result


def _earlier_plays(out_dir: Path) -> set[str]:
    """The labels of the plays the ``probe.json`` already in ``out_dir`` lists (its
    ``runs``, each written to ``runs/LABEL``); none when there is no such file or it cannot be
    read as one: a folder this probe cannot tell was a probe's is left alone."""
    try:
        doc = load_json((out_dir / PROBE_JSON).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, NotJson):
        return set()
    runs = doc.get("runs") if isinstance(doc, dict) else None
    if not isinstance(runs, dict):
        return set()
    return {
        label
        for label, stats in runs.items()
        if label not in ("", ".", "..")
        and "/" not in label
        and "\\" not in label
        and isinstance(stats, dict)
        and stats.get("dir") == f"{RUNS}/{label}"
    }


def _remove_play(folder: Path) -> bool:
    """Remove the run files a play wrote in ``folder``, then the folder when that leaves it
    empty (any other file in it is the user's, and stays); whether the folder is gone."""
    if folder.is_symlink() or not folder.is_dir():
        return not folder.exists()
    for name in RUN_FILES:
        with contextlib.suppress(OSError):  # absent, a folder, not ours to remove
            (folder / name).unlink()
    with contextlib.suppress(OSError):
        folder.rmdir()  # only when empty
    return not folder.exists()
