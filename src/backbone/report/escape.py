"""Data made inert for each output: the terminal, Markdown, XML.

Scenario ids, position names, target specs, suite names and error reasons come from users'
files and from servers. Written raw they can break the output or take it over: an escape
sequence (``\\x1b]...``) rewrites the user's terminal, ``[red]`` or ``[/]`` is Rich markup
(the latter crashes), a ``|`` splits a Markdown table cell, a backtick ends a code span,
``<!--`` hides the rest of a pull-request comment, raw HTML renders, and a control character
makes JUnit XML unreadable. Every renderer passes such values through one of these. A URL
in what a JSON file records (a ``--base-url`` with ``user:password@``) has its password
masked (:func:`backbone.core.passwords.without_passwords`).

Example:
    >>> terminal("id\\x1b[2J[red]x[/]")
    'id\\\\x1b[2J\\\\[red]x\\\\[/]'
    >>> markdown_code("a|b`c", in_table=True)
    '`` a\\\\|b`c ``'
    >>> markdown_text("<!-- [a](http://x) | cave_rate [position=p]")
    '\\\\<!-- [a]\\\\(http://x) \\\\| cave_rate [position=p]'
    >>> xml_text("bell\\x07")
    'bell\\\\x07'
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from markupsafe import Markup, escape
from rich.markup import escape as rich_escape

from backbone.core.text import clean_text

# C0 and C1 controls, DEL, the line and paragraph separators (a line break to a terminal and
# to JavaScript), and the bidirectional overrides that reorder what is shown
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028-\u202e\u2066-\u2069]")
# what XML 1.0 cannot hold at all (tab, newline and carriage return it can)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
_MD_SPECIAL = re.compile(r"([\\`<|])")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def controls(text: str) -> str:
    """Control characters (newlines included) shown as ``\\xNN`` escapes, and a lone
    surrogate (bytes decoded with ``surrogateescape``) as U+FFFD, so what is printed is text."""
    return _CONTROL.sub(_visible, clean_text(text))


def terminal(text: str) -> str:
    """``text`` for a Rich console: controls made visible, markup escaped."""
    return rich_escape(controls(str(text)))


def markdown_code(text: str, *, in_table: bool = False) -> str:
    """``text`` as an inline code span (its own backticks fenced, controls made visible);
    ``in_table`` escapes ``|``, which GitHub reads as a cell break even inside code."""
    body = controls(str(text))
    if in_table:
        body = body.replace("|", "\\|")
    longest = max((len(run) for run in re.findall(r"`+", body)), default=0)
    fence = "`" * (longest + 1)
    if longest or body.startswith(" ") or body.endswith(" "):
        body = f" {body} "
    return f"{fence}{body}{fence}"


def markdown_text(text: str) -> str:
    """``text`` as Markdown that cannot change the page: ``<`` (HTML, comments, autolinks),
    ``|`` (table cells), backticks (code spans), backslashes (escapes) and ``](`` (links) are
    backslash-escaped, controls made visible; other punctuation is left as written, so
    labels such as ``cave_rate [position=p2]`` read the same raw and rendered."""
    return _MD_SPECIAL.sub(r"\\\1", controls(str(text))).replace("](", "]\\(")


def xml_text(text: str) -> str:
    """``text`` that XML 1.0 can hold: the characters it forbids shown as ``\\xNN``."""
    return _NOT_XML.sub(_visible, text)


_OPENS_ISOLATE = frozenset("\u2066\u2067\u2068")
_CLOSES_ISOLATE = "\u2069"


def isolate(name: str) -> str:
    """``name`` between U+2068 and U+2069 (first-strong isolate, pop directional isolate),
    for a name inside a sentence that holds text only (an SVG tooltip): right-to-left
    letters or an override left open in it (``geo\\u202e``) reorder the name alone, not the
    words after it. A closer in the name with no opener of its own, which would end the
    isolate early, is dropped; an isolate it leaves open is closed. (HTML prose uses
    :func:`bdi`; the terminal and Markdown show bidirectional controls as escapes,
    :func:`controls`.)

    Example:
        >>> isolate("geo\u202e") == "\u2068geo\u202e\u2069"
        True
        >>> isolate("a\u2069\u202eb") == "\u2068a\u202eb\u2069"
        True
    """
    kept: list[str] = []
    depth = 0
    for ch in name:
        if ch in _OPENS_ISOLATE:
            depth += 1
        elif ch == _CLOSES_ISOLATE:
            if not depth:
                continue
            depth -= 1
        kept.append(ch)
    return "\u2068" + "".join(kept) + _CLOSES_ISOLATE * (depth + 1)


def bdi(text: str, names: Iterable[str | None]) -> Markup:
    """``text`` (a sentence built with the names from the user's data) as HTML, escaped,
    with each occurrence of each of ``names`` in ``<bdi>``: an override left open in an arm
    or a domain reorders that name alone, not the words after it (as the page headings
    isolate names). A name that happens to match an ordinary word is isolated too, which
    changes nothing shown.

    Example:
        >>> str(bdi("no event of ctl could be scored", ["ctl", None]))
        'no event of <bdi>ctl</bdi> could be scored'
    """
    wanted = sorted({n for n in names if n}, key=len, reverse=True)
    if not wanted:
        return escape(text)
    out = Markup()
    at = 0
    for m in re.finditer("|".join(map(re.escape, wanted)), text):
        out += escape(text[at : m.start()]) + Markup("<bdi>{}</bdi>").format(m.group())
        at = m.end()
    return out + escape(text[at:])
