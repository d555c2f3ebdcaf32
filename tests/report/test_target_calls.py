"""The run's line ``target calls: N made`` counts every call sent to the target, the failed
ones (each retry one) included: a run whose every call failed said "0 made", as if the server
had never been asked. ``results.json`` keeps ``stats.calls`` (replies received) and adds
``stats.failed_calls``."""

from __future__ import annotations

import json
from pathlib import Path

from tests.support.loopback import (
    PLANTED_REQUESTS,
    Fault,
    LoopbackServer,
    backbone_here,
    cli_env,
    planted_bot,
    write_suite,
)


def run(server: LoopbackServer, tmp_path: Path) -> tuple[str, dict[str, int]]:
    out = tmp_path / "out"
    proc = backbone_here(
        ["run", "--target", "openai:m", "--base-url", server.openai_base_url, "--suite",
         str(write_suite(tmp_path / "suite.yaml")), "--out", str(out), "--no-cache",
         "--retries", "2"],
        env=cli_env(BACKBONE_RETRY_BACKOFF="0.01"),
        cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    stats = json.loads((out / "results.json").read_text(encoding="utf-8"))["stats"]
    return " ".join(proc.stdout.split()), stats


def test_a_run_whose_every_call_failed_says_how_many_it_made(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.http(500), when=lambda call: True)
        text, stats = run(server, tmp_path)
        sent = server.total
    assert sent == 5 * 3  # five conversations, each asked three times (two retries)
    assert f"target calls: {sent} made ({sent} of them failed), 0 from cache" in text
    assert (stats["calls"], stats["failed_calls"]) == (0, sent)


def test_a_retried_call_counts_as_made(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.http(503), on=[1, 2])
        text, stats = run(server, tmp_path)
        sent = server.total
    replies = sum(PLANTED_REQUESTS.values())
    assert sent == replies + 2
    assert f"target calls: {sent} made (2 of them failed), 0 from cache" in text
    assert (stats["calls"], stats["failed_calls"]) == (replies, 2)


def test_a_run_with_no_failure_says_made_alone(tmp_path: Path) -> None:
    with LoopbackServer(planted_bot) as server:
        text, stats = run(server, tmp_path)
        sent = server.total
    assert f"target calls: {sent} made, 0 from cache" in text
    assert stats["failed_calls"] == 0


def test_the_pressure_line_counts_its_failed_calls_too(tmp_path: Path) -> None:
    """The adaptive pressure role's line said 'calls 0 made' when its every call failed."""
    from typer.testing import CliRunner

    from backbone.cli.app import app

    suite = str(Path(__file__).parents[1] / "runner" / "pressure_suite.yaml")
    role = "python:tests.runner.pressure_bots:returns_none"  # a bug: every call fails
    result = CliRunner().invoke(
        app,
        ["run", "-t", "python:tests.runner.pressure_bots:quote_caver", "-s", suite, "-q",
         "-o", str(tmp_path / "out"), "--no-cache", "--pressure", role],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    doc = json.loads((tmp_path / "out" / "results.json").read_text(encoding="utf-8"))
    failed = doc["options"]["pressure"]["failed_calls"]
    assert failed == len(doc["scenarios"]) == 3  # each scenario's first pressure turn
    assert f"adaptive pressure: {role} as " in result.output
    assert f"· calls {failed} made ({failed} of them failed), 0 cached" in result.output


def test_the_report_counts_the_failed_calls_too(tmp_path: Path) -> None:
    """report.html said 'Calls to the target: 0 made' for a run whose every call failed."""
    with LoopbackServer(planted_bot) as server:
        server.fail(Fault.http(500), when=lambda call: True)
        run(server, tmp_path)
        sent = server.total
    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    assert f"Calls to the target: {sent} made ({sent} of them failed), 0 from cache" in page
