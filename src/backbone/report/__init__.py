"""Reports: render a run record, a comparison or a gate report (JSON, HTML, Markdown, JUnit,
terminal). Renders; calls nothing.

``render_html`` and ``write_run`` are imported on first use, so that a command needing only
:mod:`backbone.report.escape` (every command prints through it) does not import the run
record and numpy at start.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from backbone.report.html import render_html
    from backbone.report.run_files import write_run

__all__ = ["render_html", "write_run"]


def __getattr__(name: str) -> Any:
    if name == "render_html":
        from backbone.report.html import render_html

        return render_html
    if name == "write_run":
        from backbone.report.run_files import write_run

        return write_run
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
