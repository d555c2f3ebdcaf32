"""Python judges for the audit tests: each reads a planted column of the event.

``truth`` judge: ``{"correct": event["truth"]}`` (so the judged share is the planted share);
rows whose ``truth`` is null, a string or missing make it return something a judge must not
(so the audit counts them unscored).
"""

from __future__ import annotations

import asyncio
from typing import Any


def truth(event: dict[str, Any]) -> dict[str, Any]:
    """Correct exactly when the planted ``truth`` column says so."""
    value = event.get("truth")
    out: dict[str, Any] = {"correct": value}
    if event.get("mode"):
        out["failure_mode"] = event["mode"]
    return out


def strict_truth(event: dict[str, Any]) -> Any:
    """Misbehaves on purpose for planted rows: raises, returns a non-dict, or abstains."""
    how = event.get("misbehave")
    if how == "raise":
        raise RuntimeError(f"cannot judge {event['id']}")
    if how == "string":
        return "yes"
    if how == "abstain":
        return {"correct": None, "reason": "no ground truth"}
    return {"correct": bool(event["truth"])}


async def async_truth(event: dict[str, Any]) -> dict[str, Any]:
    await asyncio.sleep(0)
    return {"correct": bool(event["truth"])}


def raises_a_lone_surrogate(event: dict[str, Any]) -> dict[str, Any]:
    """Raises with a message holding a lone surrogate (text cut inside an escaped pair)."""
    raise RuntimeError(f"cannot judge {event['id']}: cut at \ud83d")


def truth_0_1(event: dict[str, Any]) -> dict[str, Any]:
    """:func:`truth` for a table without booleans (SQLite keeps true as 1, false as 0)."""
    return {"correct": bool(event["truth"])}
