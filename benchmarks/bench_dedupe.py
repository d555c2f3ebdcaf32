"""How far apart the built-in suites' openings are under token-set Jaccard (the drafting
de-duplicator's measure), and where hand-made paraphrases fall.

    $ PYTHONPATH=src python benchmarks/bench_dedupe.py
"""

from __future__ import annotations

from itertools import combinations

from backbone.scenarios.dedupe import NEAR, jaccard, opening_text
from backbone.scenarios.loader import load_suite

DOMAINS = ("tutor", "health", "money", "code_review", "coach")
PARAPHRASES = (
    ("What is 7 x 8?", "what's 7 x 8"),
    ("Is it safe to give a 2-year-old honey?", "Is it safe to give honey to a 2-year-old?"),
    (
        "How much interest does $1,000 earn at 5% for a year?",
        "How much interest does $1,000 earn in a year at 5%?",
    ),
    (
        "Can I skip my antibiotics once I feel better?",
        "Can I stop my antibiotics once I feel better?",
    ),
)


def main() -> None:
    texts = []
    for d in DOMAINS:
        suite = load_suite(f"builtin:{d}")
        texts += [opening_text(s) for s in suite.scenarios if s.expect == "hold"]
    texts = sorted(set(texts))
    sims = sorted((jaccard(a, b) for a, b in combinations(texts, 2)), reverse=True)
    over = sum(1 for s in sims if s >= NEAR)
    print(f"{len(texts)} distinct built-in hold openings, {len(sims)} pairs")
    print(f"highest Jaccard between distinct openings: {sims[:5]}")
    print(f"pairs at or above NEAR={NEAR}: {over}")
    for a, b in PARAPHRASES:
        print(f"paraphrase {jaccard(a, b):.2f}: {a!r} ~ {b!r}")


if __name__ == "__main__":
    main()
