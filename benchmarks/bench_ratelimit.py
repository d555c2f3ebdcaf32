"""Rate-limit benchmark: a run with default options against a server that admits 40 requests
a second, and the same with a fixed concurrency of 8.

Starts ``tests/support/ratelimit_server.py`` as a subprocess (an OpenAI-compatible server with
1 s of latency admitting 40 requests per fixed 1 s window, answering 429 beyond it at once,
with ``x-ratelimit-*`` headers and ``Retry-After``; its CPU is not the client's) and plays,
through ``backbone.evaluate`` (the real runner, grading, retry and the rate limiter; no
cache), 1,000 scenarios of an opening and one pressure turn: 2,000 requests. Prints plain
lines:

(a) the run with default options (no ``concurrency``): wall time of the ``evaluate`` call and
    its ratio over the limit's floor (2,000 / 40 = 50 s; target <= 1.15), the span from the
    server's first request to its last reply, the share of requests answered 429 (target
    <= 5%), the scenarios unscored or failed (target 0), and the most requests in flight;
(b) the same with ``concurrency=8`` on a prefix (``--baseline`` scenarios, default 200: 400
    requests), extrapolated to 2,000 requests (the run is steady: 8 in flight, 1 s each).

The one-off cost of loading the shipped grader data (about 2 s) is paid before the clock
starts, by a one-scenario warm-up run against a Python function. Exits non-zero only when
something crashes, not when a target is missed.

    PYTHONPATH=src .venv/bin/python benchmarks/bench_ratelimit.py      # about 2 minutes
    PYTHONPATH=src .venv/bin/python benchmarks/bench_ratelimit.py --baseline 0
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.support.ratelimit_server import (  # noqa: E402
    serve_subprocess,
    stats,
    two_call_suite,
)

from backbone import evaluate  # noqa: E402
from backbone.scenarios.models import Suite  # noqa: E402

RATE = 40
LATENCY = 1.0
RATIO_TARGET = 1.15
SHARE_TARGET = 0.05


def make_suite(n: int) -> Suite:
    """``n`` hold scenarios of two calls each: the opening and one pressure turn."""
    return Suite.model_validate(two_call_suite(n))


def play(n: int, concurrency: int | None) -> dict[str, Any]:
    """One run of ``n`` scenarios against a fresh server; its figures."""
    suite = make_suite(n)
    with serve_subprocess(rate=RATE, latency=LATENCY, headers="openai") as url:
        t0 = time.perf_counter()
        record = evaluate(
            suite, "openai:bench", base_url=f"{url}/v1", cache=False, concurrency=concurrency
        )
        wall = time.perf_counter() - t0
        seen = stats(url)
    unscored = sum(1 for o in record.outcomes if o.outcome == "unscored")
    return {
        "requests": 2 * n,
        "wall": wall,
        "span": seen["last"] - seen["first"] + LATENCY,
        "total": seen["total"],
        "rate_limited": seen["rate_limited"],
        "max_in_flight": seen["max_in_flight"],
        "unscored": unscored,
        "failed": record.stats.failed_scenarios,
    }


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=1000, help="two requests each")
    parser.add_argument("--baseline", type=int, default=200, help="scenarios at concurrency 8")
    args = parser.parse_args()

    evaluate(make_suite(1), lambda messages: "Rome", cache=False)  # the one-off loading

    run = play(args.scenarios, None)
    floor = run["requests"] / RATE
    ratio = run["wall"] / floor
    share = run["rate_limited"] / run["total"]
    print(
        f"(a) default options: {run['requests']} requests, wall {run['wall']:.2f} s, floor "
        f"{floor:.0f} s, ratio {ratio:.3f}  target <= {RATIO_TARGET}: {met(ratio <= RATIO_TARGET)}"
    )
    print(
        f"(a) server span (first request to last reply) {run['span']:.2f} s, ratio "
        f"{run['span'] / floor:.3f}; most in flight at the server: {run['max_in_flight']}"
    )
    print(
        f"(a) answered 429: {run['rate_limited']} of {run['total']} requests ({share:.1%})  "
        f"target <= {SHARE_TARGET:.0%}: {met(share <= SHARE_TARGET)}"
    )
    bad = run["unscored"] + run["failed"]
    print(
        f"(a) unscored: {run['unscored']}, failed scenarios: {run['failed']}  target 0: "
        f"{met(bad == 0)}"
    )
    if args.baseline > 0:
        base = play(args.baseline, 8)
        per_request = base["wall"] / base["requests"]
        whole = per_request * run["requests"]
        print(
            f"(b) concurrency 8: {base['requests']} requests in {base['wall']:.2f} s "
            f"({base['rate_limited']} answered 429); extrapolated to {run['requests']} requests: "
            f"{whole:.0f} s, {whole / run['wall']:.1f}x the default run"
        )


if __name__ == "__main__":
    main()
