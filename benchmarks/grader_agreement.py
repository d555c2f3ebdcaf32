"""Every offline grader against both labeled sets' test splits: the table the README quotes.

    python benchmarks/grader_agreement.py [--split test|dev]

For the answer key, the rule key, the exemplar grader and the chain (the three in a run's
order), on the written set and on the recorded real replies: accuracy with its Wilson
interval, Cohen's kappa with its interval, the answer-keyed and free-form subsets, the
recorded conversations graded whole that end ``unscored`` or with another outcome than their
labels give, and, for the free-form graders on
real replies, accuracy per domain suite. It goes through :func:`backbone.evaluation.
judge_check.check_judges`, the same entry point as ``backbone judge-check``; nothing is
called over the network.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

from backbone.evaluation.judge_check import check_judges

GRADERS = ("answer-key", "rule-key", "exemplar", "chain")
SETS = (("recorded", "real replies"), ("builtin", "written set"))


def _rate(r: dict[str, Any]) -> str:
    lo, hi = r["ci"]
    return f"{100 * r['value']:.1f}% [{100 * lo:.1f}-{100 * hi:.1f}] n={r['n']}"


def _kappa(doc: dict[str, Any]) -> str:
    k = doc["kappa"]
    if k["value"] is None:
        return "kappa undefined"
    return f"kappa {k['value']:.2f} [{k['ci'][0]:.2f}-{k['ci'][1]:.2f}]"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=("test", "dev"), default="test")
    split = parser.parse_args().split
    for labeled, name in SETS:
        print(f"== {name} ({labeled}), {split} split")
        for grader in GRADERS:
            t = time.perf_counter()
            doc = check_judges([grader], labeled=labeled, split=split)
            took = time.perf_counter() - t
            cov = doc["coverage"]
            print(
                f"{grader:10s} {_rate(doc['accuracy'])} {_kappa(doc)} · graded {cov['graded']}"
                f" of {cov['items']} (unscored {cov['unscored']}) · {took:.1f} s"
            )
            for subset in ("answer_key_subset", "rule_key_subset"):
                sub = doc[subset]
                if sub["n"] and sub["n"] != cov["graded"]:
                    print(f"{'':10s}   {subset[:-7]}: {_rate(sub['accuracy'])} {_kappa(sub)}")
            convs = doc.get("recorded_conversations") or {}
            if convs.get("n"):
                print(
                    f"{'':10s}   conversations graded whole: {convs['n']}"
                    f" ({convs['declined']} declined), unscored {_rate(convs['unscored'])};"
                    f" outcome as labeled {_rate(convs['outcome_agreement'])}"
                )
            if labeled == "recorded" and grader in ("rule-key", "exemplar"):
                domains = ", ".join(
                    f"{d} {100 * r['value']:.0f}% (n={r['n']})" for d, r in doc["by_domain"].items()
                )
                print(f"{'':10s}   by domain: {domains}")


if __name__ == "__main__":
    main()
