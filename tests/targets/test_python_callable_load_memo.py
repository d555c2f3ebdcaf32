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


def test_a_re_exported_functions_file_is_hashed_once_per_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python:memo_reexporting:reply`` with ``from .bot import reply`` in its
    ``__init__.py``: the reload check hashed ``bot.py``, then the key hashed it again. Its
    key stays what it was (the key of the same package before the fix, pinned)."""
    package = tmp_path / "memo_reexporting"
    package.mkdir()
    (package / "__init__.py").write_text("from .bot import reply\n")
    (package / "bot.py").write_text(SOURCE)
    monkeypatch.syspath_prepend(str(tmp_path))
    hashed: list[str] = []
    real = python_callable.source_fingerprint

    def counting(path: str | None) -> str:
        if path and Path(path).resolve() == (package / "bot.py").resolve():
            hashed.append(path)
        return real(path)

    monkeypatch.setattr(python_callable, "source_fingerprint", counting)
    try:
        for _ in range(2):  # the first load, and one in the same process
            fingerprint = python_callable.load_function("memo_reexporting:reply")[2]
            assert len(hashed) == 1, hashed
            assert fingerprint == "248bae0f7463adc0"
            hashed.clear()
    finally:
        for name in ("memo_reexporting", "memo_reexporting.bot"):
            sys.modules.pop(name, None)
