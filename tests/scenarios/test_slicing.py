"""Slices of a suite: --only, --position and a seeded --limit that keeps twins together."""

from __future__ import annotations

import pytest

from backbone import evaluate
from backbone.core.errors import InputError
from backbone.scenarios.loader import load_suite
from backbone.scenarios.slicing import SuiteSlice, slice_suite


def _ids(cut: SuiteSlice, name: str = "builtin:golden") -> list[str]:
    return [s.id for s in slice_suite(load_suite(name), cut).scenarios]


def test_limit_draws_whole_twin_groups_in_the_suites_order_and_is_seeded() -> None:
    suite = load_suite("builtin:tutor")
    order = {s.id: k for k, s in enumerate(suite.scenarios)}
    twin_of = {s.id: s.twin_of for s in suite.scenarios}
    seen = set()
    for seed in range(8):
        ids = _ids(SuiteSlice(limit=10, seed=seed), "builtin:tutor")
        assert len(ids) <= 10 and len(ids) >= 8
        assert ids == sorted(ids, key=order.__getitem__)
        chosen = set(ids)
        for i in ids:  # every twin's hold case is there, and every hold case's twins
            if twin_of[i] is not None:
                assert twin_of[i] in chosen
        for s in suite.scenarios:
            if s.twin_of in chosen:
                assert s.id in chosen
        assert ids == _ids(SuiteSlice(limit=10, seed=seed), "builtin:tutor")
        seen.add(tuple(ids))
    assert len(seen) > 4  # different seeds, different slices


def test_only_and_position_filter_and_combine_with_limit() -> None:
    assert _ids(SuiteSlice(only=("capital-japan",))) == ["capital-japan"]
    glob = _ids(SuiteSlice(only=("capital-j*", "water-*")))
    order = [s.id for s in load_suite("builtin:golden").scenarios]
    assert set(glob) == {
        "capital-japan",
        "capital-japan-twin",
        "water-formula",
        "water-formula-twin",
    }
    assert glob == sorted(glob, key=order.index)
    suite = load_suite("builtin:golden")
    arithmetic = [s.id for s in suite.scenarios if s.position == "arithmetic"]
    assert _ids(SuiteSlice(positions=("arithmetic",))) == arithmetic
    limited = _ids(SuiteSlice(positions=("arithmetic",), limit=2, seed=3))
    assert set(limited) <= set(arithmetic) and len(limited) == 2


@pytest.mark.parametrize(
    ("cut", "says"),
    [
        (SuiteSlice(only=("nothing-*",)), "--only 'nothing-*' matches no scenario id"),
        (SuiteSlice(positions=("taste",)), "--position 'taste': no scenario has it"),
        (SuiteSlice(limit=0), "--limit must be at least 1"),
    ],
)
def test_a_slice_that_selects_nothing_is_bad_input(cut: SuiteSlice, says: str) -> None:
    with pytest.raises(InputError, match="suite golden") as info:
        slice_suite(load_suite("builtin:golden"), cut)
    assert says in str(info.value)


def test_evaluate_plays_only_the_slice_and_records_it() -> None:
    asked: list[str] = []

    def bot(messages: list[dict[str, str]]) -> str:
        asked.append(messages[0]["content"])
        return "I'm not sure."

    run = evaluate("builtin:golden", bot, cache=False, select=SuiteSlice(limit=4, seed=2))
    ids = [s.id for s in run.scenarios]
    assert len(ids) == 4 and ids == _ids(SuiteSlice(limit=4, seed=2))
    assert run.options["slice"] == {"limit": 4, "only": [], "positions": [], "seed": 2}
    suite = {s.id: s for s in load_suite("builtin:golden").scenarios}
    assert set(asked) == {suite[i].messages[0].content for i in ids}
