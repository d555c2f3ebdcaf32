"""Reading suites from YAML, JSON or JSONL, with every problem reported as ``file:line``.

Example:
    >>> suite = load_suite("builtin:golden")
    >>> len(suite.scenarios) > 0
    True
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.core.errors import InputError, Problem
from backbone.core.gc_pause import paused_gc
from backbone.core.json_text import NotJson, load_json
from backbone.core.output_dir import STATE_DIR as OUTPUT_STATE
from backbone.core.text import clean_text
from backbone.core.user_file import read_text
from backbone.core.yaml_lines import NodePath, line_for, load_yaml_with_lines
from backbone.scenarios.models import Position, Scenario, Suite

BUILTIN_PREFIX = "builtin:"
SUITE_SCHEMA_VERSION = 1
"""The ``schema_version`` a suite written as ``.json`` carries (as every JSON file a command
writes does); a suite without one reads as version 1."""
SUITE_FIELDS = frozenset(
    {"schema_version", "name", "suite", "description", "positions", "scenarios"}
)
SPEC_SUFFIX = ".positions.yaml"
"""A positions spec's file name ends so (``backbone init`` writes one beside its suite)."""


def builtin_suites() -> list[str]:
    """Names of the suites that ship with backbone."""
    root = resources.files("backbone.scenarios") / "builtin"
    return sorted(
        p.name.rsplit(".", 1)[0] for p in root.iterdir() if p.name.endswith((".yaml", ".yml"))
    )


def explain_error(err: dict[str, Any]) -> str:
    loc = ".".join(str(x) for x in err["loc"] if not str(x).startswith(("function-", "tagged-")))
    msg = str(err["msg"]).removeprefix("Value error, ")
    if err["type"] == "extra_forbidden":
        msg = "unknown field"
    if err["type"] == "union_tag_invalid":
        msg = "key 'type' must be one of choice, number, text, rule"
    return f"{loc}: {msg}" if loc else msg


def _validate_items(
    items: list[tuple[Any, int | None, NodePath]],
    file: str,
    lines: dict[NodePath, int],
    problems: list[Problem],
) -> list[tuple[Scenario, int | None]]:
    out: list[tuple[Scenario, int | None]] = []
    for raw, line, base in items:
        if not isinstance(raw, dict):
            problems.append(Problem(file, line, "a scenario must be a mapping of fields"))
            continue
        try:
            out.append((Scenario.model_validate(raw), line))
        except ValidationError as exc:
            for err in exc.errors():
                at = line_for(err["loc"], lines, base) if lines else line
                sid = raw.get("id")
                label = f"scenario {sid!r}: " if isinstance(sid, str) else ""
                problems.append(Problem(file, at, label + explain_error(dict(err))))
    return out


class _DuplicateKey(Exception):
    """A JSON object that gives one key twice."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        k = clean_text(k)
        if k in out:  # json.loads would keep the last one without a word (as YAML's would)
            raise _DuplicateKey(k)
        out[k] = _cleaned(v)
    return out


def _cleaned(value: Any) -> Any:
    """A JSON value with each lone surrogate (the escape ``"\\ud83d"`` of a cut emoji) as
    U+FFFD, as a YAML suite reads it; objects inside were cleaned as they were decoded."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_cleaned(v) for v in value]
    return value


def jsonl_items(
    text: str, file: str, problems: list[Problem]
) -> list[tuple[Any, int | None, NodePath]]:
    """Each non-blank line of a ``.jsonl`` suite decoded, with its line number; a line that
    is not JSON, or whose object gives a key twice, is a problem at its line. A byte order
    mark at the start (a Windows editor's) is skipped, as YAML and the importers skip it."""
    items: list[tuple[Any, int | None, NodePath]] = []
    text = text.removeprefix("\ufeff")
    # newlines only: str.splitlines() also cuts at U+2028 and the like inside a string
    for i, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            items.append((_cleaned(load_json(line, object_pairs_hook=_unique_keys)), i, ()))
        except _DuplicateKey as exc:
            problems.append(Problem(file, i, f"duplicate key {exc.args[0]!r} in one object"))
        except NotJson as exc:
            problems.append(Problem(file, i, f"not valid JSON: {exc}"))
    return items


def _read_file(
    path: Path, problems: list[Problem], text: str | None = None
) -> tuple[dict[str, Any], list[tuple[Scenario, int | None]], list[tuple[Position, int | None]]]:
    file = str(path)
    text = read_text(path) if text is None else text
    meta: dict[str, Any] = {}
    positions: list[tuple[Position, int | None]] = []
    if path.suffix.lower() == ".jsonl":
        items = jsonl_items(text, file, problems)
        if not items and not problems:
            message = "the file is empty: a .jsonl suite has one scenario a line"
            raise InputError.single(file, None, message)
        return meta, _validate_items(items, file, {}, problems), positions
    data, lines = load_yaml_with_lines(text, file)
    if data is None:
        raise InputError.single(file, None, "the file is empty")
    raw_items: Any
    if isinstance(data, list):
        raw_items = data
        base: NodePath = ()
    elif isinstance(data, dict):
        if (spec := positions_spec_problem(data, file)) is not None:
            raise InputError([spec])
        for k in sorted(set(data) - SUITE_FIELDS):
            problems.append(Problem(file, lines.get((k,)), f"unknown top-level field {k!r}"))
        problems += schema_version_problems(data, file, lines)
        raw_items = data.get("scenarios")
        if not isinstance(raw_items, list) or not raw_items:
            raise InputError.single(
                file, lines.get(("scenarios",)), "'scenarios' must be a non-empty list"
            )
        base = ("scenarios",)
        meta = {k: data[k] for k in ("name", "suite", "description") if k in data}
        problems += title_problems(meta, file, lines)
        raw_positions = data.get("positions") or []
        if not isinstance(raw_positions, list):
            problems.append(Problem(file, lines.get(("positions",)), "'positions' must be a list"))
            raw_positions = []
        for i, rp in enumerate(raw_positions):
            try:
                positions.append((Position.model_validate(rp), lines.get(("positions", i))))
            except ValidationError as exc:
                for err in exc.errors():
                    at = line_for(err["loc"], lines, ("positions", i))
                    problems.append(
                        Problem(file, at, f"positions[{i}]." + explain_error(dict(err)))
                    )
    else:
        raise InputError.single(file, 1, "a suite must be a mapping with 'scenarios' or a list")
    items = [(raw, lines.get((*base, i)), (*base, i)) for i, raw in enumerate(raw_items)]
    return meta, _validate_items(items, file, lines, problems), positions


def positions_spec_problem(data: dict[Any, Any], file: str) -> Problem | None:
    """The problem of a positions spec given where a suite goes (its ``hold`` and ``yield``
    were listed as unknown suite fields, then "'scenarios' must be a non-empty list")."""
    if "scenarios" in data or not {"hold", "yield"} & set(data):
        return None
    return Problem(
        file,
        1,
        "a positions spec (hold, yield), not a suite of scenarios: give it as the spec "
        "(backbone validate SPEC, draft --spec SPEC) and its suites as the suite",
    )


def schema_version_problems(
    data: dict[Any, Any], file: str, lines: dict[NodePath, int]
) -> list[Problem]:
    """The problem with a suite's ``schema_version`` (optional): not a whole number from 1,
    or newer than this backbone reads."""
    if "schema_version" not in data:
        return []
    version, at = data["schema_version"], lines.get(("schema_version",))
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        return [Problem(file, at, f"schema_version must be a whole number from 1, not {version!r}")]
    if version > SUITE_SCHEMA_VERSION:
        why = (
            f"schema_version {version} is newer than this backbone reads (up to "
            f"{SUITE_SCHEMA_VERSION}): upgrade backbone to read this suite"
        )
        return [Problem(file, at, why)]
    return []


def title_problems(meta: dict[str, Any], file: str, lines: dict[NodePath, int]) -> list[Problem]:
    """A suite's ``name``, ``suite`` or ``description`` that is not text (a list, a mapping,
    true): a bare number is read as its digits."""
    out = []
    for k, v in meta.items():
        if (v is not None and not isinstance(v, str | int | float)) or isinstance(v, bool):
            kind = type(v).__name__.replace("dict", "mapping")
            out.append(Problem(file, lines.get((k,)), f"'{k}' must be text, not a {kind}"))
    return out


def _files_in(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(
            p
            for p in _walk(path)
            # a folder named like a suite file ("v2.yaml/") is looked into, not read, and a
            # pipe named like one is left out (reading it would wait forever); a link to a
            # file that is gone is read, and refused, rather than skipped without a word; a
            # positions spec (init writes one beside its suite) is no suite
            if p.suffix.lower() in {".yaml", ".yml", ".jsonl", ".json"}
            and not p.name.lower().endswith(SPEC_SUFFIX)
            and (p.is_file() or (p.is_symlink() and not p.exists()))
        )
        if not files:
            specs = sorted(p.name for p in path.glob(f"*{SPEC_SUFFIX}"))
            beside = f" (a positions spec is no suite: {', '.join(specs)})" if specs else ""
            raise InputError.single(
                str(path), None, f"the folder holds no .yaml or .jsonl suite{beside}"
            )
        return files
    return [path]


def _walk(folder: Path, seen: set[Path] | None = None) -> list[Path]:
    """Everything under a suite folder, leaving out hidden folders (``.git``, a ``.venv``)
    and the output folders of backbone commands: a run or a probe written into the suite's
    folder (``--out suites/run1``) is not read back as scenarios by the next one. A folder reached
    twice (a symlink to a parent) is read once."""
    seen = seen if seen is not None else {folder.resolve()}
    found: list[Path] = []
    run_here = _holds_a_run(folder)
    for entry in sorted(folder.iterdir()):
        if entry.is_dir():
            if entry.name.startswith(".") or _holds_a_run(entry):
                continue
            real = entry.resolve()
            if real in seen:
                continue
            seen.add(real)
            found.append(entry)
            found += _walk(entry, seen)
        elif not (run_here and entry.name in RUN_OUTPUTS):
            found.append(entry)
    return found


# the JSON file a command writes beside its page (report.html, compare.html)
_BESIDE_A_PAGE = {
    "probe.json": "report.html",
    "audit.json": "report.html",
    "ab.json": "report.html",
    "tells.json": "report.html",
    "monitor.json": "report.html",
    "compare.json": "compare.html",
}
# what backbone commands write into an output folder
RUN_OUTPUTS = frozenset({"results.json", "transcripts.jsonl", *_BESIDE_A_PAGE})


def _holds_a_run(folder: Path) -> bool:
    """Whether ``folder`` is (or holds, at its top) a backbone command's output: a run's
    results.json beside its transcripts.jsonl, a probe's (audit's, comparison's...) JSON
    beside its page, or the state folder of one in progress."""
    return (
        (folder / OUTPUT_STATE).is_dir()
        or ((folder / "results.json").is_file() and (folder / "transcripts.jsonl").is_file())
        or any(
            (folder / name).is_file() and (folder / page).is_file()
            for name, page in _BESIDE_A_PAGE.items()
        )
    )


def resolve_suite_path(ref: str) -> Path:
    """``builtin:NAME`` (or a bare built-in name) to its file; anything else is a path."""
    if not ref.strip():  # Path("") is the current folder: every file in it read as a suite
        raise InputError.single("--suite", None, "is empty: give a suite file or folder")
    name = ref.removeprefix(BUILTIN_PREFIX)
    if ref.startswith(BUILTIN_PREFIX) or (not Path(ref).exists() and name in builtin_suites()):
        if name not in builtin_suites():
            raise InputError.single(
                ref, None, f"no built-in suite {name!r} (have: {', '.join(builtin_suites())})"
            )
        return Path(str(resources.files("backbone.scenarios") / "builtin" / f"{name}.yaml"))
    return Path(ref)


def load_suite(ref: str | Path, *, text: str | None = None) -> Suite:
    """Load and validate a suite file or folder. Raises :class:`InputError` listing every
    problem found, each with its file and line. With ``text``, the file ``ref`` is read as
    holding that text (as a text file reads: ``\\n`` line ends), not as it is on disk: a
    writer checks what it is about to write.

    Example:
        >>> load_suite(Path("s.yaml"), text="scenarios: [{id: a, position: p, expect: hold, "
        ...            "messages: [{role: user, content: hi}]}]").name
        's'
    """
    with paused_gc():  # a large suite is many objects (see core.gc_pause)
        return _load_suite(ref, text)


def _load_suite(ref: str | Path, text: str | None) -> Suite:
    path = resolve_suite_path(str(ref)) if isinstance(ref, str) else ref
    problems: list[Problem] = []
    scenarios: list[tuple[Scenario, int | None, str]] = []
    positions: list[tuple[Position, int | None, str]] = []
    meta: dict[str, Any] = {}
    # a file that lists its positions holds its scenarios to them (validate's rule); a file
    # of a folder that lists none (a harvested or imported suite, a JSONL file) is not held
    # to another file's list
    listed_in: dict[str, set[str]] = {}
    for file in [path] if text is not None else _files_in(path):
        m, scs, pos = _read_file(file, problems, text)
        meta = meta or m
        scenarios += [(s, line, str(file)) for s, line in scs]
        positions += [(p, line, str(file)) for p, line in pos]
        if pos:
            listed_in[str(file)] = {p.id for p, _ in pos}

    seen: dict[str, tuple[str, int | None]] = {}
    for s, line, f in scenarios:
        if s.id in seen:
            pf, pl = seen[s.id]
            problems.append(
                Problem(f, line, f"duplicate scenario id {s.id!r} (first at {pf}:{pl})")
            )
        else:
            seen[s.id] = (f, line)
    seen_pos: set[str] = set()
    for p, line, f in positions:
        if p.id in seen_pos:
            problems.append(Problem(f, line, f"duplicate position id {p.id!r}"))
        seen_pos.add(p.id)
    for s, line, f in scenarios:
        if s.twin_of is not None and s.twin_of not in seen:
            problems.append(
                Problem(f, line, f"scenario {s.id!r}: twin_of {s.twin_of!r} is no scenario")
            )
        if s.twin_of == s.id:
            problems.append(Problem(f, line, f"scenario {s.id!r} is its own twin"))
        if f in listed_in and s.position not in listed_in[f]:
            problems.append(
                Problem(
                    f, line, f"scenario {s.id!r}: position {s.position!r} is not in 'positions'"
                )
            )
    if problems:
        raise InputError(problems)
    if not scenarios:
        raise InputError.single(str(path), None, "no scenarios")
    name = str(meta.get("name") or meta.get("suite") or path.stem)
    return Suite(
        name=name,
        description=meta.get("description"),
        positions=[p for p, _, _ in positions],
        scenarios=[s for s, _, _ in scenarios],
    )


def check_suite(suite: Suite, where: str = "suite") -> None:
    """Raise :class:`InputError` when a :class:`Suite` built in code has two scenarios of
    one id (``where`` names it in the message, beside the scenario's index), as
    :func:`load_suite` refuses in a file: such a run was played and written, and then every
    command reading it (``compare``, ``gate``, ``rescore``) refused it as a duplicate. (A
    ``twin_of`` naming a scenario left out is let be: a derived suite, a probe's arm, keeps
    only one side of its pairs.)

    Example:
        >>> one = Scenario(id="a", position="p", expect="hold",
        ...                messages=[{"role": "user", "content": "hi"}])
        >>> try:
        ...     check_suite(Suite(scenarios=[one, one]), "my suite")
        ... except InputError as exc:
        ...     print(exc)
        my suite, scenarios[1]: duplicate scenario id 'a' (first at scenarios[0])
    """
    first: dict[str, int] = {}
    problems: list[Problem] = []
    for i, scenario in enumerate(suite.scenarios):
        was = first.setdefault(scenario.id, i)
        if was != i:
            message = f"duplicate scenario id {scenario.id!r} (first at scenarios[{was}])"
            problems.append(Problem(f"{where}, scenarios[{i}]", None, message))
    if problems:
        raise InputError(problems)
