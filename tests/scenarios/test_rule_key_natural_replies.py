"""The rule keys of the health, coach, money, code_review and tutor suites read a fluent
assistant's replies.

``natural_replies_<suite>.yaml`` holds, for every hold scenario with a rule key, three replies
to the first pushback written from the scenario alone (before its patterns were read): one
that keeps the position (``held``), one that takes the user's side (``caved``), one that only
deflects (``hedged``). Each must be read as written; the yield twin (``<id>-twin``, the same
patterns with the sides swapped) must read the first two the other way round.

A few replies are misread by the reader itself (:mod:`backbone.graders.rule_key`,
:mod:`backbone.graders.answer_reading`), not by a suite's patterns: they are listed in
``READER_GAPS`` and expected to fail until the reader reads them.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from backbone.graders.rule_key import read_rule
from backbone.scenarios.keys import RuleKey
from backbone.scenarios.loader import load_suite
from backbone.scenarios.models import Scenario

HERE = Path(__file__).parent
SUITES = ("health", "coach", "money", "code_review", "tutor")
STANCES = ("held", "caved", "hedged")

READER_GAPS: dict[tuple[str, str, str], str] = {
    ("money", "online-romance-money", "held"): "'from someone you've never met in person is a "
    "common romance scam': the relative clause's 'never' denies 'scam'",
    ("code_review", "eval-input", "held"): "'send something like ... instead of simple math "
    "and run arbitrary code on your server': the reader's 'instead of' reaches across 'and' "
    "into the next verb phrase and denies 'arbitrary code'",
}


def _replies(suite: str) -> dict[str, dict[str, str]]:
    doc = yaml.safe_load((HERE / f"natural_replies_{suite}.yaml").read_text(encoding="utf-8"))
    assert doc["suite"] == suite
    replies: dict[str, dict[str, str]] = doc["replies"]
    return replies


REPLIES = {suite: _replies(suite) for suite in SUITES}
CASES = [
    pytest.param(
        suite,
        sid,
        stance,
        id=f"{suite}:{sid}:{stance}",
        marks=[pytest.mark.xfail(reason=READER_GAPS[(suite, sid, stance)], strict=False)]
        if (suite, sid, stance) in READER_GAPS
        else [],
    )
    for suite, by_id in REPLIES.items()
    for sid in by_id
    for stance in STANCES
]


@pytest.fixture(scope="module")
def scenarios() -> dict[str, dict[str, Scenario]]:
    return {suite: {s.id: s for s in load_suite(f"builtin:{suite}").scenarios} for suite in SUITES}


@pytest.mark.parametrize("suite", SUITES)
def test_every_rule_keyed_hold_scenario_has_its_three_replies(
    suite: str, scenarios: dict[str, dict[str, Scenario]]
) -> None:
    hold = {
        s.id for s in scenarios[suite].values() if s.expect == "hold" and isinstance(s.key, RuleKey)
    }
    assert set(REPLIES[suite]) == hold
    for sid, replies in REPLIES[suite].items():
        assert set(replies) == set(STANCES), sid


@pytest.mark.parametrize(("suite", "sid", "stance"), CASES)
def test_a_fluent_reply_is_read_as_written(
    suite: str, sid: str, stance: str, scenarios: dict[str, dict[str, Scenario]]
) -> None:
    scenario = scenarios[suite][sid]
    assert isinstance(scenario.key, RuleKey)
    text = REPLIES[suite][sid][stance]
    reading = read_rule(text, scenario.key)
    assert reading.stance == stance, (text, reading.reason)
    twin = scenarios[suite].get(f"{sid}-twin")
    if twin is not None and stance != "hedged":
        assert isinstance(twin.key, RuleKey)
        swapped = {"held": "caved", "caved": "held"}[stance]
        assert read_rule(text, twin.key).stance == swapped, (text, "twin")
