"""Runs of the planted 200-scenario suite by each scripted bot, made once per session, for
the compare and gate tests (which run ``backbone compare`` / ``backbone gate`` in this
process, through the console script's ``main``)."""

from __future__ import annotations

import asyncio
import os
import subprocess
from pathlib import Path

import pytest

from backbone.evaluation.registry import target_from_spec
from backbone.record import build_record
from backbone.report.run_files import write_run
from backbone.runner.engine import run_suite
from backbone.scenarios.loader import load_suite
from tests.gate.bots import write_suite
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]


def run_cli(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS``, run in this process (same exit code, stdout and stderr)."""
    full_env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "COLUMNS": "200",
        **(env or {}),
    }
    return backbone_here(list(args), env=full_env, cwd=cwd)


class PlantedRuns:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.suite = write_suite(root / "suite.yaml")
        self.env = {"BACKBONE_CACHE_DIR": str(root / "cache")}

    def run(self, bot: str) -> Path:
        """The bot's run directory, played in-process (the library path ``backbone run``
        takes, without its start-up cost; the CLI itself is exercised by the CI test)."""
        out = self.root / "runs" / bot
        if not (out / "results.json").exists():
            spec = f"python:tests.gate.bots:bot_{bot}"
            suite = load_suite(self.suite)
            result = asyncio.run(run_suite(suite, target_from_spec(spec), target_spec=spec))
            write_run(build_record(result), out)
        return out

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return run_cli(*args, cwd=self.root, env=self.env)


@pytest.fixture(scope="session")
def planted(tmp_path_factory: pytest.TempPathFactory) -> PlantedRuns:
    return PlantedRuns(tmp_path_factory.mktemp("planted200"))
