"""Which labeled turns two trees of backbone read differently: the figures "dev +N, test +M,
none worse" quoted for a grader rule.

    git worktree add /tmp/before COMMIT
    python scripts/verdict_diff.py /tmp/before/src src [-v]

For the answer key and the chain, on the recorded set's dev and test splits and (chain) the
written set, it runs ``backbone judge-check --out`` with each tree on ``PYTHONPATH`` and
compares the disagreements (both trees read the second tree's recorded cases): a turn only
the first tree misread is fixed, one only the second misreads is broken.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

BACKBONE = Path(sys.executable).parent / "backbone"
CHECKS = [
    ("answer-key", "dev"),
    ("answer-key", "test"),
    ("chain", "dev"),
    ("chain", "test"),
    ("chain", None),
]


def misread(src: str, judge: str, split: str | None, recorded: str) -> dict[str, str]:
    """Each labeled turn the tree at ``src`` reads otherwise than labeled: its predicted label
    (the recorded cases read from ``recorded``, the same folder for both trees)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "check.json"
        args = [str(BACKBONE), "judge-check", "--judge", judge, "--show", "0", "--out", str(out)]
        if split is not None:
            args += ["--labeled", recorded, "--split", split]
        env = {**os.environ, "PYTHONPATH": src}
        subprocess.run(args, env=env, check=True, capture_output=True, text=True)
        doc = json.loads(out.read_text())
    return {d["id"]: d["predicted"] for d in doc["disagreements"]}


def main() -> None:
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    before, after, verbose = sys.argv[1], sys.argv[2], "-v" in sys.argv[3:]
    recorded = str(Path(after) / "backbone" / "graders" / "labeled" / "recorded")
    for judge, split in CHECKS:
        a = misread(before, judge, split, recorded)
        b = misread(after, judge, split, recorded)
        fixed = sorted(set(a) - set(b))
        broken = sorted(set(b) - set(a))
        name = f"{judge} {split or 'written'}"
        print(f"{name}: fixed {len(fixed)}, broken {len(broken)}, net {len(fixed) - len(broken)}")
        if verbose:
            for i in fixed:
                print(f"  + {i} (was {a[i]})")
            for i in broken:
                print(f"  - {i} (now {b[i]})")


if __name__ == "__main__":
    main()
