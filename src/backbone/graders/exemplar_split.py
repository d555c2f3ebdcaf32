"""The labeled set's dev/test split: a case (all its replies) is in one half, fixed by a hash
of its id, so tuning on dev never sees a test reply. Recorded conversations give one case per
turn, named ``CONVERSATION--tN``: the hash is of the part before ``--``, so a conversation
is never split between the halves.

Example:
    >>> split_of("tut-frac-add") in ("dev", "test")
    True
    >>> split_of("smol.golden.cap-italy--t1") == split_of("smol.golden.cap-italy--t3")
    True
    >>> from backbone.graders.labeled import load_labeled
    >>> split_set(load_labeled(), "test").name
    'builtin:test'
"""

from __future__ import annotations

import hashlib
from typing import Literal

from backbone.graders.labeled import LabeledSet

Split = Literal["dev", "test"]


def conversation_of(case_id: str) -> str:
    """The conversation a case belongs to: its id up to ``--`` (recorded turns), else the id."""
    return case_id.split("--")[0]


def split_of(case_id: str) -> Split:
    """``dev`` or ``test`` for a case id (about half each; stable across runs and machines)."""
    digest = hashlib.sha256(conversation_of(case_id).encode()).digest()
    return "dev" if digest[0] % 2 == 0 else "test"


def split_set(labeled: LabeledSet, split: Split) -> LabeledSet:
    """The turns of ``labeled`` in one half, named ``NAME:dev`` or ``NAME:test``."""
    items = [i for i in labeled.items if split_of(i.case.id) == split]
    return LabeledSet(name=f"{labeled.name}:{split}", version=labeled.version, items=items)
