"""Writing a run's three files: ``results.json``, ``transcripts.jsonl``, ``report.html``."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from backbone.core.atomic import write_text_atomic
from backbone.report.html import render_html
from backbone.report.results_json import results_document
from backbone.report.transcripts_jsonl import transcript_record
from backbone.runner.result import RunResult

RESULTS = "results.json"
TRANSCRIPTS = "transcripts.jsonl"
REPORT = "report.html"


def write_run(run: RunResult, out: Path) -> dict[str, Any]:
    """Write the run's files into ``out`` (each whole or not at all); return the results
    document."""
    doc = results_document(run)
    records = [transcript_record(r) for r in run.results]
    write_text_atomic(
        out / TRANSCRIPTS, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    )
    write_text_atomic(out / REPORT, render_html(doc, records))
    write_text_atomic(out / RESULTS, json.dumps(doc, indent=2, ensure_ascii=False) + "\n")
    return doc
