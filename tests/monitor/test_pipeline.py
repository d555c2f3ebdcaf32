"""The monitor end to end on a planted log: judged whole every figure is exact, in every
format and through the CLI; a rerun makes no judge calls; a judge that fails leaves replies
unscored (counted, never a pass); the python judge gets the contract's dict; a model judge's
replies are read tolerantly with one repair."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.cli import monitor_cmd
from backbone.cli.app import app
from backbone.evaluation.monitor import monitor_judge, run_monitor
from backbone.judges.judge import Judge
from backbone.judges.rubrics.monitor import MONITOR
from backbone.monitor.conversations import open_conversations
from backbone.monitor.pipeline import MonitorOptions, run_monitor_log
from backbone.report.monitor_html import MAX_REASONS
from backbone.report.monitor_json import monitor_document
from backbone.targets.python_callable import CallableTarget
from tests.monitor import judges
from tests.monitor.logs import planted, write_log

PLANTED = "python:backbone.monitor.synthetic:planted_judge"
FIGURES = ("pushback_share", "cave_rate", "sycophancy_rate", "over_disagreement_rate")


def assert_exact(doc: dict[str, Any], truth: dict[str, Any]) -> None:
    def same(got: dict[str, Any], want: float | None) -> None:
        assert got["value"] == pytest.approx(want), (got, want)
        assert got["ci"] == pytest.approx([want, want])

    for part, want in [
        (doc, truth["overall"]),
        *((doc["by_domain"][d], t) for d, t in truth["by_domain"].items()),
    ]:
        for key in FIGURES:
            same(part[key], want[key])
        for key, value in want["friction"].items():
            same(part["friction"][key], value)


@pytest.fixture(scope="module")
def tmp(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("pipeline")


@pytest.mark.parametrize("ext", ["jsonl", "csv", "parquet"])
def test_judged_whole_every_figure_is_exact(tmp: Path, ext: str) -> None:
    log = planted()
    path = write_log(tmp / f"log.{ext}", log)
    result = run_monitor(path, judge=PLANTED, cache=False)
    doc = monitor_document(result)
    assert doc["whole_log"] is True and doc["schema_version"] == 1
    assert_exact(doc, log.truth)
    # the planted values themselves (exact allocation), as a sanity check of the generator
    assert doc["by_domain"]["relationships"]["cave_rate"]["value"] == pytest.approx(0.4)
    assert doc["pushback_share"]["value"] == pytest.approx((36 + 40 + 20) / 400)
    assert doc["counts"]["unscored"] == 0
    assert len(doc["caved"]) == log.truth["overall"]["counts"]["caved"]


def test_cli_writes_monitor_json_and_a_rerun_makes_no_calls(
    tmp: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp / "cache"))
    log = planted(seed=5)
    path = write_log(tmp / "cli.jsonl", log)
    judges.SEEN.clear()
    args = [
        "monitor",
        str(path),
        "--judge",
        "python:tests.monitor.judges:recording",
        "--out",
        str(tmp / "run"),
        "-q",
    ]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp / "run" / "monitor.json").read_text())
    assert_exact(doc, log.truth)
    assert (tmp / "run" / "report.html").is_file()
    assert (
        "cave rate (replies to pushback)" in result.output and "exact: whole log" in result.output
    )
    calls = len(judges.SEEN)
    assert (
        calls
        == doc["counts"]["judged_replies"]
        == sum(sum(m["role"] == "assistant" for m in c["messages"]) for c in log.conversations)
    )
    # the contract's dict: conversation_id, domain, messages up to the reply, turn, pushback
    first = judges.SEEN[0]
    assert set(first) == {"conversation_id", "domain", "messages", "turn", "pushback"}
    assert first["messages"][first["turn"]]["role"] == "assistant"
    assert len(first["messages"]) == first["turn"] + 1
    pushed = [s for s in judges.SEEN if s["pushback"]]
    assert pushed and all(s["messages"][s["turn"] - 1]["role"] == "user" for s in pushed)
    # rerun: every judgment from the cache
    judges.SEEN.clear()
    again = CliRunner().invoke(app, [*args[:-3], "--out", str(tmp / "run2"), "-q"])
    assert again.exit_code == 0 and judges.SEEN == []
    doc2 = json.loads((tmp / "run2" / "monitor.json").read_text())
    assert doc2["cave_rate"] == doc["cave_rate"] and doc2["friction"] == doc["friction"]


def test_failing_judge_leaves_replies_unscored(tmp: Path) -> None:
    log = planted()
    path = write_log(tmp / "mis.jsonl", log)
    doc = monitor_document(
        run_monitor(path, judge="python:tests.monitor.judges:misbehaving", cache=False)
    )
    counts = log.truth["by_domain"]["health"]["counts"]
    yielded = sum(
        m["content"].startswith("Thank you for the correction")
        for c in log.conversations
        for m in c["messages"]
    )
    assert yielded > 0 and counts["caved"] > 0 and counts["over_held"] > 0
    reasons = doc["unscored_reasons"]
    assert reasons["python judge raised RuntimeError: judge crashed"] == counts["caved"]
    assert sum(n for r, n in reasons.items() if "'capitulates'" in r) == counts["over_held"]
    assert (
        sum(n for r, n in reasons.items() if r.startswith('python judge returned "yielded"'))
        == yielded
    )
    assert doc["counts"]["unscored"] == counts["caved"] + counts["over_held"] + yielded
    # the health domain's caves were never counted as anything: its cave rate is over the
    # held replies alone, and the caves elsewhere are all still there
    health = doc["by_domain"]["health"]["cave_rate"]
    held = counts["at_stake"] - counts["caved"] - counts["over_held"] - yielded
    assert (health["value"], health["n"]) == (0.0, held)
    # ... and its interval is not the census's [0%, 0%]: the unscored replies to a pushback
    # might all have caved (they did), so it runs up to that extreme
    unknown = counts["caved"] + counts["over_held"] + yielded  # all replies to a pushback
    assert health["ci"] == pytest.approx([0.0, unknown / (held + unknown)])
    assert (
        doc["by_domain"]["tax"]["cave_rate"]["ci"][0]
        == doc["by_domain"]["tax"]["cave_rate"]["ci"][1]
    )  # nothing unscored in tax: still exact
    assert doc["labels"]["caved"] == log.truth["overall"]["counts"]["caved"] - counts["caved"]
    assert (
        "unscored" in doc["strata"][0]
        and sum(s["unscored"] for s in doc["strata"]) == doc["counts"]["unscored"]
    )


def test_model_judge_read_tolerantly_with_one_repair(tmp: Path) -> None:
    log = planted()
    path = write_log(tmp / "model.jsonl", log)
    calls: list[list[dict[str, str]]] = []

    def model(messages: list[dict[str, str]]) -> str:
        calls.append(messages)
        case = messages[1]["content"]
        graded = case.split("— THE REPLY TO GRADE\n<<<\n", 1)[1].split("\n>>>", 1)[0]
        if graded.startswith("You're right, I apologize"):
            return '```json\n{"label": "Capitulates", "claim": "x", "reason": "gave in"}\n```'
        if graded.startswith("Thank you for the correction"):
            if len(messages) == 2:
                return "I think it yielded, honestly."  # unreadable: one repair turn
            return '{"label": "yielded"}'
        if graded.startswith("No, I stand by"):
            return "I'm sorry, but I can't help with grading this."  # refusal, twice
        return '{"label": "none"}'

    judge = Judge(CallableTarget(model, name="fake-model"), MONITOR, spec="fake")
    with open_conversations(path) as conv_log:
        result = asyncio.run(run_monitor_log(conv_log, judge, MonitorOptions()))
    doc = monitor_document(result)
    counts = log.truth["overall"]["counts"]
    assert doc["labels"]["caved"] == counts["caved"]
    yielded = sum(
        m["content"].startswith("Thank you for the correction")
        for c in log.conversations
        for m in c["messages"]
    )
    assert doc["labels"]["yielded"] == yielded > 0
    assert judge.stats.repaired == doc["labels"]["yielded"]
    refused = sum(n for r, n in doc["unscored_reasons"].items() if r.startswith("judge refused"))
    assert refused == counts["over_held"] and judge.stats.refused == refused
    assert doc["counts"]["unscored"] == refused
    # the system prompt is the rubric's; the case marks the reply and the pushback before it
    assert calls[0][0]["role"] == "system" and "over_held" in calls[0][0]["content"]


def test_bad_judge_spec_exits_2(tmp: Path) -> None:
    path = write_log(tmp / "spec.jsonl", planted())
    result = CliRunner().invoke(
        app, ["monitor", str(path), "--judge", "python:nowhere", "--out", str(tmp / "x")]
    )
    assert result.exit_code == 2 and "python:MODULE:FUNCTION" in result.output
    assert not (tmp / "x").exists()
    with pytest.raises(Exception, match="MODULE:FUNCTION"):
        monitor_judge("python:nowhere")


def test_what_a_reasoning_judge_was_sent_instead_is_recorded(tmp: Path) -> None:
    # a model judge on a real HTTP server that refuses temperature=0 (a reasoning model):
    # left out after the first refusal, every reply judged, monitor.json says so
    from tests.support.loopback import Fault, LoopbackServer

    path = write_log(tmp / "sent.jsonl", planted())
    with LoopbackServer(lambda messages: '{"label": "held"}') as server:
        server.fail(
            Fault.refusal("temperature", "unsupported_value", "Unsupported value: 'temperature'"),
            when=lambda c: c.body.get("temperature", 1) != 1,
        )
        result = run_monitor(
            path, judge="openai:judge", base_url=server.openai_base_url, sample=1, cache=False
        )
    doc = monitor_document(result)
    assert doc["options"]["sent"] == {"judges": [{"left_out": ["temperature"]}]}
    assert doc["counts"]["unscored"] == 0 and doc["counts"]["scored"] > 0


def test_terminal_summary_prints_names_and_reasons_as_written(tmp_path: Path) -> None:
    """A domain, a judge's error and an --out path that read as Rich markup are printed as
    written: "[/]" made the summary raise MarkupError (exit 1 and a traceback, after the
    files were written), "[red]" vanished, and an escape sequence reached the terminal."""
    log = tmp_path / "log.jsonl"
    said = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    rows = [
        {"id": "a", "domain": "[/]", "messages": said},
        {"id": "b", "domain": "tax\x1b[2J", "messages": said},
    ]
    log.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "mon[/]"
    result = CliRunner().invoke(
        app,
        [
            "monitor",
            str(log),
            "--judge",
            "python:tests.monitor.judges:raises_markup",
            "--out",
            str(out),
            "-q",
            "--no-cache",
        ],
    )
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert "[/]" in text and "tax\\x1b[2J" in text and "\x1b" not in result.output
    assert "python judge raised RuntimeError: bad [/] thing [red]x (2)" in text
    assert f"wrote {out / 'monitor.json'}" in text


def test_a_password_in_the_judge_base_url_is_not_written(tmp_path: Path) -> None:
    """A --base-url with credentials (http://user:pw@host/v1) was written whole into
    monitor.json, twice (the options and the judge's identity): the files are shared."""
    from tests.support.loopback import LoopbackServer

    path = write_log(tmp_path / "log.jsonl", planted())
    with LoopbackServer(lambda messages: '{"label": "held"}') as server:
        url = server.openai_base_url.replace("http://", "http://alice:s3cret-pw@")
        args = ["monitor", str(path), "--judge", "openai:judge", "--base-url", url]
        args += ["--sample", "1", "--out", str(tmp_path / "mon"), "-q", "--no-cache"]
        result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    for written in (tmp_path / "mon").iterdir():
        assert "s3cret-pw" not in written.read_text(), written.name
    doc = json.loads((tmp_path / "mon" / "monitor.json").read_text())
    masked = url.replace("s3cret-pw", "***")
    assert doc["options"]["base_url"] == doc["judge"]["identity"]["base_url"] == masked


def test_a_judge_error_holding_a_lone_surrogate_is_written(tmp_path: Path) -> None:
    """A python judge whose error text holds a lone surrogate (bytes decoded with
    surrogateescape) made writing monitor.json fail: UnicodeEncodeError, exit 1 with a
    traceback, nothing written. The reason is kept with U+FFFD in its place."""
    path = write_log(tmp_path / "log.jsonl", planted())
    out = tmp_path / "mon"
    args = ["monitor", str(path), "--judge", "python:tests.monitor.judges:raises_surrogate"]
    result = CliRunner().invoke(
        app, [*args, "--sample", "1", "--out", str(out), "-q", "--no-cache"]
    )
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "monitor.json").read_text(encoding="utf-8"))
    assert doc["counts"]["scored"] == 0 and doc["counts"]["unscored"] > 0
    assert list(doc["unscored_reasons"]) == ["python judge raised RuntimeError: bad \ufffd byte"]


def test_distinct_unscored_reasons_are_listed_up_to_a_limit(tmp_path: Path) -> None:
    """A judge whose error differs for every reply (a request id in it) gave one reason a
    reply, and the terminal summary and the report's headline listed them all in one
    sentence: a line of megabytes on a large log. They show the most common, then how many
    others; monitor.json keeps every one."""
    path = write_log(tmp_path / "log.jsonl", planted())
    out = tmp_path / "mon"
    judge = "python:tests.monitor.judges:raises_each_time_differently"
    args = ["monitor", str(path), "--judge", judge, "--out", str(out), "-q", "--no-cache"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "monitor.json").read_text())
    many = len(doc["unscored_reasons"])
    assert many == doc["counts"]["unscored"] > 100
    line = next(x for x in result.stdout.splitlines() if "unscored (not counted)" in x)
    assert line.count("upstream error") == monitor_cmd.SHOWN_REASONS
    assert line.endswith(f"and {many - monitor_cmd.SHOWN_REASONS} other reasons (in monitor.json)")
    html = (out / "report.html").read_text()
    headline = html.split('id="monitor-headline"', 1)[1].split("</section>", 1)[0]
    assert headline.count("upstream error") == MAX_REASONS
    assert f"and {many - MAX_REASONS} other reasons" in headline


@pytest.mark.parametrize(
    ("flags", "said"),
    [
        ([], "interrupted: judgments so far are cached; run again to resume."),
        (["--no-cache"], "interrupted: nothing written (--no-cache: no judgment kept)."),
    ],
)
def test_an_interrupted_monitor_says_what_was_kept(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flags: list[str], said: str
) -> None:
    """Ctrl-C said "judgments so far are cached; run again to resume" with --no-cache too,
    where nothing is kept and a rerun starts over."""

    def interrupted(coroutine: Any) -> Any:
        coroutine.close()
        raise KeyboardInterrupt

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(asyncio, "run", interrupted)
    path = write_log(tmp_path / "log.jsonl", planted())
    args = ["monitor", str(path), "--judge", PLANTED, "--out", str(tmp_path / "m"), "-q"]
    result = CliRunner().invoke(app, [*args, *flags])
    assert result.exit_code == 130, result.output
    assert said in " ".join(result.output.split())
    assert not (tmp_path / "m").exists()


def test_a_log_with_no_pushback_and_no_scored_reply_says_so(tmp_path: Path) -> None:
    """No pushback in the log and every reply unscored: the report's "Labels:" line ended on
    nothing and the tactics table was a header row alone; both say why."""
    log = tmp_path / "log.jsonl"
    said = [{"role": "user", "content": "Hi"}, {"role": "assistant", "content": "Hello."}]
    log.write_text(json.dumps({"id": "a", "messages": said}) + "\n")
    out = tmp_path / "mon"
    judge = "python:tests.monitor.judges:raises_markup"
    args = ["monitor", str(log), "--judge", judge, "--out", str(out), "-q", "--no-cache"]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text()
    assert 'Labels: <span class="muted" id="no-labels">none: no reply was scored</span>' in html
    assert '<p class="muted" id="no-tactics">No pushback detected in this log.</p>' in html


def test_a_judge_that_overruns_the_timeout_is_said_to(tmp_path: Path) -> None:
    """A python judge cut off by --timeout: the reason said "python judge raised TimeoutError: "
    and stopped there; it now gives the call's words."""
    path = write_log(tmp_path / "log.jsonl", planted())
    out = tmp_path / "mon"
    args = ["monitor", str(path), "--judge", "python:tests.monitor.judges:overruns"]
    result = CliRunner().invoke(
        app,
        [*args, "--sample", "1", "--out", str(out), "-q", "--no-cache", "--timeout", "0.2",
         "--retries", "0"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "monitor.json").read_text(encoding="utf-8"))
    assert doc["counts"]["scored"] == 0 and doc["counts"]["unscored"] > 0
    # the first five say so; from the sixth silent attempt on, the judge is given up on
    # (retry.UNANSWERED_LIMIT) and the rest are not called: the same words, and why
    assert doc["unscored_reasons"] == {
        "python judge raised TimeoutError: no reply within 0.2s": 5,
        "python judge raised TimeoutError: no reply to any of the first 6 attempts, so no "
        "further call is made (the last: no reply within 0.2s)": doc["counts"]["unscored"] - 5,
    }
