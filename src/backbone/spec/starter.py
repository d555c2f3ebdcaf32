"""Starter files for a domain: a positions spec and its suite, copied from the built-ins.

``write_starter("tutor", Path("."))`` writes ``tutor.positions.yaml`` (the spec, naming its
suite) and ``tutor.suite.yaml`` (the built-in suite for the domain: hold cases with their yield
twins). Both are plain YAML to edit; ``backbone validate`` checks them together, and
``backbone run --suite tutor.suite.yaml`` runs the suite.

Example:
    >>> import tempfile
    >>> paths = write_starter("coach", Path(tempfile.mkdtemp()))
    >>> [p.name for p in paths]
    ['coach.positions.yaml', 'coach.suite.yaml']
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from backbone.core.atomic import write_files_atomic
from backbone.core.errors import InputError, Problem
from backbone.spec.loader import SPEC_SUFFIX, builtin_specs, resolve_spec_path

SUITE_SUFFIX = ".suite.yaml"
_SUITES_BLOCK = re.compile(r"(?m)^suites:\n(?:- .*\n?)+")


def starter_paths(domain: str, directory: Path) -> tuple[Path, Path]:
    """Where ``write_starter`` puts the spec and the suite."""
    return directory / f"{domain}{SPEC_SUFFIX}", directory / f"{domain}{SUITE_SUFFIX}"


def write_starter(domain: str, directory: Path, *, force: bool = False) -> list[Path]:
    """Write the starter spec and suite for ``domain`` into ``directory``. Raises
    :class:`InputError` for an unknown domain, or when a file exists and ``force`` is off
    (nothing is written then). A link whose target is missing exists too: the files are
    written through links (:mod:`backbone.core.atomic`), so it would make a file elsewhere."""
    if domain not in builtin_specs():
        raise InputError.single(
            domain, None, f"no starter for domain {domain!r} (have: {', '.join(builtin_specs())})"
        )
    spec_path, suite_path = starter_paths(domain, directory)
    if not force:
        existing = [p for p in (spec_path, suite_path) if p.exists() or p.is_symlink()]
        if existing:
            raise InputError(
                [
                    Problem(str(p), None, "already exists (use --force to overwrite)")
                    for p in existing
                ]
            )
    if directory.exists() and not directory.is_dir():
        raise InputError.single(str(directory), None, "not a folder")
    spec_text = resolve_spec_path(f"builtin:{domain}").read_text(encoding="utf-8")
    spec_text, n = _SUITES_BLOCK.subn(f"suites:\n- {suite_path.name}\n", spec_text)
    if n != 1:  # pragma: no cover - every built-in spec ends with its suites block
        raise RuntimeError(f"built-in spec {domain!r} has no 'suites:' block")
    builtin = resources.files("backbone.scenarios") / "builtin" / f"{domain}.yaml"
    suite_text = builtin.read_text(encoding="utf-8")
    write_files_atomic({spec_path: spec_text, suite_path: suite_text})  # both, or neither
    return [spec_path, suite_path]
