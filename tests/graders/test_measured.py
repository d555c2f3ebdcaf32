"""The agreement store beside the response cache: a judge-check whose figures cannot be kept
there still reports them (the note is lost, with a warning), whatever the folder's trouble."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.fixtures.scripted_judge:judge"


def judge_check(cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = cli_env(BACKBONE_CACHE_DIR=str(cache))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the scripted judge module
    return subprocess.run(
        [backbone_exe(), "judge-check", "--judge", JUDGE, "--no-cache", "-o", "jc.json"],
        cwd=cwd, env=env, capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def _full_disk(tmp_path: Path, run: Callable[[Path], subprocess.CompletedProcess[str]]) -> str:
    from tests.support.disk_faults import full_filesystem

    with full_filesystem(tmp_path / "disk") as disk:
        proc = run(disk)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


def _agreement_file_a_folder(
    tmp_path: Path, run: Callable[[Path], subprocess.CompletedProcess[str]]
) -> str:
    cache = tmp_path / "cache"
    (cache / "judge_agreement.json").mkdir(parents=True)
    proc = run(cache)
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    return proc.stderr


@pytest.mark.parametrize(
    ("fault", "reason"),
    [
        (_full_disk, "No space left on device"),
        (_agreement_file_a_folder, "cannot write: it is a directory"),
    ],
    ids=["full disk", "a folder in the way"],
)
def test_a_judge_check_whose_agreement_cannot_be_kept_still_writes_its_report(
    tmp_path: Path,
    fault: Callable[[Path, Callable[[Path], subprocess.CompletedProcess[str]]], str],
    reason: str,
) -> None:
    """``backbone judge-check --judge J --no-cache -o jc.json`` with the cache folder on a
    full disk (or ``judge_agreement.json`` a folder): every judge call was made, then the
    agreement's write raised an InputError the store did not expect (it caught OSError
    only), so the command ended with exit 2 and no report, the calls made for nothing. The
    report is written now, with a warning that the agreement was not recorded."""
    stderr = fault(tmp_path, lambda cache: judge_check(tmp_path, cache))
    assert "the agreement was not recorded in " in stderr
    assert reason in stderr
    assert (tmp_path / "jc.json").is_file()


_PUTS = """
import sys
from pathlib import Path
from backbone.graders.measured import AgreementStore
store = AgreementStore(Path(sys.argv[1]))
for i in range(60):
    store.put({"provider": "python", "model": f"{sys.argv[2]}-{i}"}, {"accuracy": i})
"""


def test_two_processes_recording_at_once_lose_no_figure(tmp_path: Path) -> None:
    """Two judge-checks finishing at once each read the file, added their figure and wrote
    it back: the second write dropped the first's figure (that judge then ran 'not
    measured'). The read-and-write is now held under a lock beside the file."""
    import json
    import sys

    path = tmp_path / "agreement.json"
    src = str(ROOT / "src")
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", _PUTS, str(path), name], env=cli_env(PYTHONPATH=src)
        )
        for name in ("a", "b", "c")
    ]
    assert [p.wait(timeout=120) for p in procs] == [0, 0, 0]
    models = {v["identity"]["model"] for v in json.loads(path.read_text()).values()}
    assert models == {f"{name}-{i}" for name in "abc" for i in range(60)}
