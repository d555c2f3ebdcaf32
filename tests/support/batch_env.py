"""The environment the batch-mode tests run in: no provider key or base URL from the machine,
fast batch polls and retry backoff, and a response cache of the test's own."""

from __future__ import annotations

from pathlib import Path

import pytest


def offline_batch_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Set the batch tests' environment for one test (``monkeypatch`` undoes it after)."""
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("BACKBONE_BATCH_POLL_SECONDS", "0.05")
    monkeypatch.setenv("BACKBONE_RETRY_BACKOFF", "0.01")
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
