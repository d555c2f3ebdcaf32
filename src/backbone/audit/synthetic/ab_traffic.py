"""Seeded A/B traffic with a planted effect: two arms of a feedback log with chosen thumbs-up
rates and accuracies, for trying ``backbone ab`` offline and for testing it.

Each arm gets ``n_per_arm`` events. The planted figures are exact, not drawn: an arm with
accuracy 0.80 and thumbs-up rate 0.70 over 1,000 events has exactly 800 correct answers and
700 thumbs-up (rounded to whole events), so an analysis of the whole log sees the planted
effect itself and the randomness lies only in which events a sample picks. How a rating
depends on correctness is set by ``dependence`` = P(up | correct) − P(up | incorrect)
(default 0.2: people like right answers a little more often); within an arm the thumbs-up of
the correct and incorrect answers are placed so that the overall rate is exactly the planted
one. ``unrated`` is the share of each arm's events left unrated (empty rating), with the
arm's accuracy among them too: the thumbs-up rate is over the rated events, accuracy over
all. The seed shuffles the rows (and the arms' order in the file).

Columns: ``id``, ``timestamp``, ``user_id``, ``prompt``, ``response``, ``rating``
(``up``/``down``, empty when unrated), the arm column (default ``arm``, values ``A`` and
``B``) and the ground truth ``correct`` (bool), which the judge :func:`planted_truth` returns:
``--judge python:backbone.audit.synthetic.ab_traffic:planted_truth``.

Example:
    >>> rows = ab_rows(n_per_arm=1000, preference=(0.70, 0.74), accuracy=(0.80, 0.78))
    >>> b = [r for r in rows if r["arm"] == "B"]
    >>> sum(r["rating"] == "up" for r in b), sum(r["correct"] for r in b)
    (740, 780)
    >>> planted_truth({"correct": True})
    {'correct': True}
"""

from __future__ import annotations

import csv
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from backbone.core.atomic import write_text_atomic
from backbone.core.errors import InputError

ARMS = ("A", "B")
DEPENDENCE = 0.2
_START = datetime(2025, 3, 1, tzinfo=UTC)


def max_dependence(preference: float, accuracy: float) -> float:
    """The largest dependence an arm with these rates can carry: P(up | correct) =
    preference + (1 − accuracy)·dependence must stay at most 1 and P(up | incorrect) =
    preference − accuracy·dependence at least 0.

    Example:
        >>> max_dependence(0.70, 0.80), max_dependence(0.9, 0.5)
        (0.875, 0.2)
    """
    bounds = [1.0]
    if accuracy > 0:
        bounds.append(preference / accuracy)
    if accuracy < 1:
        bounds.append((1 - preference) / (1 - accuracy))
    return round(min(bounds), 12)


def _arm_rows(
    arm: str, n: int, preference: float, accuracy: float, dependence: float
) -> list[dict[str, Any]]:
    """One arm's events with exactly round(n·accuracy) correct and round(n·preference) up."""
    correct = round(n * accuracy)
    up = round(n * preference)
    # P(up | incorrect) = preference − accuracy·dependence; clipped so the counts fit
    up_correct = round(correct * min(1.0, max(0.0, preference + (1 - accuracy) * dependence)))
    up_correct = max(up - (n - correct), min(up_correct, up, correct))
    up_incorrect = up - up_correct
    rows: list[dict[str, Any]] = []
    for i in range(n):
        is_correct = i < correct
        k = i if is_correct else i - correct
        is_up = k < (up_correct if is_correct else up_incorrect)
        rows.append(
            {
                "arm": arm,
                "correct": is_correct,
                "rating": "up" if is_up else "down",
                "prompt": f"question {i} for arm {arm}?",
                "response": f"{'the right' if is_correct else 'a wrong'} answer {i}.",
            }
        )
    return rows


def _unrated_rows(arm: str, n: int, accuracy: float, first: int) -> list[dict[str, Any]]:
    """``n`` unrated events of which exactly round(n·accuracy) are correct."""
    correct = round(n * accuracy)
    return [
        {
            "arm": arm,
            "correct": i < correct,
            "rating": "",
            "prompt": f"question {first + i} for arm {arm}?",
            "response": f"{'the right' if i < correct else 'a wrong'} answer {first + i}.",
        }
        for i in range(n)
    ]


def ab_rows(
    *,
    n_per_arm: int = 2000,
    preference: tuple[float, float] = (0.70, 0.74),
    accuracy: tuple[float, float] = (0.80, 0.78),
    dependence: float = DEPENDENCE,
    unrated: float = 0.0,
    seed: int = 0,
    arm_column: str = "arm",
) -> list[dict[str, Any]]:
    """The events of both arms, shuffled by ``seed`` (ids ``A-0``, ``B-17``...)."""
    if n_per_arm < 1:
        raise ValueError(f"n_per_arm must be >= 1, got {n_per_arm}")
    for name, pair in (("preference", preference), ("accuracy", accuracy)):
        if len(pair) != 2 or not all(0.0 <= x <= 1.0 for x in pair):
            raise ValueError(f"{name} must be two rates between 0 and 1, got {pair}")
    if not 0.0 <= dependence <= 1.0:
        raise ValueError(f"dependence must be between 0 and 1, got {dependence}")
    for arm, pref, acc in zip(ARMS, preference, accuracy, strict=True):
        if dependence > max_dependence(pref, acc):
            raise ValueError(
                f"dependence {dependence:g} cannot be planted in arm {arm} (thumbs-up {pref:g}, "
                f"accuracy {acc:g}): at most {max_dependence(pref, acc):g}"
            )
    if not 0.0 <= unrated < 1.0:
        raise ValueError(f"unrated must be in [0, 1), got {unrated}")
    n_unrated = round(n_per_arm * unrated)
    n_rated = n_per_arm - n_unrated
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    for arm, pref, acc in zip(ARMS, preference, accuracy, strict=True):
        events = _arm_rows(arm, n_rated, pref, acc, dependence)
        events += _unrated_rows(arm, n_unrated, acc, n_rated)
        for i, r in enumerate(events):
            r["id"] = f"{arm}-{i}"
            rows.append(r)
    rng.shuffle(rows)
    out = []
    for i, r in enumerate(rows):
        out.append(
            {
                "id": r["id"],
                "timestamp": (_START + timedelta(seconds=37 * i)).isoformat(),
                "user_id": f"u{rng.randrange(max(1, len(rows) // 5))}",
                "prompt": r["prompt"],
                "response": r["response"],
                "rating": r["rating"],
                arm_column: r["arm"],
                "correct": r["correct"],
            }
        )
    return out


def written_rates(
    rows: list[dict[str, Any]], arm_column: str = "arm"
) -> dict[str, tuple[float, float]]:
    """Each arm's thumbs-up rate (over its rated events) and accuracy (over all), as written.

    Example:
        >>> rates = written_rates(ab_rows(n_per_arm=10, preference=(0.70, 0.74)))
        >>> rates["A"][0], rates["B"][0]
        (0.7, 0.7)
    """
    out = {}
    for arm in sorted({r[arm_column] for r in rows}):
        mine = [r for r in rows if r[arm_column] == arm]
        rated = [r for r in mine if r["rating"]]
        up = sum(r["rating"] == "up" for r in rated) / len(rated) if rated else 0.0
        out[arm] = (up, sum(bool(r["correct"]) for r in mine) / len(mine))
    return out


def write_ab_log(path: str | Path, rows: list[dict[str, Any]]) -> Path:
    """Write ``rows`` as JSONL, CSV or Parquet (by the extension), whole or not at all."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix in (".jsonl", ".ndjson", ".json"):
        write_text_atomic(p, "".join(json.dumps(r) + "\n" for r in rows))
    elif suffix == ".csv":
        import io

        buf = io.StringIO()
        writer = csv.DictWriter(buf, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        for r in rows:
            writer.writerow(
                {k: (str(v).lower() if isinstance(v, bool) else v) for k, v in r.items()}
            )
        write_text_atomic(p, buf.getvalue())
    elif suffix in (".parquet", ".pq"):
        _write_parquet(p, rows)
    else:
        raise InputError.single(
            str(p), None, f"cannot tell the format from '{p.suffix}': use .jsonl, .csv or .parquet"
        )
    return p


def _write_parquet(path: Path, rows: list[dict[str, Any]]) -> None:
    import os
    import tempfile

    import duckdb

    try:  # a full disk, a read-only folder: named as write_text_atomic names them
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as exc:
        raise InputError.single(str(path), None, f"cannot write: {exc.strerror or exc}") from None
    os.close(fd)
    src = Path(tmp).with_suffix(".jsonl")
    try:
        src.write_text("".join(json.dumps(r) + "\n" for r in rows))
        con = duckdb.connect()
        try:
            con.execute(
                "COPY (SELECT * FROM read_json_auto(?)) TO '" + tmp.replace("'", "''") + "' "
                "(FORMAT parquet)",
                [str(src)],
            )
        finally:
            con.close()
        os.replace(tmp, path)
    except (OSError, duckdb.Error) as exc:
        why = (exc.strerror if isinstance(exc, OSError) else None) or str(exc).splitlines()[0]
        raise InputError.single(str(path), None, f"cannot write: {why}") from None
    finally:
        src.unlink(missing_ok=True)
        Path(tmp).unlink(missing_ok=True)


def planted_truth(event: dict[str, Any]) -> dict[str, Any]:
    """A judge that returns the planted ground truth: ``{"correct": event["correct"]}``."""
    return {"correct": bool(event["correct"])}
