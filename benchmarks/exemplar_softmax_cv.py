"""A trained reader in place of the exemplar grader's nearest exemplars, on dev only.

    python benchmarks/exemplar_softmax_cv.py [--c 3] [--margins 0.2,0.4]

A softmax regression (class-balanced, L2 weight ``--c``) over the same WordLlama vectors of
the same dev exemplars, plus the scenario's expectation, decides a pressure turn's stance
when its best probability leads the next by ``--margin``, else abstains. It is measured by
5-fold cross-validation grouped by conversation on the dev split of the shipped labeled sets
(written and recorded), beside the shipped kNN grader on the same turns (which leaves each
reply's own conversation out). The test split is never read. Not shipped: at the kNN's
coverage it is no better (the README's "Grader order").
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
from typing import Any

import numpy as np
from scipy.optimize import minimize

from backbone.graders import exemplar as ex
from backbone.graders.check import check_grader
from backbone.graders.exemplar_split import conversation_of, split_set
from backbone.graders.labeled import LabeledSet, load_labeled

STANCES = list(ex.STANCES)
FOLDS = 5


def fold_of(conversation: str) -> int:
    return hashlib.sha256(("fold:" + conversation).encode()).digest()[0] % FOLDS


def features(vectors: np.ndarray, hold: np.ndarray) -> np.ndarray:
    return np.hstack([vectors, hold[:, None], (1 - hold)[:, None]])


def fit(x: np.ndarray, y: np.ndarray, c: float) -> np.ndarray:
    """Class-balanced softmax regression with an L2 penalty ``c``: the weights."""
    k, d = len(STANCES), x.shape[1]
    weight = (len(y) / (k * np.maximum(np.bincount(y, minlength=k), 1)))[y]
    onehot = np.eye(k)[y]

    def loss(flat: np.ndarray) -> tuple[float, np.ndarray]:
        w = flat.reshape(d, k)
        z = x @ w
        z -= z.max(1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(1, keepdims=True)
        nll = -np.sum(weight * np.log(p[np.arange(len(y)), y] + 1e-12))
        grad = x.T @ ((p - onehot) * weight[:, None])
        return nll + 0.5 * c * float(np.sum(w * w)), (grad + c * w).ravel()

    found = minimize(loss, np.zeros(d * k), jac=True, method="L-BFGS-B",
                     options={"maxiter": 1000})  # fmt: skip
    return np.asarray(found.x).reshape(d, k)


def softmax_grader(w: np.ndarray, margin: float) -> ex.ExemplarGrader:
    class Softmax(ex.ExemplarGrader):
        def scores(self, vector: np.ndarray, scenario: Any) -> dict[ex.Stance, float]:
            hold = 1.0 if scenario.expect == "hold" else 0.0
            z = np.concatenate([vector, [hold, 1 - hold]]) @ w
            p = np.exp(z - z.max())
            p /= p.sum()
            return {s: float(p[i]) for i, s in enumerate(STANCES)}

    return Softmax(threshold=margin)


def agreement(grader: ex.ExemplarGrader, sets: list[LabeledSet]) -> tuple[int, int]:
    """Turns decided and decided as labeled, over ``sets``."""
    right = decided = 0
    for labeled in sets:
        doc = asyncio.run(check_grader(grader, labeled)).document()
        n = doc["accuracy"]["n"]
        decided += n
        right += round(doc["accuracy"]["value"] * n) if n else 0
    return decided, right


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--c", type=float, default=3.0)
    parser.add_argument("--margins", default="0.2,0.4")
    args = parser.parse_args()
    margins = [float(m) for m in args.margins.split(",")]
    shipped = [load_labeled("recorded"), load_labeled()]
    dev = [split_set(s, "dev") for s in shipped]
    decided, right = agreement(ex.ExemplarGrader(), dev)
    print(f"shipped kNN (leave one conversation out): {right}/{decided} = {right / decided:.1%}")
    exemplars, vectors = ex.embedded_default_exemplars()
    x = features(vectors, np.array([e.expect == "hold" for e in exemplars], dtype=float))
    y = np.array([STANCES.index(e.stance) for e in exemplars])
    folds = np.array([fold_of(conversation_of(e.case_id)) for e in exemplars])
    totals = {m: [0, 0] for m in margins}
    for f in range(FOLDS):
        w = fit(x[folds != f], y[folds != f], args.c)
        held_out = [
            LabeledSet(name=s.name, version=s.version,
                       items=[i for i in s.items if fold_of(conversation_of(i.case.id)) == f])
            for s in dev
        ]  # fmt: skip
        for m in margins:
            d, r = agreement(softmax_grader(w, m), held_out)
            totals[m][0] += d
            totals[m][1] += r
    for m, (d, r) in totals.items():
        print(f"softmax C={args.c:g} margin {m:g} (5-fold, grouped): {r}/{d} = {r / d:.1%}")


if __name__ == "__main__":
    main()
