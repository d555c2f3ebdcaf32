"""The audit's ``report.html``: one self-contained file (no scripts, no external assets) with
the verdict, the unwelcome-but-correct share and its interval drawn against the thresholds,
the 2x2 grid, the sample design, failure modes with examples, and the judged events.

Example:
    >>> html = render_audit_html(audit_document(result))  # doctest: +SKIP
"""

from __future__ import annotations

from typing import Any

import jinja2

from backbone.core.formatting import pct

MAX_ROWS = 2000  # judged events listed in the page (audit.json has them all)

_env = jinja2.Environment(
    loader=jinja2.PackageLoader("backbone.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
)


def render_audit_html(doc: dict[str, Any]) -> str:
    """The report for an audit, from its ``audit.json`` document."""
    return _env.get_template("audit.html.j2").render(doc=doc, pct=pct, max_rows=MAX_ROWS)
