"""Where the test suite's time goes, from pytest's junit XML: the total, and per test folder.

Given two files (a run before a change and one after), it compares the tests both ran: the
engines tier left out of one run is then left out of the comparison too.

    bash scripts/test.sh --junitxml=/tmp/after.xml
    (in a worktree at the earlier commit) bash scripts/test.sh --junitxml=/tmp/before.xml
    .venv/bin/python benchmarks/suite_times.py /tmp/before.xml /tmp/after.xml

Stop 56's figures came from this comparison, the "before" run at 4fbbfa0: the 4,184 tests both
runs ran took 1,856 s before the harness and command-tree caches and 1,100 s after (tests/cli
492 s to 170 s).
"""

from __future__ import annotations

import argparse
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path


def test_times(path: Path) -> dict[str, float]:
    """Seconds per test (setup, call and teardown), keyed ``folder.module::name``."""
    root = ET.parse(path).getroot()
    return {
        f"{case.get('classname')}::{case.get('name')}": float(case.get("time") or 0)
        for case in root.iter("testcase")
    }


def by_folder(times: dict[str, float], keys: set[str]) -> Counter[str]:
    """Seconds per top-level test folder (``tests.cli``), over ``keys``."""
    folders: Counter[str] = Counter()
    for key in keys:
        folders[".".join(key.split("::")[0].split(".")[:2])] += times[key]
    return folders


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("runs", nargs="+", type=Path, help="a junit XML file, or before and after")
    parser.add_argument("--folders", type=int, default=12, help="folders listed, most time first")
    args = parser.parse_args()
    runs = [test_times(p) for p in args.runs[:2]]
    both = set(runs[0]).intersection(*runs[1:])
    folders = [by_folder(r, both) for r in runs]
    totals = "  ".join(f"{sum(r[k] for k in both):,.0f} s" for r in runs)
    print(f"{len(both):,} tests in {'both runs' if len(runs) > 1 else 'the run'}: {totals}")
    for name, _ in folders[0].most_common(args.folders):
        print(f"  {name:32s}" + "  ".join(f"{f[name]:8.0f} s" for f in folders))


if __name__ == "__main__":
    main()
