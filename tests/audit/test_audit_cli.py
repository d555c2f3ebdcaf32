"""``backbone audit`` through the real CLI: planted logs give the planted share exactly when
judged whole and an interval around it when sampled; bad input exits 2 naming file and line
and writes nothing; unscored judgments are counted and shown, never folded in."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from tests.audit.logs import planted_rows, write
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.audit.planted_judge:truth"

# 400 thumbs-down (92 on correct answers: 23%), 1600 thumbs-up (1200 correct)
CELLS = {("down", None): (400, 92), ("up", None): (1600, 1200)}


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT)])  # this checkout's code first
    env = {**os.environ, "PYTHONPATH": path, "BACKBONE_CACHE_DIR": str(cwd / "cache")}
    return backbone_here(list(args), env=env, cwd=cwd)


def load(out: Path) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((out / "audit.json").read_text())
    return doc


def test_whole_log_gives_the_planted_share_exactly(tmp_path: Path) -> None:
    # (the three formats read alike: tests/audit/test_ingest.py)
    log = write(tmp_path / "log.parquet", planted_rows(CELLS))
    r = backbone(
        "audit", str(log), "--judge", JUDGE, "--sample", "5000", "--out", "out", "-q", cwd=tmp_path
    )
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["whole_log"] is True
    assert "[exact: whole log judged]" in r.stdout  # the terminal says why the interval is a point
    assert doc["unwelcome_correct_share"] == {"value": 0.23, "ci": [0.23, 0.23], "n": 400}
    assert doc["verdict"] == "review"  # 23%: above the ship line, below the stop line
    grid = doc["grid"]
    assert grid["down"]["correct"] == {
        "sampled": 92,
        "share": {"value": 0.046, "ci": [0.046, 0.046], "n": 400},
        "estimated_events": 92.0,
    }
    assert grid["down"]["incorrect"]["sampled"] == 308
    assert grid["down"]["incorrect"]["share"]["value"] == pytest.approx(308 / 2000)
    assert grid["up"]["correct"]["share"]["value"] == pytest.approx(1200 / 2000)
    assert grid["up"]["incorrect"]["estimated_events"] == 400.0
    assert (grid["down"]["events"], grid["down"]["judged"], grid["down"]["unscored"]) == (
        400,
        400,
        0,
    )
    assert doc["p_down_given_correct"]["value"] == pytest.approx(92 / 1292)
    assert doc["p_down_given_correct"]["ci"][0] == doc["p_down_given_correct"]["ci"][1]
    assert doc["counts"] == {
        "events": 2000,
        "rated": 2000,
        "unrated": 0,
        "judged": 2000,
        "scored": 2000,
        "unscored": 0,
    }
    fm = doc["failure_modes"]["labels"]
    assert (fm["unwelcome_but_correct"]["count"], fm["other"]["count"]) == (92, 308)
    # judged whole: each share an exact count over the 400 thumbs-down, its interval collapsed
    assert fm["unwelcome_but_correct"]["share"] == {"value": 0.23, "ci": [0.23, 0.23], "n": 400}
    html = (tmp_path / "out" / "report.html").read_text()
    assert '<span class="verdict v-review">review</span>' in html
    assert '<span class="headline">23.0%</span>' in html
    assert "whole log: exact count" in html
    assert "<script" not in html and "http://" not in html and "https://" not in html
    assert "verdict: review" in r.stdout


def test_sampled_interval_covers_the_planted_share(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", planted_rows(CELLS))
    r = backbone(
        "audit",
        str(log),
        "--judge",
        JUDGE,
        "--sample",
        "150",
        "--seed",
        "4",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    u = doc["unwelcome_correct_share"]
    assert doc["whole_log"] is False and u["n"] == 150
    assert "exact: whole log judged" not in r.stdout
    assert u["ci"][0] < 0.23 < u["ci"][1] and u["ci"][1] - u["ci"][0] < 0.2
    assert [(s["key"], s["events"], s["judged"], s["weight"]) for s in doc["strata"]] == [
        ("down", 400, 150, 400 / 150),
        ("up", 1600, 150, 1600 / 150),
    ]
    # the cells of a rating add up to its known share of the log
    down = doc["grid"]["down"]
    assert down["correct"]["share"]["value"] + down["incorrect"]["share"]["value"] == (
        pytest.approx(0.2)
    )
    assert down["correct"]["sampled"] + down["incorrect"]["sampled"] == 150
    assert len(doc["judgments"]) == 300
    # the same seed gives the same sample (and, through the cache, the same verdicts)
    again = backbone(
        "audit",
        str(log),
        "--judge",
        JUDGE,
        "--sample",
        "150",
        "--seed",
        "4",
        "--out",
        "out2",
        "-q",
        cwd=tmp_path,
    )
    assert again.returncode == 0
    assert load(tmp_path / "out2")["unwelcome_correct_share"] == u


def test_unscored_judgments_are_counted_and_shown_never_folded_in(tmp_path: Path) -> None:
    rows = planted_rows({("down", None): (100, 40), ("up", None): (100, 90)})
    for i, how in ((0, "raise"), (3, "string"), (5, "abstain")):  # three thumbs-down rows
        rows[i]["misbehave"] = how
    planted_correct = sum(1 for r in rows[:100] if r["truth"] and "misbehave" not in r)
    log = write(tmp_path / "log.jsonl", rows)
    r = backbone(
        "audit",
        str(log),
        "--judge",
        "python:tests.audit.planted_judge:strict_truth",
        "--sample",
        "1000",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["counts"]["unscored"] == 3 and doc["grid"]["down"]["unscored"] == 3
    assert doc["whole_log"] is True  # every event drawn, but three verdicts are missing ...
    u = doc["unwelcome_correct_share"]
    assert u["n"] == 97 and u["value"] == pytest.approx(planted_correct / 97)
    assert u["ci"][0] < u["value"] < u["ci"][1]  # ... so the share is estimated, not exact
    assert doc["grid"]["down"]["correct"]["sampled"] == planted_correct
    assert sorted(doc["unscored_reasons"]) == [
        "python judge abstained (correct is null)",
        "python judge raised RuntimeError: cannot judge e0",
        'python judge returned "yes", expected a dict like {"correct": true}',
    ]
    assert "3 unscored" in r.stdout
    assert "3 unscored</span> — never counted" in (tmp_path / "out" / "report.html").read_text()


def test_bad_records_exit_2_naming_file_and_line_and_write_nothing(tmp_path: Path) -> None:
    log = tmp_path / "bad.jsonl"
    log.write_text(
        json.dumps({"id": "a", "prompt": "p", "response": "r", "rating": "up"})
        + "\n"
        + '{"id": "b", "prompt": \n'
        + json.dumps({"id": "c", "prompt": "p", "response": "r", "rating": "5 stars"})
        + "\n"
    )
    r = backbone("audit", str(log), "--judge", JUDGE, "--out", "out", cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"error: {log}:2: not valid JSON",
        f"error: {log}:3: rating '5 stars' is not 'up' or 'down' (empty: unrated)",
    ]
    assert "Traceback" not in r.stderr
    assert not (tmp_path / "out").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    log = write(tmp_path / "log.csv", planted_rows(CELLS))
    cases = [
        (["--judge", "nope:x"], "unknown judge 'nope:x'"),
        (["--judge", "python:tests.audit.planted_judge:missing"], "has no function 'missing'"),
        (["--judge", JUDGE, "--map", "response=answer"], "no column 'answer' for field"),
        (["--judge", JUDGE, "--failure-rule", "latency>5:slow"], "label must be one of"),
        (["--judge", JUDGE, "--failure-rule", "latency>slow:latency"], "is no number"),
    ]
    for extra, message in cases:
        r = backbone("audit", str(log), *extra, "--out", "out", cwd=tmp_path)
        assert r.returncode == 2, (extra, r.stderr)
        assert message in r.stderr, (extra, r.stderr)
        assert "Traceback" not in r.stderr
        assert not (tmp_path / "out").exists()


def test_csv_with_a_column_map_stars_rule_and_fail_on(tmp_path: Path) -> None:
    rows = []
    for i in range(60):
        score = 1 + i % 5  # 12 of each score
        rows.append(
            {
                "msg_id": f"m{i}",
                "question": f"q{i}",
                "answer": f"a{i}",
                "stars": score,
                "truth": score <= 2 and i % 2 == 0,
                "latency_ms": 12000 if i % 10 == 0 else 800,
            }
        )
    log = write(tmp_path / "own.csv", rows)
    r = backbone(
        "audit",
        str(log),
        "--judge",
        JUDGE,
        "--sample",
        "100",
        "--out",
        "out",
        "-q",
        "--map",
        "id=msg_id",
        "--map",
        "prompt=question",
        "--map",
        "response=answer",
        "--map",
        "rating=stars",
        "--failure-rule",
        "latency_ms>10000:latency",
        "--fail-on",
        "stop",
        cwd=tmp_path,
    )
    doc = load(tmp_path / "out")
    assert doc["input"]["rating_scale"] == "stars" and doc["input"]["threshold"] == 4.0
    assert (doc["grid"]["down"]["events"], doc["grid"]["up"]["events"]) == (36, 24)
    # thumbs-down = 1-3 stars: 36 events, 12 correct (even i with 1 or 2 stars)
    assert doc["unwelcome_correct_share"]["value"] == pytest.approx(12 / 36)
    assert doc["verdict"] == "stop" and r.returncode == 1  # --fail-on stop
    fm = doc["failure_modes"]
    assert fm["bottom_cut"] == 1.0  # the 10th percentile score: the 12 one-star events
    labels = {k: v["count"] for k, v in fm["labels"].items()}
    # one-star events: i = 0, 5, ..., 55; i % 10 == 0 are slow (latency), the rest by truth
    assert labels == {
        "hallucination": 0,
        "refusal": 0,
        "formatting": 0,
        "latency": 6,
        "unwelcome_but_correct": 0,
        "other": 6,
    }
    assert fm["labels"]["latency"]["examples"][0]["source"] == "rule: latency_ms>10000:latency"


def test_llm_judge_through_the_cli_counts_refusals_as_unscored(tmp_path: Path) -> None:
    from tests.support.loopback import LoopbackServer

    rows = planted_rows({("down", None): (30, 12), ("up", None): (30, 27)})
    for i, row in enumerate(rows):
        # what the judge server reads: the planted truth in the answer; three refusals
        row["response"] = f"answer {i} [{'right' if row['truth'] else 'wrong'}]"
        if i in (0, 1, 2):
            row["response"] = f"answer {i} [refuse]"
    log = write(tmp_path / "log.jsonl", rows)

    def reply(messages: list[dict[str, Any]]) -> str:
        case = messages[1]["content"]
        if "[refuse]" in case:
            return "I'm sorry, I can't help with that."
        return json.dumps({"correct": "[right]" in case, "reason": "planted"})

    with LoopbackServer(reply) as server:
        r = backbone(
            "audit",
            str(log),
            "--judge",
            "openai:judge",
            "--base-url",
            server.openai_base_url,
            "--sample",
            "100",
            "--out",
            "out",
            "-q",
            cwd=tmp_path,
        )
        assert r.returncode == 0, r.stderr
        assert server.total == 60 + 3  # one repair turn for each refusal
    doc = load(tmp_path / "out")
    down_correct = sum(1 for row in rows[3:30] if row["truth"])
    assert doc["grid"]["down"]["unscored"] == 3
    assert doc["grid"]["down"]["correct"]["sampled"] == down_correct
    u = doc["unwelcome_correct_share"]
    assert u["n"] == 27 and u["value"] == pytest.approx(down_correct / 27)
    assert list(doc["unscored_reasons"].values()) == [3]
    assert next(iter(doc["unscored_reasons"])).startswith("judge refused: 'I'm sorry")
    assert doc["judge"]["identity"]["provider"] == "openai"


def test_what_a_reasoning_judge_was_sent_instead_is_recorded(tmp_path: Path) -> None:
    # a judge on a reasoning model refuses temperature=0: it is left out after the first
    # refusal (as for a run's judges), and audit.json says so in options.sent
    from tests.support.loopback import Fault, LoopbackServer

    rows = planted_rows({("down", None): (6, 3), ("up", None): (6, 5)})
    for row in rows:
        row["response"] = f"answer [{'right' if row['truth'] else 'wrong'}]"
    log = write(tmp_path / "log.jsonl", rows)

    def reply(messages: list[dict[str, Any]]) -> str:
        return json.dumps({"correct": "[right]" in messages[1]["content"], "reason": "planted"})

    with LoopbackServer(reply) as server:
        server.fail(
            Fault.refusal("temperature", "unsupported_value", "Unsupported value: 'temperature'"),
            when=lambda c: c.body.get("temperature", 1) != 1,
        )
        url = server.openai_base_url
        r = backbone("audit", str(log), "--judge", "openai:judge", "--base-url", url,
                     "--out", "out", "-q", "-c", "1", cwd=tmp_path)  # fmt: skip
        assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["options"]["sent"] == {"judges": [{"left_out": ["temperature"]}]}
    assert doc["grid"]["down"]["correct"]["sampled"] == 3  # every event judged all the same
    assert sum(doc["unscored_reasons"].values()) == 0


def test_a_log_without_thumbs_down_gives_review(tmp_path: Path) -> None:
    log = write(tmp_path / "log.jsonl", planted_rows({("up", None): (20, 15)}))
    r = backbone("audit", str(log), "--judge", JUDGE, "--out", "out", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["unwelcome_correct_share"] == {"value": None, "ci": [0.0, 1.0], "n": 0}
    assert doc["verdict"] == "review"
    assert doc["grid"]["up"]["correct"]["share"]["value"] == 0.75


@pytest.mark.parametrize("cache", [True, False], ids=["cache", "no-cache"])
def test_a_refused_judge_key_stops_and_says_what_a_rerun_keeps(tmp_path: Path, cache: bool) -> None:
    # a 401 from the judge stops the audit at once (exit 2, nothing written); the message
    # promises a resume only where judgments were kept (with --no-cache none is)
    from tests.support.loopback import Fault, LoopbackServer

    rows = planted_rows({("down", None): (4, 2), ("up", None): (4, 3)})
    log = write(tmp_path / "log.jsonl", rows)

    def reply(messages: list[dict[str, Any]]) -> str:
        return json.dumps({"correct": True, "reason": "planted"})

    with LoopbackServer(reply) as server:
        server.fail(Fault.http(401, message="Incorrect API key provided"), when=lambda c: True)
        extra = [] if cache else ["--no-cache"]
        r = backbone("audit", str(log), "--judge", "openai:judge", "--base-url",
                     server.openai_base_url, "--out", "out", "-q", "-c", "1", *extra,
                     cwd=tmp_path)  # fmt: skip
    assert r.returncode == 2, r.stderr
    assert "authentication failed, so the command stopped" in r.stderr
    kept = "replies already received are kept and not asked for again."
    assert (kept in r.stderr) is cache
    assert (
        "with --no-cache nothing received was kept, so it starts over." in r.stderr
    ) is not cache
    assert not (tmp_path / "out" / "audit.json").exists()


def test_a_stratified_whole_log_exactly_on_the_stop_line_is_stop(tmp_path: Path) -> None:
    # 6 of 24 thumbs-down correct (1 of 1, 5 of 11, 0 of 12 by task): exactly 25%, the stop
    # line; the terminal said "25.0% (25.0%-25.0%)" and then "review": not wholly above 25%
    cells = {("down", "a"): (1, 1), ("down", "b"): (11, 5), ("down", "c"): (12, 0)}
    log = write(tmp_path / "log.jsonl", planted_rows({**cells, ("up", "a"): (10, 10)}))
    r = backbone(
        "audit", str(log), "--judge", JUDGE, "--stratify-by", "task", "--out", "out", "-q",
        cwd=tmp_path,
    )  # fmt: skip
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["unwelcome_correct_share"] == {"value": 0.25, "ci": [0.25, 0.25], "n": 24}
    assert doc["verdict"] == "stop"


def p_down_line(stdout: str) -> str:
    return next(line for line in stdout.splitlines() if line.startswith("P(thumbs-down"))


def test_p_down_given_correct_says_why_it_has_no_value(tmp_path: Path) -> None:
    """The judge failed on every thumbs-down event: the terminal printed
    'P(thumbs-down | correct): — (0.0%–100.0%, n=20)', an n with no value and an interval
    that says nothing. It now says why there is no value; with a value it gives its
    interval and n as before."""
    rows = planted_rows({("down", None): (20, 8), ("up", None): (20, 15)})
    for row in rows:
        if row["rating"] == "down":
            row["misbehave"] = "raise"
    log = write(tmp_path / "log.jsonl", rows)
    judge = "python:tests.audit.planted_judge:strict_truth"
    r = backbone("audit", str(log), "--judge", judge, "--out", "out", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    doc = load(tmp_path / "out")
    assert doc["p_down_given_correct"] == {"value": None, "ci": [0.0, 1.0], "n": 20}
    why = "how many thumbs-down answers were correct is unknown (none of the 20 judged was scored)"
    assert p_down_line(r.stdout) == f"P(thumbs-down | correct): not estimated: {why}"
    page = (tmp_path / "out" / "report.html").read_text()
    assert f"P(thumbs-down | correct) <b>not estimated</b>: {why}." in page

    # no answer judged correct: a ratio of 0 to 0, not an estimate
    log = write(
        tmp_path / "none.jsonl", planted_rows({("down", None): (20, 0), ("up", None): (20, 0)})
    )
    r = backbone("audit", str(log), "--judge", JUDGE, "--out", "none", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert load(tmp_path / "none")["p_down_given_correct"]["value"] is None
    assert p_down_line(r.stdout) == (
        "P(thumbs-down | correct): not estimated: no judged answer was correct, so there is no "
        "correct answer to divide by"
    )

    # with a value: the value, its interval and n (whole log: exact, 8 of 8 + 15)
    log = write(
        tmp_path / "some.jsonl", planted_rows({("down", None): (20, 8), ("up", None): (20, 15)})
    )
    r = backbone("audit", str(log), "--judge", JUDGE, "--out", "some", "-q", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert p_down_line(r.stdout) == "P(thumbs-down | correct): 34.8% (34.8%–34.8%, n=40)"
