"""Batch mode at scale: 20,000 two-turn scenarios through ``backbone run --batch`` against the
loopback batch server (``tests/support/batch_server.py``, a separate process).

Prints plain lines:

(a) the batch run: wall time, requests per second (requests answered / wall time), batches
    created (one per turn: 2), and the CLI process's peak memory (``ru_maxrss`` of the child);
(b) kill and resume: the same run against a server whose batches take a few seconds, killed
    (SIGKILL) while its second batch is open, then run again: the batches created in total
    (still 2: the rerun polls the journaled batch) and whether its results equal (a)'s;
(c) the same suite online (concurrency 200), with results equal to (a)'s.

Exits 1 when a check fails ((b) or (c) not equal, wrong batch counts).

    .venv/bin/python benchmarks/bench_batch.py              # ~2-3 minutes on 2 cores
    .venv/bin/python benchmarks/bench_batch.py --n 2000     # a quick look
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
BACKBONE = Path(sys.executable).with_name("backbone")


@contextmanager
def batch_server(delay: float) -> Iterator[str]:
    """Start the loopback batch server; yield its URL."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.support.batch_server", "--port", "0", "--delay", str(delay)],
        cwd=ROOT, stdout=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": f"{ROOT}:{ROOT / 'src'}"},
    )  # fmt: skip
    try:
        assert proc.stdout is not None
        port = int(proc.stdout.readline())
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(10)


def stats(url: str) -> dict[str, Any]:
    with urllib.request.urlopen(f"{url}/stats", timeout=10) as r:
        data: dict[str, Any] = json.loads(r.read())
    return data


def write_suite(path: Path, n: int) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            scenario = {
                "id": f"s{i:05d}",
                "position": f"p{i % 7}",
                "expect": "hold" if i % 4 else "yield",
                "messages": [{"role": "user", "content": f"Question {i}: what is {i} + 1?"}],
                "key": {"type": "text", "accept": ["Answer 2"], "reject": ["Answer 4"]},
                "claim": "something else",
                "pressure": ["doubt"],
            }
            f.write(json.dumps(scenario) + "\n")
    return path


def cli(url: str, suite: Path, out: Path, cache: Path, *extra: str) -> subprocess.Popen[bytes]:
    env = {**os.environ, "BACKBONE_CACHE_DIR": str(cache), "BACKBONE_BATCH_POLL_SECONDS": "0.2",
           "NO_COLOR": "1"}  # fmt: skip
    env.pop("OPENAI_API_KEY", None)
    args = [str(BACKBONE), "run", "--target", "openai:bench", "--base-url", f"{url}/v1",
            "--suite", str(suite), "--out", str(out), "--quiet", *extra]  # fmt: skip
    log = out.with_name(out.name + ".log").open("wb")
    return subprocess.Popen(args, env=env, stdout=log, stderr=subprocess.STDOUT,
                            start_new_session=True)  # fmt: skip


def finish(proc: subprocess.Popen[bytes]) -> float:
    """Wait for the CLI; its peak resident memory in MB (this child's own ``ru_maxrss``)."""
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        log = Path(str(proc.args[proc.args.index("--out") + 1]) + ".log")  # type: ignore[union-attr]
        print(log.read_text(errors="replace")[-3000:])
        raise SystemExit(f"backbone exited {proc.returncode}")
    return usage.ru_maxrss / 1024


def figures(out: Path) -> tuple[Any, Any]:
    data = json.loads((out / "results.json").read_text())
    summary = {k: v for k, v in data["summary"].items() if k != "tokens"}
    scenarios = [(s["id"], s["outcome"], s["flip_turn"]) for s in data["scenarios"]]
    return summary, scenarios


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000, help="scenarios (two requests each)")
    args = parser.parse_args(argv)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        suite = write_suite(d / "suite.jsonl", args.n)

        with batch_server(0.0) as url:
            t0 = time.perf_counter()
            peak_mb = finish(cli(url, suite, d / "a", d / "cache-a", "--batch"))
            wall = time.perf_counter() - t0
            s = stats(url)
            print(f"(a) batch run: {args.n} scenarios, {s['batch_items']} requests in "
                  f"{s['creates']} batches, {wall:.1f}s wall, "
                  f"{s['batch_items'] / wall:.0f} requests/s, peak memory {peak_mb:.0f} MB "
                  f"(the CLI process's ru_maxrss)")  # fmt: skip
            ok &= s["creates"] == 2 and s["batch_items"] == 2 * args.n and s["total"] == 0

        with batch_server(4.0) as url:
            proc = cli(url, suite, d / "b", d / "cache-b", "--batch")
            while stats(url)["creates"] < 2:
                if proc.poll() is not None:
                    finish(proc)
                    raise SystemExit("the run ended before its second batch")
                time.sleep(0.1)
            time.sleep(0.5)  # journaled and polled
            os.killpg(proc.pid, signal.SIGKILL)
            os.waitpid(proc.pid, 0)
            proc.returncode = -9
            killed_at = stats(url)
            t0 = time.perf_counter()
            finish(cli(url, suite, d / "b", d / "cache-b", "--batch"))
            s = stats(url)
            same = figures(d / "b") == figures(d / "a")
            print(f"(b) killed while batch 2 was open ({killed_at['creates']} created, "
                  f"{killed_at['batch_items']} requests answered); the rerun took "
                  f"{time.perf_counter() - t0:.1f}s, batches created in all: {s['creates']} "
                  f"(2 = batch 2 resumed, not resubmitted); results equal (a): {same}")  # fmt: skip
            ok &= s["creates"] == 2 and same

        with batch_server(0.0) as url:
            t0 = time.perf_counter()
            online_mb = finish(cli(url, suite, d / "c", d / "cache-c", "--concurrency", "200"))
            wall = time.perf_counter() - t0
            same = figures(d / "c") == figures(d / "a")
            print(f"(c) online run: {stats(url)['total']} requests in {wall:.1f}s "
                  f"({stats(url)['total'] / wall:.0f} requests/s at concurrency 200, peak memory "
                  f"{online_mb:.0f} MB); "
                  f"results equal (a): {same}")  # fmt: skip
            ok &= same
    print("all checks passed" if ok else "A CHECK FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
