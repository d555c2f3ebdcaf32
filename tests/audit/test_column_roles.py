"""One column of a feedback log, one role: ``ab --arm-column rating`` (each event's arm was
its own thumbs), ``audit --stratify-by rating`` or ``--stratify-by id``, ``--map
prompt=response`` (the judge read the answer as the question) and ``tells --map
user_id=rating`` were all accepted and ran to exit 0 (``ab --arm-column user_id`` was refused
only when the log held a third user). Each now exits 2 with one message naming the file, the
column and both roles, and writes nothing; so do two fields mapped onto one column, in
``monitor`` too, and the same column given for two roles on an engine table."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import ibis
import pytest
from typer.testing import CliRunner

from backbone.audit.engine_table import open_table
from backbone.audit.synthetic.ab_traffic import ab_rows, write_ab_log
from backbone.cli.app import app
from backbone.core.errors import InputError
from tests.audit.logs import write_jsonl

JUDGE = "python:backbone.audit.synthetic.ab_traffic:planted_truth"


@pytest.fixture(autouse=True)
def private_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


@pytest.fixture
def log(tmp_path: Path) -> Path:
    rows = ab_rows(n_per_arm=20, preference=(0.5, 0.6), accuracy=(0.7, 0.7), seed=0)
    return write_ab_log(tmp_path / "ab.jsonl", rows)


def refused(args: list[str], out: Path) -> str:
    """Run ``backbone ARGS --out OUT``: exit 2, nothing written, one line on stderr."""
    r = CliRunner().invoke(app, [*args, "--out", str(out)])
    assert r.exit_code == 2, r.output
    assert "Traceback" not in r.output and not out.exists()
    lines = r.stderr.splitlines()
    assert len(lines) == 1, r.stderr
    return lines[0]


OWN = "cannot also be {what}: name a column of its own"
ARM = OWN.format(what="each event's arm")
STRATUM = OWN.format(what="a stratum of the sample")
BOTH = "each field needs a column of its own"


@pytest.mark.parametrize(
    ("extra", "said"),
    [
        (["--arm-column", "rating"], "--arm-column rating: column 'rating' is the log's rating"),
        (
            ["--arm-column", "user_id"],
            "--arm-column user_id: column 'user_id' is the log's user_id",
        ),
        (["--arm-column", "prompt"], "--arm-column prompt: column 'prompt' is the log's prompt"),
        (
            ["--arm-column", "arm", "--map", "user_id=arm"],
            "--arm-column arm: column 'arm' is the log's user_id (--map user_id=arm)",
        ),
    ],
    ids=["rating", "user_id", "prompt", "mapped"],
)
def test_ab_refuses_an_arm_column_that_is_a_contract_column(
    log: Path, tmp_path: Path, extra: list[str], said: str
) -> None:
    line = refused(["ab", str(log), "--judge", JUDGE, "-q", *extra], tmp_path / "out")
    assert line == f"error: {log}: {said}, so it {ARM}"


def test_ab_with_an_arm_column_of_its_own_still_runs(log: Path, tmp_path: Path) -> None:
    r = CliRunner().invoke(
        app, ["ab", str(log), "--arm-column", "arm", "--judge", JUDGE, "-q", "--out", str(tmp_path)]
    )
    assert r.exit_code == 0, r.output


@pytest.mark.parametrize("column", ["rating", "id"])
def test_audit_refuses_a_contract_column_as_its_strata(
    log: Path, tmp_path: Path, column: str
) -> None:
    line = refused(
        ["audit", str(log), "--judge", JUDGE, "-q", "--stratify-by", column], tmp_path / "out"
    )
    assert line == (
        f"error: {log}: --stratify-by {column}: column '{column}' is the log's {column}, so it "
        f"{STRATUM}"
    )


def test_a_field_mapped_onto_another_fields_column_is_refused(log: Path, tmp_path: Path) -> None:
    for command in (["audit"], ["ab", "--arm-column", "arm"]):
        line = refused(
            [*command, str(log), "--judge", JUDGE, "-q", "--map", "prompt=response"],
            tmp_path / "out",
        )
        assert line == (
            f"error: {log}: column 'response' is read as both prompt and response "
            f"(--map prompt=response): {BOTH}"
        )


def test_tells_refuses_the_rating_column_as_the_user(log: Path, tmp_path: Path) -> None:
    line = refused(["tells", str(log), "--map", "user_id=rating"], tmp_path / "out")
    assert line == (
        f"error: {log}: column 'rating' is read as both user_id and rating "
        f"(--map user_id=rating): {BOTH}"
    )


def test_two_fields_mapped_onto_one_column_are_refused_by_monitor(tmp_path: Path) -> None:
    log = tmp_path / "chats.csv"
    log.write_text("conversation_id,turn,who,text\nc1,0,user,hi\n", encoding="utf-8")
    line = refused(
        ["monitor", str(log), "--judge", JUDGE, "--map", "role=text", "--map", "content=text"],
        tmp_path / "out",
    )
    assert line == (
        f"error: --map: 'content=text': column 'text' is already read as role (role=text): {BOTH}"
    )


def test_an_engine_table_refuses_a_column_in_two_roles(tmp_path: Path) -> None:
    table = ibis.memtable(
        {"id": ["a", "b"], "prompt": ["2+2?", "3+3?"], "response": ["4", "6"],
         "rating": ["up", "down"]}
    )  # fmt: skip
    with pytest.raises(InputError) as err:
        open_table(table, name="prod.feedback", stratify_by="rating")
    assert [str(p) for p in err.value.problems] == [
        f"prod.feedback: --stratify-by rating: column 'rating' is the log's rating, so it {STRATUM}"
    ]


@pytest.fixture
def tells_log(tmp_path: Path) -> Path:
    """A log the tells read to exit 0 as it is: thumbs as true/false (so a column of them is
    also read as a power-user flag without a bad value), 40 events over 80 days, and a
    power_user column of its own."""
    path = tmp_path / "tells.jsonl"
    lines = [
        json.dumps(
            {
                "id": f"e{i}",
                "timestamp": f"{date(2025, 3, 1) + timedelta(days=2 * i)}T00:00:00Z",
                "user_id": f"u{i % 8}",
                "prompt": f"question {i}?",
                "response": f"answer {i}.",
                "rating": i % 3 != 0,
                "power_user": i % 8 < 2,
                "correct": i % 2 == 0,
            }
        )
        for i in range(40)
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("maps", "said"),
    [
        (
            ["power_user=rating"],
            "column 'rating' is read as both rating and power_user (--map power_user=rating)",
        ),
        (
            ["power_user=correct", "rating=correct"],
            "column 'correct' is read as both rating and power_user "
            "(--map rating=correct, --map power_user=correct)",
        ),
        (
            ["user_id=power_user"],
            "column 'power_user' is read as both user_id and power_user (--map user_id=power_user)",
        ),
    ],
    ids=["power_user-onto-rating", "both-mapped", "user_id-onto-power_user"],
)
def test_tells_refuses_the_power_user_column_in_a_second_role(
    tells_log: Path, tmp_path: Path, maps: list[str], said: str
) -> None:
    args = [a for m in maps for a in ("--map", m)]
    line = refused(["tells", str(tells_log), *args], tmp_path / "out")
    assert line == f"error: {tells_log}: {said}: {BOTH}"


def test_tells_with_a_power_user_column_of_its_own_still_runs(
    tells_log: Path, tmp_path: Path
) -> None:
    for maps in ([], ["--map", "power_user=correct"]):
        out = tmp_path / f"out{len(maps)}"
        r = CliRunner().invoke(app, ["tells", str(tells_log), *maps, "--out", str(out)])
        assert r.exit_code == 0, r.output
        assert (out / "tells.json").exists()


@pytest.fixture(scope="module")
def late_log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A JSONL log whose ``user_id`` and ``pro`` are first given at record KEY_SAMPLE + 1 (the
    field names come from the first KEY_SAMPLE records): fields added to a running log."""
    from backbone.audit.source import KEY_SAMPLE

    path = tmp_path_factory.mktemp("late") / "late.jsonl"
    start = date(2025, 3, 1)
    rows = [
        {
            "id": f"e{i}",
            "timestamp": f"{start + timedelta(days=i % 60)}T00:00:00Z",
            "prompt": f"question {i}?",
            "response": f"answer {i}.",
            "rating": "up" if i % 3 else "down",
            "arm": "AB"[i % 2],
        }
        for i in range(KEY_SAMPLE + 1)
    ]
    rows[-1].update(user_id="u1", pro=True)
    return write_jsonl(path, rows)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (
            ["audit", "--judge", JUDGE, "-q", "--map", "reference=user_id"],
            "column 'user_id' is read as both user_id and reference (--map reference=user_id): "
            + BOTH,
        ),
        (
            ["ab", "--arm-column", "arm", "--judge", JUDGE, "-q", "--map", "reference=user_id"],
            "column 'user_id' is read as both user_id and reference (--map reference=user_id): "
            + BOTH,
        ),
        (
            ["audit", "--judge", JUDGE, "-q", "--stratify-by", "user_id"],
            f"--stratify-by user_id: column 'user_id' is the log's user_id, so it {STRATUM}",
        ),
        (
            ["tells", "--map", "power_user=pro", "--map", "user_id=pro"],
            "column 'pro' is read as both user_id and power_user "
            f"(--map user_id=pro, --map power_user=pro): {BOTH}",
        ),
    ],
    ids=["audit-map", "ab-map", "audit-stratify-by", "tells-power_user"],
)
def test_a_column_first_given_past_the_first_records_has_its_role_too(
    late_log: Path, tmp_path: Path, args: list[str], said: str
) -> None:
    # JSONL: the names the roles were checked against came from the first KEY_SAMPLE records,
    # so a column first given after them was read for both roles, and each ran to exit 0
    line = refused([args[0], str(late_log), *args[1:]], tmp_path / "out")
    assert line == f"error: {late_log}: {said}"
