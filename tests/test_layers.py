"""docs/architecture.md's layering, enforced: import-linter checks the real package against
``[tool.importlinter]`` in pyproject.toml, and a copy of the package with a planted forbidden
import fails, naming the contract it breaks."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tomllib
import warnings
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"
CONTRACTS: dict[str, str] = {
    c["id"]: c["name"]
    for c in tomllib.loads(PYPROJECT.read_text())["tool"]["importlinter"]["contracts"]
}
LAYERS, NO_CLI, CORE = (
    CONTRACTS["layers"],
    CONTRACTS["cli-imported-by-nothing"],
    CONTRACTS["core-imports-nothing"],
)


def lint_imports(src: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` with pyproject.toml's contracts, over the ``backbone`` found in ``src``.

    A subprocess, so that the package analysed is the one in ``src`` and not this process's.
    """
    path = os.pathsep.join(filter(None, [str(src), os.environ.get("PYTHONPATH")]))
    env = {**os.environ, "PYTHONPATH": path, "COLUMNS": "250", "NO_COLOR": "1"}
    code = "from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run(
        [sys.executable, "-c", code, "--no-cache", "--no-logo", str(PYPROJECT)],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def statuses(output: str) -> dict[str, str]:
    """Each contract's name to KEPT or BROKEN, from lint-imports' summary lines."""
    found: dict[str, str] = {}
    for line in output.splitlines():
        for name in CONTRACTS.values():
            for status in ("KEPT", "BROKEN"):
                if line.startswith(f"{name} {status}"):
                    found[name] = status
    return found


def test_the_package_keeps_every_contract(tmp_path: Path) -> None:
    result = lint_imports(ROOT / "src", tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert statuses(result.stdout) == dict.fromkeys(CONTRACTS.values(), "KEPT")
    # A known violation that has been removed leaves its ignore_imports line stale: say so.
    for line in result.stdout.splitlines():
        if line.startswith("- No matches for ignored import"):
            warnings.warn(f"pyproject.toml [tool.importlinter]: {line[2:]}", stacklevel=1)


@pytest.fixture
def package_copy(tmp_path: Path) -> Path:
    """A copy of ``src/backbone`` under ``tmp_path/src``, for planting imports into."""
    src = tmp_path / "src"
    shutil.copytree(
        ROOT / "src" / "backbone", src / "backbone", ignore=shutil.ignore_patterns("__pycache__")
    )
    return src


def plant(src: Path, module: str, line: str) -> None:
    base = src / module.replace(".", "/")
    path = base / "__init__.py" if base.is_dir() else base.with_suffix(".py")
    path.write_text(path.read_text() + f"\n{line}\n")


def test_the_copy_keeps_every_contract(package_copy: Path, tmp_path: Path) -> None:
    # the baseline for the plants below: copying alone breaks nothing
    result = lint_imports(package_copy, tmp_path)
    assert statuses(result.stdout) == dict.fromkeys(CONTRACTS.values(), "KEPT"), result.stdout


@pytest.mark.parametrize(
    ("module", "line", "broken", "reported"),
    [
        pytest.param(
            "backbone.core.atomic",
            "import backbone.cli.app",
            {LAYERS, NO_CLI, CORE},
            "backbone.core.atomic -> backbone.cli.app",
            id="core-imports-cli",
        ),
        pytest.param(
            "backbone.core.formatting",
            "import backbone.metrics.rates",
            {LAYERS, CORE},
            "backbone.core.formatting -> backbone.metrics.rates",
            id="core-imports-metrics",
        ),
        pytest.param(
            "backbone.pytest_plugin",
            "import backbone.cli.progress",
            {LAYERS, NO_CLI},
            "backbone.pytest_plugin -> backbone.cli.progress",
            id="plugin-imports-cli",
        ),
        pytest.param(
            "backbone.metrics.rates",
            "import backbone.runner.engine",
            {LAYERS},
            "backbone.metrics.rates -> backbone.runner.engine",
            id="metrics-imports-runner",
        ),
        pytest.param(
            "backbone.gate.result",
            "import backbone.audit.models",
            {LAYERS},
            "backbone.gate.result -> backbone.audit.models",
            id="gate-imports-audit-sibling",
        ),
    ],
)
def test_a_planted_import_breaks_its_contracts(
    package_copy: Path,
    tmp_path: Path,
    module: str,
    line: str,
    broken: set[str],
    reported: str,
) -> None:
    plant(package_copy, module, line)
    result = lint_imports(package_copy, tmp_path)
    assert result.returncode != 0
    expected = {name: "BROKEN" if name in broken else "KEPT" for name in CONTRACTS.values()}
    assert statuses(result.stdout) == expected, result.stdout
    assert reported in result.stdout
