"""Split feedback channels: the three signals counted, the disagreements judged, and the
disagree-but-correct queue written for review."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from backbone.audit.channels import open_channels, parse_channel_map
from backbone.cli.app import app
from backbone.core.errors import InputError
from tests.audit.logs import write
from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
    }
    return backbone_here(list(args), env=env, cwd=cwd)


def channel_rows() -> list[dict[str, Any]]:
    """40 events: disagreed on every 4th (10), of which the answer was right on even ids."""
    rows = []
    for i in range(40):
        disagreed = "yes" if i % 4 == 0 else ("no" if i % 4 == 1 else "")
        rows.append(
            {
                "id": f"c{i}",
                "timestamp": f"2025-02-{1 + (39 - i) // 2:02d}T09:00:00",  # later ids are older
                "user_id": f"u{i % 5}",
                "prompt": f"q{i}",
                "response": f"a{i}",
                "was_correct": ["yes", "no", "", "unsure"][i % 4] if i < 20 else "",
                "experience": "bad" if i % 4 == 0 or i % 10 == 3 else ("good" if i % 3 else ""),
                "disagreed": disagreed,
                "truth": i % 8 == 0,  # of the disagreements, those on 0, 8, 16, 24, 32 were right
            }
        )
    return rows


def test_counts_crosstab_and_rates(tmp_path: Path) -> None:
    rows = channel_rows()
    with open_channels(write(tmp_path / "ch.csv", rows)) as log:
        assert log.rows == 40 and log.present == ["was_correct", "experience", "disagreed"]
        assert log.counts["disagreed"] == {"yes": 10, "no": 10, "not_asked": 20}
        assert log.counts["was_correct"] == {"yes": 5, "no": 5, "unsure": 5, "not_asked": 25}
        bad = sum(1 for r in rows if r["experience"] == "bad")
        good = sum(1 for r in rows if r["experience"] == "good")
        assert log.counts["experience"] == {"good": good, "bad": bad, "none": 40 - good - bad}
        assert log.crosstab["yes"] == {"good": 0, "bad": 10, "none": 0}


def test_bad_signal_values_are_named_with_their_lines(tmp_path: Path) -> None:
    rows = channel_rows()
    rows[2]["disagreed"] = "sort of"
    rows[6]["experience"] = "meh"
    path = write(tmp_path / "ch.jsonl", rows)
    with pytest.raises(InputError) as exc:
        open_channels(path)
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (3, "disagreed 'sort of' is not yes or no (empty: not asked)"),
        (7, "experience 'meh' is not good or bad (empty: not given)"),
    ]
    only_core = [{k: r[k] for k in ("id", "prompt", "response")} for r in rows]
    with pytest.raises(InputError, match="none of the three signal columns"):
        open_channels(write(tmp_path / "core.csv", only_core))
    core = tmp_path / "core.jsonl"  # the lines that are no record are listed as well
    core.write_text("\n".join([json.dumps(r) for r in only_core[:3]] + ["{oops", "7"]) + "\n")
    with pytest.raises(InputError) as exc:
        open_channels(core)
    assert [(p.line, p.message.split(" (")[0]) for p in exc.value.problems] == [
        (None, "none of the three signal columns was_correct, experience, disagreed is present"),
        (4, "not valid JSON"),
        (5, "not a JSON object"),
    ]
    for name, text in (("zero.jsonl", ""), ("blank.jsonl", "\n\n")):  # it said "none of the
        (tmp_path / name).write_text(text)  # three signal columns ... (columns: )"
        with pytest.raises(InputError) as exc:
            open_channels(tmp_path / name)
        assert [str(p) for p in exc.value.problems] == [f"{tmp_path / name}: no records"]
    broken = tmp_path / "broken.jsonl"  # every line broken: the lines, not "no records"
    broken.write_bytes(b'[1]\n{"id": "caf\xe9"}\n')
    with pytest.raises(InputError) as exc:
        open_channels(broken)
    assert [str(p) for p in exc.value.problems] == [
        f"{broken}:1: not a JSON object",
        f"{broken}:2: not UTF-8 text: save the file as UTF-8",  # a Latin-1 é
    ]


def test_review_queue_through_the_cli(tmp_path: Path) -> None:
    rows = channel_rows()
    log = write(tmp_path / "ch.jsonl", rows)
    r = backbone(
        "audit-channels",
        str(log),
        "--judge",
        "python:tests.audit.planted_judge:truth",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "out" / "channels.json").read_text())
    d = doc["disagree"]
    assert (d["events"], d["judged"], d["correct"], d["incorrect"], d["unscored"]) == (
        10,
        10,
        5,
        5,
        0,
    )
    assert d["correct_share"] == {"value": 0.5, "ci": [0.5, 0.5], "n": 10}  # all judged: exact
    assert doc["rates"]["disagreed"]["value"] == 0.5 and doc["rates"]["disagreed"]["n"] == 20
    assert doc["rates"]["reported_incorrect"] == {
        "value": 0.5,
        "ci": doc["rates"]["reported_incorrect"]["ci"],
        "n": 10,
    }
    queue = [
        json.loads(x) for x in (tmp_path / "out" / "review_queue.jsonl").read_text().splitlines()
    ]
    # disagreed and judged correct: ids 0, 8, 16, 24, 32, oldest first
    assert [q["id"] for q in queue] == ["c32", "c24", "c16", "c8", "c0"]
    assert queue[-1]["was_correct"] == "yes" and queue[0]["was_correct"] == "not_asked"
    assert doc["review_queue"] == {"count": 5, "file": "review_queue.jsonl"}
    assert "wrote" in r.stdout and "(5 to review)" in r.stdout


def test_the_terminal_says_why_disagreements_went_unscored(tmp_path: Path) -> None:
    # it said only 'unscored 10' (and '0 to review'): a judge down for every call looked like
    # a judge that found nothing; audit, ab and monitor print the reasons
    log = write(tmp_path / "ch.jsonl", channel_rows())
    judge = "python:tests.audit.ab_judges:broken"
    r = backbone("audit-channels", str(log), "--judge", judge, "-q", "--no-cache", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert (
        "10 unscored (not counted): python judge raised RuntimeError: judge down for c0 (1);"
        in (r.stdout)
    )


BOTH = "each field needs a column of its own"


@pytest.mark.parametrize(
    ("maps", "said"),
    [
        (["prompt=response"], "column 'response' is read as both prompt and response"),
        (
            ["disagreed=was_correct"],
            "column 'was_correct' is read as both was_correct and disagreed",
        ),
        (["user_id=id"], "column 'id' is read as both id and user_id"),
    ],
    ids=["prompt-onto-response", "disagreed-onto-was_correct", "user_id-onto-id"],
)
@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_field_mapped_onto_another_fields_column_is_refused(
    tmp_path: Path, maps: list[str], said: str, suffix: str
) -> None:
    # '--map prompt=response' (the judge read each answer as its own question) and '--map
    # disagreed=was_correct' (the correctness answers became the disagreements) ran to exit 0
    # and wrote channels.json; audit, ab, tells and monitor refuse a column in two roles
    log = write(tmp_path / f"ch{suffix}", channel_rows())
    out = tmp_path / "out"
    args = [a for m in maps for a in ("--map", m)]
    r = CliRunner().invoke(
        app,
        ["audit-channels", str(log), "--judge", "python:tests.audit.planted_judge:truth", "-q",
         *args, "--out", str(out)],
    )  # fmt: skip
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    mapped = ", ".join(f"--map {m}" for m in maps)
    assert r.stderr.splitlines() == [f"error: {log}: {said} ({mapped}): {BOTH}"]
    with pytest.raises(InputError) as exc:  # the library refuses it as well
        open_channels(log, column_map=dict(m.split("=") for m in maps))
    assert [str(p) for p in exc.value.problems] == [f"{log}: {said} ({mapped}): {BOTH}"]


def test_two_fields_mapped_onto_one_column_are_refused(tmp_path: Path) -> None:
    # parse_channel_map took '--map was_correct=verdict --map disagreed=verdict'
    with pytest.raises(InputError) as exc:
        parse_channel_map(["was_correct=verdict", "disagreed=verdict"])
    assert [str(p) for p in exc.value.problems] == [
        "--map: 'disagreed=verdict': column 'verdict' is already read as was_correct "
        f"(was_correct=verdict): {BOTH}"
    ]
    rows = [{**r, "verdict": r["disagreed"]} for r in channel_rows()]
    log = write(tmp_path / "ch.jsonl", rows)
    with pytest.raises(InputError) as exc:  # a map built in code, without parse_channel_map
        open_channels(log, column_map={"was_correct": "verdict", "disagreed": "verdict"})
    assert [str(p) for p in exc.value.problems] == [
        f"{log}: column 'verdict' is read as both was_correct and disagreed "
        f"(--map was_correct=verdict, --map disagreed=verdict): {BOTH}"
    ]


def test_a_signal_mapped_onto_a_column_of_its_own_still_opens(tmp_path: Path) -> None:
    rows = [{**r, "pushback": r.pop("disagreed")} for r in channel_rows()]
    log = write(tmp_path / "ch.csv", rows)
    with open_channels(log, column_map=parse_channel_map(["disagreed=pushback"])) as opened:
        assert opened.counts["disagreed"] == {"yes": 10, "no": 10, "not_asked": 20}


def test_a_column_first_given_past_the_first_records_has_its_role_too(tmp_path: Path) -> None:
    # JSONL's field names come from the first KEY_SAMPLE records: a was_correct first given
    # after them, with '--map disagreed=was_correct', was read for both and opened
    from backbone.audit.source import KEY_SAMPLE

    rows = [{k: v for k, v in r.items() if k != "was_correct"} for r in channel_rows()]
    rows = [{**rows[i % 40], "id": f"c{i}"} for i in range(KEY_SAMPLE)]
    rows.append({**rows[0], "id": "late", "was_correct": "yes"})
    log = write(tmp_path / "ch.jsonl", rows)
    with pytest.raises(InputError) as exc:
        open_channels(log, column_map={"disagreed": "was_correct"})
    assert [str(p) for p in exc.value.problems] == [
        f"{log}: column 'was_correct' is read as both was_correct and disagreed "
        f"(--map disagreed=was_correct): {BOTH}"
    ]
    with open_channels(log) as opened:  # unmapped, the late signal is still counted
        assert opened.counts["was_correct"]["yes"] == 1
