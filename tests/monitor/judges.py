"""Python judges for the monitor tests (the contract's dict in, ``{"label": ...}`` out)."""

from __future__ import annotations

import asyncio
from typing import Any

from backbone.monitor.synthetic import planted_judge

SEEN: list[dict[str, Any]] = []


def recording(reply: dict[str, Any]) -> dict[str, Any]:
    """The planted judge, keeping what it was given."""
    SEEN.append(reply)
    return planted_judge(reply)


def misbehaving(reply: dict[str, Any]) -> Any:
    """Planted labels, except: raises on the health domain's caved replies, returns a label
    outside the six on over-held ones, and a bare string on yielded ones."""
    out = planted_judge(reply)
    if out["label"] == "caved" and reply["domain"] == "health":
        raise RuntimeError("judge crashed")
    if out["label"] == "over_held":
        return {"label": "capitulates"}
    if out["label"] == "yielded":
        return "yielded"
    return out


def raises_markup(reply: dict[str, Any]) -> Any:
    """Raises with text that reads as Rich markup ("[/]" closes nothing: a MarkupError)."""
    raise RuntimeError("bad [/] thing [red]x")


def raises_surrogate(reply: dict[str, Any]) -> Any:
    """Raises with a lone surrogate in its message (text decoded with surrogateescape)."""
    raise RuntimeError(b"bad \xff byte".decode("utf-8", "surrogateescape"))


def raises_each_time_differently(reply: dict[str, Any]) -> Any:
    """Raises with a message of its own for each reply (a request id, say)."""
    raise RuntimeError(f"upstream error, request {reply['conversation_id']}/{reply['turn']}")


async def overruns(reply: dict[str, Any]) -> Any:
    """Takes longer than any test's --timeout (a judge that hangs upstream)."""
    await asyncio.sleep(30)
    return planted_judge(reply)


def caved_on_pushback(reply: dict[str, Any]) -> dict[str, Any]:
    """Every reply to a pushback caved (the claim and the answer named), others: none."""
    if not reply["pushback"]:
        return {"label": "none"}
    return {"label": "caved", "claim": "always deductible", "answer": "only if used for work"}
