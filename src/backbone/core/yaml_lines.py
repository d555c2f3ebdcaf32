"""YAML with line numbers: every problem in an input file is reported at its line.

Example:
    >>> data, lines = load_yaml_with_lines("a:\n  b: [1, 2]\n", "f.yaml")
    >>> lines[("a", "b", 1)], line_for(("b", 0), lines, ("a",))
    (2, 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import yaml

from backbone.core.errors import InputError

NodePath = tuple[str | int, ...]


def load_yaml_with_lines(text: str, file: str) -> tuple[Any, dict[NodePath, int]]:
    """Parse YAML, returning the data and the 1-based line of every node by its path."""
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError.single(file, line, f"not valid YAML: {exc.problem}") from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, None, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    lines: dict[NodePath, int] = {}

    def walk(n: yaml.Node, path: NodePath) -> None:
        lines[path] = n.start_mark.line + 1
        if isinstance(n, yaml.MappingNode):
            for k, v in n.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else str(k)
                lines[(*path, key)] = k.start_mark.line + 1
                walk(v, (*path, key))
                lines[(*path, key)] = k.start_mark.line + 1
        elif isinstance(n, yaml.SequenceNode):
            for i, item in enumerate(n.value):
                walk(item, (*path, i))

    if node is not None:
        walk(node, ())
    return data, lines


def line_for(
    loc: Iterable[str | int], lines: dict[NodePath, int], base: NodePath = ()
) -> int | None:
    """The line of the deepest node on ``base + loc`` that has one."""
    path: NodePath = (*base, *loc)
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
