"""``evaluate(temperature=0)`` shares the reply cache with the CLI's ``--temperature 0``
(which Typer hands over as ``0.0``): the int was written into the cache key as ``0``, so
the same run from code and from the command line paid for every reply twice."""

from __future__ import annotations

from pathlib import Path

import pytest

from backbone import evaluate
from tests.support.loopback import LoopbackServer, planted_bot, write_suite


def test_an_int_temperature_is_served_the_replies_of_its_float(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = write_suite(tmp_path / "suite.yaml")
    with LoopbackServer(planted_bot) as server:
        base = server.openai_base_url
        first = evaluate(suite, "openai:m", base_url=base, temperature=0.0, out=tmp_path / "a")
        made = server.total
        again = evaluate(suite, "openai:m", base_url=base, temperature=0, out=tmp_path / "b")
        assert server.total == made > 0  # every reply from the cache
        other = evaluate(suite, "openai:m", base_url=base, temperature=0.5, out=tmp_path / "c")
        assert server.total > made  # another temperature is another request
    assert again.stats.cached_calls == made
    assert [o.outcome for o in again.outcomes] == [o.outcome for o in first.outcomes]
    assert other.stats.calls > 0
