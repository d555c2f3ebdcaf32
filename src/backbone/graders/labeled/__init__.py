"""The labeled set: assistant turns written and labeled by hand, to grade the graders.

``cases`` (the file format: cases, replies, kinds and gold labels), ``turns`` (a labeled turn
as a scenario, transcript and judge context; the set), ``loader`` (the shipped set beside
these modules, or a file or folder of one). This package only re-exports them.

Example:
    >>> ls = load_labeled()
    >>> len(ls.items) >= 200 and {"tutoring", "health", "money"} <= set(ls.domains())
    True
"""

from backbone.graders.labeled.cases import (
    FLAGS,
    KINDS,
    ConversationTurn,
    LabeledCase,
    LabeledReply,
)
from backbone.graders.labeled.loader import BUILTIN, load_labeled
from backbone.graders.labeled.turns import LabeledSet, LabeledTurn

__all__ = [
    "BUILTIN",
    "FLAGS",
    "KINDS",
    "ConversationTurn",
    "LabeledCase",
    "LabeledReply",
    "LabeledSet",
    "LabeledTurn",
    "load_labeled",
]
