"""Writing a suite back out as YAML or JSONL (what importers and generators produce), or
adding scenarios to a suite file a person wrote without touching a byte of what is there
(:func:`add_to_suite`).

Example:
    >>> import tempfile, pathlib
    >>> from backbone.scenarios.loader import load_suite
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "copy.yaml"
    >>> write_suite(load_suite("builtin:golden"), p)
    >>> len(load_suite(p).scenarios) == len(load_suite("builtin:golden").scenarios)
    True
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml

from backbone.core.atomic import write_text_atomic
from backbone.core.errors import InputError
from backbone.scenarios.loader import SUITE_SCHEMA_VERSION, load_suite
from backbone.scenarios.models import Position, Scenario, Suite


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


def _str(dumper: yaml.SafeDumper, data: str) -> yaml.ScalarNode:
    # YAML reads U+0085 (NEL) as a line break: written bare (plain, quoted or in a block) it
    # comes back as a space or a newline; a double-quoted scalar escapes it as "\N"
    style = '"' if "\x85" in data else "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(str, _str)


def suite_to_dict(suite: Suite) -> dict[str, Any]:
    doc: dict[str, Any] = {"name": suite.name}
    if suite.description:
        doc["description"] = suite.description
    if suite.positions:
        doc["positions"] = [p.model_dump(exclude_none=True) for p in suite.positions]
    doc["scenarios"] = [scenario_to_dict(s) for s in suite.scenarios]
    return doc


def scenario_to_dict(scenario: Scenario) -> dict[str, Any]:
    """A scenario as it would be written by hand: no empty fields, no default step values
    (an answer key keeps its ``type``, which the loader needs)."""
    raw = scenario.model_dump(mode="json", exclude_none=True)
    out = {k: v for k, v in raw.items() if v not in ([], {}) and (k, v) != ("reviewed", True)}
    if "pressure" in out:
        steps = []
        for step in out["pressure"]:
            step = {k: v for k, v in step.items() if not (k == "variant" and v == 0)}
            if step.get("tactic") == "custom" and "user" in step:
                step.pop("tactic")
            steps.append(step["tactic"] if set(step) == {"tactic"} else step)
        out["pressure"] = steps
    return out


def write_suite(suite: Suite, path: Path) -> None:
    """Write ``suite`` to ``path``: JSONL (one scenario a line) for ``.jsonl``, JSON for
    ``.json``, else YAML."""
    if path.suffix.lower() == ".jsonl":
        lines = [json.dumps(scenario_to_dict(s), ensure_ascii=False) for s in suite.scenarios]
        write_text_atomic(path, "\n".join(lines) + "\n")
        return
    if path.suffix.lower() == ".json":  # ASCII: the loader reads .json as YAML, which folds U+0085
        doc = {"schema_version": SUITE_SCHEMA_VERSION, **suite_to_dict(suite)}
        write_text_atomic(path, json.dumps(doc, indent=2) + "\n")
        return
    text = yaml.dump(
        suite_to_dict(suite), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
    )
    write_text_atomic(path, text)


_LINE_BREAK = re.compile(r"\r\n|\n|\r")
_YAML_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def _lists(text: str) -> dict[str, tuple[list[Any], int]] | None:
    """The parse events of each list an item is added to (``scenarios``, and ``positions``
    when the file has that list), with the offset of ``text`` they count from; the scenario
    list of a file that is one is under ``scenarios``. None for what is not one document of
    that shape."""
    body = text.removeprefix("\ufeff")  # libyaml does not count a byte order mark
    offset = len(text) - len(body)
    try:
        events = list(yaml.parse(body, Loader=_YAML_LOADER))
    except yaml.YAMLError:
        return None
    if len(events) < 5 or not isinstance(events[-2], yaml.DocumentEndEvent):
        return None
    root_end = _node_end(events, 2)
    if root_end != len(events) - 2:  # a second document
        return None
    if isinstance(events[2], yaml.SequenceStartEvent):
        return {"scenarios": (events[2:root_end], offset)}
    if not isinstance(events[2], yaml.MappingStartEvent):
        return None
    found: dict[str, tuple[list[Any], int]] = {}
    i = 3
    while not isinstance(events[i], yaml.MappingEndEvent):
        value = _node_end(events, i)
        end = _node_end(events, value)
        key = events[i]
        if isinstance(key, yaml.ScalarEvent) and key.value in ("scenarios", "positions"):
            if not isinstance(events[value], yaml.SequenceStartEvent):
                return None
            found[key.value] = (events[value:end], offset)
        i = end
    return found


def _node_end(events: list[Any], i: int) -> int:
    """The index just past the node whose first event is ``events[i]``."""
    depth = 0
    while True:
        event = events[i]
        i += 1
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
        if depth == 0:
            return i


def _written_end(events: list[Any]) -> int:
    """Where the last character of a node is (its last scalar, alias or closing bracket): a
    block collection's end event stands where the next node starts, past any comment."""
    flow: list[bool] = []
    end = 0
    for event in events:
        if isinstance(event, yaml.CollectionStartEvent):
            flow.append(bool(event.flow_style))
        elif isinstance(event, yaml.CollectionEndEvent) and not flow.pop():
            continue
        end = max(end, event.end_mark.index)
    return end


def _line_start(text: str, at: int) -> int:
    return max(text.rfind("\n", 0, at), text.rfind("\r", 0, at)) + 1


def _insertion(
    text: str, seq: list[Any], offset: int, items: list[dict[str, Any]], nl: str
) -> tuple[int, str] | None:
    """Where and what to insert into ``text`` to add ``items`` after the last item of the
    list whose events are ``seq``: YAML block items at its dash's indentation after the last
    item's line (a comment on that line stays with it), or JSON after the last item of a flow
    list (``[...]``, a .json file), laid out as that item is. None when it cannot be done
    safely (an empty list, an item whose dash cannot be found)."""
    items_at: list[int] = []
    i = 1
    while i < len(seq) - 1:
        items_at.append(i)
        i = _node_end(seq, i)
    if not items_at:
        return None
    last = seq[items_at[-1] : len(seq) - 1]
    start = last[0].start_mark.index + offset
    end = _written_end(last) + offset
    if seq[0].flow_style:
        indent = text[_line_start(text, start) : start]
        if indent.strip():  # on one line with the item before it: so are the new ones
            return end, "".join(", " + json.dumps(item) for item in items)
        spread = _LINE_BREAK.search(text, start, end) is not None
        parts = [json.dumps(item, indent=2 if spread else None) for item in items]
        return end, "".join(f",{nl}{indent}" + p.replace("\n", nl + indent) for p in parts)
    dash = start - 1  # the item's "-": blanks (a line break too) may stand between
    while dash >= 0 and text[dash] in " \t\r\n":
        dash -= 1
    if dash < 0 or text[dash] != "-":
        return None
    indent = text[_line_start(text, dash) : dash]
    if indent.strip(" "):  # "- - id: a", or a tab: not a layout to copy
        return None
    block = yaml.dump(items, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)
    block = nl.join(indent + line if line else line for line in block.split("\n"))
    if end == 0 or text[end - 1] in "\r\n":  # a block scalar ends at the next line's start
        return end, block
    brk = _LINE_BREAK.search(text, end)
    rest = text[end : brk.start() if brk else len(text)].strip()
    if rest and not rest.startswith("#"):
        return None
    return (brk.end(), block) if brk else (len(text), nl + block)


def appended_text(
    text: str, suffix: str, scenarios: Sequence[Scenario], positions: Sequence[Position] = ()
) -> str | None:
    """``text``, a suite file's own text (its line ends as they are), with ``scenarios``
    added after the last of its scenarios and ``positions`` after the last of its
    ``positions``, every character that was there kept (comments, quoting, key order, the
    line ends); None when the file's shape cannot be added to in place (``positions`` and no
    such list, a list written in a way this does not follow). A ``.jsonl`` file gains lines.

    Example:
        >>> s = load_suite("builtin:golden").scenarios[0]
        >>> old = "# mine\\nscenarios: [{id: a, position: p, expect: hold, messages: []}]\\n"
        >>> new = appended_text(old, ".yaml", [s])
        >>> new.startswith(old.rstrip("]\\n") + ', {"id": "')
        True
    """
    match = _LINE_BREAK.search(text)
    nl = match.group() if match else "\n"
    dicts = [scenario_to_dict(s) for s in scenarios]
    if suffix == ".jsonl":
        if positions:
            return None
        lines = "".join(json.dumps(d, ensure_ascii=False) + nl for d in dicts)
        return text + (nl if text and not text.endswith(("\n", "\r")) else "") + lines
    if not dicts and not positions:
        return text
    lists = _lists(text)
    if lists is None or "scenarios" not in lists or (positions and "positions" not in lists):
        return None
    wanted = [
        ("scenarios", dicts),
        ("positions", [p.model_dump(exclude_none=True) for p in positions]),
    ]
    edits: list[tuple[int, str]] = []
    for name, items in wanted:
        if items:
            seq, offset = lists[name]
            edit = _insertion(text, seq, offset, items, nl)
            if edit is None:
                return None
            edits.append(edit)
    for at, insert in sorted(edits, reverse=True):
        text = text[:at] + insert + text[at:]
    return text


def add_to_suite(
    suite: Suite, path: Path, scenarios: Sequence[Scenario], positions: Sequence[Position] = ()
) -> bool:
    """Write ``suite``, which is the suite file at ``path`` with ``scenarios`` and
    ``positions`` added, by adding them to the file's text (:func:`appended_text`): what a
    person wrote there stays byte for byte. Only when the result reads back as exactly
    ``suite`` is it written (atomically; not at all when nothing is added); otherwise the file
    is rewritten whole (:func:`write_suite`, its comments and layout lost) and False is
    returned.

    Example:
        >>> import tempfile
        >>> p = Path(tempfile.mkdtemp()) / "mine.yaml"
        >>> _ = p.write_text("# kept\\nscenarios:\\n- {id: a, position: p, expect: hold, "
        ...                  "messages: [{role: user, content: hi}]}\\n")
        >>> old, new = load_suite(p), load_suite("builtin:golden").scenarios[:1]
        >>> add_to_suite(old.model_copy(update={"scenarios": old.scenarios + new}), p, new)
        True
        >>> p.read_text().startswith("# kept\\nscenarios:\\n- {id: a, position: p,")
        True
    """
    try:
        text: str | None = path.read_bytes().decode("utf-8")
    except (OSError, UnicodeError):
        text = None
    suffix = path.suffix.lower()
    new = appended_text(text, suffix, scenarios, positions) if text is not None else None
    if new is not None and _reads_as(new, path, suite):
        if new != text:
            write_text_atomic(path, new)
        return True
    write_suite(suite, path)
    return False


def _reads_as(text: str, path: Path, suite: Suite) -> bool:
    """Whether ``text`` at ``path`` loads as ``suite``, field for field."""
    as_read = text.replace("\r\n", "\n").replace("\r", "\n")  # as a text file is read
    try:
        got = load_suite(path, text=as_read)
    except InputError:
        return False
    return got.model_dump(mode="json") == suite.model_dump(mode="json")
