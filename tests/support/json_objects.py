"""Objects found anywhere in a JSON document a command wrote."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any


def objects_with(doc: Any, keys: set[str], path: str = "") -> Iterator[tuple[str, dict[str, Any]]]:
    """Every object in ``doc`` holding all of ``keys``, with where it is (``.a.b[2]``).

    >>> list(objects_with({"x": {"value": 1, "ci": [0, 1]}, "y": [{"value": 2}]}, {"value", "ci"}))
    [('.x', {'value': 1, 'ci': [0, 1]})]
    """
    if isinstance(doc, dict):
        if keys <= set(doc):
            yield path, doc
        for k, v in doc.items():
            yield from objects_with(v, keys, f"{path}.{k}")
    elif isinstance(doc, list):
        for i, v in enumerate(doc):
            yield from objects_with(v, keys, f"{path}[{i}]")
