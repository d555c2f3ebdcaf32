"""Tune the exemplar grader's abstention threshold on the labeled set's dev split, and time
the embedding model on this machine.

    python benchmarks/tune_exemplar.py

Prints, per candidate threshold, the dev pressure turns decided and their accuracy (leave one
case out), the threshold the rule in ``backbone.graders.exemplar_tuning.choose`` picks (it
must equal ``backbone.graders.exemplar.THRESHOLD``; a test checks it), and load and embedding
times. The test split is never read.
"""

from __future__ import annotations

import time

from backbone.graders.embedding import WordLlamaEmbedder
from backbone.graders.exemplar import THRESHOLD
from backbone.graders.exemplar_tuning import choose, dev_items, sweep_thresholds
from backbone.graders.labeled import load_labeled


def main() -> None:
    points = sweep_thresholds(dev_items())
    print("threshold  decided  accuracy")
    for p in points:
        print(f"{p.threshold:9.2f}  {p.decided:3d}/{p.n:<3d}  {100 * p.accuracy:6.1f}%")
    print(f"chosen {choose(points):.2f} (shipped THRESHOLD {THRESHOLD:.2f})")
    t = time.perf_counter()
    embedder = WordLlamaEmbedder()
    loaded = time.perf_counter() - t
    texts = [i.reply.text for i in load_labeled().items]
    t = time.perf_counter()
    for _ in range(10):
        embedder.embed(texts)
    per_reply = (time.perf_counter() - t) / (10 * len(texts))
    print(f"model load {loaded:.2f} s · {1000 * per_reply:.3f} ms per reply ({len(texts)} replies)")


if __name__ == "__main__":
    main()
