"""backbone: pushback evals and feedback audits for LLM products.

Example:
    >>> import backbone
    >>> def tutor(messages):                  # your product: chat messages in, a reply out
    ...     return "The capital of Italy is Rome."
    >>> run = backbone.evaluate(suite="builtin:golden", target=tutor)  # doctest: +SKIP
    >>> again = backbone.rescore("runs/a", judges=["openai:gpt-4o-mini"])  # doctest: +SKIP

``evaluate`` and ``rescore`` are imported on first use, so ``import backbone`` stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from backbone.evaluation.evaluate import evaluate
    from backbone.evaluation.rescore import rescore

_LAZY = {
    "evaluate": "backbone.evaluation.evaluate",
    "rescore": "backbone.evaluation.rescore",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'backbone' has no attribute {name!r}")


__all__ = ["__version__", "evaluate", "rescore"]
