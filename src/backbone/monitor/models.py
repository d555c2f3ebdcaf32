"""The monitor's data, from a logged conversation to the finished result (pydantic at the edges).

A :class:`~backbone.monitor.conversations.ConversationLog` yields :class:`Conversation`\\ s
(messages with the detector's pushback flag and tactic on each user turn); the stratified
:class:`MonitorSample` holds them with their weights; the judge gives a :class:`ReplyJudgment`
per assistant reply; the estimator turns them into :class:`Estimate` figures (the audit's type:
value, interval, n); :class:`MonitorResult` holds them all.

Example:
    >>> c = Conversation(key=1, id="c1", row=1, domain="tax", messages=[
    ...     Message(role="user", content="Is it deductible?"),
    ...     Message(role="assistant", content="No."),
    ...     Message(role="user", content="I'm sure it is.", pushback=True, tactic="insistence"),
    ...     Message(role="assistant", content="You're right, it is.")])
    >>> c.replies(), c.pushbacks()
    ([1, 3], [2])
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from backbone.audit.models import Estimate

Label = Literal["held", "caved", "yielded", "hedged", "over_held", "none"]
LABELS: tuple[str, ...] = ("held", "caved", "yielded", "hedged", "over_held", "none")
AT_STAKE: tuple[str, ...] = ("held", "caved", "yielded", "hedged", "over_held")
DISAGREED: tuple[str, ...] = ("held", "over_held")  # the assistant stood against the user
TRUE_VALUES = ("true", "1", "yes", "y", "t")
FALSE_VALUES = ("false", "0", "no", "n", "f", "")
"""What a ``dial_off`` value may be (lower-cased, trimmed): any other is bad input."""
TIME_FORMS = "ISO 8601, a date, or epoch seconds or milliseconds"
"""What a ``timestamp`` may be (it may also be missing): any other value is bad input."""
ROLES = ("system", "user", "assistant")
"""The roles of a conversation's turns (``developer`` is read as ``system``)."""
TOOL_ROLES = ("tool", "function")
"""The roles of a tool's result (OpenAI's ``tool``, and ``function`` before it): left out with
the tool call before it, as the plumbing between two turns."""
MONITOR_SCHEMA_VERSION = 1
"""The ``schema_version`` of ``monitor.json`` (written by the report, read back by harvest)."""
NO_DOMAIN = "(none)"

#: the contract's names (``--map FIELD=COLUMN`` renames any of them), in the order messages list
MAPPABLE_FIELDS = (
    *("id", "timestamp", "user_id", "messages", "domain", "dial_off", "role", "content"),
    *("conversation_id", "turn"),
)
_EITHER_SHAPE = ("role", "content", "domain", "user_id", "timestamp", "dial_off")
CONVERSATION_FIELDS = ("id", "messages", *_EITHER_SHAPE)
"""The fields a conversation a line reads (``role`` and ``content`` inside each message)."""
MESSAGE_ROW_FIELDS = ("conversation_id", "turn", *_EITHER_SHAPE)
"""The fields a message a row reads."""


def unread_fields_message(
    column_map: Mapping[str, str], conversations: bool, why: str
) -> str | None:
    """The problem of ``--map`` naming a field the log's shape does not read (``--map
    id=session`` on a message a row: the map was dropped without a word, even onto a column
    the log lacks, and the command ran to exit 0), or None. ``why`` says how the shape was
    is told ("as every CSV file is"). Said alike on every engine.

    Example:
        >>> unread_fields_message({"id": "nothere"}, False, "as every CSV file is")
        "--map id=nothere: field 'id' is not read from a log of one message a row (as every ..."
    """
    reads = CONVERSATION_FIELDS if conversations else MESSAGE_ROW_FIELDS
    unread = [f for f in column_map if f not in reads]
    if not unread:
        return None
    maps = ", ".join(f"--map {f}={column_map[f]}" for f in unread)
    names = ", ".join(f"'{f}'" for f in unread)
    what = f"field {names} is" if len(unread) == 1 else f"fields {names} are"
    shape = "a conversation a line" if conversations else "one message a row"
    fields = ", ".join(reads)
    if conversations:
        fields = fields.replace("role, content", "role and content in each message")
    return f"{maps}: {what} not read from a log of {shape} ({why}), whose fields are {fields}"


def mixed_domain_message(
    label: str, conversation: str, found: tuple[Any, Any], first: tuple[Any, Any]
) -> str:
    """The problem of a conversation (a message a row) whose rows give two domains, each as
    (value, turn): a conversation is one domain's (its stratum, its ``by_domain`` figures),
    and which was meant is the log's to say. Said alike on every engine.

    Example:
        >>> mixed_domain_message("domain", "c1", ("tax", "2"), ("health", "0"))
        "domain 'tax' at turn '2' differs from 'health' at turn '0' in conversation 'c1': ..."
    """
    return (
        f"{label} '{str(found[0])[:60]}' at turn '{found[1]}' differs from "
        f"'{str(first[0])[:60]}' at turn '{first[1]}' in conversation '{conversation}': give a "
        "conversation's rows one domain"
    )


class Message(BaseModel):
    """One message of a logged conversation; user turns carry the detector's reading."""

    model_config = ConfigDict(frozen=True)
    role: Literal["system", "user", "assistant"]
    content: str
    pushback: bool = False
    tactic: str | None = None
    give_up: bool = False


class Conversation(BaseModel):
    """A logged conversation (``key``: its handle in the log; ``row``: the record or first
    row it was read from)."""

    model_config = ConfigDict(frozen=True)
    key: int | str
    id: str
    row: int
    domain: str = NO_DOMAIN
    user_id: str | None = None
    timestamp: str | None = None
    dial_off: bool = False
    messages: list[Message]

    def replies(self) -> list[int]:
        """Indices of the assistant replies (each one is graded)."""
        return [i for i, m in enumerate(self.messages) if m.role == "assistant"]

    def pushbacks(self) -> list[int]:
        """Indices of the user turns the detector reads as pushback."""
        return [i for i, m in enumerate(self.messages) if m.pushback]

    def after_pushback(self, reply: int) -> bool:
        """Whether the user turn right before assistant reply ``reply`` is a pushback."""
        return reply > 0 and self.messages[reply - 1].pushback

    def abandoned_after(self, reply: int) -> bool:
        """The conversation ends at ``reply``, or the user's next turn gives up."""
        rest = self.messages[reply + 1 :]
        nxt = next((m for m in rest if m.role == "user"), None)
        return nxt is None or nxt.give_up


class StratumInfo(BaseModel):
    """One cell of the design: a domain crossed with whether the conversation has a pushback."""

    model_config = ConfigDict(frozen=True)
    domain: str
    pushback: bool
    conversations: int  # N_h

    @property
    def key(self) -> str:
        return f"{self.domain}|{'pushback' if self.pushback else 'no_pushback'}"


class LogInfo(BaseModel):
    """What ingestion learned about a log (validated, counted, nothing judged yet). Counts of
    the detector's figures are over the whole log."""

    file: str
    format: Literal["jsonl", "csv", "parquet", "table"]  # table: a database table
    shape: Literal["conversations", "messages"]
    conversations: int
    messages: int
    user_turns: int
    assistant_turns: int
    pushback_turns: int
    with_pushback: int  # conversations with at least one pushback
    argue_back: int  # conversations with two pushbacks in a row
    dial_off: int | None  # conversations with a dial-off event (None: no such column)
    tactics: dict[str, int] = Field(default_factory=dict)
    column_map: dict[str, str] = Field(default_factory=dict)
    columns: list[str] = Field(default_factory=list)
    strata: list[StratumInfo] = Field(default_factory=list)
    by_domain: dict[str, dict[str, int]] = Field(default_factory=dict)


class SampledConversation(BaseModel):
    model_config = ConfigDict(frozen=True)
    conversation: Conversation
    stratum: str
    weight: float  # N_h / n_h


class StratumDraw(BaseModel):
    model_config = ConfigDict(frozen=True)
    key: str
    domain: str
    pushback: bool
    conversations: int  # N_h
    drawn: int  # n_h


class MonitorSample(BaseModel):
    seed: int
    per_stratum: int | None  # None: the whole log
    strata: list[StratumDraw]
    conversations: list[SampledConversation]

    @property
    def whole_log(self) -> bool:
        return all(s.drawn == s.conversations for s in self.strata)


class ReplyJudgment(BaseModel):
    """The judge's label on one assistant reply (``label`` None: unscored, with the reason)."""

    model_config = ConfigDict(frozen=True)
    conversation_id: str
    turn: int  # the reply's index in the conversation's messages
    pushback: bool
    tactic: str | None = None
    label: Label | None
    reason: str = ""
    position: str | None = None
    claim: str | None = None
    answer: str | None = None
    unscored_reason: str | None = None
    cached: bool = False


class StratumResult(BaseModel):
    """Per-stratum tallies after judging."""

    key: str
    domain: str
    pushback: bool
    conversations: int  # N_h
    drawn: int  # n_h
    replies: int
    scored: int
    unscored: int
    labels: dict[str, int] = Field(default_factory=dict)


class CavedConversation(BaseModel):
    """A conversation with a caved reply, kept for ``backbone harvest``: the messages up to and
    including the first caved reply, and what the judge said about it."""

    conversation_id: str
    domain: str
    turn: int
    tactics: list[str | None] = Field(default_factory=list)
    messages: list[dict[str, str]]
    pushback_turns: list[int] = Field(default_factory=list)
    reason: str = ""
    position: str | None = None
    claim: str | None = None
    answer: str | None = None
    weight: float = 1.0


class Figures(BaseModel):
    """The monitor's headline figures for the whole log or one domain."""

    conversations: int
    pushback_share: Estimate
    cave_rate: Estimate
    sycophancy_rate: Estimate
    over_disagreement_rate: Estimate
    friction: dict[str, Estimate]


class MonitorResult(BaseModel):
    """Everything ``monitor.json`` and the monitor report show."""

    log: LogInfo
    judge: str
    judge_identity: dict[str, Any] = Field(default_factory=dict)
    seed: int
    per_stratum: int | None
    whole_log: bool
    strata: list[StratumResult]
    overall: Figures
    by_domain: dict[str, Figures]
    labels: dict[str, int] = Field(default_factory=dict)
    unscored_reasons: dict[str, int] = Field(default_factory=dict)
    judgments: list[ReplyJudgment] = Field(default_factory=list)
    caved: list[CavedConversation] = Field(default_factory=list)
    options: dict[str, Any] = Field(default_factory=dict)
