"""The tells' feedback reader on a JSONL column first given late, as the audit reads one.

JSONL's field names come from the first ``KEY_SAMPLE`` records (``Source.names``); a column
first given after them (a field added to a running log) is found by one more scan, through
``Source.names_with``, the one way the audit and its channels find it too. On a log of
``KEY_SAMPLE + 1`` records whose ``user_id`` and ``pro`` are in its last record only: the
user and the power-user column (``--map power_user=pro``) are read, and ``--map
power_user=user_id`` is refused as one column read for two roles (as ``audit --map
reference=user_id`` is on such a log). This pins behaviour that was already right when the
reader found late columns its own way."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.audit.source import KEY_SAMPLE
from backbone.audit.tells.feedback import read_log_series
from backbone.cli.app import app
from tests.audit.logs import write_jsonl


@pytest.fixture(scope="module")
def late_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    start = date(2025, 3, 1)
    rows = [
        {
            "id": f"e{i}",
            "timestamp": f"{start + timedelta(days=i % 60)}T00:00:00Z",
            "prompt": f"question {i}?",
            "response": f"answer {i}.",
            "rating": "up" if i % 3 else "down",
        }
        for i in range(KEY_SAMPLE + 1)
    ]
    rows[-1].update(user_id="u1", pro=True)
    return write_jsonl(tmp_path_factory.mktemp("late") / "late.jsonl", rows)


def test_a_mapped_column_first_given_in_the_last_record_is_read(late_log: Path) -> None:
    series = read_log_series(late_log, power_column="pro")
    assert series.has_user_column and series.has_power_column
    assert [(u.user, u.events, u.power) for u in series.users] == [("u1", 1, True)]
    assert series.events_without_user == KEY_SAMPLE


def test_a_column_first_given_in_the_last_record_has_one_role(
    late_log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    args = ["tells", str(late_log), "--map", "power_user=user_id", "--out", str(out)]
    r = CliRunner().invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    assert r.stderr.splitlines() == [
        f"error: {late_log}: column 'user_id' is read as both user_id and power_user "
        "(--map power_user=user_id): each field needs a column of its own"
    ]
