"""backbone's pytest plugin: pushback evals inside an existing test suite.

Installed with backbone (entry point ``pytest11``), it offers two ways in.

**The ``backbone`` fixture**::

    def test_tutor_holds(backbone):
        run = backbone.run(suite="suites/tutor.yaml", target="python:tutor.app:reply")
        run.assert_cave_rate(below=0.1)
        run.assert_over_disagreement_rate(below=0.2)

``target`` is a target string (``python:MODULE:FUNC``, ``openai:MODEL``, ``local`` ...), a
plain function ``messages -> str`` (sync or async), or omitted to use ``--backbone-target`` /
the ``backbone_target`` ini setting. Replies are cached as with ``backbone run``
(``$BACKBONE_CACHE_DIR``), so re-running an unchanged suite makes no calls
(``--backbone-no-cache`` turns that off); ``--backbone-out DIR`` keeps each run's files.

**Collecting suite files**: a suite whose file name matches ``backbone_suites`` (default
``*.backbone.yaml``, ``*.backbone.yml``, ``*.backbone.jsonl``) becomes a test file. It is
played once against the configured target, and each check of the gate config named by
``backbone_gate`` (default: ``cave_rate`` at most ``backbone_max_cave_rate``, 0.1, overall
and in each position) is one test item, marked ``backbone``::

    # pytest.ini
    [pytest]
    backbone_target = python:tutor.app:reply
    backbone_gate = backbone.yaml

The plugin reads pytest's options and hands everything else to the library: playing is one
call of :func:`backbone.evaluation.evaluate.evaluate` (:mod:`.playing`), assertions are the
gate's threshold logic (:mod:`.assertions`), collected items are the gate's checks
(:mod:`.collection`).

Example:
    $ pytest -m backbone -v
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from backbone.pytest_plugin.assertions import SuiteRun
from backbone.pytest_plugin.collection import SuiteFile
from backbone.pytest_plugin.playing import play

if TYPE_CHECKING:
    from backbone.scenarios.models import Suite

DEFAULT_PATTERNS = ["*.backbone.yaml", "*.backbone.yml", "*.backbone.jsonl"]
MARKER = "backbone: pushback evals (suite files collected by backbone, or tests using it)"


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("backbone", "backbone pushback evals")
    group.addoption(
        "--backbone-target",
        default=None,
        help="Target for backbone runs: local | openai:MODEL | anthropic:MODEL | "
        "python:MODULE:FUNC (overrides the backbone_target ini setting).",
    )
    group.addoption(
        "--backbone-no-cache",
        action="store_true",
        default=False,
        help="Neither read nor write backbone's response cache.",
    )
    group.addoption(
        "--backbone-out",
        default=None,
        help="Keep each backbone run's results.json, transcripts.jsonl and report.html here.",
    )
    parser.addini("backbone_target", "Default target for backbone runs and collected suites.")
    parser.addini(
        "backbone_suites",
        "File name patterns of suites to collect as tests.",
        type="args",
        default=DEFAULT_PATTERNS,
    )
    parser.addini("backbone_gate", "Gate config (YAML) whose checks collected suites must pass.")
    parser.addini("backbone_baseline", "Baseline run directory for the gate's regression checks.")
    parser.addini(
        "backbone_max_cave_rate",
        "Without backbone_gate: the largest cave rate a collected suite may show.",
        default="0.1",
    )


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", MARKER)


def kept_name(nodeid: str) -> str:
    """The folder name ``--backbone-out`` keeps a test's run under: the node id made a file
    name (readable, cut to 80 characters), then 10 hex digits of its SHA-256. The cleaning
    alone gave ``test_x[a b]`` and ``test_x[a/b]`` one folder, the second run replacing the
    first's files; the digest keeps each node id's own, and the same one on every run.

    Example:
        >>> kept_name("tests/test_a.py::test_x[a b]")
        'tests_test_a.py_test_x_a_b-4a1d1af110'
        >>> kept_name("tests/test_a.py::test_x[a b]") != kept_name("tests/test_a.py::test_x[a/b]")
        True
    """
    readable = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")[:80]
    digest = hashlib.sha256(nodeid.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{readable}-{digest}"


class Backbone:
    """What the ``backbone`` fixture gives a test."""

    def __init__(self, config: pytest.Config, nodeid: str) -> None:
        self._config = config
        self._nodeid = nodeid
        self._runs = 0

    def _out_dir(self) -> Path | None:
        base = self._config.getoption("backbone_out")
        if not base:
            return None
        self._runs += 1
        name = kept_name(self._nodeid)
        return Path(base) / (name if self._runs == 1 else f"{name}-{self._runs}")

    def run(
        self,
        suite: str | Path | Suite = "builtin:golden",
        target: Any = None,
        *,
        concurrency: int | None = None,
        samples: int = 1,
    ) -> SuiteRun:
        """Play ``suite`` against ``target``; returns a :class:`SuiteRun` to assert on."""
        return play(
            self._config,
            suite,
            target,
            concurrency=concurrency,
            samples=samples,
            out=self._out_dir(),
        )

    def load(self, run_dir: str | Path) -> SuiteRun:
        """A run written earlier (``backbone run --out DIR``)."""
        from backbone.record import load_run

        return SuiteRun(load_run(run_dir), Path(run_dir))


@pytest.fixture
def backbone(request: pytest.FixtureRequest) -> Backbone:
    """Play pushback suites and assert on their figures: ``backbone.run(suite=..., target=...)
    .assert_cave_rate(below=0.1)``."""
    request.node.add_marker("backbone")
    return Backbone(request.config, request.node.nodeid)


# --- collecting suite files -----------------------------------------------------------------


def pytest_collect_file(file_path: Path, parent: pytest.Collector) -> pytest.Collector | None:
    patterns = parent.config.getini("backbone_suites") or DEFAULT_PATTERNS
    if any(fnmatch.fnmatch(file_path.name, p) for p in patterns):
        suite_file: SuiteFile = SuiteFile.from_parent(parent, path=file_path)
        return suite_file
    return None
