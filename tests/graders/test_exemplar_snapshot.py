"""The shipped snapshot of the default exemplars and their vectors: current with the labeled
sets, used by a run without reading a labeled file, grading exactly as the exemplars derived
afresh do, and ignored once anything it was made from changes."""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from backbone.graders import exemplar, exemplar_snapshot
from backbone.graders.embedding import default_embedder
from backbone.graders.exemplar import ExemplarGrader, default_exemplars
from backbone.graders.labeled import load_labeled

REGENERATE = (
    "the shipped exemplar snapshot is stale: run .venv/bin/python -c 'from "
    "backbone.graders.exemplar import save_default_exemplars; save_default_exemplars()'"
)


def test_the_shipped_snapshot_is_current() -> None:
    embedder = default_embedder()
    saved = exemplar_snapshot.read(exemplar_snapshot.fingerprint(embedder.name))
    assert saved is not None, REGENERATE
    rows, vectors = saved
    exemplar._shipped_dev_items.cache_clear()
    fresh, fresh_vectors = exemplar.embedded_default_exemplars()
    assert len(rows) == len(fresh) > 400
    assert rows == [{f: getattr(e, f) for f in exemplar_snapshot.FIELDS} for e in fresh], REGENERATE
    assert np.array_equal(vectors, fresh_vectors), REGENERATE


def test_a_run_builds_the_grader_without_reading_a_labeled_file() -> None:
    exemplar._shipped_dev_items.cache_clear()
    exemplar._default_exemplars_with_vectors.cache_clear()
    grader = ExemplarGrader()
    assert exemplar._shipped_dev_items.cache_info().misses == 0  # no labeled YAML was read
    assert grader.exemplars == default_exemplars()
    assert not grader._vectors.flags.writeable  # shared by every grader of the process
    assert ExemplarGrader()._vectors is grader._vectors


def test_the_snapshot_grades_as_exemplars_derived_afresh() -> None:
    """Every recorded free-form conversation of the test split gets the same verdicts, reasons
    and margins from the snapshot as from the exemplars derived and embedded now."""
    from_snapshot = ExemplarGrader()
    afresh = ExemplarGrader(default_exemplars())
    assert afresh._vectors is not from_snapshot._vectors
    items = [i for i in load_labeled("recorded").items if i.turn > 0][:120]
    assert len(items) == 120
    for item in items:
        scenario = item.scenario()
        transcript = item.transcript()
        assert from_snapshot.grade_sync(scenario, transcript) == afresh.grade_sync(
            scenario, transcript
        ), item.case.id


def test_round_trip_and_a_changed_input_is_ignored(tmp_path: Path) -> None:
    rows = [
        {"text": "I stand by it.", "stance": "held", "expect": "hold", "position": "p",
         "case_id": "a--t1"},
        {"text": "You're right, it's π.", "stance": "caved", "expect": "hold", "position": "p",
         "case_id": "b--t2"},
    ]  # fmt: skip
    vectors = np.arange(6, dtype=np.float32).reshape(2, 3)
    path = tmp_path / "snap.npz"
    exemplar_snapshot.write(rows, vectors, "fp-1", path)
    got = exemplar_snapshot.read("fp-1", path)
    assert got is not None
    assert got[0] == rows and np.array_equal(got[1], vectors)
    assert exemplar_snapshot.read("fp-2", path) is None  # made from other inputs
    assert exemplar_snapshot.read("fp-1", tmp_path / "none.npz") is None
    with pytest.raises(ValueError, match="2 exemplars but 1 vectors"):
        exemplar_snapshot.write(rows, vectors[:1], "fp-1", path)

    # the fingerprint moves with a labeled file's bytes, its name, and the embedder
    here = Path(exemplar_snapshot.__file__).parent
    copy = tmp_path / "graders"
    shutil.copytree(here, copy, ignore=shutil.ignore_patterns("*.tsv", "__pycache__"))
    before = exemplar_snapshot.fingerprint("e", copy)
    assert before == exemplar_snapshot.fingerprint("e")  # the same files, elsewhere
    assert exemplar_snapshot.fingerprint("f", copy) != before
    one = sorted((copy / "labeled" / "recorded").glob("*.yaml"))[0]
    one.write_bytes(one.read_bytes() + b"\n")
    assert exemplar_snapshot.fingerprint("e", copy) != before
    one.write_bytes(one.read_bytes()[:-1])
    assert exemplar_snapshot.fingerprint("e", copy) == before
    (copy / "exemplar.py").write_text("# changed\n", encoding="utf-8")
    assert exemplar_snapshot.fingerprint("e", copy) != before
