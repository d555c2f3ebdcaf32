"""A ``python:MODULE:FUNC`` load reads the module's file fingerprint once: one record per
module holds what the reload check and the product fingerprint both need. Before, two memos
(one for the reload check, one for the product fingerprint) each hashed the module's file on
every load. The cache key of a fixed module stays byte for byte what it was."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from backbone.evaluation.registry import target_from_spec
from backbone.targets import python_callable
from backbone.targets.cache import cache_key
from backbone.targets.messages import ChatMessage, Request

NAME = "memo_fixed_bot"
SOURCE = "def reply(messages):\n    return 'It is still Rome.'\n"
# the key of python:memo_fixed_bot:reply (SOURCE alone in its folder) for one fixed request,
# as the code before the single record computed it
KEY = "80aac6fbecd4925f96dd4c6ccb8eca4e5a8f32fe6162f6c2b2005bd7e157e7e4"


@pytest.fixture
def fixed_module(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    folder = tmp_path / "product"
    folder.mkdir()
    (folder / f"{NAME}.py").write_text(SOURCE)
    monkeypatch.syspath_prepend(str(folder))
    try:
        yield folder / f"{NAME}.py"
    finally:
        sys.modules.pop(NAME, None)


def key_now() -> str:
    target = target_from_spec(f"python:{NAME}:reply")
    return cache_key(target.identity, Request((ChatMessage("user", "Is it Rome?"),)))


def test_a_fixed_module_keeps_its_cache_key_byte_for_byte(fixed_module: Path) -> None:
    assert key_now() == KEY
    assert key_now() == KEY  # loaded again in the same process


def test_a_load_hashes_the_module_file_once(
    fixed_module: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    hashed: list[str] = []
    real = python_callable.source_fingerprint

    def counting(path: str | None) -> str:
        if path and Path(path).resolve() == fixed_module.resolve():
            hashed.append(path)
        return real(path)

    monkeypatch.setattr(python_callable, "source_fingerprint", counting)
    first = key_now()
    assert len(hashed) == 1, hashed
    hashed.clear()
    assert key_now() == first
    assert len(hashed) == 1, hashed


def test_an_edit_is_still_reloaded_and_keyed_anew(fixed_module: Path) -> None:
    before = key_now()
    fixed_module.write_text(SOURCE.replace("Rome", "Paris"))
    target = target_from_spec(f"python:{NAME}:reply")
    edited = cache_key(target.identity, Request((ChatMessage("user", "Is it Rome?"),)))
    assert edited != before
    fn = python_callable.load_function(f"{NAME}:reply")[0]
    assert fn([]) == "It is still Paris."
    fixed_module.write_text(SOURCE)
    assert key_now() == before
