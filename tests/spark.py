"""The Spark session of the engine tests (tests/audit/test_engines.py,
tests/monitor/test_engines.py): local mode, skipped without a Java runtime, stopped at the end
only when the test module started it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from backbone.evaluation.engines import spark_session


def local_spark() -> Iterator[Any]:
    """Yield the session (for a module-scoped fixture)."""
    if shutil.which("java") is None:
        pytest.skip("no Java runtime (scripts/test.sh installs openjdk-17-jre-headless)")
    session, created = spark_session()
    yield session
    if created:
        session.stop()


def empty_logs(folder: Path) -> list[tuple[Path, str]]:
    """Logs with no record, each with an engine that must say "no records": an empty file
    and one of blank lines (both engines), an empty directory of part files (Spark)."""
    (folder / "zero.jsonl").write_text("")
    (folder / "blank.jsonl").write_text("\n\n")
    (folder / "parts").mkdir()
    (folder / "parts" / "_SUCCESS").write_text("")
    files = [folder / "zero.jsonl", folder / "blank.jsonl"]
    return [(f, e) for f in files for e in ("duckdb", "spark")] + [(folder / "parts", "spark")]
