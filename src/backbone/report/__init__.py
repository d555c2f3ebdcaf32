"""Reports: render a run record, a comparison or a gate report (JSON, HTML, Markdown, JUnit,
terminal). Renders; calls nothing."""

from backbone.report.html import render_html
from backbone.report.run_files import write_run

__all__ = ["render_html", "write_run"]
