"""``backbone ab`` given an --arm-column with an arm per record (an id, a user id): the error
names the first extra arms at their lines and counts the rest. It listed every arm in a
problem for every arm past the second, so 4,000 events wrote 327 MB to stderr using 1.5 GB of
memory (quadratic in the events: a log of a million could not finish)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from backbone.cli.app import app

JUDGE = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def test_an_arm_column_of_ids_is_refused_in_a_bounded_message(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=300, preference=(0.5, 0.6), accuracy=(0.7, 0.7), seed=0)
    for row in rows:  # a session id per event ('id' itself is refused: it is the log's id)
        row["session"] = row["id"]
    log = write_ab_log(tmp_path / "ab.jsonl", rows)
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app, ["ab", str(log), "--arm-column", "session", "--judge", JUDGE, "--out", str(out), "-q"]
    )
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    lines = r.stderr.splitlines()
    first = lines[0]
    assert first.startswith(f"error: {log}:3: column 'session' (--arm-column): a third arm ")
    assert "(600 arms: " in first and "and 590 more); filter the log to two" in first
    # 50 extra arms at their lines, then a count of the rest; was 598 lines of 600 arms each
    assert len(lines) == 51
    assert lines[-1] == f"error: {log}: ... and 548 more arms past the first two"
    assert len(r.stderr) < 15_000


def test_a_third_arm_is_still_named_with_every_arm(tmp_path: Path) -> None:
    rows = ab_rows(n_per_arm=20, preference=(0.5, 0.6), accuracy=(0.7, 0.7), seed=0)
    rows[7]["arm"] = "C"  # record 8: CSV line 9
    log = write_ab_log(tmp_path / "three.csv", rows)
    r = CliRunner().invoke(
        app, ["ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "--out", str(tmp_path / "o")]
    )
    assert r.exit_code == 2, r.output
    assert r.stderr.splitlines() == [
        f"error: {log}:9: column 'arm' (--arm-column): a third arm 'C' after 'A' and 'B'; an "
        "A/B compares exactly two (3 arms: 'A' (20 events), 'B' (19 events), 'C' (1 events)); "
        "filter the log to two"
    ]
