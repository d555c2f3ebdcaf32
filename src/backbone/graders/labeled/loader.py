"""Loading a labeled set: the shipped one (the YAML files beside this module) or a file or
folder of YAML or JSONL cases, every problem reported with its file and line.

Example:
    >>> ls = load_labeled()
    >>> ls.name, len(ls.version)
    ('builtin', 12)
"""

from __future__ import annotations

import hashlib
from importlib import resources
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from backbone.core.errors import InputError, Problem
from backbone.core.user_file import read_text, refuse_device
from backbone.core.yaml_lines import line_for, load_yaml_with_lines
from backbone.graders.labeled.cases import LabeledCase
from backbone.graders.labeled.turns import LabeledSet, LabeledTurn
from backbone.scenarios.loader import explain_error, jsonl_items

BUILTIN = "builtin"
RECORDED = "recorded"
"""The shipped set of replies recorded from real models (``labeled/recorded/``), apart from the
written set so that each is measured on its own."""


def _builtin_dir() -> Path:
    return Path(str(resources.files("backbone.graders.labeled")))


def _files(path: Path) -> list[Path]:
    if path.is_dir():
        found = sorted(
            p
            for p in path.iterdir()
            # any case (as a suite folder is read): 'cases.JSONL' was skipped without a word
            if p.suffix.lower() in {".yaml", ".yml", ".jsonl"}
            and p.is_file()  # not a pipe or a device
        )
        if not found:
            raise InputError.single(str(path), None, "the folder holds no .yaml or .jsonl file")
        return found
    if not path.exists():
        raise InputError.single(str(path), None, "no such file")
    refuse_device(path)
    return [path]


def _read(path: Path, problems: list[Problem]) -> list[tuple[LabeledCase, int | None]]:
    file = str(path)
    text = read_text(path)
    raw: list[tuple[Any, int | None, tuple[str | int, ...]]] = []
    lines: dict[tuple[str | int, ...], int] = {}
    default_domain: str | None = None
    if path.suffix.lower() == ".jsonl":  # 'cases.JSONL' was read as YAML and refused
        # as a .jsonl suite is read: a byte order mark skipped, a key given twice refused
        # (json.loads kept the last: a reply's kind, hence its gold label, silently replaced)
        raw = jsonl_items(text, file, problems)
    else:
        data, lines = load_yaml_with_lines(text, file)
        if data is None:  # no bytes, blank lines or comments only
            raise InputError.single(file, None, "the file is empty")
        if not isinstance(data, dict) or not isinstance(data.get("cases"), list):
            raise InputError.single(file, 1, "a labeled file is a mapping with a 'cases' list")
        for k in sorted(set(data) - {"domain", "cases", "description"}):
            problems.append(Problem(file, lines.get((k,)), f"unknown top-level field {k!r}"))
        default_domain = data.get("domain")
        raw = [(c, lines.get(("cases", i)), ("cases", i)) for i, c in enumerate(data["cases"])]
    out: list[tuple[LabeledCase, int | None]] = []
    for item, line, base in raw:
        if not isinstance(item, dict):
            problems.append(Problem(file, line, "a case must be a mapping of fields"))
            continue
        if default_domain and "domain" not in item:
            item = {**item, "domain": default_domain}
        try:
            out.append((LabeledCase.model_validate(item), line))
        except ValidationError as exc:
            cid = item.get("id")
            label = f"case {cid!r}: " if isinstance(cid, str) else ""
            for err in exc.errors():
                at = line_for(err["loc"], lines, base) if lines else line
                problems.append(Problem(file, at, label + explain_error(dict(err))))
    return out


def load_labeled(path: str | Path | None = None) -> LabeledSet:
    """Load the shipped labeled set (``None`` or ``"builtin"``: written by hand), the shipped
    recorded set (``"recorded"``: real models' replies), or a file or folder of one.

    Raises :class:`InputError` listing every problem with its file and line.
    """
    builtin = path is None or str(path) == BUILTIN
    recorded = str(path) == RECORDED
    root = (
        _builtin_dir() / RECORDED if recorded else _builtin_dir() if builtin else Path(path)  # type: ignore[arg-type]
    )
    problems: list[Problem] = []
    digest = hashlib.sha256()
    items: list[LabeledTurn] = []
    seen: dict[str, str] = {}  # case id -> "FILE:LINE" where it first appears
    for f in _files(root):
        digest.update(f.name.encode() + b"\0" + f.read_bytes())
        for case, line in _read(f, problems):
            if case.id in seen:
                problems.append(
                    Problem(
                        str(f), line, f"duplicate case id {case.id!r} (first in {seen[case.id]})"
                    )
                )
                continue
            seen[case.id] = f"{f}:{line}" if line else str(f)
            items += [LabeledTurn(case, r, str(f)) for r in case.replies]
    if problems:
        raise InputError(problems)
    if not items:
        raise InputError.single(str(root), None, "the labeled set holds no case")
    name = BUILTIN if builtin else RECORDED if recorded else root.name
    return LabeledSet(name=name, version=digest.hexdigest()[:12], items=items)
