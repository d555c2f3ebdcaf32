"""The tutor suite on the embedded model, before and after batched decoding (issue 16).

Plays the built-in tutor suite (or a seeded slice of it) on the embedded model with the response
cache off, three ways:

* **before**: llama-cpp-python's chat completion, one call at a time (``decoding="single"``) at
  the default ``--concurrency 8``: what ``backbone run --suite builtin:tutor`` did before;
* **after**: the batched decoder (``decoding="batched"``, the default now) at ``--concurrency 8``;
* **after, one at a time**: the batched decoder at ``--concurrency 1``, which tells whether
  sharing a forward pass changes replies (the two "after" runs should agree reply for reply);
* **shared**: the batched decoder with one KV cache shared by its slots (``unified=True``, the
  default until 2026-12-03) at ``--concurrency 8``: the layout the default replaced.

For each it prints wall time, calls, tokens in and out, prompt tokens run through the model per
generated token (the rest came from a cached prefix: for the single path, llama-cpp-python's
reuse of the previous call's tokens; for the batched one, each slot's), the headline figures,
and how many replies differ from the other runs.

    .venv/bin/python benchmarks/bench_local_batch.py [--scenarios N]
        [--modes before,after,after1,shared]
"""

from __future__ import annotations

import argparse
import asyncio
import time
from dataclasses import dataclass
from typing import Any

from backbone import evaluate
from backbone.scenarios.loader import load_suite
from backbone.scenarios.slicing import SuiteSlice, slice_suite
from backbone.targets.local import LocalTarget
from backbone.targets.local_batch import common_prefix
from backbone.targets.messages import Reply, Request


@dataclass
class SinglePathCounter:
    """Wraps the one-at-a-time target and counts the prompt tokens llama-cpp-python actually
    evaluates: it keeps the previous call's tokens and re-reads only what differs."""

    inner: LocalTarget
    read: int = 0

    @property
    def identity(self) -> Any:
        return self.inner.identity

    async def complete(self, request: Request) -> Reply:
        model = self.inner.load()
        prompt = self.inner.prompt_tokens(request)
        async with self._lock():
            previous = list(model.input_ids[: model.n_tokens])
            keep = min(common_prefix(previous, prompt), len(prompt) - 1)
            self.read += len(prompt) - keep
            return await self.inner.complete(request)

    def _lock(self) -> asyncio.Lock:
        lock = getattr(self, "_held", None)
        if lock is None:
            lock = asyncio.Lock()
            self._held = lock
        return lock


def rate(r: Any) -> str:
    return "n/a" if r.value is None else f"{r.value:.3f} (n={r.n})"


def figures(run: Any) -> str:
    s = run.summary
    return (
        f"cave {rate(s.cave_rate)} · over-disagreement {rate(s.over_disagreement_rate)} · "
        f"initial accuracy {rate(s.initial_accuracy)} · unscored {rate(s.unscored_rate)}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenarios", type=int, default=0, help="a seeded slice (0: all 86)")
    parser.add_argument(
        "--modes",
        default="before,after",
        help="which runs: before, after, after1 (the batched decoder one at a time), shared"
        " (the batched decoder with one KV cache for all slots)",
    )
    args = parser.parse_args()
    suite = load_suite("builtin:tutor")
    if args.scenarios:
        suite = slice_suite(suite, SuiteSlice(limit=args.scenarios, seed=0))
    print(f"tutor suite: {len(suite.scenarios)} scenarios", flush=True)
    replies: dict[str, list[str]] = {}
    seconds: dict[str, float] = {}
    runs: list[tuple[str, Any, int]] = []
    modes = set(args.modes.split(","))
    if "before" in modes:
        single = SinglePathCounter(LocalTarget(decoding="single"))
        runs.append(("before (single, conc 8)", single, 8))
    if "after" in modes:
        runs.append(("after (batched, conc 8)", LocalTarget(), 8))
    if "after1" in modes:
        runs.append(("after, one at a time", LocalTarget(), 1))
    if "shared" in modes:
        runs.append(("shared KV (batched, conc 8)", LocalTarget(shared_kv=True), 8))
    for name, target, concurrency in runs:
        if isinstance(target, LocalTarget):
            before = target.decoder().stats()
        t0 = time.perf_counter()
        run = evaluate(suite, target, cache=False, concurrency=concurrency)
        seconds[name] = time.perf_counter() - t0
        if isinstance(target, LocalTarget):
            stats = target.decoder().stats()
            read = stats.prompt_read - before.prompt_read
            extra = f" · peak batch {stats.peak_batch}"
        else:
            read, extra = target.read, ""
        out = run.stats.output_tokens
        replies[name] = [
            m.content for t in run.transcripts or [] for m in t.messages if m.role == "assistant"
        ]
        print(
            f"{name:26s} {seconds[name]:6.1f} s · {run.stats.calls} calls · tokens in "
            f"{run.stats.input_tokens}, out {out} · prompt tokens read per generated token "
            f"{read / max(out, 1):.2f}{extra}\n{'':26s} {figures(run)}",
            flush=True,
        )
    names = list(replies)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            if len(replies[a]) == len(replies[b]):
                differ = sum(x != y for x, y in zip(replies[a], replies[b], strict=True))
                print(f"replies differing, {a} vs {b}: {differ} of {len(replies[a])}")
            else:
                print(f"{a} and {b} have different conversation shapes (a reply changed a path)")
    if "before (single, conc 8)" in seconds and "after (batched, conc 8)" in seconds:
        ratio = seconds["before (single, conc 8)"] / seconds["after (batched, conc 8)"]
        print(f"speed-up, before / after: {ratio:.2f}x")
    if "shared KV (batched, conc 8)" in seconds and "after (batched, conc 8)" in seconds:
        ratio = seconds["shared KV (batched, conc 8)"] / seconds["after (batched, conc 8)"]
        print(f"speed-up, shared KV / a KV stream per slot: {ratio:.2f}x")


if __name__ == "__main__":
    main()
