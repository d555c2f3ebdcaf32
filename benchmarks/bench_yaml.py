"""Reading backbone's own YAML (suites and labeled sets) with libyaml's C parser against the
pure-Python one, and what that does to the start of every run.

    python benchmarks/bench_yaml.py [--repeat 3]

Both parsers go through :func:`backbone.core.yaml_lines.load_yaml_with_lines` with the same
limits (nesting depth, alias expansion) and line numbers; the Python one is what an install
without libyaml uses, and what every run used before. Prints, median of ``--repeat``:

- ``(a)`` seconds to read every shipped ``*.yaml`` with each parser, and the ratio;
- ``(b)`` seconds to derive the exemplar grader's default exemplars from the labeled sets'
  dev split with each parser, and the ratio. Target: C at least 3 times faster. (A run reads
  them from the shipped snapshot instead, ``benchmarks/bench_grader_start.py``; it derives
  them only when the snapshot is stale.)
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from pathlib import Path

import yaml

from backbone.core.yaml_lines import load_yaml_with_lines

ROOT = Path(__file__).resolve().parents[1]


def _seconds(fn: Callable[[], object], repeat: int, *, libyaml: bool) -> float:
    saved = yaml.__with_libyaml__
    yaml.__with_libyaml__ = libyaml
    try:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            fn()
            times.append(time.perf_counter() - t0)
        return statistics.median(times)
    finally:
        yaml.__with_libyaml__ = saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    repeat = parser.parse_args().repeat
    if not yaml.__with_libyaml__:
        raise SystemExit("PyYAML was built without libyaml: nothing to compare")
    files = sorted((ROOT / "src" / "backbone").rglob("*.yaml"))
    texts = [(p.read_text(encoding="utf-8"), str(p)) for p in files]
    size = sum(len(t) for t, _ in texts)

    def read_all() -> None:
        for text, name in texts:
            load_yaml_with_lines(text, name)

    def graders() -> None:
        from backbone.graders import exemplar

        exemplar._shipped_dev_items.cache_clear()  # what a fresh process does: nothing read yet
        exemplar.default_exemplars()

    c, py = _seconds(read_all, repeat, libyaml=True), _seconds(read_all, repeat, libyaml=False)
    print(
        f"(a) {len(files)} shipped YAML files, {size / 1e6:.2f} MB:"
        f" C {c:.2f} s, Python {py:.2f} s, ratio {py / c:.1f}x"
    )
    c, py = _seconds(graders, repeat, libyaml=True), _seconds(graders, repeat, libyaml=False)
    ratio = py / c
    print(
        f"(b) the default exemplars from the labeled YAML: C {c:.2f} s, Python {py:.2f} s,"
        f" ratio {ratio:.1f}x"
        f"  target >= 3x: {'met' if ratio >= 3 else 'MISSED'}"
    )


if __name__ == "__main__":
    main()
