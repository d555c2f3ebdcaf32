"""Whether two ``--no-cache`` runs of the embedded model give the same replies: at the default
concurrency (the calls in flight decoded together, so a reply depends on what shares its
forward pass) and at ``--concurrency 1``, each run once alone and once beside another run,
and what ``--concurrency 1`` costs in time.

    python benchmarks/bench_local_reproducible.py [N]

Each run is ``backbone run --no-cache --limit N`` (default 16) on round 13 of the recorded
are-you-sure slice (``scripts/are_you_sure_items.py --round13``, imported with ``--ladder
original``: long prompts and replies of up to 160 tokens) with one llama.cpp thread, so that
two at once share two cores without spinning against each other. On the golden set's short
replies the two concurrencies agree (140 of 140 replies, 2026-12-06); on these they do not.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BACKBONE = Path(sys.executable).parent / "backbone"
ROOT = Path(__file__).resolve().parent.parent


def suite(folder: Path) -> Path:
    """Round 13 of the are-you-sure slice as a suite in ``folder``."""
    items, out = folder / "r13.jsonl", folder / "r13.yaml"
    script = ROOT / "scripts" / "are_you_sure_items.py"
    subprocess.run([sys.executable, str(script), str(items), "--round13"], check=True,
                   capture_output=True)  # fmt: skip
    subprocess.run([str(BACKBONE), "import", "are-you-sure", str(items), "-o", str(out),
                    "--ladder", "original"], check=True, capture_output=True)  # fmt: skip
    return out


def start(out: Path, played: Path, limit: str, concurrency: str | None) -> subprocess.Popen[bytes]:
    """``backbone run --no-cache`` of ``limit`` scenarios of the suite ``played`` into ``out``."""
    args = [str(BACKBONE), "run", "--no-cache", "--quiet", "--out", str(out), "--suite",
            str(played), "--limit", limit, "--max-tokens", "160"]  # fmt: skip
    if concurrency:
        args += ["--concurrency", concurrency]
    env = {**os.environ, "BACKBONE_LOCAL_THREADS": "1"}
    return subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def finish(proc: subprocess.Popen[bytes]) -> None:
    _, err = proc.communicate()
    if proc.returncode != 0:
        sys.exit(err.decode())


def replies(out: Path) -> dict[tuple[str, int], str]:
    """Each assistant reply of a run, by scenario id and its place in the conversation."""
    found: dict[tuple[str, int], str] = {}
    for line in (out / "transcripts.jsonl").read_text().splitlines():
        rec = json.loads(line)
        said = [m["content"] for m in rec["messages"] if m["role"] == "assistant"]
        found.update({(rec["id"], i): text for i, text in enumerate(said)})
    return found


def same(a: dict[tuple[str, int], str], b: dict[tuple[str, int], str]) -> str:
    return f"{sum(a[k] == b.get(k) for k in a)} of {len(a)}"


def main() -> None:
    limit = sys.argv[1] if len(sys.argv) > 1 else "16"
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "runs"
        played = suite(Path(tmp))
        secs: dict[str, float] = {}
        for name, concurrency in (("default", None), ("one", "1")):
            t0 = time.perf_counter()
            finish(start(root / f"{name}-alone", played, limit, concurrency))
            secs[name] = time.perf_counter() - t0
        together = [
            start(root / "one-loaded", played, limit, "1"),
            start(root / "default-loaded", played, limit, None),
        ]
        for proc in together:
            finish(proc)
        runs = {p.name: replies(p) for p in root.iterdir()}
    print(f"{limit} scenarios alone: default concurrency {secs['default']:.0f} s, --concurrency 1 "
          f"{secs['one']:.0f} s ({secs['one'] / secs['default']:.2f}x)")  # fmt: skip
    print("replies the same, alone vs beside another run:")
    print(f"  --concurrency 1: {same(runs['one-alone'], runs['one-loaded'])}")
    print(f"  default concurrency: {same(runs['default-alone'], runs['default-loaded'])}")
    across = same(runs["default-alone"], runs["one-alone"])
    print(f"  default alone vs --concurrency 1 alone: {across}")


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - t0:.0f} s)")
