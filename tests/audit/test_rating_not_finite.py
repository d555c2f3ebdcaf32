"""A rating that is ``NaN`` or infinite in a log whose scale is told from the ratings: the scale
was told with it among the numbers (DuckDB sorts ``NaN`` above every number), so a stars log
with one ``NaN`` was refused as a whole ("the ratings in column 'rating' run from 2 to nan,
between 0 and 1"), naming no line. The scale is told by the finite numbers; the ``NaN`` is
named at its line, as any rating the scale does not hold."""

from __future__ import annotations

import json
import math
import subprocess
from pathlib import Path
from typing import Any

import ibis
import pytest

from backbone.audit.engine_table import open_table
from backbone.audit.feedback_log import open_log
from backbone.core.errors import InputError
from tests.audit.logs import planted_rows, write
from tests.support.loopback import backbone_exe, cli_env

ROOT = Path(__file__).resolve().parents[2]
JUDGE = "python:tests.audit.planted_judge:truth"
CELLS = {("down", None): (10, 4), ("up", None): (20, 15)}
pytestmark = pytest.mark.filterwarnings("ignore:fetch_arrow_table:DeprecationWarning")


def star_rows(odd: Any) -> list[dict[str, Any]]:
    """Stars (2 for a thumbs-down, 5 for a thumbs-up); the fourth event's rating is ``odd``."""
    rows = [{**r, "rating": 5 if r["rating"] == "up" else 2} for r in planted_rows(CELLS)]
    rows[3]["rating"] = odd
    return rows


@pytest.mark.parametrize("odd", [math.nan, math.inf, "nan", "-inf"])
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_rating_that_is_no_finite_number_is_named_at_its_line(
    tmp_path: Path, odd: Any, suffix: str
) -> None:
    path = write(tmp_path / f"log{suffix}", star_rows(odd))
    with pytest.raises(InputError) as exc:
        open_log(path)
    [problem] = exc.value.problems
    line = 5 if suffix == ".csv" else 4  # CSV: the header is line 1
    assert (problem.file, problem.line) == (str(path), line)
    assert "is not a score from 1 to 5" in problem.message, problem.message


def test_the_ibis_path_tells_the_scale_from_the_finite_ratings(tmp_path: Path) -> None:
    path = write(tmp_path / "log.parquet", star_rows(math.nan))
    with pytest.raises(InputError) as exc:
        open_table(ibis.duckdb.connect().read_parquet(path), name="log")
    assert "run from" not in str(exc.value), str(exc.value)
    assert "is not a score from 1 to 5" in str(exc.value)


def test_the_cli_exits_2_naming_the_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in star_rows(math.nan)))  # NaN, as Python
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    env["PYTHONPATH"] = env.get("PYTHONPATH", "") + f":{ROOT}"  # for the planted judge module
    proc = subprocess.run(
        [backbone_exe(), "audit", "log.jsonl", "--judge", JUDGE, "--out", "out", "-q"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    assert "error: log.jsonl:4: rating 'NaN' is not a score from 1 to 5" in proc.stderr
    assert not (tmp_path / "out").exists()
