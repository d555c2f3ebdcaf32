"""``backbone tells`` on degenerate data, through the real CLI with real files: a tell that the
data cannot show stays off (or unavailable), never switched on by rounding error or by the
order of user ids."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path
from typing import Any

from typer.testing import CliRunner

from backbone.cli.app import app

MONDAY = dt.datetime(2026, 1, 5, 12, tzinfo=dt.UTC)


def week(i: int, hours: float = 0.0) -> str:
    return (MONDAY + dt.timedelta(days=7 * i, hours=hours)).isoformat()


def write_log(path: Path, events: list[tuple[int, str, str]]) -> Path:
    """A feedback log: one (week, user, rating) an event."""
    with path.open("w") as f:
        for i, (w, user, rating) in enumerate(events):
            event = {
                "id": f"e{i}",
                "timestamp": week(w, hours=i % 100),
                "user_id": user,
                "prompt": "q",
                "response": "a",
                "rating": rating,
            }
            f.write(json.dumps(event) + "\n")
    return path


def write_csv(path: Path, header: list[str], rows: list[list[Any]]) -> Path:
    with path.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(header)
        w.writerows(rows)
    return path


def eight_weeks(path: Path) -> Path:
    """Eight weeks, ten users every week, thumbs alternating: nothing trends."""
    events = [(w, f"u{u}", "up" if (w + u) % 2 else "down") for w in range(8) for u in range(10)]
    return write_log(path, events)


def tells(log: Path, out: Path, *extra: str) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["tells", str(log), "--out", str(out), *extra])
    assert r.exit_code == 0, r.output
    doc: dict[str, Any] = json.loads((out / "tells.json").read_text())
    return {t["name"]: t for t in doc["tells"]}


def test_internal_and_external_in_lockstep_leave_the_gap_flat(tmp_path: Path) -> None:
    # Before: internal 70, 71, ... and external 0.50, 0.51, ... standardize to the same
    # z-scores but for the last bit, so the gap was rounding error (1e-16) with a 'trend'
    # in it: eval_divergence on at p = 0.012 (gap slope +5.9e-17).
    evals = write_csv(
        tmp_path / "evals.csv",
        ["release", "timestamp", "internal", "external"],
        [[f"r{i}", week(i), 70 + i, 0.5 + 0.01 * i] for i in range(8)],
    )
    got = tells(eight_weeks(tmp_path / "log.jsonl"), tmp_path / "out", "--evals", str(evals))
    tell = got["eval_divergence"]
    assert tell["available"] is True and tell["on"] is False
    assert tell["series"]["gap"] == [0.0] * 8
    assert tell["evidence"]["gap"]["slope"] == 0.0
    assert tell["p_unadjusted"] == 0.5


def test_a_task_metric_mirrored_by_a_lower_is_better_one_is_a_flat_task_index(
    tmp_path: Path,
) -> None:
    # accuracy rising and dispute_rate rising in step: the index (their standardized mean,
    # dispute_rate negated) is exactly flat, not rounding error with a slope in it
    rows = [[week(i), "accuracy", round(0.6 + 0.01 * i, 2)] for i in range(8)]
    rows += [[week(i), "dispute_rate", round(0.1 + 0.01 * i, 2)] for i in range(8)]
    task = write_csv(tmp_path / "task.csv", ["timestamp", "metric", "value"], rows)
    got = tells(eight_weeks(tmp_path / "log.jsonl"), tmp_path / "out", "--task-metrics", str(task))
    tell = got["satisfaction_vs_task"]
    assert tell["series"]["task_index"] == [0.0] * 8
    assert tell["evidence"]["task_index"]["slope"] == 0.0
    assert tell["evidence"]["task_index"]["p_value"] == 0.5


def test_users_tied_at_the_decile_cutoff_are_not_power_users_by_their_ids(
    tmp_path: Path,
) -> None:
    # 500 users with one event each, signing up in id order over eight weeks. Before (users
    # ranked by events per period active): every user's activity was 1 event a week, the tie
    # was broken by user id, the 50 earliest ids (all gone by week 2, as everyone but the last
    # week's) were the power users, and power_user_churn was on (p = 0.003). Power status now
    # comes from the events before each user's landmark (2 weeks here): a user with one event
    # has none from their landmark on, so all 500 are left out, and counted
    events = [(u * 8 // 500, f"u{u:04d}", "up" if u % 2 else "down") for u in range(500)]
    got = tells(write_log(tmp_path / "log.jsonl", events), tmp_path / "out")
    tell = got["power_user_churn"]
    assert tell["on"] is False and tell["available"] is False
    assert tell["evidence"]["landmark"] == {
        "periods": 2,
        "followed": 0,
        "left_before_landmark": 313,  # joined in weeks 0-4
        "joined_too_late": 187,  # joined in weeks 5-7: landmark in the last week or past it
    }
    # the tie itself: 500 users all post once in each of their first two weeks (tied before
    # the landmark), then leave in id order; broken by id, the 50 earliest ids (the first to
    # leave) would be the power users
    events = [
        (w, f"u{u:04d}", "up" if (u + w) % 2 else "down")
        for u in range(500)
        for w in range(3 + u * 5 // 500)
    ]
    got = tells(write_log(tmp_path / "tied.jsonl", events), tmp_path / "tied")
    tell = got["power_user_churn"]
    assert tell["on"] is False and tell["available"] is False
    assert "too few power users" in tell["why"]
    assert "500 users tied at its cutoff" in tell["evidence"]["power_definition"]
    assert tell["evidence"]["power"]["users"] == 0


def test_a_tie_at_the_cutoff_leaves_only_the_users_above_it_as_power_users(
    tmp_path: Path,
) -> None:
    # 40 users post 3 times a week for all eight weeks, 460 once a week: ranked on their first
    # two weeks (the landmark), the 40 are the power users (not 50 filled up with the first
    # ids among the tied). Before, the 460 posted once in one week; they now leave before
    # their landmark and are left out, so they post every week here
    events = [(w, f"p{u:02d}", "up") for u in range(40) for w in range(8) for _ in range(3)]
    events += [(w, f"c{u:04d}", "down") for u in range(460) for w in range(8)]
    got = tells(write_log(tmp_path / "log.jsonl", events), tmp_path / "out")
    tell = got["power_user_churn"]
    assert tell["evidence"]["power"]["users"] == 40
    assert tell["evidence"]["casual"]["users"] == 460
    assert tell["on"] is False  # the power users never left


def rising_log(path: Path, weeks: int = 10) -> Path:
    """Thumbs-up rising every week: 4 of 20 in the first, two more each week after."""
    events = [
        (w, f"u{k}", "up" if k < 4 + 2 * w else "down") for w in range(weeks) for k in range(20)
    ]
    return write_log(path, events)


def test_task_metrics_from_another_year_are_refused_not_compared(tmp_path: Path) -> None:
    # Before: the log is 2026, the task table (the wrong export) 2025 with accuracy falling;
    # the two were compared anyway and satisfaction_vs_task was on (p = 0.001).
    start = MONDAY - dt.timedelta(weeks=52)
    rows = [
        [(start + dt.timedelta(weeks=i)).isoformat(), "accuracy", 0.9 - 0.01 * i] for i in range(10)
    ]
    task = write_csv(tmp_path / "task.csv", ["timestamp", "metric", "value"], rows)
    out = tmp_path / "out"
    r = CliRunner().invoke(
        app,
        [
            "tells",
            str(rising_log(tmp_path / "log.jsonl")),
            "--task-metrics",
            str(task),
            "--out",
            str(out),
        ],
    )
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    assert f"{task}: column 'timestamp': the task metrics cover the weeks 2025-01-06" in r.stderr
    assert "the log 2026-01-05 to 2026-03-09: 0 week(s) in common" in r.stderr


def test_satisfaction_and_task_metrics_are_compared_over_the_weeks_they_share(
    tmp_path: Path,
) -> None:
    # the log: weeks 0-9; the task table: weeks 3-12, accuracy rising through weeks 3-9 and
    # collapsing after the log ends. Over the shared weeks the task index rises with the
    # satisfaction (an improvement, not a tell); before, the collapse outside the log's weeks
    # read as 'not rising' and the tell was on.
    values = [0.50, 0.55, 0.60, 0.65, 0.70, 0.75, 0.80, 0.10, 0.05, 0.01]
    rows = [[week(3 + i), "accuracy", v] for i, v in enumerate(values)]
    task = write_csv(tmp_path / "task.csv", ["timestamp", "metric", "value"], rows)
    got = tells(rising_log(tmp_path / "log.jsonl"), tmp_path / "out", "--task-metrics", str(task))
    tell = got["satisfaction_vs_task"]
    shared = [week(i)[:10] for i in range(3, 10)]
    assert tell["series"]["periods"] == shared and tell["series"]["task_periods"] == shared
    assert tell["series"]["task_metrics"]["accuracy"] == values[:7]
    assert tell["evidence"]["satisfaction"]["n"] == 7
    assert tell["evidence"]["task_improving"] is True
    assert tell["on"] is False


def test_a_constant_task_metric_logged_more_days_some_weeks_is_flat_not_rising(
    tmp_path: Path,
) -> None:
    # accuracy is 0.1 on every row; weeks hold 6, then 1, then 3 rows, whose means are
    # 0.09999999999999999, 0.1 and 0.10000000000000002. Before: those last bits, standardized,
    # were a task index 'rising' at p = 0.0016 (slope +0.28 per week), so the satisfaction
    # rise 'had a cause' and the tell was off; the metric itself showed p = 0.003.
    rows = [
        [week(w, hours=24 * d), "accuracy", 0.1]
        for w in range(10)
        for d in range(6 if w < 3 else 1 if w < 6 else 3)
    ]
    task = write_csv(tmp_path / "task.csv", ["timestamp", "metric", "value"], rows)
    got = tells(rising_log(tmp_path / "log.jsonl"), tmp_path / "out", "--task-metrics", str(task))
    tell = got["satisfaction_vs_task"]
    assert tell["series"]["task_index"] == [0.0] * 10
    assert tell["evidence"]["task_index"]["slope"] == 0.0
    assert tell["evidence"]["task_index"]["p_value"] == 0.5
    assert tell["evidence"]["metrics"]["accuracy"]["p_value"] == 0.5
    assert tell["evidence"]["task_improving"] is False
    assert tell["on"] is True


def test_tickets_none_of_which_maps_to_a_bucket_leave_the_tell_unavailable(
    tmp_path: Path,
) -> None:
    # a help desk's own categories, none of them a built-in synonym: every ticket is 'other'
    # and the shifted share is 0 in every week. Before: available and off (p = 0.5), read as
    # 'no shift' by anyone who did not open the evidence.
    names = ["Inaccuracy", "Ambiguous reply", "Login"]
    rows = [[week(w, hours=k), names[(w + k) % 3]] for w in range(8) for k in range(6)]
    tickets = write_csv(tmp_path / "tickets.csv", ["timestamp", "category"], rows)
    log = eight_weeks(tmp_path / "log.jsonl")
    tell = tells(log, tmp_path / "out", "--tickets", str(tickets))["ticket_shift"]
    assert tell["available"] is False and tell["on"] is False and tell["p_value"] is None
    assert f"no ticket in {tickets} maps to wrong, vague or agreed_then_burned" in tell["why"]
    assert "'Ambiguous reply'" in tell["why"] and "--ticket-map" in tell["why"]
    assert tell["evidence"]["tickets"] == 48
    # mapped, the same tickets make the tell available
    mapped = tells(
        log,
        tmp_path / "out2",
        "--tickets",
        str(tickets),
        "--ticket-map",
        "Inaccuracy=wrong",
        "--ticket-map",
        "Ambiguous reply=vague",
    )["ticket_shift"]
    assert mapped["available"] is True
    assert mapped["evidence"]["by_bucket"] == {
        "wrong": 16,
        "vague": 16,
        "agreed_then_burned": 0,
        "other": 16,
    }
