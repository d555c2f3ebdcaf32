"""The default exemplars and their vectors, saved beside the labeled sets they come from, so
that a run starts without parsing every labeled YAML file and embedding every exemplar (about
2 s of each process's start on two cores).

The snapshot (``default_exemplars.npz``) holds each exemplar's fields, its vector and a
fingerprint of what they were derived from: the embedder's name, the shipped labeled files and
the two modules that turn labeled turns into exemplars. A snapshot whose fingerprint differs
is ignored (the exemplars are then derived and embedded afresh), so a stale file can slow a
run down but never change a verdict. ``save_default_exemplars()`` in
:mod:`backbone.graders.exemplar` rewrites it; a test keeps it current.

Example:
    >>> fp = fingerprint("wordllama:l2_supercat_256")
    >>> len(fp), fp == fingerprint("another-embedder")
    (64, False)
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]

PATH = Path(__file__).with_name("default_exemplars.npz")
FIELDS = ("text", "stance", "expect", "position", "case_id")
_SOURCES = ("exemplar.py", "exemplar_split.py")
_LABELED = ("labeled", "labeled/recorded")
_SUFFIXES = {".yaml", ".yml", ".jsonl"}


def fingerprint(embedder_name: str, graders: Path = PATH.parent) -> str:
    """A digest of the embedder's name, the labeled files and the exemplar modules under the
    ``graders`` package folder (the installed one by default)."""
    h = hashlib.sha256(embedder_name.encode())
    files = [p for d in _LABELED for p in sorted((graders / d).iterdir()) if p.suffix in _SUFFIXES]
    for path in [*files, *(graders / name for name in _SOURCES)]:
        h.update(path.relative_to(graders).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()


def read(expected: str, path: Path = PATH) -> tuple[list[dict[str, str]], Vectors] | None:
    """The saved exemplars (one dict of :data:`FIELDS` each) and their vectors, or ``None``
    when there is no snapshot or it was made from other inputs than ``expected`` says."""
    if not path.exists():
        return None
    with np.load(path, allow_pickle=False) as saved:
        if str(saved["fingerprint"]) != expected:
            return None
        columns = {name: [str(v) for v in saved[name]] for name in FIELDS}
        vectors = np.asarray(saved["vectors"], dtype=np.float32)
    rows = [dict(zip(FIELDS, vals, strict=True)) for vals in zip(*columns.values(), strict=True)]
    vectors.flags.writeable = False
    return rows, vectors


def write(
    rows: Sequence[Mapping[str, str]], vectors: Vectors, fingerprint_: str, path: Path = PATH
) -> None:
    """Save ``rows`` (dicts of :data:`FIELDS`) with their ``vectors`` under ``fingerprint_``."""
    if len(rows) != len(vectors):
        raise ValueError(f"{len(rows)} exemplars but {len(vectors)} vectors")
    columns = {name: np.array([r[name] for r in rows], dtype=str) for name in FIELDS}
    tmp = path.with_suffix(".tmp.npz")
    np.savez_compressed(
        tmp,
        fingerprint=np.array(fingerprint_),
        vectors=np.asarray(vectors, dtype=np.float32),
        **columns,  # type: ignore[arg-type]
    )
    tmp.replace(path)
