"""The embedded model with and without KV-prefix reuse across conversations (issue 16).

Plays a seeded slice of the tutor suite on the embedded model three ways, with the response
cache off: one conversation at a time (llama-cpp-python reuses the previous call's prefix, which
is the same conversation's), the default ``--concurrency 8`` (conversations interleave, so the
prefix is mostly lost), and ``--concurrency 8`` with llama-cpp-python's ``LlamaRAMCache`` set on
the model (the longest cached prefix is restored for each call). Prints wall time, tokens, and
how many replies differ from the one-at-a-time run.

    .venv/bin/python benchmarks/bench_local_prefix.py [--scenarios 8] [--cache-mb 1024]
"""

from __future__ import annotations

import argparse
import time

from backbone import evaluate
from backbone.scenarios.loader import load_suite
from backbone.scenarios.slicing import SuiteSlice, slice_suite
from backbone.targets.local import LocalTarget


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=8)
    parser.add_argument("--cache-mb", type=int, default=1024)
    args = parser.parse_args()
    suite = slice_suite(load_suite("builtin:tutor"), SuiteSlice(limit=args.scenarios, seed=0))
    target = LocalTarget()
    model = target.load()
    replies: dict[str, list[str]] = {}
    for name, concurrency, prefix_cache in (
        ("one at a time", 1, False),
        ("concurrency 8", 8, False),
        ("concurrency 8 + RAM prefix cache", 8, True),
    ):
        if prefix_cache:
            from llama_cpp import LlamaRAMCache

            model.set_cache(LlamaRAMCache(capacity_bytes=args.cache_mb << 20))
        t0 = time.perf_counter()
        run = evaluate(suite, target, cache=False, concurrency=concurrency)
        seconds = time.perf_counter() - t0
        replies[name] = [
            m.content for t in run.transcripts or [] for m in t.messages if m.role == "assistant"
        ]
        base = replies["one at a time"]
        differ = sum(a != b for a, b in zip(replies[name], base, strict=True))
        print(
            f"{name:34s} {seconds:6.1f} s · {run.stats.calls} calls · tokens in "
            f"{run.stats.input_tokens}, out {run.stats.output_tokens} · replies differing "
            f"from one at a time: {differ} of {len(base)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
