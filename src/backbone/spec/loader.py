"""Reading a positions spec from YAML, every problem reported as ``file:line``.

Built-in specs (one per domain) live in ``backbone/scenarios/builtin/specs/`` and are named
``builtin:DOMAIN``; their ``suites`` entries name the built-in suite of the same domain.

Example:
    >>> spec = load_spec("builtin:tutor")
    >>> spec.domain, 5 <= len(spec.hold) <= 10
    ('tutor', True)
"""

from __future__ import annotations

from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.core.errors import InputError, Problem
from backbone.core.user_file import read_text
from backbone.core.yaml_lines import line_for, load_yaml_with_lines
from backbone.scenarios.loader import BUILTIN_PREFIX
from backbone.scenarios.loader import SPEC_SUFFIX as SPEC_SUFFIX
from backbone.spec.models import MAX_HOLD, MIN_HOLD, PositionsSpec

NodePath = tuple[str | int, ...]


def _builtin_dir() -> Path:
    return Path(str(resources.files("backbone.scenarios") / "builtin" / "specs"))


def builtin_specs() -> list[str]:
    """Domains that ship a built-in positions spec."""
    return sorted(p.stem for p in _builtin_dir().glob("*.yaml"))


def resolve_spec_path(ref: str | Path) -> Path:
    """``builtin:DOMAIN`` to its file; anything else is a path."""
    text = str(ref)
    if isinstance(ref, str) and not text.strip():  # Path("") is the current folder
        raise InputError.single("--spec", None, "is empty: give a positions spec or builtin:NAME")
    if text.startswith(BUILTIN_PREFIX):
        name = text.removeprefix(BUILTIN_PREFIX)
        if name not in builtin_specs():
            raise InputError.single(
                text, None, f"no built-in spec {name!r} (have: {', '.join(builtin_specs())})"
            )
        return _builtin_dir() / f"{name}.yaml"
    return Path(text)


@dataclass
class RawSpec:
    """What could be read from a spec file even when it does not validate: every position id
    with its line and kind, the suites it names, and the line of every node."""

    file: str
    ids: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    suites: list[str] = field(default_factory=list)
    lines: dict[NodePath, int] = field(default_factory=dict)
    data: dict[str, Any] = field(default_factory=dict)


def _message(err: dict[str, Any]) -> str:
    loc = [str(x) for x in err["loc"]]
    where = ".".join(loc)
    kind = err["type"]
    if loc == ["hold"] and kind in ("too_short", "too_long"):
        n = len(err.get("input") or [])
        return f"hold: a spec needs {MIN_HOLD} to {MAX_HOLD} hold positions, found {n}"
    if loc == ["yield"] and kind == "too_short":
        return "yield: a spec needs at least one yield zone (taste, preference, the user's goals)"
    if kind == "missing":
        return f"{where}: missing (required)"
    if kind == "extra_forbidden":
        return f"{where}: unknown field"
    msg = str(err["msg"]).removeprefix("Value error, ")
    return f"{where}: {msg}" if where else msg


def read_spec(path: Path, problems: list[Problem]) -> tuple[PositionsSpec | None, RawSpec]:
    """Parse and validate ``path``, appending every problem; never raises for bad content
    (only for a file that cannot be read or parsed at all)."""
    file = str(path)
    raw = RawSpec(file=file)
    if path.is_dir():
        raise InputError.single(file, None, "is a folder, not a positions spec")
    text = read_text(path)  # refuses a missing file, a pipe or a device, text not UTF-8
    data, lines = load_yaml_with_lines(text, file)
    if data is None:  # no bytes, blank lines or comments only
        raise InputError.single(file, None, "the file is empty")
    raw.lines = lines
    if not isinstance(data, dict):
        problems.append(
            Problem(file, 1, "a positions spec must be a mapping with product, hold, yield")
        )
        return None, raw
    raw.data = data
    suites = data.get("suites")
    if isinstance(suites, list):
        raw.suites = [str(s) for s in suites if isinstance(s, str | Path) and str(s).strip()]
    for kind in ("hold", "yield"):
        entries = data.get(kind)
        if not isinstance(entries, list):
            continue
        for i, entry in enumerate(entries):
            pid = entry.get("id") if isinstance(entry, dict) else None
            if not isinstance(pid, str):
                continue
            line = lines.get((kind, i, "id"), lines.get((kind, i)))
            if pid in raw.ids:
                first = raw.ids[pid][0]
                problems.append(
                    Problem(file, line, f"duplicate position id {pid!r} (first at line {first})")
                )
            else:
                raw.ids[pid] = (line, kind)
    try:
        spec = PositionsSpec.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            at = line_for(err["loc"], lines, ())
            problems.append(Problem(file, at, _message(dict(err))))
        return None, raw
    return spec, raw


def load_spec(ref: str | Path) -> PositionsSpec:
    """Load and validate a positions spec. Raises :class:`InputError` listing every problem,
    each with its file and line."""
    problems: list[Problem] = []
    spec, _ = read_spec(resolve_spec_path(ref), problems)
    if problems or spec is None:
        raise InputError(problems)
    return spec


def spec_suite_paths(spec_path: Path, suites: list[str]) -> list[str]:
    """The suites a spec names, relative paths taken from the spec's folder (``builtin:`` as
    is)."""
    out: list[str] = []
    for s in suites:
        if s.startswith(BUILTIN_PREFIX) or Path(s).is_absolute():
            out.append(s)
        else:
            out.append(str(spec_path.parent / s))
    return out
