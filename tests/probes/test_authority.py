"""The authority probe recovers planted effects exactly, through the real runner and grader:
a target that caves only to credentials gives the whole gap; one that caves equally gives
none; a mixed plan gives the exact discordant counts and McNemar p-values."""

from __future__ import annotations

from pathlib import Path

import pytest
from scipy.stats import binomtest
from statsmodels.stats.contingency_tables import mcnemar

from backbone.core.errors import InputError
from backbone.evaluation.probe import probe
from backbone.probes.authority import AUTHORITY, field_of, ladder
from backbone.scenarios.loader import load_suite
from tests.probes import bots


def test_caving_only_to_credentials_gives_the_whole_gap(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 12, extra=("wrong-0", "mumble-0"))
    r = probe("authority", str(suite), bots.credentials_only, cache=False)
    assert r.kind == "authority" and r.n_items == 12
    rates = {arm: (f["cave_rate"].x, f["cave_rate"].n) for arm, f in r.arms.items()}
    assert rates == {"expert": (12, 12), "layperson": (0, 12), "doubt": (0, 12)}
    gap = r.figures["authority_gap"]
    assert gap["value"] == 1.0 and gap["n"] == 12
    assert (gap["first_only"], gap["second_only"]) == (12, 0)
    assert gap["p_value"] == pytest.approx(2 * 0.5**12)
    # every pair moved the same way: the interval allows for pairs that could have moved back
    # unseen, twice the Clopper-Pearson upper bound of 0 of 12 below 1
    unseen = binomtest(0, 12).proportion_ci(method="exact").high
    assert gap["ci"] == pytest.approx((1 - 2 * unseen, 1.0))
    assert r.figures["expert_vs_doubt"]["value"] == 1.0
    lay = r.figures["layperson_vs_doubt"]
    assert (lay["value"], lay["p_value"], lay["first_only"] + lay["second_only"]) == (0.0, 1.0, 0)
    # left out, and said so: the yield case, the initially wrong item, the unscored one
    notes = " | ".join(r.notes)
    assert "1 yield cases" in notes and "twin" in notes
    assert "(initially wrong in some arm): wrong-0" in notes
    assert "(unscored in some arm): mumble-0" in notes
    by_id = {row["id"]: row for row in r.items}
    assert by_id["wrong-0"]["included"] is False
    assert by_id["wrong-0"]["outcomes"]["expert"] == "initially_wrong"
    assert by_id["item-3"]["outcomes"] == {
        "expert": "caved", "layperson": "held", "doubt": "held"
    }  # fmt: skip
    assert by_id["item-3"]["flip_turns"]["expert"] == 1
    assert r.options == {"turns": 3}


def test_caving_equally_gives_no_gap(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 10)
    r = probe("authority", str(suite), bots.caves_equally, cache=False)
    assert {arm: f["cave_rate"].value for arm, f in r.arms.items()} == dict.fromkeys(
        ("expert", "layperson", "doubt"), 0.5
    )
    for name in ("authority_gap", "expert_vs_doubt", "layperson_vs_doubt"):
        f = r.figures[name]
        assert (f["value"], f["p_value"], f["n"]) == (0.0, 1.0, 10)
        low, high = f["ci"]
        assert low < 0 < high  # no pair changed: the interval still admits unseen changes
    # "no gap" at n=10 means only that a gap under ~2/3 would go unseen
    assert 0.6 < r.figures["authority_gap"]["minimum_detectable_change"] < 0.75


def test_mixed_plan_gives_exact_discordant_counts_and_p_values(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 12)
    r = probe("authority", str(suite), bots.mixed, cache=False)
    assert [r.arms[a]["cave_rate"].x for a in ("expert", "layperson", "doubt")] == [8, 3, 1]
    gap = r.figures["authority_gap"]
    assert gap["value"] == pytest.approx(5 / 12)
    assert (gap["first_only"], gap["second_only"]) == (6, 1)
    assert gap["p_value"] == pytest.approx(0.125)
    # the same p-value two other ways: the binomial on the discordant pairs, statsmodels
    assert gap["p_value"] == pytest.approx(binomtest(6, 7, 0.5).pvalue)
    table = [[2, 6], [1, 3]]  # [[both, expert only], [layperson only, neither]]
    assert gap["p_value"] == pytest.approx(mcnemar(table, exact=True).pvalue)
    assert gap["ci"][0] < 5 / 12 < gap["ci"][1]
    ed = r.figures["expert_vs_doubt"]
    assert (ed["first_only"], ed["second_only"], ed["p_value"]) == (7, 0, pytest.approx(2 / 128))
    ld = r.figures["layperson_vs_doubt"]
    assert (ld["first_only"], ld["second_only"], ld["p_value"]) == (2, 0, pytest.approx(0.5))


def test_turns_option_sets_the_ladder_length_in_every_arm(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 4, extra=("wrong-0",))
    bots.CALLS.clear()
    r = probe("authority", str(suite), bots.credentials_only, cache=False, options={"turns": "2"})
    # items x arms x (opening + 2 pushbacks); the wrong opening gets no ladder in any arm
    assert len(bots.CALLS) == 4 * 3 * (1 + 2) + 3
    assert r.options == {"turns": 2}


def test_ladders_are_matched_and_name_the_items_field() -> None:
    golden = load_suite("builtin:golden")
    japan = next(s for s in golden.scenarios if s.id == "capital-japan")
    sums = next(s for s in golden.scenarios if s.domain == "math")
    assert field_of(japan) == "geography" and field_of(sums) == "mathematics"
    ladders = {arm: ladder(arm, claim="Kyoto", field="geography", turns=3) for arm in
               ("expert", "layperson", "doubt")}  # fmt: skip
    assert all(len(turns) == 3 for turns in ladders.values())
    assert all("Kyoto" in t for turns in ladders.values() for t in turns)
    assert all("geography" in t for t in ladders["expert"])
    assert not any("geography" in t for t in ladders["layperson"] + ladders["doubt"])


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        ({"rungs": 2}, "unknown option 'rungs'"),
        ({"turns": "two"}, "option 'turns' must be int"),
        ({"turns": 4}, "option 'turns' must be 1 to 3, got 4"),
    ],
)
def test_bad_options_are_input_errors_before_any_call(
    options: dict[str, object], fragment: str
) -> None:
    def never(messages: object) -> str:
        raise AssertionError("no call may be made")

    with pytest.raises(InputError, match=fragment):
        AUTHORITY.run(load_suite("builtin:golden"), never, options)  # type: ignore[arg-type]


def test_a_suite_with_nothing_to_probe_is_an_input_error(tmp_path: Path) -> None:
    suite = bots.items(tmp_path / "s.yaml", 0, extra=("x",))
    text = suite.read_text().replace("expect: hold", "expect: yield")
    # a yield case's user is right (claim: Milan there is a suite validate and probe refuse)
    suite.write_text(text.replace("claim: Milan", "claim: Rome"))
    with pytest.raises(InputError, match="no hold scenario with an answer key and a claim"):
        probe("authority", str(suite), bots.credentials_only, cache=False)
