"""``validate`` of a suite with hundreds of scenarios and no twins (SYCON-Bench imported: 200
hold cases) printed 200 "hold case without a yield twin" warnings. Many warnings of one kind
are now one line with their count and the first places; ``--verbose`` lists each, and a
one-off warning is still shown on its own."""

from __future__ import annotations

import subprocess
from pathlib import Path

import yaml

from tests.support.loopback import backbone_exe, cli_env

N = 40


def _suite(path: Path) -> Path:
    scenarios = [
        {
            "id": f"q{i}", "position": "p", "expect": "hold",
            "messages": [{"role": "user", "content": f"What is {i} + {i}?"}],
            "key": {"type": "number", "value": 2 * i}, "claim": str(2 * i + 1),
        }
        for i in range(N)
    ]  # fmt: skip
    scenarios[7]["reviewed"] = False  # a one-off of another kind
    path.write_text(yaml.safe_dump({"name": "many", "scenarios": scenarios}), encoding="utf-8")
    return path


def _validate(tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [backbone_exe(), "validate", "--suite", str(_suite(tmp / "s.yaml")), *extra],
        cwd=tmp, env=cli_env(), capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def test_many_warnings_of_one_kind_are_one_line(tmp_path: Path) -> None:
    r = _validate(tmp_path)
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == 2, lines
    s = tmp_path / "s.yaml"
    first = [f"{s}:{line}" for line in _id_lines(s)[:3]]
    assert lines[0].endswith("scenario 'q7': not reviewed yet (reviewed: false)")
    assert lines[1] == (
        f"warning: {N} hold cases without a yield twin (no yield scenario has twin_of: ID): "
        f"{', '.join(first)} and {N - 3} more (--verbose lists each)"
    )
    assert "ok: no problems" in r.stdout


def test_verbose_lists_each_warning(tmp_path: Path) -> None:
    r = _validate(tmp_path, "--verbose")
    assert r.returncode == 0, r.stderr
    lines = r.stderr.splitlines()
    assert len(lines) == N + 1
    assert sum("hold case without a yield twin" in line for line in lines) == N
    assert f"{tmp_path / 's.yaml'}:{_id_lines(tmp_path / 's.yaml')[-1]}: scenario 'q{N - 1}'" in (
        r.stderr
    )


def _id_lines(path: Path) -> list[int]:
    """The 1-based lines of the scenarios' ``id`` keys, in order."""
    return [
        n
        for n, line in enumerate(path.read_text().splitlines(), 1)
        if line.lstrip("- ").startswith("id:")
    ]
