"""A log or ``--out`` path is printed as it is: ``[/]`` in a folder's name is Rich markup that
closes nothing, and ``audit`` (reading such a log), ``audit`` and ``audit-channels`` (writing
into such a folder) and ``compare`` ended with Rich's ``MarkupError`` traceback and exit 1,
the audit before judging, the others after writing their files (a CI job read the 1 as a
failed gate). ``monitor`` escaped them already."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from tests.support.loopback import backbone_here, cli_env

ROOT = Path(__file__).resolve().parents[2]
PLAIN = ROOT / "tests" / "fixtures" / "runs" / "plain"
ODD = "d[/]"  # a folder "d[" holding files whose names start with "]"


def _cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = cli_env(PYTHONPATH=f"{ROOT / 'src'}:{ROOT}", BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    return backbone_here(list(args), cwd=tmp_path, env=env)


def _ok(proc: subprocess.CompletedProcess[str]) -> str:
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr and "MarkupError" not in proc.stderr
    return proc.stdout + proc.stderr


def test_audit_prints_a_log_and_an_out_folder_with_markup_in_their_names(
    tmp_path: Path,
) -> None:
    (tmp_path / "d[").mkdir()
    rows = [
        {"id": f"e{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "prompt": "2+2?", "response": "4", "rating": "down" if i % 2 else "up"}
        for i in range(6)
    ]  # fmt: skip
    (tmp_path / f"{ODD}log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    said = _ok(
        _cli(tmp_path, "audit", f"{ODD}log.jsonl", "--judge",
             "python:tests.fixtures.gated_judge:audit", "--out", f"{ODD}audit")
    )  # fmt: skip
    assert f"{ODD}log.jsonl: 6 events" in said
    assert f"wrote {ODD}audit/audit.json, {ODD}audit/report.html" in said
    assert (tmp_path / f"{ODD}audit" / "audit.json").is_file()


def test_audit_channels_prints_an_out_folder_with_markup_in_its_name(tmp_path: Path) -> None:
    (tmp_path / "d[").mkdir()
    (tmp_path / "log.csv").write_text("id,prompt,response,experience,disagreed\nx1,q,a,up,yes\n")
    said = _ok(
        _cli(tmp_path, "audit-channels", "log.csv", "--judge",
             "python:tests.fixtures.gated_judge:audit", "--out", f"{ODD}ch")
    )  # fmt: skip
    assert f"wrote {ODD}ch/channels.json, {ODD}ch/review_queue.jsonl (1 to review)" in said


def test_compare_prints_an_out_folder_with_markup_in_its_name(tmp_path: Path) -> None:
    (tmp_path / "d[").mkdir()
    shutil.copytree(PLAIN, tmp_path / "run")
    said = _ok(_cli(tmp_path, "compare", "run", "run", "--out", f"{ODD}cmp", "-q"))
    assert f"wrote {ODD}cmp/compare.json, {ODD}cmp/compare.md, {ODD}cmp/compare.html" in said


def test_audit_prints_a_stratum_with_markup_in_its_value(tmp_path: Path) -> None:
    """A --stratify-by column's value is the user's text too: 'code[/]review' crashed the
    audit's log summary line with MarkupError, exit 1, before anything was judged."""
    rows = [
        {"id": f"e{i}", "timestamp": "2025-03-01T00:00:00Z", "user_id": f"u{i}",
         "prompt": "2+2?", "response": "4", "rating": "down" if i % 2 else "up",
         "task": "code[/]review" if i % 3 else "tax"}
        for i in range(12)
    ]  # fmt: skip
    (tmp_path / "log.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    said = _ok(
        _cli(tmp_path, "audit", "log.jsonl", "--stratify-by", "task", "--judge",
             "python:tests.fixtures.gated_judge:audit", "--out", "audit")
    )  # fmt: skip
    assert "down|code[/]review 4" in said
    assert (tmp_path / "audit" / "audit.json").is_file()


def test_run_rescore_and_synth_print_an_out_folder_with_markup_in_its_name(
    tmp_path: Path,
) -> None:
    """``run``, ``rescore`` and ``synth`` wrote their files into ``d[/]...`` and then crashed
    on the "wrote" line with MarkupError, exit 1: a finished run read as a failed one."""
    from tests.support.loopback import write_suite

    (tmp_path / "d[").mkdir()
    write_suite(tmp_path / "suite.yaml")
    said = _ok(
        _cli(tmp_path, "run", "--target", "python:tests.support.loopback:planted_bot",
             "--suite", "suite.yaml", "--out", f"{ODD}run")
    )  # fmt: skip
    assert f"wrote {ODD}run/results.json, {ODD}run/transcripts.jsonl, {ODD}run/report.html" in said
    said = _ok(
        _cli(tmp_path, "rescore", f"{ODD}run", "--judge", "python:tests.cli.test_rescore:judge_a",
             "-o", f"{ODD}re")
    )  # fmt: skip
    assert f"wrote {ODD}re/results.json" in said
    said = _ok(_cli(tmp_path, "synth", "ab", "--out", f"{ODD}ab.csv"))
    assert f"wrote {ODD}ab.csv: " in said
    said = _ok(_cli(tmp_path, "synth", "tells", "--out", f"{ODD}tells", "--periods", "8"))
    assert f"wrote {ODD}tells/" in said
