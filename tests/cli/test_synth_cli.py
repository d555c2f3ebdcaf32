"""``backbone synth`` with extreme parameters: sizes that would run for minutes and fill the
memory are refused at once (exit 2, nothing written), and an --out that cannot be written is
refused before the rows are built."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from backbone.cli.app import app


def cli(*args: str) -> tuple[int, str]:
    r = CliRunner().invoke(app, list(args))
    return r.exit_code, r.output


def test_a_huge_n_per_arm_is_refused_at_once(tmp_path: Path) -> None:
    out = tmp_path / "ab.jsonl"
    start = time.monotonic()
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "200001")
    assert code == 2, text
    assert "--n-per-arm" in text and "Traceback" not in text
    assert time.monotonic() - start < 2
    assert not out.exists()


def test_a_huge_number_of_periods_is_refused_at_once(tmp_path: Path) -> None:
    out = tmp_path / "tells"
    start = time.monotonic()
    code, text = cli("synth", "tells", "--out", str(out), "--periods", "1001")
    assert code == 2, text
    assert "--periods" in text and "Traceback" not in text
    assert time.monotonic() - start < 2
    assert not out.exists()


def test_an_unknown_format_is_refused_before_the_rows_are_built(tmp_path: Path) -> None:
    out = tmp_path / "ab.txt"
    start = time.monotonic()
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "200000")
    assert code == 2, text
    assert "cannot tell the format from '.txt'" in text
    assert time.monotonic() - start < 2  # the rows of 400,000 events take seconds to build
    assert not out.exists()


def test_an_out_that_is_a_folder_is_refused_before_the_rows_are_built(tmp_path: Path) -> None:
    out = tmp_path / "ab.jsonl"
    out.mkdir()
    start = time.monotonic()
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "200000")
    assert code == 2, text
    assert "it is a directory" in text and "Traceback" not in text
    assert time.monotonic() - start < 2


def test_a_small_log_still_writes(tmp_path: Path) -> None:
    out = tmp_path / "ab.csv"
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "10")
    assert code == 0, text
    assert len(out.read_text().splitlines()) == 21


def test_an_unrated_share_that_leaves_no_rated_event_is_refused(tmp_path: Path) -> None:
    out = tmp_path / "ab.jsonl"
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "2", "--unrated", "0.9")
    assert code == 2, text
    assert "--unrated" in text and "no rated event" in text
    assert not out.exists()
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "2", "--unrated", "0.2")
    assert code == 0, text  # one rated event an arm: a rate, however coarse


def test_a_dependence_the_rates_cannot_carry_is_refused_not_clipped(tmp_path: Path) -> None:
    # thumbs-up 0.9 with accuracy 0.5: P(up | correct) = 0.9 + 0.5 x dependence passes 1 above
    # a dependence of 0.2; the log used to be written with 0.2 planted and no word said
    out = tmp_path / "ab.jsonl"
    code, text = cli("synth", "ab", "--out", str(out), "--preference", "0.9,0.9",
                     "--accuracy", "0.5,0.5", "--dependence", "0.5")  # fmt: skip
    assert code == 2, text
    assert "--dependence 0.5 cannot be planted in arm A" in " ".join(text.split())
    assert "at most 0.2" in text and not out.exists()
    code, text = cli("synth", "ab", "--out", str(out), "--preference", "0.9,0.9",
                     "--accuracy", "0.5,0.5", "--dependence", "0.2")  # fmt: skip
    assert code == 0, text
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    for arm in "AB":
        mine = [r for r in rows if r["arm"] == arm]
        rate = {
            c: sum(r["rating"] == "up" for r in mine if r["correct"] is c)
            / sum(r["correct"] is c for r in mine)
            for c in (True, False)
        }
        assert rate[True] - rate[False] == pytest.approx(0.2, abs=1e-3)  # as planted


@pytest.mark.parametrize("name", ["ab.parquet", "ab.jsonl"])
def test_a_full_disk_is_named_and_leaves_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, name: str
) -> None:
    # the Parquet writer let the OSError out: a traceback (exit 1); the JSONL one named it
    from tests.support.disk_faults import full_disk_for

    asked = full_disk_for(monkeypatch, name)
    out = tmp_path / name
    r = CliRunner().invoke(app, ["synth", "ab", "--out", str(out), "--n-per-arm", "10"])
    assert asked and r.exit_code == 2, r.output
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    assert f"error: {out}: cannot write: No space left on device" in " ".join(r.output.split())
    assert list(tmp_path.iterdir()) == []


def test_a_negative_seed_is_refused(tmp_path: Path) -> None:
    # Python's random seeds with the absolute value: --seed -5 wrote the file of --seed 5,
    # exit 0, as if it were a seed of its own (synth tells already refused it)
    out = tmp_path / "ab.jsonl"
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "10", "--seed", "-5")
    assert code == 2, text
    assert "--seed" in text and "Traceback" not in text
    assert not out.exists()


def test_the_summary_gives_the_rates_written_and_warns_when_they_are_not_the_planted(
    tmp_path: Path,
) -> None:
    # 0.70 and 0.74 of 10 events an arm are 7 thumbs-up each: the file plants no difference,
    # but the line said "thumbs-up 0.700 vs 0.740" (the rates asked for), exit 0
    out = tmp_path / "ab.jsonl"
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "10")
    assert code == 0, text
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    ups = [sum(r["rating"] == "up" for r in rows if r["arm"] == arm) for arm in "AB"]
    assert ups == [7, 7]
    said = " ".join(text.split())
    assert "thumbs-up 0.700 vs 0.700, accuracy 0.800 vs 0.800" in said
    assert "warning: --preference 0.7,0.74 is 0.700,0.700 in whole events of 10 an arm" in said
    # enough events: the planted rates are the written ones, and nothing is said
    code, text = cli("synth", "ab", "--out", str(out), "--n-per-arm", "1000")
    assert code == 0, text
    assert "thumbs-up 0.700 vs 0.740, accuracy 0.800 vs 0.780" in " ".join(text.split())
    assert "warning" not in text


def test_a_tell_named_twice_is_planted_and_said_once(tmp_path: Path) -> None:
    """``--on ticket_shift,ticket_shift`` said "planted: ticket_shift, ticket_shift"."""
    code, text = cli(
        "synth", "tells", "--out", str(tmp_path / "t"), "--on", "ticket_shift, ticket_shift",
        "--periods", "12", "--seed", "2",
    )  # fmt: skip
    assert code == 0, text
    assert "planted: ticket_shift, seed 2" in " ".join(text.split())
