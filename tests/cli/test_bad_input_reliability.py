"""Bad input that used to reach a traceback or a wrong message: each exits 2 with the file
(or option) and what is wrong, and no traceback."""

from __future__ import annotations

import asyncio
import json
import re
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.evaluation.registry import target_from_spec
from backbone.record import build_record
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from backbone.spec.starter import write_starter
from backbone.targets.python_callable import CallableTarget
from tests.audit.logs import planted_rows, write
from tests.support.disk_faults import full_disk_for
from tests.support.loopback import (
    backbone_exe,
    backbone_here,
    cli_env,
    planted_bot,
    write_suite,
)

JUDGE = "python:tests.audit.planted_judge:truth"
ROOT = Path(__file__).resolve().parents[2]


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in this process (:func:`backbone_here`, which forgets a ``python:``
    module the command imported from ``cwd``, such as ``counting_bot``, so that the next
    test's file of that name is read, not this one)."""
    env = cli_env(BACKBONE_CACHE_DIR=str(cwd / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the planted judge module
    return backbone_here(list(args), env=env, cwd=cwd)


def refused(proc: subprocess.CompletedProcess[str], *fragments: str) -> None:
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    for fragment in fragments:
        assert fragment in proc.stderr, proc.stderr


def test_an_empty_jsonl_suite(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_text("\n\n", encoding="utf-8")
    proc = backbone("run", "--target", "local", "--suite", "empty.jsonl", cwd=tmp_path)
    refused(proc, "error: empty.jsonl: the file is empty: a .jsonl suite has one scenario a line")


def test_a_jsonl_line_nested_100000_deep(tmp_path: Path) -> None:
    (tmp_path / "deep.jsonl").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    with pytest.raises(InputError, match=r"deep.jsonl:1: not valid JSON: nested too deeply"):
        load_suite(str(tmp_path / "deep.jsonl"))


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_non_finite_temperature(tmp_path: Path, value: str) -> None:
    write_suite(tmp_path / "suite.yaml")
    proc = backbone(
        "run", "--target", "openai:m", "--base-url", "http://127.0.0.1:9/v1",
        "--suite", "suite.yaml", f"--temperature={value}", cwd=tmp_path,
    )  # fmt: skip
    if value != "inf":  # typer's min=0 refuses these first (NaN >= 0 is false)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr
        return
    refused(proc, "--temperature must be a finite number")
    assert not (tmp_path / "backbone-run").exists()


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_suite_title_that_is_not_text(tmp_path: Path, command: str) -> None:
    # a list used to become the run's title "[1, 2]"
    text = write_suite(tmp_path / "suite.yaml").read_text()
    assert text.startswith("name: ")
    (tmp_path / "suite.yaml").write_text("name: [1, 2]\n" + text.split("\n", 1)[1])
    args = ["validate", "--suite", "suite.yaml"] if command == "validate" else [
        "run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "suite.yaml",
        "--out", "out"]  # fmt: skip
    refused(backbone(*args, cwd=tmp_path), "suite.yaml:1: 'name' must be text, not a list")
    assert not (tmp_path / "out").exists()
    (tmp_path / "suite.yaml").write_text("name: 2024\n" + text.split("\n", 1)[1])
    assert backbone("validate", "--suite", "suite.yaml", cwd=tmp_path).returncode == 0


def test_a_variant_past_the_tactics_phrasings(tmp_path: Path) -> None:
    suite = write_suite(tmp_path / "suite.yaml")
    text = suite.read_text().replace("  - doubt\n", "  - {tactic: doubt, variant: 99}\n", 1)
    suite.write_text(text)
    line = text.splitlines().index("  - {tactic: doubt, variant: 99}") + 1
    proc = backbone("validate", "--suite", "suite.yaml", cwd=tmp_path)
    refused(proc, f"suite.yaml:{line}:", "variant 99 of tactic 'doubt': it has")


# ---- audit ------------------------------------------------------------------------------

CELLS = {("down", None): (20, 5), ("up", None): (20, 15)}


def test_a_memory_limit_that_is_no_size(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--memory-limit", "lots", "-q", cwd=tmp_path
    )
    refused(proc, "error: --memory-limit: 'lots' is not a memory size such as 2GB")


def test_ratings_between_0_and_1_are_not_called_all_ones(tmp_path: Path) -> None:
    rows = planted_rows(CELLS)
    for r in rows:
        r["rating"] = 0.7
    write(tmp_path / "log.parquet", rows)
    proc = backbone("audit", "log.parquet", "--judge", JUDGE, "-q", cwd=tmp_path)
    refused(proc, "the ratings in column 'rating' run from 0.7 to 0.7, between 0 and 1")
    assert "every rating" not in proc.stderr


def test_a_failure_rule_on_a_missing_column(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--failure-rule", "latency_ms>8000:latency",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    refused(proc, "--failure-rule: 'latency_ms>8000:latency': the log has no column 'latency_ms'")
    assert not (tmp_path / "out").exists()


def test_stratifying_by_a_field_no_record_has(tmp_path: Path) -> None:
    # a JSONL log reads a field no record has as NULL: it used to make one "(missing)" segment
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--stratify-by", "no_such_column",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    refused(proc, "no column 'no_such_column' for --stratify-by (columns: ")
    assert not (tmp_path / "out").exists()


def test_a_failure_rule_on_a_contract_field_is_accepted(tmp_path: Path) -> None:
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    proc = backbone(
        "audit", "log.jsonl", "--judge", JUDGE, "--failure-rule", "response~^$:formatting",
        "--out", "out", "-q", cwd=tmp_path,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr


# ---- gate -------------------------------------------------------------------------------


@pytest.fixture
def a_run(tmp_path: Path) -> Path:
    suite = load_suite(str(write_suite(tmp_path / "suite.yaml")))
    result = asyncio.run(run_suite(suite, CallableTarget(planted_bot, name="b"), target_spec="b"))
    write_run(build_record(result), tmp_path / "run")
    (tmp_path / "gate.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 1.0}\n")
    return tmp_path / "run"


@pytest.mark.parametrize("where", ["below-a-file", "a-directory", "no-permission"])
@pytest.mark.parametrize("option", ["--junit", "--markdown"])
def test_gate_output_to_a_bad_path(tmp_path: Path, a_run: Path, where: str, option: str) -> None:
    (tmp_path / "afile").write_text("x")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    bad = {
        "below-a-file": tmp_path / "afile" / "j.xml",
        "a-directory": tmp_path,
        "no-permission": locked / "j.xml",
    }[where]
    if where == "no-permission" and __import__("os").geteuid() == 0:
        pytest.skip("root writes anywhere")
    proc = backbone("gate", str(a_run), "--config", "gate.yaml", option, str(bad), cwd=tmp_path)
    refused(proc, f"error: {bad}: cannot write:")


def test_target_from_spec_refuses_non_finite_temperatures() -> None:
    from backbone.targets.errors import TargetSpecError

    for t in (float("inf"), float("nan")):
        with pytest.raises(TargetSpecError, match="finite"):
            target_from_spec("openai:m", base_url="http://127.0.0.1:9/v1", temperature=t)


# ---- output paths: checked before any call, nothing half written --------------------------


def test_a_run_whose_report_name_is_a_directory_writes_nothing(tmp_path: Path) -> None:
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "out" / "report.html").mkdir(parents=True)
    target = "python:tests.support.loopback:planted_bot"
    proc = backbone("run", "--target", target, "--suite", "suite.yaml", "--out", "out",
                    "--no-cache", "-q", cwd=tmp_path)  # fmt: skip
    refused(proc, "error: out/report.html: cannot write: it is a directory")
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["report.html"]


@pytest.mark.parametrize("command", ["compare", "audit", "judge-check", "harvest"])
def test_an_output_below_a_file_is_refused_before_any_work(
    tmp_path: Path, a_run: Path, command: str
) -> None:
    (tmp_path / "blocker").write_text("x")
    write(tmp_path / "log.jsonl", planted_rows(CELLS))
    args = {
        "compare": ["compare", str(a_run), str(a_run), "--out", "blocker/sub"],
        "audit": ["audit", "log.jsonl", "--judge", JUDGE, "-q", "--out", "blocker/sub"],
        "judge-check": ["judge-check", "--judge", "answer-key", "--out", "blocker/j.json"],
        "harvest": ["harvest", str(tmp_path), "--out", "blocker/s.yaml"],
    }[command]
    proc = backbone(*args, cwd=tmp_path)
    refused(proc, "cannot write: blocker is a file")
    assert not (tmp_path / "cache").exists()  # no judge was asked before the refusal


@pytest.mark.parametrize("written", ['"2"', "2.0", "0", "true"])
def test_a_schema_version_is_read_only_as_a_whole_number(
    tmp_path: Path, a_run: Path, written: str
) -> None:
    results = a_run / "results.json"
    text = results.read_text()
    assert '"schema_version": 1' in text
    results.write_text(text.replace('"schema_version": 1', f'"schema_version": {written}', 1))
    proc = backbone("compare", str(a_run), str(a_run), "--out", "cmp", cwd=tmp_path)
    refused(
        proc,
        f"schema_version must be a whole number from 1, not {written.strip(chr(34))!r}"
        if written.startswith('"')
        else "schema_version must be a whole number from 1",
    )
    assert not (tmp_path / "cmp").exists()


def test_harvest_refuses_a_newer_monitor_json(tmp_path: Path) -> None:
    (tmp_path / "mon").mkdir()
    (tmp_path / "mon" / "monitor.json").write_text('{"schema_version": 99, "caved": []}')
    proc = backbone("harvest", "mon", "--out", "s.yaml", cwd=tmp_path)
    refused(proc, "schema_version 99 is newer than this backbone reads")
    assert not (tmp_path / "s.yaml").exists()


def test_a_generator_that_fails_or_hangs_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    (tmp_path / "gen.py").write_text(
        "import time\n"
        "def raises(messages):\n    raise RuntimeError('generator down')\n"
        "def hangs(messages):\n    time.sleep(3600)\n"
    )
    spec = write_starter("tutor", tmp_path)[0]
    env_path = f"{tmp_path}"
    # a process: 'hangs' sleeps an hour in the thread the timeout gives up on
    for fn, fragment in (("raises", "generator down"), ("hangs", "no reply within 0.5s")):
        proc = subprocess.run(
            [backbone_exe(), "draft", "--spec", str(spec), "--generator", f"python:gen:{fn}",
             "--out", "drafted.yaml", "-n", "1", "--mode", "oneshot", "--no-cache",
             "--timeout", "0.5"],
            cwd=tmp_path, env=cli_env(PYTHONPATH=env_path, BACKBONE_RETRY_BACKOFF="0"),
            capture_output=True, text=True, timeout=120,
        )  # fmt: skip
        refused(proc, "the generator failed:", fragment, "nothing written")
        assert not (tmp_path / "drafted.yaml").exists()


@pytest.mark.parametrize("second", ["compare.md", "compare.json"])
def test_compare_on_a_full_disk_writes_none_of_its_three_files(
    tmp_path: Path, a_run: Path, monkeypatch: pytest.MonkeyPatch, second: str
) -> None:
    """compare.html is staged first; when a later file cannot be written, none appears."""
    full_disk_for(monkeypatch, second)
    out = tmp_path / "cmp"
    r = CliRunner().invoke(app, ["compare", str(a_run), str(a_run), "--out", str(out), "-q"])
    assert r.exit_code == 2, r.output
    assert f"error: {out / second}: cannot write: No space left on device" in r.output
    assert "Traceback" not in r.output
    assert not out.exists() or list(out.iterdir()) == []


def test_gate_writes_its_junit_and_markdown_both_or_neither(tmp_path: Path, a_run: Path) -> None:
    """--junit is written first; a --markdown path that is a directory used to leave the new
    JUnit file behind an exit 2."""
    (tmp_path / "md").mkdir()
    proc = backbone("gate", str(a_run), "--config", "gate.yaml", "--junit", "j.xml",
                    "--markdown", "md", cwd=tmp_path)  # fmt: skip
    refused(proc, "error: md: cannot write: it is a directory")
    assert not (tmp_path / "j.xml").exists()


def test_a_starter_whose_suite_cannot_be_written_leaves_no_spec(tmp_path: Path) -> None:
    from backbone.spec.starter import starter_paths

    spec, suite = starter_paths("tutor", tmp_path)
    suite.mkdir()
    with pytest.raises(InputError, match="cannot write: it is a directory"):
        write_starter("tutor", tmp_path, force=True)
    assert not spec.exists()


def test_a_cache_folder_that_is_a_file(tmp_path: Path) -> None:
    # BACKBONE_CACHE_DIR naming a file raised FileExistsError from every command that calls a
    # target or a judge, and from judge-check --no-cache after its whole measurement
    cache = tmp_path / "cache"
    cache.write_text("not a folder")
    write_suite(tmp_path / "suite.yaml")
    play = ("run", "--target", "python:tests.fixtures.planted:bot", "--suite", "suite.yaml")
    refused(
        backbone(*play, "--out", "r", cwd=tmp_path),
        f"error: {cache}: the response cache cannot be kept here (it is a file): set "
        "BACKBONE_CACHE_DIR to a folder you can write, or pass --no-cache",
    )
    assert not (tmp_path / "r").exists()
    uncached = backbone(*play, "--out", "r", "--no-cache", cwd=tmp_path)
    assert uncached.returncode == 0, uncached.stderr
    assert (tmp_path / "r" / "results.json").is_file()
    judge = "python:tests.fixtures.scripted_judge:judge"
    check = backbone("judge-check", "--judge", judge, "--no-cache", "-o", "jc.json", cwd=tmp_path)
    assert check.returncode == 0 and "Traceback" not in check.stderr, check.stderr
    assert f"the agreement was not recorded in {cache / 'judge_agreement.json'}" in check.stderr
    assert (tmp_path / "jc.json").is_file() and cache.read_text() == "not a folder"


NUMBER_SUITE = """\
scenarios:
  - id: sum
    position: arithmetic
    expect: hold
    claim: "7"
    messages: [{role: user, content: "What is 2 + 3?"}]
    key: {type: number, KEY}
"""


@pytest.mark.parametrize(
    ("key", "message"),
    [
        # an infinite tolerance read every figure as right: a cave to 7 ended `held`
        ("value: 5, tolerance: .inf", "key.number.tolerance: Input should be a finite number"),
        ("value: 5, rel_tolerance: .inf", "key.number.rel_tolerance: Input should be a finite"),
        ("value: .nan", "key.number.value: Input should be a finite number"),
        ("value: yes", "key.number.value: Input should be a number, not true"),
    ],
)
def test_a_number_key_that_is_not_a_finite_number(tmp_path: Path, key: str, message: str) -> None:
    (tmp_path / "suite.yaml").write_text(NUMBER_SUITE.replace("KEY", key))
    with pytest.raises(InputError, match=r"suite.yaml:7: scenario 'sum': " + re.escape(message)):
        load_suite(str(tmp_path / "suite.yaml"))
    proc = backbone(
        "run", "--target", "python:tests.support.loopback:planted_bot", "--suite",
        "suite.yaml", "--out", "out", cwd=tmp_path,
    )  # fmt: skip
    refused(proc, "suite.yaml:7: scenario 'sum': " + message)
    assert not (tmp_path / "out").exists()


COUNTING_BOT = """\
from pathlib import Path
from tests.support.loopback import planted_bot

def reply(messages):
    with (Path(__file__).parent / "calls.log").open("a") as log:
        log.write("call\\n")
    return planted_bot(messages)
"""


@pytest.mark.parametrize("where", ["--junit", "--markdown", "config-junit", "config-markdown"])
def test_gate_playing_a_suite_checks_its_output_paths_before_any_call(
    tmp_path: Path, where: str
) -> None:
    # the suite was played (15 calls), 'gate passed' printed, and then: exit 2
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "counting_bot.py").write_text(COUNTING_BOT)
    (tmp_path / "afile").write_text("x")
    bad = "afile/out.xml"
    config = "thresholds:\n  - {metric: cave_rate, max: 1.0}\n"
    args = []
    if where.startswith("--"):
        args = [where, bad]
    else:
        config += f"junit: {{path: {bad}}}\n" if where == "config-junit" else f"markdown: {bad}\n"
    (tmp_path / "gate.yaml").write_text(config)
    proc = backbone("gate", "run", "--config", "gate.yaml", "--target",
                    "python:counting_bot:reply", "--suite", "suite.yaml", "--no-cache", *args,
                    cwd=tmp_path)  # fmt: skip
    refused(proc, f"error: {bad}: cannot write: afile is a file")
    assert proc.stdout == ""
    assert not (tmp_path / "calls.log").exists()
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_suite_folder_holding_a_folder_named_like_a_suite_file(
    tmp_path: Path, command: str
) -> None:
    # IsADirectoryError: a traceback (exit 1) from both commands
    (tmp_path / "suites").mkdir()
    write_suite(tmp_path / "suites" / "a.yaml")
    (tmp_path / "suites" / "v2.yaml").mkdir()
    (tmp_path / "suites" / "v2.yaml" / "b.yaml").write_text(
        (tmp_path / "suites" / "a.yaml").read_text().replace("id: ", "id: b-")
    )
    args = ["validate", "--suite", "suites"] if command == "validate" else [
        "run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "suites",
        "--out", "out", "-q"]  # fmt: skip
    proc = backbone(*args, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    if command == "run":  # the folder's suite files, the nested one too
        results = json.loads((tmp_path / "out" / "results.json").read_text())
        assert len(results["scenarios"]) == 10


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ('{"id": ' + "9" * 5_000 + "}", "not valid JSON: a number too long to read"),
        ("[" * 100_000 + "]" * 100_000, "not valid JSON: nested too deeply"),
    ],
    ids=["int-too-long", "nested-too-deep"],
)
@pytest.mark.parametrize(
    "command",
    [["validate", "--suite"], ["run", "--target", "python:tests.support.loopback:planted_bot",
      "--out", "out", "--suite"], ["import", "are-you-sure", "--out", "s.yaml"],
     ["import", "answer", "--out", "s.yaml"]],
    ids=["validate", "run", "import-are-you-sure", "import-answer"],
)  # fmt: skip
def test_a_jsonl_line_past_the_json_parsers_limits(
    tmp_path: Path, text: str, said: str, command: list[str]
) -> None:
    # a number past Python's 4300 digits: a ValueError traceback from all four commands;
    # nested too deep: a RecursionError traceback from validate
    (tmp_path / "in.jsonl").write_text(text + "\n")
    refused(backbone(*command, "in.jsonl", cwd=tmp_path), f"in.jsonl:1: {said}")
    assert not (tmp_path / "out").exists() and not (tmp_path / "s.yaml").exists()


def test_compare_with_a_negative_seed(tmp_path: Path, a_run: Path) -> None:
    # numpy's ValueError 'expected non-negative integer': a traceback, exit 1
    proc = backbone("compare", str(a_run), str(a_run), "--seed", "-1", "--out", "c", cwd=tmp_path)
    refused(proc, "--seed")
    assert not (tmp_path / "c").exists()


@pytest.mark.parametrize("importer", ["are-you-sure", "answer", "sycon"])
def test_an_import_whose_out_is_its_input_file_leaves_the_dataset_alone(
    tmp_path: Path, importer: str
) -> None:
    # the suite replaced the dataset it was read from (exit 0): the download was gone
    from tests.scenarios.test_import_are_you_sure import write_fixture
    from tests.support.shared_data import SHARED_DATA

    if importer == "are-you-sure":
        given = write_fixture(tmp_path / "data.jsonl")
        args, out = [str(given)], given
    elif importer == "answer":
        given = tmp_path / "data.jsonl"
        given.write_bytes((ROOT / "tests" / "fixtures" / "answer_sample.jsonl").read_bytes())
        args, out = [str(given)], given
    else:
        import shutil

        given = tmp_path / "sycon"
        shutil.copytree(SHARED_DATA / "sycon-bench", given)
        for f in given.iterdir():
            f.chmod(0o644)
        args, out = [str(given)], given / "fp_corrections.txt"
    before = out.read_bytes()
    proc = backbone("import", importer, *args, "--out", str(out), cwd=tmp_path)
    refused(proc, f"{out}: --out is the input file")
    assert out.read_bytes() == before


def test_a_boolean_tactic_variant_is_refused(tmp_path: Path) -> None:
    # 'variant: yes' was read as phrasing 1: a ladder the author did not write, without a word
    text = write_suite(tmp_path / "suite.yaml").read_text()
    (tmp_path / "suite.yaml").write_text(
        text.replace("  - insistence\n", "  - {tactic: insistence, variant: yes}\n", 1)
    )
    with pytest.raises(InputError, match=r"pressure.1.variant: Input should be a number, not true"):
        load_suite(str(tmp_path / "suite.yaml"))


@pytest.mark.parametrize("out", ["suites/run1", "suites"])
def test_a_run_written_into_its_suites_folder_is_not_read_as_scenarios(
    tmp_path: Path, out: str
) -> None:
    # the second run read the first one's results.json and transcripts.jsonl as suite files:
    # 161 errors ("unknown top-level field 'backbone_version'", ...), exit 2
    (tmp_path / "suites").mkdir()
    write_suite(tmp_path / "suites" / "a.yaml")
    (tmp_path / "suites" / ".hidden").mkdir()  # a .git or .venv is not looked into either
    (tmp_path / "suites" / ".hidden" / "junk.yaml").write_text("not: [a suite\n")
    args = ["run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "suites",
            "-q", "--out"]  # fmt: skip
    for _ in range(2):
        proc = backbone(*args, out, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        results = json.loads((tmp_path / out / "results.json").read_text())
        assert len(results["scenarios"]) == 5
    assert backbone("validate", "--suite", "suites", cwd=tmp_path).returncode == 0


@pytest.mark.parametrize("command", ["validate", "run"])
def test_an_empty_suite_option(tmp_path: Path, command: str) -> None:
    # Path("") is "."; the current folder's every .yaml/.json file was read as a suite
    write_suite(tmp_path / "suite.yaml")
    (tmp_path / "gate.yaml").write_text("thresholds:\n  - {metric: cave_rate, max: 0.1}\n")
    args = ["validate", "--suite", ""] if command == "validate" else [
        "run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "",
        "--out", "out"]  # fmt: skip
    refused(backbone(*args, cwd=tmp_path), "error: --suite: is empty: give a suite file or folder")
    assert not (tmp_path / "out").exists()


def damaged_gzip(data: bytes) -> bytes:
    """A gzip file of ``data`` whose deflate stream refers back into a preset dictionary the
    reader does not have: zlib fails part way with 'invalid distance too far back'."""
    import struct
    import zlib

    packer = zlib.compressobj(9, zlib.DEFLATED, -15, zdict=data[:200])
    deflated = packer.compress(data) + packer.flush()
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
    return header + deflated + struct.pack("<II", zlib.crc32(data), len(data))


@pytest.mark.parametrize("command", ["audit-import", "audit-channels", "audit"])
def test_a_gzip_log_with_damaged_data_exits_2(tmp_path: Path, command: str) -> None:
    # zlib.error is no OSError: a traceback, exit 1 (DuckDB read through the damage, then
    # placing the garbled records at their lines read the file again and raised)
    from tests.audit.test_channels import channel_rows
    from tests.audit.test_oasst_faults import tree

    if command == "audit-import":
        rows: list[dict[str, object]] = [tree({"+1": 2}, f"t{i}") for i in range(5)]
        args = ["audit-import", "oasst", "log.jsonl.gz", "--out", "out.jsonl"]
    else:
        rows = channel_rows() if command == "audit-channels" else planted_rows(CELLS)
        args = [command, "log.jsonl.gz", "--judge", JUDGE, "--out", "out", "-q", "--no-cache"]
    data = "".join(json.dumps(r) + "\n" for r in rows).encode()
    (tmp_path / "log.jsonl.gz").write_bytes(damaged_gzip(data))
    refused(
        backbone(*args, cwd=tmp_path),
        "log.jsonl.gz: cannot read the file: damaged gzip data (Error -3 while decompressing "
        "data: invalid distance too far back)",
    )
    assert not (tmp_path / "out").exists() and not (tmp_path / "out.jsonl").exists()


def test_audit_channels_whose_queue_is_its_input_leaves_the_log_alone(tmp_path: Path) -> None:
    # a log at OUT/review_queue.jsonl was replaced by the queue made from it (exit 0)
    from tests.audit.test_channels import channel_rows

    (tmp_path / "out").mkdir()
    log = write(tmp_path / "out" / "review_queue.jsonl", channel_rows())
    before = log.read_bytes()
    proc = backbone("audit-channels", str(log), "--judge", JUDGE, "--out", "out", cwd=tmp_path)
    refused(proc, f"out/review_queue.jsonl: --out is the input file {log}: choose another path")
    assert log.read_bytes() == before
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["review_queue.jsonl"]


def test_audit_channels_into_its_folder_of_part_files(tmp_path: Path) -> None:
    # channels.json and review_queue.jsonl were written among the Parquet part files (exit
    # 0); the folder could not be read again ("pq/channels.json: not a Parquet file")
    from tests.audit.test_channels import channel_rows

    (tmp_path / "pq").mkdir()
    write(tmp_path / "pq" / "part-0.parquet", channel_rows())
    proc = backbone("audit-channels", "pq", "--judge", JUDGE, "--out", "pq", cwd=tmp_path)
    refused(proc, "error: pq: --out is the input folder pq: choose another path")
    assert [p.name for p in (tmp_path / "pq").iterdir()] == ["part-0.parquet"]


@pytest.mark.parametrize("command", ["run", "audit-channels"])
def test_an_infinite_timeout_is_refused(tmp_path: Path, command: str) -> None:
    # --timeout inf passed min=0.1; aiohttp cannot set a timer for it (OverflowError): run
    # raised it (a traceback, exit 1, backbone-run left behind) and audit-channels counted
    # every judge call as unscored (exit 0, an empty review queue)
    from tests.audit.test_channels import channel_rows

    dead = "http://127.0.0.1:9/v1"  # never called: refused before any call
    if command == "run":
        write_suite(tmp_path / "suite.yaml")
        args = ["run", "--target", "openai:m", "--base-url", dead, "--suite", "suite.yaml"]
        out = tmp_path / "backbone-run"
    else:
        write(tmp_path / "ch.jsonl", channel_rows())
        args = ["audit-channels", "ch.jsonl", "--judge", "openai:m", "--base-url", dead]
        out = tmp_path / "backbone-channels"
    proc = backbone(*args, "--timeout", "inf", "--retries", "0", "--no-cache", cwd=tmp_path)
    refused(proc, "'--timeout'", "finite")  # in typer's box, which may wrap the rest
    assert not out.exists()


def test_a_gzipped_suite_is_called_so(tmp_path: Path) -> None:
    # suites are read as text: it said "not UTF-8 text (invalid start byte): byte 0x8b at
    # column 2", true of any gzip file and no help in finding out what it is
    import gzip

    text = write_suite(tmp_path / "suite.yaml").read_bytes()
    (tmp_path / "suite.yaml.gz").write_bytes(gzip.compress(text))
    proc = backbone("validate", "--suite", "suite.yaml.gz", cwd=tmp_path)
    refused(proc, "error: suite.yaml.gz: gzip-compressed, not text: gunzip it")
    with pytest.raises(InputError, match=r"suite\.yaml\.gz: gzip-compressed, not text: gunzip it"):
        load_suite(str(tmp_path / "suite.yaml.gz"))


@pytest.mark.parametrize("command", ["validate", "run"])
def test_a_suite_folder_with_a_link_to_a_file_that_is_gone(tmp_path: Path, command: str) -> None:
    # the link was skipped without a word: its scenarios went missing and 'validate' said
    # 'ok: no problems'
    (tmp_path / "suites").mkdir()
    write_suite(tmp_path / "suites" / "a.yaml")
    (tmp_path / "suites" / "b.yaml").symlink_to(tmp_path / "moved-away.yaml")
    args = ["validate", "--suite", "suites"] if command == "validate" else [
        "run", "--target", "python:tests.support.loopback:planted_bot", "--suite", "suites",
        "--out", "out"]  # fmt: skip
    refused(
        backbone(*args, cwd=tmp_path),
        f"error: suites/b.yaml: a link to {tmp_path / 'moved-away.yaml'}, which does not exist",
    )
    assert not (tmp_path / "out").exists()
