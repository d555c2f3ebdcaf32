"""Sentence embeddings for the exemplar grader, from a model that ships inside a PyPI package.

The model is WordLlama's ``l2_supercat`` (256 dimensions, 16 MB of weights in the
``wordllama`` wheel, MIT licence). It is loaded from the installed package's own folder with
downloads disabled: nothing is ever fetched at run time. (WordLlama 0.4 looks for its bundled
tokenizer under ``tokenizer/`` but ships it under ``tokenizers/``; pointing its cache folder at
the package folder finds both files where the wheel put them.)

Example:
    >>> e = default_embedder()
    >>> v = e.embed(["You're right, it's Milan.", "You are correct, it is Milan."])
    >>> v.shape[1], bool(v[0] @ v[1] > 0.5)
    (256, True)
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any, Protocol

import numpy as np
import numpy.typing as npt

Vectors = npt.NDArray[np.float32]
"""One unit-length row per text."""


class Embedder(Protocol):
    """Texts in, one unit-length vector per text out."""

    name: str

    def embed(self, texts: Sequence[str]) -> Vectors: ...


def _import_wordllama() -> Any:
    """Import ``wordllama`` without the ``logging.basicConfig(level=INFO)`` it runs at import
    time (it would print its own INFO lines and reformat every backbone warning): while it
    imports, the root logger has a handler, so ``basicConfig`` does nothing."""
    root = logging.getLogger()
    guard = logging.NullHandler()
    root.addHandler(guard)
    try:
        import wordllama
    finally:
        root.removeHandler(guard)
    return wordllama


class WordLlamaEmbedder:
    """WordLlama's bundled model, loaded offline from the installed ``wordllama`` package."""

    name = "wordllama:l2_supercat_256"

    def __init__(self) -> None:
        wordllama = _import_wordllama()
        folder = Path(wordllama.__file__).parent
        self._model: Any = wordllama.WordLlama.load(
            config="l2_supercat", dim=256, cache_dir=folder, disable_download=True
        )

    def embed(self, texts: Sequence[str]) -> Vectors:
        if not texts:
            return np.zeros((0, 256), dtype=np.float32)
        vectors = np.asarray(self._model.embed(list(texts), norm=True), dtype=np.float32)
        return vectors


@cache
def default_embedder() -> Embedder:
    """The embedder the exemplar grader uses (loaded once, about 0.2 s)."""
    return WordLlamaEmbedder()
