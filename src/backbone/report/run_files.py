"""A run's three files: ``results.json``, ``transcripts.jsonl``, ``report.html``.

:func:`run_files` renders them; :func:`write_run` writes them as one set (all or none, see
:mod:`backbone.core.output_dir`), holding the directory while it does.

Example:
    >>> write_run(build_record(result), Path("runs/a"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from backbone.core.gc_pause import paused_gc
from backbone.core.output_dir import OutputDir
from backbone.record import RESULTS, TRANSCRIPTS, RunRecord
from backbone.report.html import render_html

REPORT = "report.html"
RUN_FILES = (TRANSCRIPTS, REPORT, RESULTS)
"""The names of a run's files, as :func:`run_files` writes them."""

__all__ = ["REPORT", "RESULTS", "RUN_FILES", "TRANSCRIPTS", "run_files", "write_run"]


def run_files(record: RunRecord) -> dict[str, str]:
    """The run's files by name, ``results.json`` last (it is renamed into place last, so a
    reader that sees a new ``results.json`` sees the new transcripts and report too)."""
    with paused_gc():  # a large run's pages are many objects (see core.gc_pause)
        return {
            TRANSCRIPTS: record.transcripts_jsonl(),
            REPORT: render_html(record),
            RESULTS: record.results_json(),
        }


def write_run(record: RunRecord, out: Path | OutputDir) -> None:
    """Write the record's files into ``out`` as one set (``out``: a directory, or an
    :class:`OutputDir` the caller already holds)."""
    if isinstance(out, OutputDir):
        out.write_set(run_files(record))
        return
    with OutputDir(out, command="write run files", files=RUN_FILES) as held:
        held.write_set(run_files(record))
