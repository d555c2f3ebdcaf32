"""``backbone_here`` answers as the ``backbone`` process does: the same exit code, stdout and
stderr, including what backbone's ``logging`` warnings print there."""

from __future__ import annotations

from pathlib import Path

from tests.support.loopback import backbone_here, cli_env, run_cli, write_suite

BOT = """
import logging

def reply(messages):
    logging.getLogger("backbone.planted").warning("planted warning %d", len(messages))
    return "Rome."
"""


def test_a_logging_warning_reaches_stderr_as_in_a_process(tmp_path: Path) -> None:
    (tmp_path / "bot.py").write_text(BOT)
    suite = write_suite(tmp_path / "suite.yaml")
    args = [
        "run",
        "--suite",
        str(suite),
        "--target",
        "python:bot.py:reply",
        "--quiet",
        "--no-cache",
        # one conversation at a time: with several in flight the warnings' order is the
        # scheduler's, and differs between two runs of the same process
        "--concurrency",
        "1",
    ]
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    process = run_cli([*args, "--out", "p"], env=env, cwd=tmp_path)
    here = backbone_here([*args, "--out", "h"], env=env, cwd=tmp_path)
    assert "planted warning 1" in process.stderr, process.stderr
    assert here.returncode == process.returncode
    assert here.stderr == process.stderr


def test_a_module_of_the_same_name_loaded_here_before_is_not_the_one_the_command_runs(
    tmp_path: Path,
) -> None:
    # another test loaded its own bots.py into this process (a library call): a `backbone`
    # process would import the bots.py of its folder, and so does backbone_here
    import importlib.util
    import json
    import sys

    (tmp_path / "other").mkdir()
    (tmp_path / "other" / "bots.py").write_text("def reply(messages):\n    return 'Paris.'\n")
    spec = importlib.util.spec_from_file_location("bots", tmp_path / "other" / "bots.py")
    assert spec is not None and spec.loader is not None
    earlier = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(earlier)
    sys.modules["bots"] = earlier
    try:
        (tmp_path / "bots.py").write_text("def reply(messages):\n    return 'Rome.'\n")
        suite = write_suite(tmp_path / "suite.yaml")
        args = ["run", "--suite", str(suite), "--target", "python:bots:reply", "-q"]
        env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
        proc = backbone_here([*args, "--no-cache", "--out", "h"], env=env, cwd=tmp_path)
        assert proc.returncode == 0, proc.stderr
        lines = (tmp_path / "h" / "transcripts.jsonl").read_text().splitlines()
        said = {m["content"] for x in lines for m in json.loads(x)["messages"]}
        assert "Rome." in said and "Paris." not in said
        assert sys.modules["bots"] is earlier  # put back as it was
    finally:
        sys.modules.pop("bots", None)


def test_the_width_of_a_command_modules_console_is_this_calls_not_the_first_imports(
    tmp_path: Path,
) -> None:
    # run_cmd's console is made at import and reads COLUMNS then; when the first test that
    # imported it in this process had COLUMNS=60, every later call printed 60 wide
    from backbone.cli import run_cmd

    suite = write_suite(tmp_path / "suite.yaml")
    bot = "python:tests.support.loopback:planted_bot"
    args = ["run", "--suite", str(suite), "--target", bot, "--no-cache"]
    root = str(Path(__file__).resolve().parents[2])  # for the bot's module
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"), COLUMNS="250", PYTHONPATH=root)
    process = run_cli([*args, "--out", "p"], env=env, cwd=tmp_path)
    saved = run_cmd.out._width
    run_cmd.out._width = 60  # what Console() made under COLUMNS=60 holds
    try:
        here = backbone_here([*args, "--out", "h"], env=env, cwd=tmp_path)
    finally:
        run_cmd.out._width = saved
    assert max(len(x) for x in process.stdout.splitlines()) > 60
    assert here.stdout.replace("h/", "p/") == process.stdout
