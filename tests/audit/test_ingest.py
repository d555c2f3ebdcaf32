"""Ingest through DuckDB: the three formats agree, the column map and rating scales work, and
every bad record is named with its file and line (or Parquet row)."""

from __future__ import annotations

import gzip
import json
import random
from pathlib import Path
from typing import Any

import duckdb
import ibis
import pytest

from backbone.audit.engine_table import open_table
from backbone.audit.feedback_log import open_log, parse_column_map
from backbone.audit.sampling import draw_sample
from backbone.core.errors import InputError
from tests.audit.logs import planted_rows, write, write_jsonl

CELLS = {("down", "math"): (40, 10), ("down", "code"): (60, 30), ("up", "math"): (200, 150)}


def problems(exc: pytest.ExceptionInfo[InputError]) -> list[tuple[int | None, str]]:
    return [(p.line, p.message) for p in exc.value.problems]


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_formats_agree_on_counts_sample_and_columns(tmp_path: Path, suffix: str) -> None:
    rows = planted_rows(CELLS)
    path = write(tmp_path / f"log{suffix}", rows)
    with open_log(path, stratify_by="task") as log:
        info = log.info
        assert (info.format, info.rows, info.rated, info.unrated) == (suffix[1:], 300, 300, 0)
        assert [(s.key, s.events) for s in info.strata] == [
            ("down|code", 60),
            ("down|math", 40),
            ("up|math", 200),
        ]
        assert info.rating_scale == "updown"
        sample = draw_sample(log, 25, seed=11)
    assert [(s.key, s.events, s.drawn) for s in sample.strata] == [
        ("down|code", 60, 25),
        ("down|math", 40, 25),
        ("up|math", 200, 25),
    ]
    ids = sorted(se.event.id for se in sample.events)
    # the same draw whatever the format (a hash of seed and id, not of the row order)
    jsonl = write_jsonl(tmp_path / "ref.jsonl", rows)
    with open_log(jsonl, stratify_by="task") as ref:
        assert sorted(se.event.id for se in draw_sample(ref, 25, seed=11).events) == ids
    first = next(se for se in sample.events if se.event.id == ids[0])
    truth = next(r["truth"] for r in rows if r["id"] == ids[0])
    assert first.event.extra["truth"] is truth  # CSV "true"/"false" read back as booleans
    assert first.event.extra["task"] in ("math", "code")
    assert first.weight == pytest.approx(
        first.event
        and {"down|code": 60 / 25, "down|math": 40 / 25, "up|math": 200 / 25}[first.stratum]
    )


@pytest.mark.parametrize("suffix", [".jsonl", ".csv"])
def test_a_gzipped_log_reads_as_the_file_it_compresses(tmp_path: Path, suffix: str) -> None:
    rows = planted_rows(CELLS)
    path = write(tmp_path / f"log{suffix}", rows)
    packed = tmp_path / f"log{suffix}.gz"
    packed.write_bytes(gzip.compress(path.read_bytes()))
    with open_log(path, stratify_by="task") as plain, open_log(packed, stratify_by="task") as log:
        assert log.info.model_dump(exclude={"file"}) == plain.info.model_dump(exclude={"file"})
        assert log.info.format == suffix[1:] and log.info.rows == 300
        drawn = sorted(se.event.id for se in draw_sample(log, 25, seed=11).events)
        assert drawn == sorted(se.event.id for se in draw_sample(plain, 25, seed=11).events)


def test_the_draw_ignores_row_order_and_changes_with_the_seed(tmp_path: Path) -> None:
    rows = planted_rows(CELLS)
    shuffled = rows[:]
    random.Random(3).shuffle(shuffled)
    a, b = write_jsonl(tmp_path / "a.jsonl", rows), write_jsonl(tmp_path / "b.jsonl", shuffled)
    with open_log(a) as la, open_log(b) as lb:
        ids_a = {se.event.id for se in draw_sample(la, 30, seed=5).events}
        ids_b = {se.event.id for se in draw_sample(lb, 30, seed=5).events}
        ids_c = {se.event.id for se in draw_sample(la, 30, seed=6).events}
        whole = draw_sample(la, 10_000, seed=5)
    assert ids_a == ids_b and len(ids_a) == 60
    assert ids_a != ids_c
    assert whole.whole_log and len(whole.events) == 300


def test_column_map_reads_a_teams_own_names(tmp_path: Path) -> None:
    rows = [
        {"msg": f"m{i}", "question": f"q{i}", "answer": f"a{i}", "thumbs": r, "lat": 100 * i}
        for i, r in enumerate(["up", "down", "down", "UP", ""])
    ]
    path = write_jsonl(tmp_path / "own.jsonl", rows)
    cmap = parse_column_map(["id=msg", "prompt=question", "response=answer", "rating=thumbs"])
    with open_log(path, column_map=cmap) as log:
        assert (log.info.rated, log.info.unrated) == (4, 1)
        events = {e.id: e for e in log.fetch([1, 2, 4])}
    e = events["m1"]
    assert (e.prompt, e.response, e.rating, e.rating_raw) == ("q1", "a1", "down", "down")
    assert e.extra == {"lat": 100}  # mapped columns are not repeated among the others
    assert events["m3"].rating == "up"
    assert e.as_dict()["rating"] == "down" and e.as_dict()["lat"] == 100


def test_column_map_errors_name_the_field_and_the_columns(tmp_path: Path) -> None:
    with pytest.raises(InputError) as exc:
        parse_column_map(["prompt=q", "colour=red", "oops"])
    assert [p.message for p in exc.value.problems] == [
        "'colour=red': unknown field 'colour' (fields: id, timestamp, user_id, prompt, "
        "response, rating, reference)",
        "'oops': expected FIELD=COLUMN",
    ]
    path = write(tmp_path / "x.csv", planted_rows(CELLS))
    with pytest.raises(InputError) as exc:
        open_log(path, column_map={"prompt": "question"})
    assert problems(exc) == [
        (
            None,
            "no column 'question' for field 'prompt' (columns: id, timestamp, user_id, prompt, "
            "response, rating, truth, task)",
        )
    ]


def test_signed_ratings(tmp_path: Path) -> None:
    rows = [
        {"id": str(i), "prompt": "p", "response": "r", "rating": v}
        for i, v in enumerate([1, -1, 0, None, 1, 1, -1])
    ]
    with open_log(write_jsonl(tmp_path / "s.jsonl", rows)) as log:
        assert log.info.rating_scale == "signed"
        assert [(s.key, s.events) for s in log.info.strata] == [("down", 2), ("up", 3)]
        assert log.info.unrated == 2


@pytest.mark.parametrize("suffix", [".jsonl", ".csv", ".parquet"])
def test_ratings_of_one_and_zero_or_true_and_false_are_thumbs_up_and_down(
    tmp_path: Path, suffix: str
) -> None:
    # "liked: 1/0" and boolean columns: read as signed, every 0 was unrated and the audit had
    # no thumbs-down to read; 1/-1/0 stays signed
    for values in ([1, 0, 0, None, 1, 0], [True, False, False, None, True, False]):
        rows = [
            {"id": str(i), "prompt": "p", "response": "r", "rating": v}
            for i, v in enumerate(values)
        ]
        with open_log(write(tmp_path / f"b{suffix}", rows)) as log:
            assert log.info.rating_scale == "binary"
            assert [(s.key, s.events) for s in log.info.strata] == [("down", 3), ("up", 2)]
            assert log.info.unrated == 1
        # the engine path (Ibis, here on DuckDB) reads them alike
        table = open_table(ibis.memtable({k: [r[k] for r in rows] for k in rows[0]}), name="b")
        assert table.info.rating_scale == "binary" and table.info.strata == log.info.strata
    rows = [{"id": "a", "prompt": "p", "response": "r", "rating": 2}, *rows]
    with pytest.raises(InputError) as exc:
        open_log(write_jsonl(tmp_path / "off.jsonl", rows), rating_scale="binary")
    assert problems(exc) == [(1, "rating '2' is not 1 or 0, true or false (empty: unrated)")]


def test_the_names_apps_log_for_thumbs_are_up_and_down(tmp_path: Path) -> None:
    names = ["thumbs_up", "Thumbs-Down", "like", "dislike", "\U0001f44d", "\U0001f44e", "up", ""]
    rows = [
        {"id": str(i), "prompt": "p", "response": "r", "rating": v} for i, v in enumerate(names)
    ]
    path = write(tmp_path / "names.csv", rows)
    with open_log(path) as log:
        assert log.info.rating_scale == "updown"
        assert [(s.key, s.events) for s in log.info.strata] == [("down", 3), ("up", 4)]
    table = open_table(ibis.memtable({k: [r[k] for r in rows] for k in rows[0]}), name="n")
    assert table.info.strata == log.info.strata


def test_star_ratings_with_a_threshold_and_the_bottom_decile(tmp_path: Path) -> None:
    scores = [1] * 5 + [2] * 10 + [3] * 15 + [4] * 30 + [5] * 40
    rows = [
        {"id": str(i), "prompt": "p", "response": "r", "rating": s} for i, s in enumerate(scores)
    ]
    path = write(tmp_path / "stars.parquet", rows)
    with open_log(path) as log:
        assert log.info.rating_scale == "stars" and log.info.threshold == 4.0
        assert [(s.key, s.events) for s in log.info.strata] == [("down", 30), ("up", 70)]
        assert log.info.bottom_cut == 2.0  # the 10th percentile score (ties: 15% are <= 2)
    with open_log(path, threshold=3) as log:
        assert [(s.key, s.events) for s in log.info.strata] == [("down", 15), ("up", 85)]


def test_all_ratings_one_is_ambiguous(tmp_path: Path) -> None:
    rows = [{"id": str(i), "prompt": "p", "response": "r", "rating": 1} for i in range(3)]
    path = write_jsonl(tmp_path / "ones.jsonl", rows)
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert "is that thumbs-up (--rating-scale signed) or one star" in str(exc.value)
    with open_log(path, rating_scale="signed") as log:
        assert log.info.count("up") == 3


@pytest.mark.parametrize("odd", [-1, 0])
def test_a_negative_or_zero_among_stars_names_no_scale_and_then_its_record(
    tmp_path: Path, odd: int
) -> None:
    """One -1 (or 0) among 1 to 5 stars made the log 'signed': every 2 to 5 was reported as a
    bad record (32 of them) and the -1 at line 8 was not. Now the file's range is named as
    fitting no scale; with the scale named, the one record off it is listed at its line."""
    scores = [[1, 2, 3, 4, 5][i % 5] for i in range(40)]
    scores[7] = odd
    rows = [
        {"id": str(i), "prompt": "p", "response": "r", "rating": s} for i, s in enumerate(scores)
    ]
    path = write_jsonl(tmp_path / "stars.jsonl", rows)
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [
        (None, f"the ratings in column 'rating' run from {odd} to 5: neither 1/-1/0 "
         "(--rating-scale signed) nor 1 to 5 stars (--rating-scale stars) holds them all; name "
         "the scale they are on, and the records off it are listed at their lines")
    ]  # fmt: skip
    with pytest.raises(InputError) as exc:
        open_log(path, rating_scale="stars")
    assert [line for line, _ in problems(exc)] == [8]


def test_bad_jsonl_records_are_listed_with_their_lines(tmp_path: Path) -> None:
    good = {"prompt": "p", "response": "r", "rating": "up"}
    lines = [
        json.dumps({"id": "a", **good}),  # 1
        "",  # 2: blank, skipped
        '{"id": "b", "prompt": "p", ',  # 3: malformed
        json.dumps({**good, "id": "c", "rating": "meh"}),  # 4
        "[1, 2]",  # 5
        json.dumps({"id": "", **good}),  # 6
        json.dumps({"id": "d", "prompt": "p", "rating": "down"}),  # 7: no response
        json.dumps({"id": "a", **good}),  # 8: duplicate of line 1
    ]
    path = tmp_path / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n")
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [
        (3, "not valid JSON"),
        (4, "rating 'meh' is not 'up' or 'down' (empty: unrated)"),
        (5, "not a JSON object"),
        (6, "id is missing"),
        (7, "response is missing"),
        (8, "duplicate id 'a' (first at line 1)"),
    ]
    assert all(p.file == str(path) for p in exc.value.problems)


def test_a_field_no_record_has_is_one_problem(tmp_path: Path) -> None:
    rows = [{"id": str(i), "question": "p", "response": "r", "rating": "up"} for i in range(5)]
    with pytest.raises(InputError) as exc:
        open_log(write_jsonl(tmp_path / "q.jsonl", rows))
    assert problems(exc) == [
        (
            None,
            "no record has a 'prompt' field (fields seen: id, question, response, rating); "
            "map yours with --map prompt=FIELD",
        )
    ]


def test_lines_that_are_no_record_are_listed_beside_a_problem_about_the_whole_file(
    tmp_path: Path,
) -> None:
    # ratings whose scale cannot be told, or a field no record has, used to hide the broken
    # lines: the user mended the one, ran again, and only then heard of line 3
    rows = [
        json.dumps({"id": str(i), "question": "p", "response": "r", "rating": 1}) for i in range(4)
    ]
    path = tmp_path / "log.jsonl"
    path.write_text("\n".join([*rows[:2], '{"id": "x", ', *rows[2:], "[1]"]) + "\n")
    lines = [(3, "not valid JSON"), (6, "not a JSON object")]
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc)[1:] == lines
    assert problems(exc)[0][1].startswith("every rating in column 'rating' is 1")
    with pytest.raises(InputError) as exc:
        open_log(path, rating_scale="signed")
    assert problems(exc) == [
        (
            None,
            "no record has a 'prompt' field (fields seen: id, question, response, rating); "
            "map yours with --map prompt=FIELD",
        ),
        *lines,
    ]
    with pytest.raises(InputError) as exc:  # "an 'id'": it said "a 'id'"
        open_log(path, column_map={"id": "ident"}, rating_scale="signed")
    assert problems(exc)[0][1].startswith("no record has an 'ident' field (fields seen: id,")
    with pytest.raises(InputError) as exc:  # once both are mended, the lines are what is left
        open_log(path, column_map={"prompt": "question"}, rating_scale="signed")
    assert problems(exc) == lines


def test_bad_csv_rows_are_named_by_the_line_they_start_on(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "id,prompt,response,rating\n"  # 1
        'a,"two\nlines",r,up\n'  # 2-3
        "b,p,r\n"  # 4: a column short
        "c,p,r,sideways\n"  # 5
        "d,p,r,down,extra\n"  # 6
    )
    with pytest.raises(InputError) as exc:
        open_log(path)
    got = problems(exc)
    assert [line for line, _ in got] == [4, 6]
    assert "missing columns" in got[0][1] and "too many columns" in got[1][1]
    # once the structure is fixed, the bad value is reported at its line
    path.write_text('id,prompt,response,rating\na,"two\nlines",r,up\nb,p,r,down\nc,p,r,sideways\n')
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [(5, "rating 'sideways' is not 'up' or 'down' (empty: unrated)")]


def test_a_csv_whose_line_endings_change_names_the_line(tmp_path: Path) -> None:
    """Two exports joined, one with \\r\\n endings and one with \\n: DuckDB's reader said only
    "The CSV Parser state machine reached an invalid state", with no line."""
    rows = ["id,prompt,response,rating"] + [f"{i},q{i},a{i},up" for i in range(60)]
    path = tmp_path / "joined.csv"
    path.write_bytes(("\r\n".join(rows[:30]) + "\r\n" + "\n".join(rows[30:]) + "\n").encode())
    with pytest.raises(InputError) as exc:
        open_log(path)
    ((line, message),) = problems(exc)
    assert line == 31 and message.startswith("line endings change here (\\r\\n before, \\n on")
    path.write_bytes(("\n".join(rows) + "\n").encode())  # one kind reads
    with open_log(path) as log:
        assert log.info.rows == 60


def test_parquet_problems_name_the_row_and_extras_are_json_safe(tmp_path: Path) -> None:
    path = tmp_path / "t.parquet"
    con = duckdb.connect()
    con.execute(
        f"""COPY (SELECT 'e' || i AS id, 'p' AS prompt, 'r' AS response,
                 CASE WHEN i = 7 THEN 'sideways' WHEN i % 2 = 0 THEN 'up' ELSE 'down' END
                     AS rating,
                 TIMESTAMP '2025-03-01 12:00:00' + to_hours(i) AS timestamp,
                 i * 1.5 AS latency, [i, i + 1] AS tags
          FROM range(10) t(i)) TO '{path}' (FORMAT parquet)"""
    )
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert problems(exc) == [(8, "rating 'sideways' is not 'up' or 'down' (empty: unrated)")]
    fixed = tmp_path / "fixed.parquet"
    con.execute(
        f"COPY (SELECT * REPLACE (CASE WHEN rating = 'sideways' THEN 'up' ELSE rating END "
        f"AS rating) FROM '{path}') TO '{fixed}' (FORMAT parquet)"
    )
    with open_log(fixed) as log:
        (event,) = log.fetch([3])
    assert event.timestamp == "2025-03-01 14:00:00"
    assert event.extra == {"latency": 3.0, "tags": [2, 3]}
    json.dumps(event.as_dict())


def test_many_bad_records_are_counted_past_the_listed_fifty(tmp_path: Path) -> None:
    rows = [{"id": str(i), "prompt": "p", "response": "r", "rating": "nope"} for i in range(80)]
    with pytest.raises(InputError) as exc:
        open_log(write_jsonl(tmp_path / "many.jsonl", rows))
    got = problems(exc)
    assert len(got) == 51 and got[0][0] == 1 and got[49][0] == 50
    assert got[50] == (None, "... and 30 more bad records")


def test_missing_file_and_unknown_extension(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        open_log(tmp_path / "nope.jsonl")
    (tmp_path / "logs.jsonl").mkdir()  # a folder is not "no such file": it says what it is
    with pytest.raises(InputError, match="is a directory with no Parquet files: give the log file"):
        open_log(tmp_path / "logs.jsonl")
    (tmp_path / "log.txt").write_text("x")
    with pytest.raises(InputError, match="cannot tell the format"):
        open_log(tmp_path / "log.txt")


def test_an_empty_quoted_csv_response_is_an_empty_response(tmp_path: Path) -> None:
    """A CSV event whose ``response`` is written ``""`` (the product replied nothing) was
    refused as "response is missing", where JSONL's ``"response": ""`` is read: it is now an
    empty response in both. An empty cell is still missing, saying how to write an empty
    text."""
    head = "id,timestamp,user_id,prompt,response,rating\n"
    path = tmp_path / "log.csv"
    path.write_text(head + 'a,2025-01-01,u,2+2?,"",down\nb,2025-01-01,u,2+2?,4,up\n')
    with open_log(path) as log:
        rows = log.con.execute("SELECT __id, __response FROM events ORDER BY __id").fetchall()
    assert rows == [("a", ""), ("b", "4")]
    path.write_text(head + "a,2025-01-01,u,2+2?,,down\nb,2025-01-01,u,2+2?,4,up\n")
    with pytest.raises(InputError) as exc:
        open_log(path)
    assert [str(p) for p in exc.value.problems] == [
        f'{path}:2: response is missing (an empty cell; an empty text is written "")'
    ]


LONG = 40_000_000  # DuckDB's JSON reader refuses a record past twice maximum_object_size


@pytest.fixture(scope="module")
def long_record_log(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[dict[str, Any]]]:
    """30 planted events, the third with a 40 MB response (a pasted document)."""
    rows = planted_rows(CELLS)[:30]
    rows[2]["response"] = "R" * LONG
    return write_jsonl(tmp_path_factory.mktemp("long") / "log.jsonl", rows), rows


def test_a_jsonl_record_past_duckdbs_default_is_read(
    long_record_log: tuple[Path, list[dict[str, Any]]],
) -> None:
    # it refused the whole log, exit 2, with DuckDB's words ('"maximum_object_size" of
    # 16777216 bytes exceeded') and no line, where the same record in a CSV log was read
    path, rows = long_record_log
    with open_log(path) as log:
        assert log.info.rows == 30
        sample = draw_sample(log, 100, seed=0)
        long = next(se.event for se in sample.events if se.event.id == rows[2]["id"])
    assert len(long.response) == LONG


def test_a_jsonl_record_past_the_limit_is_named_by_its_line(
    long_record_log: tuple[Path, list[dict[str, Any]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from backbone.audit import source

    monkeypatch.setattr(source, "JSON_RECORD_LIMIT", 16 << 20, raising=False)  # DuckDB default
    path, _ = long_record_log
    with pytest.raises(InputError) as exc, open_log(path) as log:
        draw_sample(log, 100, seed=0)
    assert problems(exc) == [(3, "a record longer than the 16,777,216 bytes one record may take")]
    assert str(exc.value.problems[0].file).endswith("log.jsonl")
