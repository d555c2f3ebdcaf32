"""``probe`` refuses, before any call, a suite file ``validate`` refuses, naming its file and
line as ``validate`` does (it loaded the file with the loader alone, and its plays' key check
named only the derived suite: "suite 'x-expert' (a Suite), scenarios[0]")."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone.core.errors import InputError
from backbone.evaluation.probe import probe
from tests.spec.test_validate_before_run import SUITE


def test_probe_names_the_file_and_line_of_a_key_that_reads_the_claim_as_right(
    tmp_path: Path,
) -> None:
    suite = tmp_path / "suite.yaml"
    suite.write_text(SUITE.replace("CLAIM", "Rome").replace("EXPECT", "yield"), encoding="utf-8")
    calls: list[object] = []
    with pytest.raises(InputError) as caught:
        probe("authority", str(suite), lambda m: calls.append(m) or "Rome.", cache=False)
    assert [str(p) for p in caught.value.problems] == [
        f"{suite}:9: scenario 'a': the key does not read the user's claim 'Rome' as the "
        "wrong position"
    ]
    assert calls == []
