"""Costs in every run, and what a run would cost before it starts: a planted price table gives
exact costs in results.json (target priced per million tokens as the server reported them), a
cached re-run costs the same but spends nothing, and --dry-run makes no call and writes
nothing."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

from tests.support.loopback import (
    PLANTED_REQUESTS,
    LoopbackServer,
    backbone_here,
    cli_env,
    planted_bot,
    write_suite,
)

PRICES = "providers:\n  '{host}': {{m: {{input: 2.0, output: 8.0}}}}\n"


def here(args: list[str], *, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`)."""
    return backbone_here(args, env=env, cwd=cwd)


def _run(server: LoopbackServer, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return here(
        ["run", "--target", "openai:m", "--base-url", server.openai_base_url,
         "--suite", "suite.yaml", "--prices", "prices.yaml", "--concurrency", "2", *extra],
        cwd=tmp, env=cli_env(OPENAI_API_KEY="sk-test", BACKBONE_CACHE_DIR=str(tmp / "cache")),
    )  # fmt: skip


def test_a_planted_price_table_gives_exact_costs_and_a_cached_rerun_spends_nothing(
    tmp_path: Path,
) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        host = server.openai_base_url.split("//")[1].split("/")[0]
        (tmp_path / "prices.yaml").write_text(PRICES.format(host=host), encoding="utf-8")
        first = _run(server, tmp_path, "--out", "a")
        assert first.returncode == 0, first.stderr
        calls = list(server.calls)
        second = _run(server, tmp_path, "--out", "b")
        assert second.returncode == 0, second.stderr
        assert len(server.calls) == len(calls)  # served from the cache
    assert len(calls) == sum(PLANTED_REQUESTS.values())
    # what the server reported: words in the messages sent, words in the reply
    tokens_in = sum(len(m["content"].split()) for c in calls for m in c.messages)
    tokens_out = sum(len(planted_bot(c.messages).split()) for c in calls)
    usd = (tokens_in * 2.0 + tokens_out * 8.0) / 1_000_000
    a = json.loads((tmp_path / "a" / "results.json").read_text())["costs"]
    assert a["target"]["input_tokens"] == tokens_in
    assert a["target"]["output_tokens"] == tokens_out
    assert a["target"]["price"] == {
        "input_per_mtok": 2.0, "output_per_mtok": 8.0, "source": "prices.yaml"
    }  # fmt: skip
    assert a["target"]["usd"] == round(usd, 6) == a["target"]["usd_spent"] == a["usd"]
    assert a["judges"] is None and a["currency"] == "USD"
    b = json.loads((tmp_path / "b" / "results.json").read_text())
    assert b["stats"]["calls"] == 0 and b["stats"]["uncached_input_tokens"] == 0
    assert b["costs"]["target"]["usd"] == a["target"]["usd"]  # the replies cost the same
    assert b["costs"]["target"]["usd_spent"] == 0.0 == b["costs"]["usd_spent"]
    # the terminal says both figures
    assert f"${round(usd, 6):.4f} for the replies" in first.stdout
    assert "$0.0000 spent by this run" in second.stdout
    html = (tmp_path / "a" / "report.html").read_text()
    assert 'data-cost="target"' in html and f"${round(usd, 6):.4f}" in html


def test_an_unpriced_model_says_so_instead_of_costing_nothing(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "prices.yaml").write_text("providers: {}\n", encoding="utf-8")
    with LoopbackServer(planted_bot) as server:
        proc = _run(server, tmp_path, "--out", "a", "--quiet")
    assert proc.returncode == 0, proc.stderr
    costs = json.loads((tmp_path / "a" / "results.json").read_text())["costs"]
    assert costs["target"]["usd"] is None and costs["usd"] is None
    assert "no price for openai:m" in costs["target"]["note"]
    assert "not priced" in proc.stdout


def test_dry_run_makes_no_call_writes_nothing_and_estimates_the_cost(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        host = server.openai_base_url.split("//")[1].split("/")[0]
        (tmp_path / "prices.yaml").write_text(PRICES.format(host=host), encoding="utf-8")
        proc = _run(server, tmp_path, "--out", "a", "--dry-run", "--samples", "2")
        assert server.total == 0
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / "a").exists() and not (tmp_path / "cache").exists()
    calls = 2 * sum(PLANTED_REQUESTS.values())
    assert f"target: {calls} calls" in proc.stdout
    assert "5 scenarios × 2 samples" in proc.stdout and "no call made" in proc.stdout
    assert "~$0.0" in proc.stdout  # priced from the user's table


def test_dry_run_says_a_reasoning_models_reasoning_is_beyond_the_estimate(tmp_path: Path) -> None:
    # gpt-5 and the o-series bill hidden reasoning as output, and a spent limit grows: the
    # "at most" figure assumed the limit set
    write_suite(tmp_path / "suite.yaml")
    note = "reasons before it answers: its hidden reasoning is billed as output tokens"
    for target, judge, noted in (
        ("openai:gpt-5-mini", "openai:gpt-4o-mini", ["openai:gpt-5-mini"]),
        ("openai:gpt-4o-mini", "openai:o4-mini", ["openai:o4-mini"]),
        ("openai:gpt-4o-mini", "anthropic:claude-haiku-4-5", []),
    ):
        proc = here(
            ["run", "--suite", "suite.yaml", "--dry-run", "--target", target,
             "--judge", judge],
            # the dry run checks the specs as the run does, a provider's key among them
            cwd=tmp_path, env=cli_env(OPENAI_API_KEY="sk-test", ANTHROPIC_API_KEY="sk-test"),
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        said = " ".join(proc.stdout.split())
        assert [s for s in (target, judge) if f"note: {s} {note}" in said] == noted


def test_dry_run_with_a_bad_slice_exits_2(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "prices.yaml").write_text("providers: {}\n", encoding="utf-8")
    proc = here(
        ["run", "--suite", "suite.yaml", "--dry-run", "--position", "nope"],
        cwd=tmp_path, env=cli_env(),
    )  # fmt: skip
    assert proc.returncode == 2
    assert "--position 'nope'" in proc.stderr and "Traceback" not in proc.stderr


def test_a_run_logged_to_a_file_prints_plain_progress_lines(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "prices.yaml").write_text("providers: {}\n", encoding="utf-8")
    with LoopbackServer(planted_bot) as server:
        proc = here(
            ["run", "--target", "openai:m", "--base-url",
             server.openai_base_url, "--suite", "suite.yaml", "--out", "a", "--concurrency", "1"],
            cwd=tmp_path,
            env=cli_env(OPENAI_API_KEY="sk-test", BACKBONE_CACHE_DIR=str(tmp_path / "cache"),
                        BACKBONE_PROGRESS_SECONDS="0"),
        )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    lines = [x for x in proc.stderr.splitlines() if x.startswith("scenarios ")]
    # a line at the start and one per scenario played (interval 0), with the tallies
    assert [x.split()[1] for x in lines] == [f"{k}/5" for k in range(0, 6)]
    assert "calls" in lines[-1] and "elapsed" in lines[-1] and "(100%)" in lines[-1]
    assert "ETA" in lines[1] and "ETA" not in lines[-1]
