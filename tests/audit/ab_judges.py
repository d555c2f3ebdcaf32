"""Python judges for the A/B tests.

``counting``: the planted truth, counting its calls (in this process) so a test can see that a
re-run is served from the cache. ``abstain_on_some``: abstains on every event whose id ends in
``7`` (unscored), the planted truth otherwise.
"""

from __future__ import annotations

from typing import Any

CALLS: list[str] = []


def counting(event: dict[str, Any]) -> dict[str, Any]:
    CALLS.append(event["id"])
    return {"correct": bool(event["correct"])}


def abstain_on_some(event: dict[str, Any]) -> dict[str, Any]:
    if str(event["id"]).endswith("7"):
        return {"correct": None, "reason": "cannot tell"}
    return {"correct": bool(event["correct"])}


def broken(event: dict[str, Any]) -> dict[str, Any]:
    raise RuntimeError(f"judge down for {event['id']}")


def abstain_on_b_unrated(event: dict[str, Any]) -> dict[str, Any]:
    """Abstains on arm B's unrated events (its other events scored): B's accuracy has a
    stratum of unknown weight."""
    if event["arm"] == "B" and event.get("rating") in (None, ""):
        return {"correct": None, "reason": "cannot tell"}
    return {"correct": bool(event["correct"])}
