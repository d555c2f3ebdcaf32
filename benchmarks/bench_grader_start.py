"""What building the run's default graders costs, with the shipped exemplar snapshot against
deriving the exemplars afresh (parsing the labeled sets' YAML, embedding every exemplar), and
the wall time of a small ``backbone run`` in a fresh process.

    python benchmarks/bench_grader_start.py [--repeat 3]

Prints, median of ``--repeat`` (the embedder is loaded once first, as both ways need it):

- ``(a)`` seconds for the default exemplars and their vectors from the snapshot, cold (a
  fresh process's first read), and derived afresh; the ratio. Target: at least 5x;
- ``(b)`` wall seconds of ``backbone run`` on a 14-scenario scripted suite (no cache), a new
  process each time: what every CLI run and CLI test pays at start;
- ``(c)`` wall seconds of a fresh process importing what ``backbone run`` imports (the CLI,
  the library entry point, the run record), against the same with ``scipy.stats`` imported
  too, as every run did while the Wilson interval came from ``scipy.stats.binomtest``; and
  whether a run's imports pull in scipy or aiohttp at all (they must not: only HTTP
  providers need aiohttp).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import timeit
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from backbone.graders import exemplar  # noqa: E402
from backbone.graders.embedding import default_embedder  # noqa: E402


def _median(fn: Callable[[], object], repeat: int) -> float:
    return statistics.median(timeit.repeat(fn, number=1, repeat=repeat))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    default_embedder()

    def from_snapshot() -> None:
        exemplar._default_exemplars_with_vectors.cache_clear()
        exemplar._default_exemplars_with_vectors()

    def afresh() -> None:
        exemplar._shipped_dev_items.cache_clear()
        exemplar.embedded_default_exemplars()

    snap, fresh = _median(from_snapshot, repeat), _median(afresh, repeat)
    ratio = fresh / snap
    print(
        f"(a) default exemplars with vectors: snapshot {snap:.3f} s, afresh {fresh:.2f} s,"
        f" ratio {ratio:.0f}x  target >= 5x: {'met' if ratio >= 5 else 'MISSED'}"
    )

    from tests.cli.test_run_planted import planted_suite

    with tempfile.TemporaryDirectory() as tmp:
        suite = Path(tmp) / "suite.yaml"
        planted_suite(suite)
        backbone = str(Path(sys.executable).parent / "backbone")
        runs = iter(range(repeat))

        def run() -> None:
            out = Path(tmp) / f"out{next(runs)}"
            cmd = [backbone, "run", "--target", "python:tests.fixtures.planted:bot", "--suite",
                   str(suite), "--out", str(out), "--quiet", "--no-cache"]  # fmt: skip
            subprocess.run(cmd, cwd=ROOT, check=True, capture_output=True)

        wall = _median(run, repeat)
        print(f"(b) backbone run, 14 scripted scenarios, fresh process: {wall:.2f} s")

    run_imports = "import backbone.cli.app, backbone.evaluation.evaluate, backbone.record"

    def imports(code: str) -> Callable[[], object]:
        return lambda: subprocess.run([sys.executable, "-c", code], check=True)

    probe = f"import sys; {run_imports}; print({{'scipy', 'aiohttp'}} & set(sys.modules) or 'none')"
    pulled = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    now = _median(imports(run_imports), repeat)
    before = _median(imports(f"{run_imports}, scipy.stats"), repeat)
    print(
        f"(c) a run's imports, fresh process: {now:.2f} s; with scipy.stats as before"
        f" {before:.2f} s; ratio {before / now:.1f}x; of scipy and aiohttp imported:"
        f" {pulled.stdout.strip()}"
    )


if __name__ == "__main__":
    main()
