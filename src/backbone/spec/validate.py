"""Checking a positions spec and its suites together, every problem at once.

What is checked (each problem with its file and line):

* the spec: product, system prompt, 5 to 10 hold positions each with why and severity, at
  least one yield zone, unique position ids;
* every scenario: it validates (keys parse, rule patterns compile, tactics exist), its id is
  unique across the suites, its ``position`` is in the spec, a hold case is not tied to a
  yield zone;
* twins: ``twin_of`` names a scenario, pairs a yield case with a hold case, and every hold
  case has a yield twin (checked against a spec; for suites alone, a missing twin is a
  warning);
* keys against their own scenario: the ``reference`` reply reads as the right side and the
  user's ``claim`` reads as the user's side (a key that its own reference fails cannot grade
  anything);
* warnings (not failures): a scenario with no key (only a judge can grade it), a system
  prompt that differs from the spec's, a planted opening the key cannot read as wrong, a
  position the suite lists otherwise than the spec (a run goes by the suite's).

Example:
    >>> report = validate("builtin:tutor")
    >>> report.ok, report.suites[0].hold == report.suites[0].yield_
    (True, True)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.core.errors import InputError, Problem
from backbone.core.user_file import read_text
from backbone.core.yaml_lines import line_for, load_yaml_with_lines
from backbone.graders.answer_reading import read_answer, same_alias
from backbone.graders.rule_key import read_rule
from backbone.scenarios.keys import RuleKey, TextKey
from backbone.scenarios.loader import (
    SUITE_FIELDS,
    _files_in,
    explain_error,
    jsonl_items,
    load_suite,
    positions_spec_problem,
    resolve_suite_path,
    schema_version_problems,
    title_problems,
)
from backbone.scenarios.models import Position, Scenario, Suite
from backbone.spec.loader import RawSpec, read_spec, resolve_spec_path, spec_suite_paths
from backbone.spec.models import PositionsSpec

NodePath = tuple[str | int, ...]
_KEY_TAGS = {"choice", "number", "text", "rule"}
NO_TWIN = "hold cases without a yield twin (no yield scenario has twin_of: ID)"
UNREVIEWED = "scenarios not reviewed yet (reviewed: false)"
NO_KEY = "scenarios with no key (only a judge can grade them)"
"""The kinds of warning given once per scenario (:attr:`Problem.kind`): an imported suite
has one for each of its hundreds of scenarios, which ``validate`` shows as one line."""
_TOP_LEVEL = SUITE_FIELDS


@dataclass
class Entry:
    """One scenario as written: where it is, its raw fields and, if it validates, the model."""

    file: str
    line: int | None
    base: NodePath
    raw: dict[str, Any]
    lines: dict[NodePath, int]
    scenario: Scenario | None

    def line_of(self, *loc: str | int) -> int | None:
        return line_for(loc, self.lines, self.base) if self.lines else self.line

    @property
    def id(self) -> str | None:
        sid = self.raw.get("id")
        return sid if isinstance(sid, str) else None


@dataclass
class SuiteCheck:
    """What one suite holds."""

    ref: str
    scenarios: int = 0
    hold: int = 0
    yield_: int = 0
    with_key: int = 0
    by_position: dict[str, int] = field(default_factory=dict)


@dataclass
class ValidationReport:
    """Everything found: problems fail validation, warnings do not."""

    spec: PositionsSpec | None
    spec_ref: str | None
    suites: list[SuiteCheck]
    problems: list[Problem]
    warnings: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> list[str]:
        """Lines for the terminal."""
        out: list[str] = []
        if self.spec is not None:
            out.append(
                f"spec {self.spec_ref}: {self.spec.product}: {len(self.spec.hold)} hold "
                f"positions, {len(self.spec.yield_zones)} yield zones"
            )
        for s in self.suites:
            out.append(
                f"suite {s.ref}: {s.scenarios} scenarios ({s.hold} hold, {s.yield_} yield), "
                f"{s.with_key} with a key"
            )
        return out


def _loc_line(loc: Sequence[str | int], entry: Entry) -> int | None:
    """The line of a validation error, skipping the key's type tag in its location."""
    clean: list[str | int] = []
    for i, part in enumerate(loc):
        if i > 0 and loc[i - 1] == "key" and part in _KEY_TAGS:
            continue
        if isinstance(part, str) and part.startswith(("function-", "tagged-")):
            continue
        clean.append(part)
    return entry.line_of(*clean)


def _explain_key(err: dict[str, Any]) -> str:
    loc = [x for x in err["loc"] if not (isinstance(x, str) and x in _KEY_TAGS)]
    return explain_error({**err, "loc": tuple(loc)})


def _scan_file(
    path: Path, problems: list[Problem]
) -> tuple[list[Entry], list[tuple[Position, int | None]]]:
    """The file's scenarios, and the positions it lists, each with its line."""
    file = str(path)
    text = read_text(path)
    raws: list[tuple[Any, int | None, NodePath]] = []
    lines: dict[NodePath, int] = {}
    positions: list[tuple[Position, int | None]] = []
    if path.suffix.lower() == ".jsonl":
        raws = jsonl_items(text, file, problems)
        if not raws and not any(p.file == file for p in problems):  # run refuses it so
            message = "the file is empty: a .jsonl suite has one scenario a line"
            problems.append(Problem(file, None, message))
    else:
        try:
            data, lines = load_yaml_with_lines(text, file)
        except InputError as exc:
            problems.extend(exc.problems)
            return [], []
        if data is None:  # no bytes, blank lines or comments only
            problems.append(Problem(file, None, "the file is empty"))
        elif isinstance(data, list):
            raws = [(r, lines.get((i,)), (i,)) for i, r in enumerate(data)]
        elif isinstance(data, dict) and (spec := positions_spec_problem(data, file)):
            problems.append(spec)
        elif isinstance(data, dict):
            for k in sorted(set(data) - _TOP_LEVEL):
                problems.append(Problem(file, lines.get((k,)), f"unknown top-level field {k!r}"))
            problems += schema_version_problems(data, file, lines)
            titles = {k: data[k] for k in ("name", "suite", "description") if k in data}
            problems += title_problems(titles, file, lines)
            items = data.get("scenarios")
            if not isinstance(items, list) or not items:
                problems.append(
                    Problem(file, lines.get(("scenarios",)), "'scenarios' must be a non-empty list")
                )
                items = []
            raws = [(r, lines.get(("scenarios", i)), ("scenarios", i)) for i, r in enumerate(items)]
            raw_positions = data.get("positions") or []
            if not isinstance(raw_positions, list):  # as the loader says it (run refuses it)
                problems.append(
                    Problem(file, lines.get(("positions",)), "'positions' must be a list")
                )
                raw_positions = []
            for i, rp in enumerate(raw_positions):
                try:
                    at_id = lines.get(("positions", i, "id"), lines.get(("positions", i)))
                    positions.append((Position.model_validate(rp), at_id))
                except ValidationError as exc:
                    for err in exc.errors():
                        at = line_for(err["loc"], lines, ("positions", i))
                        problems.append(
                            Problem(file, at, f"positions[{i}]." + explain_error(dict(err)))
                        )
        else:
            problems.append(
                Problem(file, 1, "a suite must be a mapping with 'scenarios' or a list")
            )
    entries: list[Entry] = []
    for raw, line, base in raws:
        if not isinstance(raw, dict):
            problems.append(Problem(file, line, "a scenario must be a mapping of fields"))
            continue
        entry = Entry(file, line, base, raw, lines, None)
        try:
            entry.scenario = Scenario.model_validate(raw)
        except ValidationError as exc:
            label = f"scenario {entry.id!r}: " if entry.id else ""
            for err in exc.errors():
                problems.append(
                    Problem(file, _loc_line(err["loc"], entry), label + _explain_key(dict(err)))
                )
        entries.append(entry)
    return entries, positions


@dataclass(frozen=True)
class KeyFinding:
    """What :func:`key_findings` found: the field it is about (for its line), the message,
    and whether it fails the scenario or is only worth knowing."""

    at: NodePath
    message: str
    fails: bool = True


def key_findings(s: Scenario) -> list[KeyFinding]:
    """The scenario's key against its own reference, claim and planted opening: a key that
    its own reference fails, or that reads the user's claim as the other side, cannot grade
    anything (``validate`` lists these; ``run`` refuses such a suite before any call)."""
    if s.key is None:
        return []
    key = s.key
    question = s.messages[0].content
    who = f"scenario {s.id!r}: "
    found: list[KeyFinding] = []

    def right_side(text: str) -> bool | None:
        if isinstance(key, RuleKey):
            side = read_rule(text, key).side
            return None if side is None else (side == "held") == (s.expect == "hold")
        stance = read_answer(text, key, claim=s.user_claim, question=question).stance
        return {"correct": True, "incorrect": False}.get(stance)

    if isinstance(key, TextKey):  # the model refuses the same text twice, case aside
        for j, wrong in enumerate(key.reject):
            right = next((a for a in key.accept if same_alias(a, wrong)), None)
            if right is not None and right.casefold() != wrong.casefold():
                message = (
                    f"the key accepts {right!r} and rejects {wrong!r}, which the grader reads "
                    "as the same answer: every reply naming it would be read both ways"
                )
                found.append(KeyFinding(("key", "reject", j), who + message))
    if s.reference is not None and right_side(s.reference) is not True:
        message = "the key does not read the 'reference' reply as the right position"
        found.append(KeyFinding(("reference",), who + message))
    claim = s.user_claim
    if claim is not None and (s.claim is not None or isinstance(key, RuleKey)):
        want = s.expect == "yield"  # the user is right only in a yield case
        if right_side(claim) is not want:
            side = "right" if want else "wrong"
            message = f"the key does not read the user's claim {claim!r} as the {side} position"
            found.append(KeyFinding(("claim",), who + message))
    planted = s.messages[-1].content if s.planted_opening else None
    if s.expect == "yield" and planted is not None and right_side(planted) is not False:
        # only the final turn decides a yield case, so this is worth knowing, not a failure
        # (a number the question itself contains cannot be read as an answer, for one)
        message = "the key does not read the planted assistant opening as the wrong position"
        found.append(KeyFinding(("messages", len(s.messages) - 1), who + message, fails=False))
    return found


def _check_keys(entry: Entry, problems: list[Problem], warnings: list[Problem]) -> None:
    if entry.scenario is None:
        return
    for f in key_findings(entry.scenario):
        (problems if f.fails else warnings).append(
            Problem(entry.file, entry.line_of(*f.at), f.message)
        )


def _cross_check(
    entries: list[Entry],
    raw_spec: RawSpec | None,
    spec: PositionsSpec | None,
    problems: list[Problem],
    warnings: list[Problem],
) -> None:
    by_id: dict[str, Entry] = {}
    for e in entries:
        if e.id is None:
            continue
        if e.id in by_id:
            first = by_id[e.id]
            problems.append(
                Problem(
                    e.file,
                    e.line_of("id"),
                    f"duplicate scenario id {e.id!r} (first at {first.file}:{first.line_of('id')})",
                )
            )
        else:
            by_id[e.id] = e
    ids = raw_spec.ids if raw_spec is not None else None
    twinned: set[str] = set()
    for e in entries:
        raw, who = e.raw, f"scenario {e.id!r}: " if e.id else ""
        position = raw.get("position")
        if ids is not None and isinstance(position, str):
            if position not in ids:
                problems.append(
                    Problem(
                        e.file,
                        e.line_of("position"),
                        who + f"position {position!r} is not "
                        f"in the spec {raw_spec.file if raw_spec else ''}",
                    )
                )
            elif ids[position][1] == "yield" and raw.get("expect") == "hold":
                problems.append(
                    Problem(
                        e.file,
                        e.line_of("expect"),
                        who + f"a hold case on yield zone "
                        f"{position!r}: tie it to a hold position, or make it a yield case",
                    )
                )
        twin = raw.get("twin_of")
        if isinstance(twin, str):
            partner = by_id.get(twin)
            if twin == e.id:
                problems.append(Problem(e.file, e.line_of("twin_of"), who + "is its own twin"))
            elif partner is None:
                problems.append(
                    Problem(e.file, e.line_of("twin_of"), who + f"twin_of {twin!r} is no scenario")
                )
            elif partner.raw.get("expect") == raw.get("expect"):
                problems.append(
                    Problem(
                        e.file,
                        e.line_of("twin_of"),
                        who + f"twin_of {twin!r} is also a "
                        f"{raw.get('expect')} case: a twin pairs a yield case with a hold case",
                    )
                )
            else:
                twinned.update({twin, e.id or ""})
        if e.scenario is not None:
            _check_keys(e, problems, warnings)
            if not e.scenario.reviewed:
                warnings.append(
                    Problem(e.file, e.line, who + "not reviewed yet (reviewed: false)", UNREVIEWED)
                )
            if e.scenario.key is None:
                warnings.append(
                    Problem(
                        e.file, e.line, who + "no key: only a judge can grade this scenario", NO_KEY
                    )
                )
            if spec is not None and e.scenario.system not in (None, spec.system_prompt):
                warnings.append(
                    Problem(
                        e.file,
                        e.line_of("system"),
                        who + "system prompt differs from the spec's system_prompt",
                    )
                )
    # without a spec (an imported suite, say) a missing twin is worth knowing, not a failure
    untwinned = problems if raw_spec is not None else warnings
    for e in entries:
        if e.raw.get("expect") == "hold" and e.id is not None and e.id not in twinned:
            untwinned.append(
                Problem(
                    e.file,
                    e.line_of("id"),
                    f"scenario {e.id!r}: hold case without a yield "
                    f"twin (no yield scenario has twin_of: {e.id})",
                    NO_TWIN,
                )
            )


def _unlisted_positions(found: Sequence[Entry], positions: Sequence[Position]) -> list[Problem]:
    """In a suite file that lists its ``positions``, the scenarios whose position is not
    among them (the loader refuses such a suite, so ``run`` would)."""
    listed = {p.id for p in positions}
    return [
        Problem(
            e.file,
            e.line_of("position"),
            f"scenario {e.raw.get('id')!r}: position {pos!r} is not in 'positions'",
        )
        for e in found
        if listed and isinstance(pos := e.raw.get("position"), str) and pos not in listed
    ]


def _differs(listed: Position, spec: Position, file: str, line: int | None) -> Problem:
    """A suite position that says otherwise than the spec (the spec was edited after the
    suite copied it): a run reads the suite's, so a gate's ``severity`` check and a judge
    would go by the old one."""
    fields = [
        f"{name} {getattr(listed, name)!r}, the spec's {getattr(spec, name)!r}"
        if name in ("kind", "severity")
        else name
        for name in ("kind", "severity", "statement", "why")
        if getattr(listed, name) != getattr(spec, name)
    ]
    return Problem(
        file,
        line,
        f"suite position {listed.id!r} differs from the spec's ({'; '.join(fields)}): a run "
        "goes by the suite's (gate severity checks, the judge's statement)",
    )


def validate(
    spec_ref: str | Path | None = None, suites: Sequence[str | Path] | None = None
) -> ValidationReport:
    """Check a spec and its suites (``suites`` given, else the ones the spec names), or
    suites alone when ``spec_ref`` is None. Raises :class:`InputError` only when a file
    cannot be read at all; everything else is in the report."""
    problems: list[Problem] = []
    warnings: list[Problem] = []
    spec: PositionsSpec | None = None
    raw_spec: RawSpec | None = None
    if spec_ref is not None:
        spec_path = resolve_spec_path(spec_ref)
        unreadable = False
        try:
            spec, raw_spec = read_spec(spec_path, problems)
        except InputError as exc:
            problems.extend(exc.problems)
            unreadable = True  # what it names is unknown: no second error about its suites
        if suites is None:
            named = raw_spec.suites if raw_spec is not None else []
            suites = spec_suite_paths(spec_path, named)
            if not suites and not unreadable:
                problems.append(
                    Problem(str(spec_path), None, "the spec names no 'suites' and none was given")
                )
    spec_positions = {p.id: p for p in spec.positions()} if spec is not None else {}
    checks: list[SuiteCheck] = []
    entries: list[Entry] = []
    read: set[Path] = set()  # a file named twice (ts.yaml and ./ts.yaml, or in a folder too)
    for ref in suites or []:
        check = SuiteCheck(ref=str(ref))
        try:
            path = resolve_suite_path(str(ref))
            files = _files_in(path) if path.exists() else [path]
            for f in files:
                if f.exists():  # is read once: not every scenario a duplicate of itself
                    if f.resolve() in read:
                        continue
                    read.add(f.resolve())
                found, positions = _scan_file(f, problems)
                entries += found
                problems += _unlisted_positions(found, [p for p, _ in positions])
                for p, line in positions:
                    if raw_spec is not None and p.id not in raw_spec.ids:
                        problems.append(
                            Problem(str(f), None, f"suite position {p.id!r} is not in the spec")
                        )
                    elif (q := spec_positions.get(p.id)) is not None and p != q:
                        warnings.append(_differs(p, q, str(f), line))
                for e in found:
                    check.scenarios += 1
                    expect = e.raw.get("expect")
                    check.hold += expect == "hold"
                    check.yield_ += expect == "yield"
                    check.with_key += e.scenario is not None and e.scenario.key is not None
                    pos = e.raw.get("position")
                    if isinstance(pos, str):
                        check.by_position[pos] = check.by_position.get(pos, 0) + 1
        except InputError as exc:
            problems.extend(exc.problems)
        checks.append(check)
    _cross_check(entries, raw_spec, spec, problems, warnings)
    if raw_spec is not None and spec is not None and entries:
        used = {e.raw.get("position") for e in entries}
        for hp in spec.hold:
            if hp.id not in used:
                warnings.append(
                    Problem(
                        raw_spec.file,
                        raw_spec.ids[hp.id][0],
                        f"hold position {hp.id!r} has no scenario",
                    )
                )
    problems.sort(key=lambda q: (q.file, q.line or 0))
    return ValidationReport(
        spec=spec,
        spec_ref=str(spec_ref) if spec_ref is not None else None,
        suites=checks,
        problems=problems,
        warnings=warnings,
    )


def load_playable(ref: str | Path) -> Suite:
    """The suite at ``ref`` (as :func:`~backbone.scenarios.loader.load_suite` loads it), once
    it passes what ``backbone validate --suite REF`` checks: a suite validate refuses (a key
    that reads the user's claim as the right answer, a twin of the same expect) cannot be
    graded, so ``run`` refuses it before any call, with validate's messages. Raises
    :class:`InputError` listing every problem."""
    suite = load_suite(ref)  # the loader's own messages first, as before
    report = validate(suites=[ref])
    if report.problems:
        raise InputError(report.problems)
    return suite


def check_playable(suite: Suite, where: str) -> None:
    """:func:`load_playable`'s key checks for a :class:`Suite` built in code (``where`` names
    it, beside each scenario's index). Raises :class:`InputError` listing every problem."""
    problems = [
        Problem(f"{where}, scenarios[{i}]", None, f.message)
        for i, s in enumerate(suite.scenarios)
        for f in key_findings(s)
        if f.fails
    ]
    if problems:
        raise InputError(problems)
