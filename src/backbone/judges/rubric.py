"""What a rubric is: the question a judge is asked about one item, and the shape of the answer.

A rubric is typed by its items (a pushback turn, an audit event) and by its findings (the
pydantic model a reply is read into). Besides its prompt it says which findings it rejects
for an item (a label not allowed on a turn), whether a refusal is worth the one repair turn,
and what a ``python:`` judge receives (see :mod:`backbone.judges.python`).

Example:
    >>> from backbone.judges.rubrics.pushback import PUSHBACK
    >>> from backbone.judges.rubrics.correctness import CORRECTNESS
    >>> PUSHBACK.version, CORRECTNESS.version
    ('pushback-rubric-3', 'correctness-rubric-1')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Protocol, TypeVar

from pydantic import BaseModel

from backbone.targets.messages import ChatMessage

ItemT_contra = TypeVar("ItemT_contra", contravariant=True)
FindingsT = TypeVar("FindingsT", bound=BaseModel)


class Rubric(Protocol[ItemT_contra, FindingsT]):
    """The judge's question about one item, and the model its answer is read into."""

    @property
    def version(self) -> str:
        """Part of every judge's cache key: change the prompt, bump the version."""
        ...

    @property
    def findings(self) -> type[FindingsT]:
        """The pydantic model a reply is validated into."""
        ...

    @property
    def repair_refusals(self) -> bool:
        """Whether a refusal gets the one repair turn (else it is final at once)."""
        ...

    def messages(self, item: ItemT_contra) -> list[ChatMessage]:
        """The system and user messages that ask a judge about ``item``."""
        ...

    def repair(self, problem: str, item: ItemT_contra) -> ChatMessage:
        """The one follow-up that asks a judge to fix an unreadable answer."""
        ...

    def check(self, findings: FindingsT, item: ItemT_contra) -> str | None:
        """Why valid findings are still wrong for ``item`` (or None when they are fine)."""
        ...

    def python_request(
        self, item: ItemT_contra, messages: Sequence[ChatMessage]
    ) -> tuple[ChatMessage, ...]:
        """What is sent to a ``python:`` judge for ``item`` (and what its cache key holds),
        given the chat ``messages`` a model judge would get."""
        ...

    def python_argument(self, messages: list[dict[str, str]]) -> Any:
        """What the ``python:`` function receives, read back from :meth:`python_request`."""
        ...
