"""What ``backbone draft --generator local`` (guided mode, SmolLM2-135M, greedy) gives for
each built-in positions spec: valid hold candidates (each a hold scenario and its twin) and
preference cases per position, why the others were dropped, calls and time.

    $ PYTHONPATH=src python benchmarks/bench_draft_local.py [-n 3] [--seed 0]

Uses a throw-away response cache unless BACKBONE_CACHE_DIR is set.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter

from backbone.core.errors import InputError
from backbone.evaluation.draft import draft
from backbone.spec.loader import builtin_specs


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("-n", type=int, default=3, help="candidates per position")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.environ.setdefault("BACKBONE_CACHE_DIR", tempfile.mkdtemp(prefix="bench-draft-"))
    totals: Counter[str] = Counter()
    for domain in builtin_specs():
        start = time.perf_counter()
        try:
            result = draft(f"builtin:{domain}", "local", per_position=args.n, seed=args.seed)
        except InputError as exc:
            print(f"{domain}: nothing usable ({exc})")
            continue
        took = time.perf_counter() - start
        holds = [p.scenarios // 2 for p in result.positions if p.kind == "hold"]
        zones = [p.scenarios for p in result.positions if p.kind == "yield"]
        why = Counter(d.why.split(": ", 1)[-1] for p in result.positions for d in p.dropped)
        totals.update(
            holds=sum(holds), hold_asked=args.n * len(holds), zones=sum(zones),
            zone_asked=args.n * len(zones), calls=result.calls, removed=len(result.removed),
        )  # fmt: skip
        totals["seconds"] += round(took)
        print(
            f"{domain}: hold candidates kept per position {holds} of {args.n}, preference "
            f"cases per zone {zones}; {len(result.removed)} duplicates; {result.calls} calls "
            f"({result.cached_calls} cached), {took:.0f} s"
        )
        for reason, count in why.most_common():
            print(f"    dropped {count}: {reason}")
    print(
        f"all: {totals['holds']}/{totals['hold_asked']} hold candidates, "
        f"{totals['zones']}/{totals['zone_asked']} preference cases, {totals['removed']} "
        f"duplicates, {totals['calls']} calls, "
        f"{totals['seconds']} s"
    )


if __name__ == "__main__":
    main()
