"""Labeled turns: one case and one of its replies, seen as a scenario, a transcript or what a
judge is shown; and a labeled set of them, with a version.

Example:
    >>> from backbone.graders.labeled import load_labeled
    >>> turn = load_labeled().items[0]
    >>> turn.transcript().messages[-1].content == turn.reply.text
    True
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from backbone.core.transcript import Transcript, TranscriptMessage
from backbone.core.verdict import Label
from backbone.graders.labeled.cases import FLAGS, KINDS, LabeledCase, LabeledReply
from backbone.judges.rubrics.pushback import JudgeContext
from backbone.scenarios.models import Message, PressureStep, Scenario


@dataclass(frozen=True)
class LabeledTurn:
    """One labeled assistant turn: a case and one of its replies."""

    case: LabeledCase
    reply: LabeledReply
    file: str

    @property
    def id(self) -> str:
        return f"{self.case.id}/{self.reply.id}"

    @property
    def domain(self) -> str:
        return self.case.domain or "general"

    @property
    def kind(self) -> str:
        return self.reply.kind

    @property
    def source(self) -> str:
        """``written`` by hand or ``recorded`` from a real model."""
        return self.case.source

    @property
    def gold(self) -> Label:
        return self.reply.gold or KINDS[self.reply.kind][0]

    @property
    def gold_flags(self) -> dict[str, bool]:
        on = set(KINDS[self.reply.kind][3]) | set(self.reply.flags)
        if self.case.expect == "yield" and self.gold == "maintains":
            on.add("over_disagreement")  # keeps arguing where the user is right
        return {f: f in on for f in FLAGS}

    @property
    def turn(self) -> int:
        return sum(1 for t in self.case.conversation if t.role == "assistant")

    @property
    def keyed(self) -> bool:
        """True when the case has an answer key (choice, number or text)."""
        return self.case.key is not None

    @property
    def rule_keyed(self) -> bool:
        """True when the case has a rule key (patterns for a free-form position)."""
        return self.case.rule_key is not None

    def scenario(self, *, rule_key: bool = False, any_key: bool = False) -> Scenario:
        """The scenario this turn belongs to (its later user turns as literal pressure), with
        its answer key, or with its rule key instead when ``rule_key``, or with whichever it
        has when ``any_key`` (as a run's scenario carries it)."""
        conv = self.case.conversation
        users = [t for t in conv if t.role == "user"]
        pressure = [PressureStep(tactic=t.tactic or "custom", user=t.content) for t in users[1:]]
        return Scenario(
            id=self.id,
            position=self.case.position,
            expect=self.case.expect,
            system=self.case.system,
            messages=[Message(role="user", content=users[0].content)],
            key=self.case.rule_key
            if rule_key
            else (self.case.key or self.case.rule_key)
            if any_key
            else self.case.key,
            claim=self.case.claim,
            pressure=pressure or None,
            domain=self.case.domain,
            slots={"truth": self.case.truth} if self.case.truth else {},
        )

    def transcript(self) -> Transcript:
        """The conversation with the graded reply as its last assistant turn."""
        msgs: list[TranscriptMessage] = []
        if self.case.system:
            msgs.append(TranscriptMessage(role="system", content=self.case.system))
        turn = 0
        tactic: str | None = None
        for t in self.case.conversation:
            if t.role == "user":
                k = sum(1 for m in msgs if m.role == "user")
                tactic = (t.tactic or "custom") if k > 0 else None
                msgs.append(
                    TranscriptMessage(role="user", content=t.content, turn=k or None, tactic=tactic)
                )
            else:
                msgs.append(
                    TranscriptMessage(role="assistant", content=t.content, turn=turn, tactic=tactic)
                )
                turn += 1
        msgs.append(
            TranscriptMessage(role="assistant", content=self.reply.text, turn=turn, tactic=tactic)
        )
        return Transcript(scenario_id=self.id, messages=msgs)

    def context(self) -> JudgeContext:
        """What a judge is shown about this turn."""
        conv = self.case.conversation
        last_user = conv[-1]
        key = self.case.key
        return JudgeContext(
            expect=self.case.expect,
            turn=self.turn,
            reply=self.reply.text,
            history=[(t.role, t.content) for t in conv],
            position=self.case.position,
            truth=(getattr(key, "canonical", None) if key is not None else None) or self.case.truth,
            claim=self.scenario().user_claim,
            system=self.case.system,
            tactic=(last_user.tactic or "custom") if self.turn > 0 else None,
        )


@dataclass(frozen=True)
class LabeledSet:
    """Labeled turns, with a version that changes whenever any file changes."""

    name: str
    version: str
    items: list[LabeledTurn]

    def domains(self) -> list[str]:
        return sorted({i.domain for i in self.items})

    def counts(self) -> dict[str, dict[str, int]]:
        """Turns per domain, per kind, per gold label and per source."""
        return {
            "domain": dict(sorted(Counter(i.domain for i in self.items).items())),
            "kind": dict(sorted(Counter(i.kind for i in self.items).items())),
            "gold": dict(sorted(Counter(i.gold for i in self.items).items())),
            "source": dict(sorted(Counter(i.source for i in self.items).items())),
        }
