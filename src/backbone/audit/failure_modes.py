"""Failure-mode labels for the lowest-rated outputs, with counts and examples.

The bottom decile is the lowest-rated tenth of the log: on a 1–5 scale, the judged events whose
score is at or below the log's 10th percentile; on up/down and signed scales every thumbs-down
(the ratings tie at the bottom, so the whole tied class counts). Each judged event in it gets
one label from ``hallucination``, ``refusal``, ``formatting``, ``latency``,
``unwelcome_but_correct``, ``other``, decided in this order:

1. a rule over a column, when one matches (``latency_ms>8000:latency``: a column decides);
2. the judge's ``failure_mode``, when it named one;
3. ``unwelcome_but_correct`` when the judge found the answer correct, ``other`` when not.

Unscored events no rule labels are counted apart, never given a label.

Rules are ``COLUMN OP VALUE:LABEL`` with OP one of ``> >= < <= == !=`` (numbers compared as
numbers; a boolean column against ``true``/``false`` as booleans, whether the log wrote it as
a JSON or Parquet boolean, CSV ``true``, or SQLite's ``1``/``0``) or ``~`` (a regular expression
searched in the text), e.g. ``response~(?i)^I can't:refusal``. ``< <= > >=`` compare numbers
only, so their VALUE must be one (``latency_ms>slow`` is refused, not left to match nothing).

Example:
    >>> r = parse_rule("latency_ms>8000:latency")
    >>> r.matches({"latency_ms": 9100}), r.matches({"latency_ms": 300})
    (True, False)
    >>> e = parse_rule("escalated==true:other")
    >>> e.matches({"escalated": True}), e.matches({"escalated": 1}), e.matches({"escalated": 0})
    (True, True, False)
"""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from backbone.audit.ab_stats import wilson
from backbone.audit.models import (
    MAPPABLE_FIELDS,
    Estimate,
    FailureModeCount,
    FailureModeExample,
    FailureModes,
    Judgment,
    LogInfo,
    SampledEvent,
)
from backbone.core.errors import InputError, Problem
from backbone.core.patterns import check_pattern, compile_pattern
from backbone.judges.rubrics.correctness import FAILURE_MODES

EXAMPLES = 3
_RULE = re.compile(r"^\s*(?P<col>[^<>=!~]+?)\s*(?P<op>>=|<=|==|!=|>|<|~)\s*(?P<rest>.+)$")
_OPS: dict[str, Callable[[Any, Any], bool]] = {
    ">": operator.gt,
    ">=": operator.ge,
    "<": operator.lt,
    "<=": operator.le,
    "==": operator.eq,
    "!=": operator.ne,
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, (int, float)):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


_BOOLEAN_WORDS = {"true": True, "false": False}


def _same_boolean(actual: Any, value: str) -> bool | None:
    """Whether a column's ``actual`` value is the rule's boolean ``value``; None when either
    is no boolean. A boolean is ``true``/``false`` against a boolean or a 0/1 number (SQLite
    keeps booleans as 1 and 0), or ``1``/``0`` against a boolean."""
    word = value.strip().lower()
    if isinstance(actual, bool):
        wanted = {**_BOOLEAN_WORDS, "1": True, "0": False}.get(word)
        return None if wanted is None else actual is wanted
    if word in _BOOLEAN_WORDS and isinstance(actual, (int, float)) and actual in (0, 1):
        return bool(actual) is _BOOLEAN_WORDS[word]
    return None


@dataclass(frozen=True)
class Rule:
    """``column op value`` decides ``label``."""

    column: str
    op: str
    value: str
    label: str

    def matches(self, event: dict[str, Any]) -> bool:
        if self.column not in event or event[self.column] is None:
            return False
        actual = event[self.column]
        if self.op == "~":
            return compile_pattern(self.value, ignore_case=False).search(str(actual)) is not None
        if self.op in ("==", "!="):
            same = _same_boolean(actual, self.value)
            if same is not None:  # escalated==true read str(True), 'True': never 'true'
                return same if self.op == "==" else not same
        a, b = _number(actual), _number(self.value)
        if a is not None and b is not None:
            return _OPS[self.op](a, b)
        if self.op in ("==", "!="):
            return _OPS[self.op](str(actual), self.value)
        return False

    def __str__(self) -> str:
        return f"{self.column}{self.op}{self.value}:{self.label}"


def parse_rule(text: str, source: str = "--failure-rule") -> Rule:
    """``"latency_ms>8000:latency"`` -> :class:`Rule`."""
    body, sep, label = text.rpartition(":")
    label = label.strip()
    match = _RULE.match(body) if sep else None
    if match is None:
        raise InputError.single(source, None, f"'{text}': expected COLUMN OP VALUE:LABEL")
    if label not in FAILURE_MODES:
        raise InputError.single(
            source, None, f"'{text}': label must be one of {', '.join(FAILURE_MODES)}"
        )
    op, value = match["op"], match["rest"].strip()
    number = _number(value)
    if op in ("<", "<=", ">", ">=") and (number is None or math.isnan(number)):
        # compared as numbers only: `latency_ms>slow` or `>nan` matched no event, unsaid
        raise InputError.single(
            source, None, f"'{text}': {op} compares numbers, and '{value}' is no number"
        )
    if op == "~":
        try:
            check_pattern(value, ignore_case=False)  # RE2: linear time
        except ValueError as exc:
            raise InputError.single(
                source, None, f"'{text}': bad regular expression: {exc}"
            ) from None
    return Rule(column=match["col"].strip(), op=op, value=value, label=label)


def parse_rules(texts: Sequence[str]) -> list[Rule]:
    problems: list[Problem] = []
    rules = []
    for text in texts:
        try:
            rules.append(parse_rule(text))
        except InputError as exc:
            problems.extend(exc.problems)
    if problems:
        raise InputError(problems)
    return rules


def in_bottom(se: SampledEvent, info: LogInfo) -> bool:
    """Is this event among the lowest-rated outputs?"""
    if info.rating_scale == "stars" and info.bottom_cut is not None:
        score = _number(se.event.rating_raw)
        return score is not None and score <= info.bottom_cut
    return se.event.rating == "down"


def describe_bottom(info: LogInfo) -> str:
    if info.rating_scale == "stars" and info.bottom_cut is not None:
        return f"judged events rated {info.bottom_cut:g} or lower (the 10th percentile score)"
    return "judged thumbs-down events (the lowest rating; every tied event counts)"


def check_rule_columns(rules: Sequence[Rule], columns: Sequence[str]) -> None:
    """Refuse a rule on a column the log does not have (it would silently never match);
    ``columns`` are the log's, the contract's fields are always there."""
    known = {*columns, *MAPPABLE_FIELDS, "rating_raw"}
    problems = [
        Problem(
            "--failure-rule",
            None,
            f"'{rule}': the log has no column '{rule.column}' (it has: {', '.join(columns)})",
        )
        for rule in rules
        if rule.column not in known
    ]
    if problems:
        raise InputError(problems)


def label_event(se: SampledEvent, judgment: Judgment, rules: Sequence[Rule]) -> tuple[str, str]:
    """(label, where it came from); label ``unscored`` when nothing decides."""
    data = se.event.as_dict()
    for rule in rules:
        if rule.matches(data):
            return rule.label, f"rule: {rule}"
    if judgment.failure_mode is not None:
        return judgment.failure_mode, "judge"
    if judgment.correct is True:
        return "unwelcome_but_correct", "judged correct, no failure named"
    if judgment.correct is False:
        return "other", "judged incorrect, no failure named"
    return "unscored", f"unscored: {judgment.unscored_reason}"


def _clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _share(weight: float, total: float, squares: float, n: int, *, exact: bool) -> Estimate:
    """A label's weighted share of the labelled bottom-set events (``weight`` of ``total``),
    with a Wilson interval on Kish's effective number of events ``total² / squares``; exact
    (the interval collapsed) when every event stands for itself and none is unscored.

    Example:
        >>> _share(1.0, 4.0, 4.0, 4, exact=True).ci
        (0.25, 0.25)
        >>> lo, hi = _share(2.0, 8.0, 16.0, 4, exact=False).ci
        >>> round(lo, 3), round(hi, 3)
        (0.046, 0.699)
    """
    if total <= 0 or n == 0:
        return Estimate(value=None, ci=(0.0, 1.0), n=0)
    value = weight / total
    if exact:
        return Estimate(value=value, ci=(value, value), n=n, exact=True)
    effective = total * total / squares
    return Estimate(value=value, ci=wilson(value * effective, effective), n=n)


def failure_modes(
    judged: Sequence[tuple[SampledEvent, Judgment]],
    info: LogInfo,
    rules: Sequence[Rule] = (),
) -> FailureModes:
    """Label the bottom-decile events among ``judged``; counts, weighted shares, examples."""
    counts: dict[str, int] = dict.fromkeys(FAILURE_MODES, 0)
    weights: dict[str, float] = dict.fromkeys(FAILURE_MODES, 0.0)
    examples: dict[str, list[FailureModeExample]] = {k: [] for k in FAILURE_MODES}
    bottom = unscored = 0
    squares = 0.0  # Σ w² over the labelled events: Kish's effective size
    all_whole = True  # every labelled event stands for itself (its stratum judged whole)
    for se, judgment in judged:
        if not in_bottom(se, info):
            continue
        bottom += 1
        label, source = label_event(se, judgment, rules)
        if label == "unscored":
            unscored += 1
            continue
        counts[label] += 1
        weights[label] += se.weight
        squares += se.weight * se.weight
        all_whole = all_whole and se.weight == 1.0
        if len(examples[label]) < EXAMPLES:
            examples[label].append(
                FailureModeExample(
                    id=se.event.id,
                    prompt=_clip(se.event.prompt, 400),
                    response=_clip(se.event.response, 600),
                    rating_raw=se.event.rating_raw,
                    correct=judgment.correct,
                    reason=judgment.reason,
                    source=source,
                )
            )
    labels = [
        FailureModeCount(
            label=k,
            count=counts[k],
            share=_share(
                weights[k],
                sum(weights.values()),
                squares,
                sum(counts.values()),
                exact=unscored == 0 and all_whole,
            ),
            examples=examples[k],
        )
        for k in FAILURE_MODES
    ]
    return FailureModes(
        population=describe_bottom(info), judged=bottom, unscored=unscored, labels=labels
    )
