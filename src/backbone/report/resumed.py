"""A run that resumed a killed one: the calls behind its journaled replies were made by the
killed process, whose failed calls are not known (``stats.failed_calls`` counts this
process's), said beside the count of cached replies in the terminal and the report."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def resumed_note(options: Mapping[str, Any]) -> str:
    """What a run that resumed a killed one (``options["resumed"]``: the replies its journal
    held) adds to its count of cached replies: the killed run made those calls, and its
    failed calls are not known, so ``failed_calls`` counts this process's only.

    >>> resumed_note({"resumed": 8}), resumed_note({})
    (' (8 of them resumed from a killed run, whose failed calls are not known)', '')
    """
    n = options.get("resumed")
    if not isinstance(n, int) or isinstance(n, bool) or n <= 0:
        return ""
    return f" ({n} of them resumed from a killed run, whose failed calls are not known)"
