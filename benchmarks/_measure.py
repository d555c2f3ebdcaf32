"""Peak memory of one measurement in a child process of its own, shared by the benchmarks that
compare an old path with a new one (bench_audit.py, bench_tells_tables.py): a process's peak
RSS only grows, so each path runs in a fresh ``python SCRIPT --child MODE PATH`` whose last
stdout line is its JSON result.

Run as ``python benchmarks/bench_x.py``, the script's folder is first on ``sys.path``, so the
benchmarks import this module as ``_measure``.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path
from typing import Any


def peak_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def run_child(
    script: str, mode: str, path: Path, memory_limit: str | None = None
) -> dict[str, Any]:
    """``python SCRIPT --child MODE PATH [--memory-limit M]``: its JSON result."""
    cmd = [sys.executable, script, "--child", mode, str(path)]
    if memory_limit:
        cmd += ["--memory-limit", memory_limit]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result
