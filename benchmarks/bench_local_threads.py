"""Two processes running the embedded model at once: each with every core's threads (the
default) against each with one thread, beside one process alone, and whether the replies
are the same (``BACKBONE_LOCAL_THREADS``; the test suite's two workers use one each).

    python benchmarks/bench_local_threads.py

Prints seconds per process for four greedy completions of 120 tokens.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

CHILD = r"""
import hashlib, json, sys, time
from backbone.targets.local import default_model_path
from llama_cpp import Llama
llm = Llama(model_path=str(default_model_path()), n_ctx=2048, n_threads=int(sys.argv[1]),
            verbose=False, seed=0)
questions = ["What is the capital of France?", "What is 7 times 8?",
             "Explain why the sky is blue.", "Name three prime numbers."]
start = time.perf_counter()
outs = [llm.create_chat_completion(messages=[{"role": "user", "content": q}], max_tokens=120,
                                   temperature=0)["choices"][0]["message"]["content"]
        for q in questions]
print(json.dumps({"secs": time.perf_counter() - start,
                  "digest": hashlib.md5(repr(outs).encode()).hexdigest()}))
"""


def run(threads: int, together: int) -> list[dict[str, float | str]]:
    """``together`` processes at once, each with ``threads`` threads: their figures."""
    procs = [
        subprocess.Popen([sys.executable, "-c", CHILD, str(threads)], stdout=subprocess.PIPE)
        for _ in range(together)
    ]
    return [json.loads(p.communicate()[0]) for p in procs]


def main() -> None:
    cores = min(os.cpu_count() or 2, 4)
    alone = run(cores, 1)[0]
    spinning = run(cores, 2)
    single = run(1, 2)
    print(f"one process, {cores} threads: {alone['secs']:.1f} s")
    print(
        f"two processes, {cores} threads each: " + ", ".join(f"{r['secs']:.1f} s" for r in spinning)
    )
    print("two processes, 1 thread each: " + ", ".join(f"{r['secs']:.1f} s" for r in single))
    worst = max(float(r["secs"]) for r in spinning) / max(float(r["secs"]) for r in single)
    print(f"ratio (two at {cores} threads / two at 1 thread): {worst:.1f}x")
    digests = {r["digest"] for r in [alone, *spinning, *single]}
    print("replies identical across thread counts:", len(digests) == 1)


if __name__ == "__main__":
    t0 = time.perf_counter()
    main()
    print(f"(benchmark took {time.perf_counter() - t0:.0f} s)")
