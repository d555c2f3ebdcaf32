"""Commands run in one process: what building the click command tree, and the test harness's
look at every loaded module, cost per command.

The test suite runs most CLI tests in its own process (``tests/support/loopback.py``'s
``backbone_here``): each call put the process back as a new one would find it, which meant
resolving the path of every loaded module (about 2,000) twice, and Typer built the whole
command tree (every command's annotations read) on every ``app()``. Both are now done once
per process. This times ``backbone run`` of the tests' planted suite on a scripted
``python:`` target (no cache) through ``backbone_here``, ``--calls`` times each way, in this
process:

- ``rebuilt``: as before, the command tree built and every module path resolved on each call
  (the two caches cleared before each);
- ``tree once``: the command tree kept, the module paths resolved on each call;
- ``both once``: as the suite runs now.

    .venv/bin/python benchmarks/bench_cli_in_process.py --calls 40
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path[:0] = [
    str(Path(__file__).resolve().parents[1]),
    str(Path(__file__).resolve().parents[1] / "src"),
]

from tests.support import loopback  # noqa: E402
from tests.support.loopback import backbone_here, write_suite  # noqa: E402

from backbone.cli import app  # noqa: E402


def timed(calls: int, suite: Path, before: Callable[[], None], tag: str) -> float:
    """Seconds per ``backbone run`` call, ``before()`` run ahead of each."""
    env = dict(os.environ)
    spent = 0.0
    for k in range(calls):
        before()
        start = time.perf_counter()
        args = ["run", "--suite", str(suite), "--target", "python:bot:reply", "--quiet"]
        args += ["--no-cache", "--out", f"out-{tag}-{k}"]
        proc = backbone_here(args, env=env, cwd=suite.parent)
        spent += time.perf_counter() - start
        assert proc.returncode == 0, proc.stderr
    return spent / calls


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=40, help="commands timed each way")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        suite = write_suite(Path(folder) / "suite.yaml")
        (Path(folder) / "bot.py").write_text("def reply(messages):\n    return 'Rome.'\n")
        timed(2, suite, lambda: None, "warm")  # imports and first build: not counted

        def rebuild() -> None:
            app.command.cache_clear()
            loopback._installed.cache_clear()

        ways = {
            "rebuilt": rebuild,
            "tree once": loopback._installed.cache_clear,
            "both once": lambda: None,
        }
        got = {
            name: timed(args.calls, suite, before, str(i))
            for i, (name, before) in enumerate(ways.items())
        }
    print(f"backbone run in this process, {args.calls} calls each, {len(sys.modules)} "
          "modules loaded")  # fmt: skip
    for name, seconds in got.items():
        ratio = got["rebuilt"] / seconds
        print(f"  {name:10s} {seconds * 1000:7.1f} ms a call   {ratio:4.1f}x")


if __name__ == "__main__":
    main()
