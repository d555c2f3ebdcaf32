"""Writing a run's three files: ``results.json``, ``transcripts.jsonl``, ``report.html``.

Example:
    >>> write_run(build_record(result), Path("runs/a"))  # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path

from backbone.core.atomic import write_text_atomic
from backbone.record import RESULTS, TRANSCRIPTS, RunRecord
from backbone.report.html import render_html

REPORT = "report.html"

__all__ = ["REPORT", "RESULTS", "TRANSCRIPTS", "write_run"]


def write_run(record: RunRecord, out: Path) -> None:
    """Write the record's files into ``out``, each whole or not at all."""
    write_text_atomic(out / TRANSCRIPTS, record.transcripts_jsonl())
    write_text_atomic(out / REPORT, render_html(record))
    write_text_atomic(out / RESULTS, record.results_json())
