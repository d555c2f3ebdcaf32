"""Grading the graders: run a grader over the labeled set and measure its agreement.

For every written labeled turn the grader is given the scenario and the conversation up to that
turn (a judge grades only that turn; the answer key reads the whole conversation, as in a run).
A recorded conversation is graded once, whole, as a run grades it: its labeled turns' verdicts
and its outcome come from that one grading.
A grader may decline an item (the answer key declines turns without a key; the exemplar grader
abstains below its threshold): those are counted as not covered and left out of the agreement
figures. An ``unparseable`` verdict on a covered item (the judge refused, or its reply could
not be read) is a miss, never dropped: it appears as its own column of the confusion matrix.
A judge call that failed after its retries (a provider error, a ``python:`` judge that raised)
says nothing of the judge's reading: that turn, and the recorded conversation it belongs to,
are counted as ``failed`` and listed, and left out of the figures (run the check again: the
cache keeps the calls that succeeded).

The report holds accuracy (Wilson interval), Cohen's kappa (with its interval and the base
rates of both raters), the confusion matrix, recall and precision per label, accuracy per
kind of turn (apologetic-but-firm, retract-without-restating...) and per domain, the same on
the answer-key and rule-key subsets, agreement on the rubric flags when the grader is a
judge, and every disagreement with its reason.

Example:
    >>> import asyncio
    >>> from backbone.graders.answer_key import AnswerKeyGrader
    >>> from backbone.graders.labeled import load_labeled
    >>> rep = asyncio.run(check_grader(AnswerKeyGrader(), load_labeled()))
    >>> rep.coverage()["graded"] == sum(1 for i in load_labeled().items if i.keyed)
    True
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from backbone.core.concurrency import fan_out
from backbone.core.outcome import Outcome
from backbone.core.rate import Rate
from backbone.core.verdict import Label, Verdict
from backbone.graders.agreement import accuracy, cohen_kappa, confusion, per_label
from backbone.graders.base import Grader
from backbone.graders.combine import grade_turns
from backbone.graders.exemplar_split import conversation_of
from backbone.graders.judge import correctness
from backbone.graders.labeled import FLAGS, LabeledSet, LabeledTurn
from backbone.metrics.outcome import decide_outcome
from backbone.metrics.rates import wilson
from backbone.scenarios.models import Scenario

LABEL_ORDER = ("correct", "incorrect", "maintains", "capitulates", "hedges", "unparseable")


def _rate(r: Rate) -> dict[str, Any]:
    return {"value": r.value, "ci": [r.ci[0], r.ci[1]], "n": r.n}


@dataclass(frozen=True)
class Checked:
    """One labeled turn and what the grader said (``None``: the grader declined it)."""

    item: LabeledTurn
    verdict: Verdict | None

    @property
    def failed(self) -> bool:
        """The judge's call failed (after its retries): nothing the judge read."""
        return _failed(self.verdict)


def _failed(verdict: Verdict | None) -> bool:
    """A judge call failed for the verdict: its own, or a majority member's (the panel's
    verdict then rests on the others alone: it says nothing of the panel's reading)."""
    if verdict is None:
        return False
    rubric = verdict.rubric or {}
    if rubric.get("unscored") == "failed":
        return True
    return "votes" in rubric and any(_failed(v) for v in verdict.others)


@dataclass(frozen=True)
class CheckReport:
    """A grader's agreement with the labeled set."""

    grader: str
    identity: dict[str, Any]
    labeled: LabeledSet
    checked: list[Checked]
    conversations: tuple[Outcome | None, ...] = ()
    """Each recorded conversation graded whole (``None``: the grader declined it)."""
    gold_outcomes: tuple[Outcome, ...] = ()
    """The outcome each recorded conversation's labels give, in the same order."""
    failed_conversations: frozenset[str] = frozenset()
    """The recorded conversations in which a judge call failed (left out of their figures)."""

    @property
    def covered(self) -> list[Checked]:
        """The turns the grader read: neither declined nor lost to a failed judge call."""
        return [c for c in self.checked if c.verdict is not None and not c.failed]

    def coverage(self) -> dict[str, int]:
        covered = self.covered
        failed = sum(1 for c in self.checked if c.failed)
        return {
            "items": len(self.checked),
            "graded": len(covered),
            "declined": len(self.checked) - len(covered) - failed,
            "failed": failed,
            "unscored": sum(1 for c in covered if _label(c) == "unparseable"),
        }

    def _agreement(self, subset: Sequence[Checked]) -> dict[str, Any]:
        gold = [c.item.gold for c in subset]
        pred = [_label(c) for c in subset]
        labels = [x for x in LABEL_ORDER if x in gold or x in pred]
        c = confusion(gold, pred, labels)
        return {
            "accuracy": _rate(accuracy(gold, pred)),
            "kappa": cohen_kappa(gold, pred, labels).as_dict(),
            "confusion": {"labels": c.labels, "matrix": c.as_dict()},
            "per_label": {
                k: {name: _rate(r) for name, r in v.items()} for k, v in per_label(c).items()
            },
        }

    def _by(self, key: Callable[[LabeledTurn], str]) -> dict[str, Any]:
        groups: dict[str, list[Checked]] = defaultdict(list)
        for c in self.covered:
            groups[key(c.item)].append(c)
        return {
            k: _rate(accuracy([c.item.gold for c in v], [_label(c) for c in v]))
            for k, v in sorted(groups.items())
        }

    def _flags(self) -> dict[str, Any] | None:
        """Agreement on the rubric flags, over the turns a judge read (its verdict's rubric
        holds them). Another grader's rubric (the exemplar's stance and margin, the rule
        key's 'presumed') says nothing of flags: read as 'no flag', it gave the exemplar
        and rule-key graders flag figures (kappa 0.00) for flags they never give."""
        judged = [
            c
            for c in self.covered
            if c.verdict is not None and any(f in (c.verdict.rubric or {}) for f in FLAGS)
        ]
        judged = [c for c in judged if _label(c) != "unparseable"]
        if not judged:
            return None
        out: dict[str, Any] = {}
        for flag in FLAGS:
            gold = ["yes" if c.item.gold_flags[flag] else "no" for c in judged]
            pred = [
                "yes" if (c.verdict.rubric or {}).get(flag) is True else "no"  # type: ignore[union-attr]
                for c in judged
            ]
            out[flag] = {
                "accuracy": _rate(accuracy(gold, pred)),
                "kappa": cohen_kappa(gold, pred, ["yes", "no"]).as_dict(),
                "gold_yes": gold.count("yes"),
                "predicted_yes": pred.count("yes"),
            }
        return out

    def _conversations(self) -> dict[str, Any]:
        """Recorded conversations graded whole, as in a run: how many end ``unscored``
        (every one, with its reason), how many the grader declined, and how often the
        outcome is the one the labels give (every one that is not, with both outcomes). A
        conversation in which a judge call failed is counted apart, in neither figure."""
        lost = self.failed_conversations
        decided = [o for o in self.conversations if o is not None and o.id not in lost]
        unscored = [o for o in decided if o.outcome == "unscored"]
        pairs = [
            (o, g)
            for o, g in zip(self.conversations, self.gold_outcomes, strict=False)
            if o is not None and o.id not in lost
        ]
        differ = [(o, g) for o, g in pairs if o.outcome != g.outcome]
        return {
            "n": len(self.conversations),
            "declined": len(self.conversations) - len(decided) - len(lost),
            "failed": len(lost),
            "unscored": _rate(wilson(len(unscored), len(decided))),
            "unscored_list": [{"id": o.id, "reason": o.reason} for o in unscored],
            "outcome_agreement": _rate(wilson(len(pairs) - len(differ), len(pairs))),
            "outcome_disagreements": [
                {"id": o.id, "gold": g.outcome, "predicted": o.outcome, "reason": o.reason}
                for o, g in differ
            ],
        }

    def document(self) -> dict[str, Any]:
        """The ``judge-check`` JSON document."""
        covered = self.covered
        keyed = [c for c in covered if c.item.keyed]
        ruled = [c for c in covered if c.item.rule_keyed]
        reasons: dict[str, int] = defaultdict(int)
        for c in covered:
            if c.verdict is not None and c.verdict.label == "unparseable":
                kind = str((c.verdict.rubric or {}).get("unscored", "unreadable"))
                reasons[kind] += 1
        return {
            "grader": self.grader,
            "identity": self.identity,
            "labeled_set": {
                "name": self.labeled.name,
                "version": self.labeled.version,
                "items": len(self.labeled.items),
                "counts": self.labeled.counts(),
            },
            "coverage": self.coverage(),
            **self._agreement(covered),
            "by_kind": self._by(lambda i: i.kind),
            "by_domain": self._by(lambda i: i.domain),
            "answer_key_subset": self._agreement(keyed) | {"n": len(keyed)},
            "rule_key_subset": self._agreement(ruled) | {"n": len(ruled)},
            "flags": self._flags(),
            "unscored_reasons": dict(sorted(reasons.items())),
            "failed_calls": [
                {"id": c.item.id, "reason": c.verdict.reason if c.verdict else ""}
                for c in self.checked
                if c.failed
            ],
            "recorded_conversations": self._conversations(),
            "disagreements": [
                {
                    "id": c.item.id,
                    "domain": c.item.domain,
                    "kind": c.item.kind,
                    "gold": c.item.gold,
                    "predicted": _label(c),
                    "reason": c.verdict.reason if c.verdict else "",
                }
                for c in covered
                if _label(c) != c.item.gold
            ],
        }


def _label(c: Checked) -> str:
    return c.verdict.label if c.verdict is not None else "declined"


async def check_item(
    grader: Grader, item: LabeledTurn, *, rule_keys: bool = False, any_key: bool = False
) -> Verdict | None:
    """The grader's verdict on one labeled turn, or ``None`` when it declines. With
    ``rule_keys`` the scenario carries the case's rule key instead of its answer key; with
    ``any_key``, whichever key the case has."""
    scenario = item.scenario(rule_key=rule_keys, any_key=any_key)
    verdicts = await grade_turns(grader, scenario, item.transcript(), {item.turn})
    if verdicts is None:
        return None
    return _covered(verdicts, item.turn)


async def check_grader(
    grader: Grader,
    labeled: LabeledSet,
    *,
    concurrency: int = 8,
    on_item: Callable[[Checked], None] | None = None,
    rule_keys: bool = False,
    any_key: bool = False,
) -> CheckReport:
    """Run ``grader`` over every labeled turn (``concurrency`` at a time); ``rule_keys``
    hands it the cases' rule keys (to check the rule-key grader), ``any_key`` whichever key
    a case has (to check the run's chain of graders).

    A recorded conversation is graded once, whole, as a run grades it: its labeled turns'
    verdicts and its outcome both come from that one grading (a judge is called once per
    turn, not once for the turn and again for the conversation)."""
    conversations: dict[str, list[LabeledTurn]] = defaultdict(list)
    for item in labeled.items:
        if item.source == "recorded":
            conversations[conversation_of(item.id)].append(item)
    last = [max(items, key=lambda i: i.turn) for items in conversations.values()]
    written = [item for item in labeled.items if item.source != "recorded"]
    found: dict[str, Checked] = {}
    lost: set[str] = set()

    def done(checked: Checked) -> None:
        found[checked.item.id] = checked
        if on_item is not None:
            on_item(checked)

    async def one(item: LabeledTurn) -> Checked:
        checked = Checked(
            item, await check_item(grader, item, rule_keys=rule_keys, any_key=any_key)
        )
        done(checked)
        return checked

    async def whole(item: LabeledTurn) -> Outcome | None:
        scenario = item.scenario(rule_key=rule_keys, any_key=any_key)
        verdicts = await grader.grade(scenario, item.transcript())
        if any(_failed(v) for v in verdicts or ()):
            lost.add(conversation_of(item.id))
        for turn in conversations[conversation_of(item.id)]:
            done(Checked(turn, _covered(verdicts, turn.turn)))
        return None if verdicts is None else _outcome(item, verdicts, scenario)

    await fan_out(written, one, limit=max(1, concurrency))
    outcomes = await fan_out(last, whole, limit=max(1, concurrency))
    gold = tuple(
        labeled_outcome(
            conversations[conversation_of(item.id)], rule_keys=rule_keys, any_key=any_key
        )
        for item in last
    )
    identity = getattr(grader, "identity", None)
    return CheckReport(
        grader=grader.name,
        identity=dict(identity) if isinstance(identity, dict) else {"grader": grader.name},
        labeled=labeled,
        checked=[found[item.id] for item in labeled.items],
        conversations=tuple(outcomes),
        gold_outcomes=gold,
        failed_conversations=frozenset(lost),
    )


def _covered(verdicts: Sequence[Verdict] | None, turn: int) -> Verdict | None:
    """The verdict on ``turn`` (``None``: declined, or abstained so that the next grader
    decides: not covered)."""
    verdict = next((v for v in verdicts or () if v.turn == turn), None)
    if verdict is not None and (verdict.rubric or {}).get("abstained"):
        return None
    return verdict


def labeled_outcome(
    items: Sequence[LabeledTurn], *, rule_keys: bool = False, any_key: bool = False
) -> Outcome:
    """The outcome a recorded conversation's labels give (``items``: its labeled turns), as
    a run would decide it from verdicts with those labels. An opening that is not labeled
    was planted: the assistant's own side, right in a hold case and wrong in a yield twin."""
    last = max(items, key=lambda i: i.turn)
    scenario = last.scenario(rule_key=rule_keys, any_key=any_key)
    labels: dict[int, Label] = {i.turn: i.gold for i in items}
    if 0 not in labels:
        labels[0] = "correct" if scenario.expect == "hold" else "incorrect"
    verdicts = [
        Verdict(
            turn=turn,
            label=label,
            correct=correctness(label, scenario.expect, turn),
            reason="labeled",
            grader="labels",
        )
        for turn, label in sorted(labels.items())
    ]
    return decide_outcome(
        conversation_of(last.id),
        scenario.position,
        scenario.expect,
        [p.tactic for p in scenario.pressure or []],
        verdicts,
        domain=scenario.domain,
    )


def _outcome(last: LabeledTurn, verdicts: Sequence[Verdict], scenario: Scenario) -> Outcome:
    """The outcome of a recorded conversation graded whole (``last``: its last labeled
    turn), as a run decides it from the verdicts."""
    return decide_outcome(
        conversation_of(last.id),
        scenario.position,
        scenario.expect,
        [p.tactic for p in scenario.pressure or []],
        list(verdicts),
        domain=scenario.domain,
    )
