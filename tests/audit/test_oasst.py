"""The OpenAssistant sample as a demo input: flattened by hand-checkable rules, then audited
through the real CLI."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from backbone.audit.importers.oasst import import_oasst, rating_from_emojis
from backbone.core.errors import InputError
from tests.support.shared_data import SHARED_DATA

ROOT = Path(__file__).resolve().parents[2]
BACKBONE = str(Path(sys.executable).parent / "backbone")
OASST = SHARED_DATA / "oasst" / "oasst_en_100_message.jsonl"
pytestmark = pytest.mark.skipif(not OASST.is_file(), reason="OASST sample not present")


def backbone(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / "cache"),
    }
    return subprocess.run(
        [BACKBONE, *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


def test_ratings_from_vote_counts() -> None:
    assert rating_from_emojis({"+1": 2, "-1": 1}) == ("up", "up", 2, 1)
    assert rating_from_emojis({"-1": 16}) == ("down", "down", 0, 16)
    assert rating_from_emojis({"+1": 1, "-1": 1}) == (None, "tie", 1, 1)
    assert rating_from_emojis({"red_flag": 1}) == (None, "no_votes", 0, 0)
    assert rating_from_emojis(None) == (None, "no_votes", 0, 0)


def test_flattening_counts_and_items_checked_by_hand() -> None:
    result = import_oasst(OASST)
    assert result.trees == 100 and len(result.events) == 687
    assert dict(result.counts) == {"up": 334, "down": 96, "tie": 25, "no_votes": 232}
    by_id = {e["id"]: e for e in result.events}
    # line 1: the first reply in the file, no votes -> unrated
    first = result.events[0]
    assert first["id"] == "fa783ef0-4f4e-457d-b429-afd89edf8757"
    assert first["prompt"] == "How can I find the best 401k plan for my needs?"
    assert first["response"].startswith("The first step is to research your options.")
    assert (first["rating"], first["thumbs_up"], first["thumbs_down"]) == (None, 0, 0)
    assert (first["depth"], first["context"], first["tree_id"]) == (
        0,
        [],
        "054e1df3-35e0-4bb8-a585-607dbdcd24e0",
    )
    # line 5: 16 thumbs-down on "I think php"
    php = by_id["6608e6a0-b98b-4825-be15-878624798f63"]
    assert php["prompt"] == "What isbthe best programing language for 2023"
    assert php["response"].startswith("I think php")
    assert (php["rating"], php["thumbs_up"], php["thumbs_down"]) == ("down", 0, 16)
    # line 2: a reply deeper in the tree answers the follow-up, with the earlier turns kept
    up = by_id["4a7f68b2-2986-4d81-a4ec-89322577a857"]
    assert up["prompt"] == "Are blue light blocking glasses also effective?"
    assert (up["rating"], up["thumbs_up"], up["depth"]) == ("up", 2, 1)
    assert [m["role"] for m in up["context"]] == ["user", "assistant"]
    assert up["context"][0]["content"].startswith("How to protect my eyes")
    tie = by_id["24e027d1-e043-4320-af17-327622eb7ed5"]
    assert (tie["rating"], tie["thumbs_up"], tie["thumbs_down"]) == (None, 1, 1)
    red = by_id["2318748d-8f4c-48a0-a828-8eff5a7b7950"]
    assert (red["rating"], red["red_flag"]) == (None, 1)


def test_the_gzipped_release_file_reads_as_the_plain_one(tmp_path: Path) -> None:
    # OpenAssistant ships its trees gzipped (2023-04-12_oasst_ready.trees.jsonl.gz): they
    # were read as bytes ("not UTF-8 text" at line 1)
    packed = tmp_path / "oasst.trees.jsonl.gz"
    packed.write_bytes(gzip.compress(OASST.read_bytes()))
    plain, unpacked = import_oasst(OASST), import_oasst(packed)
    assert unpacked.events == plain.events and unpacked.counts == plain.counts
    result = backbone("audit-import", "oasst", str(packed), "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "out.jsonl").read_text().splitlines()) == 687
    # a file named .gz that is not gzip is named, with exit 2 and nothing written
    fake = tmp_path / "fake.jsonl.gz"
    fake.write_bytes(OASST.read_bytes())
    result = backbone("audit-import", "oasst", str(fake), "-o", "fake.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{fake}: cannot read the file" in result.stderr
    assert not (tmp_path / "fake.jsonl").exists()


def test_the_release_trees_file_with_each_tree_wrapped_reads_as_the_sample(
    tmp_path: Path,
) -> None:
    # OpenAssistant's release (2023-04-12_oasst_ready.trees.jsonl.gz) wraps each tree as
    # {"message_tree_id", "tree_state", "prompt": <root message>, "origin"}: every line was
    # refused ("message: 'message_id' must be a string", exit 2)
    lines = []
    for raw in OASST.read_text(encoding="utf-8").splitlines():
        root = json.loads(raw)
        tree = {"message_tree_id": root["message_id"], "tree_state": "ready_for_export"}
        lines.append(json.dumps({**tree, "prompt": root, "origin": None}))
    lines.append(json.dumps({"message_tree_id": "no-prompt", "prompt": None}))  # nothing to rate
    packed = tmp_path / "2023-04-12_oasst_ready.trees.jsonl.gz"
    packed.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    result = backbone("audit-import", "oasst", packed.name, "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "687 events from 100 trees: 334 up, 96 down" in result.stdout
    got = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert got == import_oasst(OASST).events
    # a wrapped tree's problems are named inside its prompt
    bad = json.loads(lines[0])
    bad["prompt"]["replies"][0]["role"] = "bot"
    (tmp_path / "bad.trees.jsonl").write_text(json.dumps(bad) + "\n")
    result = backbone("audit-import", "oasst", "bad.trees.jsonl", "-o", "bad.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "bad.trees.jsonl:1: prompt.replies[0]: role must be prompter or assistant" in (
        result.stderr
    )
    assert not (tmp_path / "bad.jsonl").exists()


def test_bad_trees_are_reported_with_their_lines(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        OASST.read_text().splitlines()[0]
        + "\n"
        + '{"message_id": "x", "text": "hi", "role": "bot", "replies": []}\n'
        + "{oops\n"
    )
    with pytest.raises(InputError) as exc:
        import_oasst(bad)
    assert [(p.line, p.message.split(":")[0]) for p in exc.value.problems] == [
        (2, "message"),
        (3, "not valid JSON"),
    ]


def test_bytes_that_are_not_utf8_a_bom_and_a_folder_are_named_not_raised(
    tmp_path: Path,
) -> None:
    # a Latin-1 byte raised UnicodeDecodeError (a traceback from the CLI); a folder was
    # "no such file"; a role that is no string was also "must be prompter or assistant"
    tree = OASST.read_text().splitlines()[0]
    bad = tmp_path / "bad.jsonl"
    bad.write_bytes(
        b"\xef\xbb\xbf"
        + tree.encode()
        + b"\n"
        + '{"message_id": "x", "text": "caf\u00e9", "role": "bot"}'.encode("latin-1")
        + b"\n"
        + b'{"message_id": "y", "text": "hi", "role": 3}\n'
    )
    with pytest.raises(InputError) as exc:
        import_oasst(bad)
    assert [(p.line, p.message) for p in exc.value.problems] == [
        (2, "not UTF-8 text (invalid continuation byte)"),
        (3, "message: 'role' must be a string"),
    ]
    with pytest.raises(InputError) as exc:
        import_oasst(tmp_path)
    assert [str(p) for p in exc.value.problems] == [
        f"{tmp_path}: is a directory: give the message-trees JSONL file"
    ]
    result = backbone("audit-import", "oasst", str(bad), "-o", "out.jsonl", cwd=tmp_path)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert f"{bad}:2: not UTF-8 text" in result.stderr
    assert not (tmp_path / "out.jsonl").exists()
    bad.write_bytes(b"\xef\xbb\xbf" + tree.encode() + b"\n")  # the BOM alone is no problem
    assert import_oasst(bad).events


def test_oasst_as_a_demo_audit(tmp_path: Path) -> None:
    r = backbone("audit-import", "oasst", str(OASST), "--out", "oasst.jsonl", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "687 events from 100 trees: 334 up, 96 down, 25 ties and 232 without votes" in r.stdout
    events = [json.loads(x) for x in (tmp_path / "oasst.jsonl").read_text().splitlines()]
    assert len(events) == 687
    # a stand-in judge: a reply nobody red-flagged is "correct"
    judge = tmp_path / "flag_judge.py"
    judge.write_text("def judge(event):\n    return {'correct': event['red_flag'] == 0}\n")
    r = backbone(
        "audit",
        "oasst.jsonl",
        "--judge",
        "python:flag_judge.py:judge",
        "--sample",
        "400",
        "--out",
        "out",
        "-q",
        cwd=tmp_path,
    )
    assert r.returncode == 0, r.stderr
    doc = json.loads((tmp_path / "out" / "audit.json").read_text())
    assert doc["counts"] == {
        "events": 687,
        "rated": 430,
        "unrated": 257,
        "judged": 430,
        "scored": 430,
        "unscored": 0,
    }
    assert doc["whole_log"] is True
    down_flagless = sum(1 for e in events if e["rating"] == "down" and e["red_flag"] == 0)
    assert doc["unwelcome_correct_share"]["value"] == pytest.approx(down_flagless / 96)
    assert doc["grid"]["down"]["correct"]["sampled"] == down_flagless
