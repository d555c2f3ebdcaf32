"""The verdict uses the whole interval; failure-mode labels follow rules, then the judge."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from backbone.audit.failure_modes import failure_modes, parse_rule, parse_rules
from backbone.audit.models import Estimate, FeedbackEvent, Judgment, LogInfo, SampledEvent
from backbone.audit.verdict import Thresholds, decide
from backbone.cli.app import app
from backbone.core.errors import InputError
from tests.audit.logs import write


@pytest.mark.parametrize(
    ("value", "ci", "verdict"),
    [
        (0.05, (0.02, 0.09), "ship"),
        (0.10, (0.10, 0.10), "ship"),  # exact count on the line: "<= 10% ship"
        (0.08, (0.03, 0.14), "review"),  # the point is below the line, the interval is not
        (0.30, (0.22, 0.39), "review"),
        (0.31, (0.25, 0.39), "stop"),
        (0.25, (0.25, 0.25), "stop"),
        (None, (0.0, 1.0), "review"),
    ],
)
def test_verdict_from_the_whole_interval(
    value: float | None, ci: tuple[float, float], verdict: str
) -> None:
    got = decide(Estimate(value=value, ci=ci, n=50))
    assert got.verdict == verdict
    assert (got.ship, got.stop) == (0.10, 0.25)


def test_custom_thresholds_and_their_validation() -> None:
    e = Estimate(value=0.08, ci=(0.03, 0.14), n=60)
    assert decide(e, Thresholds(ship=0.15, stop=0.3)).verdict == "ship"
    assert decide(e, Thresholds(ship=0.01, stop=0.02)).verdict == "stop"
    assert (
        "whole interval 3.0%–14.0% is at or below the ship line 15.0%"
        in decide(e, Thresholds(ship=0.15, stop=0.3)).reason
    )
    with pytest.raises(ValidationError):
        Thresholds(ship=0.3, stop=0.2)


def test_rule_parsing() -> None:
    assert str(parse_rule("latency_ms >= 8000 : latency")) == "latency_ms>=8000:latency"
    r = parse_rule("response~(?i)^i can't:refusal")
    assert r.matches({"response": "I can't do that"}) and not r.matches({"response": "Sure"})
    assert parse_rule("tier==free:other").matches({"tier": "free"})
    assert not parse_rule("latency_ms>5:latency").matches({"latency_ms": None})
    assert not parse_rule("latency_ms>5:latency").matches({})
    with pytest.raises(InputError) as exc:
        parse_rules(["latency_ms>5", "x>1:slow", "x~(:other"])
    assert [p.message.split(":")[0] for p in exc.value.problems] == [
        "'latency_ms>5'",
        "'x>1",
        "'x~(",
    ]


def _pair(
    i: int,
    rating: str,
    correct: bool | None,
    *,
    mode: str | None = None,
    raw: str | None = None,
    **extra: object,
) -> tuple[SampledEvent, Judgment]:
    e = FeedbackEvent(
        id=f"e{i}",
        row=i,
        prompt="p",
        response="r",
        rating=rating,
        rating_raw=raw or rating,
        extra=dict(extra),
    )
    j = Judgment(
        id=e.id,
        correct=correct,
        failure_mode=mode,
        unscored_reason=None if correct is not None else "judge refused",
    )
    return SampledEvent(event=e, stratum=rating, weight=2.0 if i % 2 else 1.0), j


def test_a_rule_on_a_boolean_column_reads_true_and_false() -> None:
    # 'escalated==true' compared the text of True, 'True', with 'true': it never matched a
    # boolean column, from JSON, Parquet or CSV (read back as a boolean); SQLite keeps 1/0
    rule = parse_rule("escalated==true:other")
    assert [rule.matches({"escalated": v}) for v in (True, False, 1, 0, 1.0, 2, "true")] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
    ]
    assert parse_rule("escalated!=false:other").matches({"escalated": True})
    assert not parse_rule("escalated!=false:other").matches({"escalated": 0})
    assert parse_rule("escalated==1:other").matches({"escalated": True})
    assert parse_rule("escalated==0:other").matches({"escalated": False})
    assert not parse_rule("latency_ms==true:other").matches({"latency_ms": 8000})


@pytest.mark.parametrize("source", ["log.jsonl", "log.csv", "log.parquet", "sqlite"])
def test_a_boolean_rule_labels_the_same_events_whatever_holds_the_log(
    tmp_path: Path, source: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    rows = [
        {"id": f"e{i}", "prompt": "p", "response": "r", "rating": "down" if i % 2 else "up",
         "truth": i % 4 == 0, "escalated": i % 3 == 0}
        for i in range(40)
    ]  # fmt: skip
    if source == "sqlite":  # no booleans in SQLite: escalated and truth are 1 and 0
        db = tmp_path / "app.sqlite"
        with sqlite3.connect(db) as con:
            con.execute("CREATE TABLE fb (id, prompt, response, rating, truth, escalated)")
            con.executemany(
                "INSERT INTO fb VALUES (?, ?, ?, ?, ?, ?)", [list(r.values()) for r in rows]
            )
        con.close()
        log = ["--connection", f"sqlite://{db}", "--table", "fb"]
        judge = "python:tests.audit.planted_judge:truth_0_1"
    else:
        log = [str(write(tmp_path / source, rows))]
        judge = "python:tests.audit.planted_judge:truth"
    out = tmp_path / "out"
    res = CliRunner().invoke(
        app,
        ["audit", *log, "--judge", judge, "--failure-rule", "escalated==true:latency",
         "-q", "--out", str(out)],
    )  # fmt: skip
    assert res.exit_code == 0, res.output
    labels = json.loads((out / "audit.json").read_text())["failure_modes"]["labels"]
    # the thumbs-down events (odd i) that were escalated (i a multiple of 3): 3, 9, ..., 39
    assert labels["latency"]["count"] == 7
    assert labels["latency"]["count"] + labels["other"]["count"] == 20


def test_failure_modes_of_thumbs_down_events() -> None:
    info = LogInfo(file="f", format="jsonl", rows=10, rated=10, unrated=0, rating_scale="updown")
    pairs = [
        _pair(1, "down", True),  # unwelcome but correct
        _pair(2, "down", False, mode="hallucination"),
        _pair(3, "down", False, latency_ms=12000, mode="formatting"),  # the rule wins
        _pair(4, "down", False),  # other
        _pair(5, "down", None),  # unscored, no rule: counted apart
        _pair(6, "down", None, latency_ms=15000),  # unscored, but the column decides
        _pair(7, "up", True),  # not in the bottom set
    ]
    fm = failure_modes(pairs, info, [parse_rule("latency_ms>10000:latency")])
    counts = {c.label: c.count for c in fm.labels}
    assert counts == {
        "hallucination": 1,
        "refusal": 0,
        "formatting": 0,
        "latency": 2,
        "unwelcome_but_correct": 1,
        "other": 1,
    }
    assert (fm.judged, fm.unscored) == (6, 1)
    shares = {c.label: c.share for c in fm.labels}
    # weights: odd ids 2.0, even ids 1.0 -> total 2 + 1 + 2 + 1 + 1 = 7
    assert shares["latency"].value == pytest.approx(3 / 7)
    assert shares["other"].value == pytest.approx(1 / 7)
    # each share with its interval and n: Wilson on Kish's effective size, 7² / (4+1+4+1+1)
    from statsmodels.stats.proportion import proportion_confint

    effective = 49 / 11
    lo, hi = proportion_confint(3 / 7 * effective, effective, method="wilson")
    assert shares["latency"].ci == (pytest.approx(lo), pytest.approx(hi))
    assert shares["latency"].n == 5 and not shares["latency"].exact
    assert shares["refusal"].value == 0.0 and shares["refusal"].ci[1] > 0.3  # none seen, not none
    latency = next(c for c in fm.labels if c.label == "latency")
    assert [e.id for e in latency.examples] == ["e3", "e6"]
    assert latency.examples[0].source == "rule: latency_ms>10000:latency"


@pytest.mark.parametrize(
    ("text", "op", "value"),
    [("latency_ms>slow:latency", ">", "slow"), ("latency_ms <= nan:latency", "<=", "nan")],
)
def test_an_ordering_rule_against_no_number_is_refused(text: str, op: str, value: str) -> None:
    # compared as numbers only, such a rule matched no event and the audit said nothing
    with pytest.raises(InputError) as exc:
        parse_rule(text)
    assert [(p.file, p.line, p.message) for p in exc.value.problems] == [
        ("--failure-rule", None, f"'{text}': {op} compares numbers, and '{value}' is no number")
    ]
    assert parse_rule("latency_ms>=inf:latency").op == ">="  # a number, if a large one
    assert parse_rule("tier==slow:other").matches({"tier": "slow"})  # == compares text too
