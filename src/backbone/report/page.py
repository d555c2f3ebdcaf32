"""One self-contained HTML page: the shared frame (style, menu, sections from the registry)
and, where a page needs it, the one small inline script (the transcript browser's filters).

Nothing on the page is fetched: no CDN, no font, no image. A Content-Security-Policy in the
page itself says so to the browser (``default-src 'none'``), and allows exactly one script,
ours, by its SHA-256; a reply that smuggled markup past the escaping still could not run.
Every value reaches the page through Jinja's autoescaping or :mod:`backbone.report.charts`,
which escapes its labels.

Example:
    >>> html = render_page("audit", title="t", subtitle="s", view=None)  # doctest: +SKIP
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from typing import Any

import jinja2
from markupsafe import Markup

from backbone.core.formatting import money, pct, pp, pval
from backbone.metrics.rates import wilson
from backbone.report import charts
from backbone.report.escape import bdi
from backbone.report.sections import sections

env = jinja2.Environment(
    loader=jinja2.PackageLoader("backbone.report", "templates"),
    autoescape=jinja2.select_autoescape(["html", "j2"]),
    undefined=jinja2.StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
)
env.globals.update(pct=pct, pp=pp, pval=pval, money=money, charts=charts, wilson=wilson, bdi=bdi)

SCRIPT = files("backbone.report").joinpath("templates/browser.js").read_text(encoding="utf-8")


def _sha256(text: str) -> str:
    return base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


def csp(script: bool) -> str:
    """The page's Content-Security-Policy: nothing from anywhere; inline style; our one
    script (by hash) when the page has it."""
    scripts = f"'sha256-{_sha256(SCRIPT)}'" if script else "'none'"
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src {scripts}; form-action 'none'; base-uri 'none'"
    )


def render_page(
    page: str, *, title: Markup | str, subtitle: Markup | str, view: Any, script: bool = False
) -> str:
    """The whole HTML document of ``page`` for ``view``.

    ``title`` heads the page; as Markup it wraps each name from the user's data in
    ``<bdi>`` (right-to-left letters or an override left open in a suite name or an arm
    reorder that name alone, not the words after it), and the window's ``<title>``, which
    holds text only, has its tags stripped.

    A NUL character (a reply or a logged prompt may hold one) is written as U+FFFD, the
    replacement character: raw in the file it makes tools read the page as binary data
    (``file``, ``grep``, ``git diff``), and a browser drops it from text unseen.
    """
    html = env.get_template("page.html.j2").render(
        page=page,
        title=title,
        title_text=title.striptags() if isinstance(title, Markup) else title,
        subtitle=subtitle,
        v=view,
        sections=sections(page, view),
        csp=csp(script),
        script=Markup(SCRIPT) if script else None,
    )
    return html.replace("\x00", "\ufffd")
