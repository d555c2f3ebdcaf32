r"""YAML with line numbers: every problem in an input file is reported at its line.

A key given twice in one mapping is refused at its second line (PyYAML keeps the last one
silently). Hostile input is refused with an :class:`InputError` at its line, in bounded time
and memory:
nesting deeper than :data:`MAX_DEPTH` levels (PyYAML's composer recurses once per level), and
aliases that expand the document past :data:`MAX_EXPANSION` times its own size (a "billion
laughs" bomb: nine nested anchors of nine aliases each stand for 387 million nodes). The
expanded size is counted over the node graph, never by expanding it.

Numbers are read as YAML 1.2 reads them, not as YAML 1.1 (PyYAML's) does: ``1:30`` is the
text ``1:30``, not the base-60 number 90, and ``010`` is the text ``010`` (a number field reads
it as 10), not the octal number 8. A number key written ``value: 010`` graded every reply
against 8.

Where PyYAML was built with libyaml (its wheels are), the document is parsed and composed in
C, about ten times faster than in Python (a run reads 1.5 MB of labeled sets for its exemplar
grader): the nesting is checked first on libyaml's event stream, which is flat, so the C
composer never meets a document deeper than :data:`MAX_DEPTH`. Without libyaml, and for any
document libyaml refuses, the pure-Python loader reads it and checks the depth as it composes.

Example:
    >>> data, lines = load_yaml_with_lines("a:\n  b: [1, 2]\n", "f.yaml")
    >>> lines[("a", "b", 1)], line_for(("b", 0), lines, ("a",))
    (2, 2)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import yaml

from backbone.core.errors import InputError, Problem
from backbone.core.text import clean_text

NodePath = tuple[str | int, ...]

MAX_DEPTH = 100
"""Deepest nesting of collections accepted (real suites, specs and configs use under ten)."""
MAX_EXPANSION = 10
"""Aliases may make a document at most this many times its size in nodes..."""
MIN_EXPANSION_BUDGET = 100_000
"""...or this many nodes, whichever is more."""


_YAML12_NUMBERS = {
    # YAML 1.1's int and float patterns without base 60 (1:30) and octal (010)
    "tag:yaml.org,2002:int": re.compile(
        r"^(?:[-+]?0b[0-1_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
    ),
    "tag:yaml.org,2002:float": re.compile(
        r"""^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?
        |\.[0-9][0-9_]*(?:[eE][-+][0-9]+)?
        |[-+]?\.(?:inf|Inf|INF)
        |\.(?:nan|NaN|NAN))$""",
        re.X,
    ),
}


def _yaml12_numbers(loader: type[yaml.SafeLoader] | type[yaml.CSafeLoader]) -> None:
    """Give ``loader`` its own resolvers, with :data:`_YAML12_NUMBERS` for ints and floats."""
    loader.yaml_implicit_resolvers = {
        first: [(tag, _YAML12_NUMBERS.get(tag, regexp)) for tag, regexp in resolvers]
        for first, resolvers in loader.yaml_implicit_resolvers.items()
    }


_TAG_NAMES = {"timestamp": "a date", "int": "a whole number", "float": "a number"}


def _unreadable(node: yaml.Node, exc: Exception) -> yaml.constructor.ConstructorError:
    """The error for a scalar that YAML's resolver typed but cannot be made that type: a
    plain ``2024-02-30`` (a date with no such day), ``0x_``, ``!!int zz``. PyYAML raises a
    bare ``ValueError`` there, which ended a command with a traceback instead of naming the
    file and the line.

    Example:
        >>> node = yaml.ScalarNode("tag:yaml.org,2002:int", "0x_")
        >>> print(_unreadable(node, ValueError("no digits")).problem)
        '0x_' cannot be read as a whole number (no digits): quote it to keep it as text
    """
    kind = str(node.tag).rpartition(":")[2]
    what = _TAG_NAMES.get(kind, f"!!{kind}")
    return yaml.constructor.ConstructorError(
        None,
        None,
        f"{node.value!r} cannot be read as {what} ({exc}): quote it to keep it as text",
        node.start_mark,
    )


class _BoundedLoader(yaml.SafeLoader):
    """PyYAML's safe loader with a limit on nesting depth; every string it reads is
    encodable (a ``"\\ud800"`` escape becomes U+FFFD)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: yaml.Node | None, index: int) -> yaml.Node | None:
        if self._depth >= MAX_DEPTH:
            mark = self.peek_event().start_mark  # type: ignore[no-untyped-call]
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", mark
            )
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def construct_scalar(self, node: yaml.Node) -> Any:
        value = super().construct_scalar(node)  # type: ignore[arg-type]
        return clean_text(value) if isinstance(value, str) else value

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep)
        except (ValueError, OverflowError) as exc:
            raise _unreadable(node, exc) from None


_yaml12_numbers(_BoundedLoader)
_NODE_EVENTS = (yaml.ScalarEvent, yaml.AliasEvent, yaml.SequenceStartEvent, yaml.MappingStartEvent)
_OPEN_EVENTS = (yaml.SequenceStartEvent, yaml.MappingStartEvent)
_CLOSE_EVENTS = (yaml.SequenceEndEvent, yaml.MappingEndEvent)

if yaml.__with_libyaml__:

    class _CLoader(yaml.CSafeLoader):
        """libyaml's safe loader; every string it reads is encodable."""

        def construct_scalar(self, node: yaml.Node) -> Any:
            value = super().construct_scalar(node)  # type: ignore[arg-type]
            return clean_text(value) if isinstance(value, str) else value

        def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
            try:
                return super().construct_object(node, deep)
            except (ValueError, OverflowError) as exc:
                raise _unreadable(node, exc) from None

    _yaml12_numbers(_CLoader)


def _check_depth(text: str, file: str) -> None:
    """Refuse nesting deeper than :data:`MAX_DEPTH` at the node that goes too deep, reading
    libyaml's events (as the Python loader's composer would, one node at a time)."""
    depth = 0
    too_deep = f"not valid YAML: nested deeper than {MAX_DEPTH} levels"
    try:
        for event in yaml.parse(text, Loader=yaml.CSafeLoader):
            if isinstance(event, _NODE_EVENTS) and depth >= MAX_DEPTH:
                mark = event.start_mark
                raise InputError.single(file, mark.line + 1 if mark else None, too_deep)
            if isinstance(event, _OPEN_EVENTS):
                depth += 1
            elif isinstance(event, _CLOSE_EVENTS):
                depth -= 1
    except yaml.MarkedYAMLError as exc:
        # libyaml's scanner stops at 1,000 levels, reading ahead of the events
        if "maximum nesting depth" in str(exc.problem):
            mark = exc.problem_mark
            raise InputError.single(file, mark.line + 1 if mark else None, too_deep) from None
        raise


def _compose(text: str, file: str) -> tuple[yaml.Node | None, _CLoader | _BoundedLoader]:
    """The document's node graph, and the loader that will construct it. A document libyaml
    refuses (but for its depth) goes to the Python parser, which reads some that libyaml does
    not (a lone surrogate escape, ``"\\ud800"``) and words the error of the rest."""
    if yaml.__with_libyaml__:
        try:
            _check_depth(text, file)
        except yaml.YAMLError:
            pass
        else:
            fast = _CLoader(text)
            try:
                return fast.get_single_node(), fast
            except yaml.YAMLError:
                fast.dispose()
    loader = _BoundedLoader(text)
    return loader.get_single_node(), loader


def _children(n: yaml.Node) -> list[yaml.Node]:
    if isinstance(n, yaml.MappingNode):
        return [x for pair in n.value for x in pair]
    if isinstance(n, yaml.SequenceNode):
        return list(n.value)
    return []


def _check_expansion(root: yaml.Node, file: str) -> None:
    """Refuse a document whose aliases expand it past the budget, at the line of the
    deepest anchor that alone exceeds it."""
    sizes: dict[int, int] = {}  # expanded node count by id(node); aliases share node objects
    open_: set[int] = set()  # the collections being counted: one met again is its own part

    def size(n: yaml.Node) -> int:
        known = sizes.get(id(n))
        if known is None:
            if id(n) in open_:  # ``&x [*x]``: it counted without end (a RecursionError)
                raise InputError.single(
                    file,
                    n.start_mark.line + 1,
                    "not valid YAML: an alias inside the collection it names (a loop)",
                )
            open_.add(id(n))
            known = 1 + sum(size(c) for c in _children(n))  # depth is bounded by MAX_DEPTH
            open_.discard(id(n))
            sizes[id(n)] = known
        return known

    total = size(root)
    budget = max(MIN_EXPANSION_BUDGET, MAX_EXPANSION * len(sizes))
    if total <= budget:
        return
    node = root
    while True:
        bigger = [c for c in _children(node) if sizes[id(c)] > budget]
        if not bigger:
            break
        node = max(bigger, key=lambda c: sizes[id(c)])
    raise InputError.single(
        file,
        node.start_mark.line + 1,
        f"YAML aliases expand this document to {total:,} nodes (more than {budget:,}): "
        "refusing it (an alias bomb?)",
    )


def _check_duplicate_keys(root: yaml.Node, file: str) -> None:
    """Refuse a mapping that gives one key twice: YAML says keys are unique, and PyYAML
    keeps the last silently (``product: x`` then ``product: y`` read as ``y``, the first
    value lost without a word). Every such key is listed at its second line."""
    problems: list[Problem] = []
    seen: set[int] = set()  # aliases share nodes: each is checked once
    stack = [root]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        if isinstance(n, yaml.MappingNode):
            first: dict[str, int] = {}
            for k, _ in n.value:
                if not isinstance(k, yaml.ScalarNode) or k.tag == "tag:yaml.org,2002:merge":
                    continue
                line = k.start_mark.line + 1
                if k.value in first:
                    problems.append(
                        Problem(
                            file,
                            line,
                            f"duplicate key {k.value!r} (first at line {first[k.value]})",
                        )
                    )
                else:
                    first[k.value] = line
        stack.extend(_children(n))
    if problems:
        raise InputError(sorted(problems, key=lambda p: p.line or 0))


def load_yaml_with_lines(text: str, file: str) -> tuple[Any, dict[NodePath, int]]:
    """Parse YAML, returning the data and the 1-based line of every node by its path."""
    loader: _CLoader | _BoundedLoader | None = None
    try:
        node, loader = _compose(text, file)
        if node is not None:
            _check_expansion(node, file)
            _check_duplicate_keys(node, file)
        data = loader.construct_document(node) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        line = mark.line + 1 if mark is not None else None
        raise InputError.single(file, line, f"not valid YAML: {exc.problem}") from None
    except yaml.reader.ReaderError as exc:  # a character YAML refuses (NUL, say): no mark
        line = text.count("\n", 0, exc.position) + 1
        what = str(exc).splitlines()[0]  # "unacceptable character #x0000: ..." (its place cut)
        raise InputError.single(file, line, f"not valid YAML: {what}") from None
    except yaml.YAMLError as exc:
        raise InputError.single(file, None, f"not valid YAML: {exc}") from None
    finally:
        if loader is not None:
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
