"""Hostile YAML: an alias bomb and 100,000 nested brackets are refused with an InputError at
a line, in bounded time and memory, by the library and by every command that reads YAML."""

from __future__ import annotations

import itertools
import subprocess
import time
import tracemalloc
from pathlib import Path

import pytest
import yaml

from backbone.core.errors import InputError
from backbone.core.yaml_lines import MAX_DEPTH, load_yaml_with_lines
from tests.support.loopback import backbone_exe, cli_env


def alias_bomb(levels: int = 8) -> str:
    """The "billion laughs": nine nested anchors (by default), each a list of nine aliases of
    the one before."""
    lines = ['a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for prev, name in itertools.pairwise("abcdefghij"[: levels + 1]):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines) + "\n"


BOMB = alias_bomb()
BRACKETS = "[" * 100_000 + "]" * 100_000 + "\n"
DEEP_BLOCK = "".join("  " * i + f"k{i}:\n" for i in range(MAX_DEPTH + 5)) + "  " * 105 + "v\n"


@pytest.fixture(params=["libyaml", "python"])
def parser(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every limit holds with libyaml's C parser (PyYAML's wheels have it) and without it."""
    if request.param == "python":
        monkeypatch.setattr(yaml, "__with_libyaml__", False)
    else:
        assert yaml.__with_libyaml__, "PyYAML was built without libyaml"
    return str(request.param)


def bounded(text: str) -> tuple[InputError, float, int]:
    """The error, the seconds it took and the peak memory it allocated (measured apart:
    tracemalloc slows the parser tenfold)."""
    t0 = time.perf_counter()
    with pytest.raises(InputError) as info:
        load_yaml_with_lines(text, "bomb.yaml")
    elapsed = time.perf_counter() - t0
    tracemalloc.start()
    try:
        with pytest.raises(InputError):
            load_yaml_with_lines(text, "bomb.yaml")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return info.value, elapsed, peak


@pytest.mark.usefixtures("parser")
def test_an_alias_bomb_is_refused_at_its_line_in_bounded_time_and_memory() -> None:
    error, elapsed, peak = bounded(BOMB)
    (problem,) = error.problems
    assert problem.file == "bomb.yaml"
    assert problem.line == 6  # anchor &f, the deepest that alone exceeds the budget (597,871)
    assert "aliases expand this document to 490,329,064 nodes" in problem.message
    assert elapsed < 15  # a bound against blow-up (expanding it would take hours), not a speed test
    assert peak < 20_000_000


@pytest.mark.usefixtures("parser")
def test_100000_nested_brackets_are_refused_without_a_recursion_error() -> None:
    error, elapsed, peak = bounded(BRACKETS)
    (problem,) = error.problems
    assert (problem.file, problem.line) == ("bomb.yaml", 1)
    assert f"nested deeper than {MAX_DEPTH} levels" in problem.message
    assert elapsed < 15  # a bound against blow-up (expanding it would take hours), not a speed test
    assert peak < 50_000_000


@pytest.mark.usefixtures("parser")
def test_deep_block_nesting_is_refused_at_the_line_where_it_goes_too_deep() -> None:
    error, _, _ = bounded(DEEP_BLOCK)
    (problem,) = error.problems
    assert problem.line == MAX_DEPTH  # the key whose value is one level too deep
    assert f"nested deeper than {MAX_DEPTH} levels" in problem.message


@pytest.mark.usefixtures("parser")
def test_ordinary_anchors_and_nesting_still_load() -> None:
    text = (
        "ladder: &ladder [doubt, insistence, expert]\n"
        "a: {pressure: *ladder}\n"
        "b: {pressure: *ladder}\n"
        "deep: " + "[" * (MAX_DEPTH - 2) + "1" + "]" * (MAX_DEPTH - 2) + "\n"  # scalar: level 100
    )
    data, lines = load_yaml_with_lines(text, "ok.yaml")
    assert data["b"]["pressure"] == ["doubt", "insistence", "expert"]
    assert lines[("b", "pressure", 2)] == 1  # an alias has its anchor's line
    assert lines[("deep",)] == 4


@pytest.mark.usefixtures("parser")
def test_a_small_bomb_under_the_budget_is_accepted() -> None:
    data, _ = load_yaml_with_lines(alias_bomb(levels=3), "small.yaml")
    assert len(data["d"]) == 9 and len(data["d"][0][0][0]) == 9


@pytest.mark.parametrize("text", [BOMB, BRACKETS], ids=["alias-bomb", "brackets"])
@pytest.mark.parametrize("command", ["run", "validate", "gate"])
def test_commands_refuse_hostile_yaml_with_exit_2(tmp_path: Path, text: str, command: str) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(text, encoding="utf-8")
    (tmp_path / "run").mkdir()
    args = {
        "run": ["run", "--target", "local", "--suite", str(bad), "--out", "out", "--no-cache"],
        "validate": ["validate", "--suite", str(bad)],
        "gate": ["gate", "run", "--config", str(bad)],
    }[command]
    t0 = time.monotonic()
    proc = subprocess.run(
        [backbone_exe(), *args],
        cwd=tmp_path,
        env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    line = 6 if text is BOMB else 1
    assert f"{bad}:{line}:" in proc.stderr
    assert time.monotonic() - t0 < 30


def test_a_key_given_twice_is_refused_at_its_second_line() -> None:
    # PyYAML kept the last value silently: "product: x" then "product: y" read as y
    text = "product: x\nrisk: low\nproduct: y\nitems:\n  - {id: a, id: b}\n  - id: c\n"
    with pytest.raises(InputError) as err:
        load_yaml_with_lines(text, "spec.yaml")
    assert [str(p) for p in err.value.problems] == [
        "spec.yaml:3: duplicate key 'product' (first at line 1)",
        "spec.yaml:5: duplicate key 'id' (first at line 5)",
    ]
    # a merge key and the same key in two mappings are not duplicates
    data, _ = load_yaml_with_lines("base: &b {x: 1}\none: {<<: *b, y: 2}\ntwo: {x: 3}\n", "f")
    assert data == {"base": {"x": 1}, "one": {"x": 1, "y": 2}, "two": {"x": 3}}


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("char", ["\x00", "\x07", "\ufffe"])
def test_a_character_yaml_refuses_is_named_at_its_line(char: str) -> None:
    # PyYAML's ReaderError has no mark: the error named the file alone, not the line
    text = f"name: x\nscenarios:\n  - id: 'a{char}b'\n"
    with pytest.raises(InputError) as err:
        load_yaml_with_lines(text, "suite.yaml")
    assert [(p.line, p.message) for p in err.value.problems] == [
        (3, f"not valid YAML: unacceptable character #x{ord(char):04x}: special characters "
            "are not allowed"),
    ]  # fmt: skip


UNREADABLE = [
    ("claim: 2024-02-30", "'2024-02-30' cannot be read as a date (day is out of range for month)"),
    ("claim: 0x_", "'0x_' cannot be read as a whole number (invalid literal for int() with base "
     "16: '')"),
    ("claim: !!float many", "'many' cannot be read as a number (could not convert string to "
     "float: 'many')"),
]  # fmt: skip


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize(("value", "why"), UNREADABLE, ids=["date", "hex", "tagged"])
def test_a_scalar_that_cannot_be_made_its_type_is_named_at_its_line(value: str, why: str) -> None:
    """A plain ``2024-02-30`` is a date to YAML, one with no such day: PyYAML raised a bare
    ``ValueError`` ("day is out of range for month"), a traceback from every command reading
    the file, where it now names the file, the line and the way out."""
    text = f"name: x\nscenarios:\n  - id: a\n    {value}\n"
    with pytest.raises(InputError) as err:
        load_yaml_with_lines(text, "suite.yaml")
    assert [(p.line, p.message) for p in err.value.problems] == [
        (4, f"not valid YAML: {why}: quote it to keep it as text")
    ]


@pytest.mark.usefixtures("parser")
@pytest.mark.parametrize("text", ["a: &x [*x]\n", "a: 1\nb: &x\n  c: [1, *x]\n"])
def test_an_alias_inside_the_collection_it_names_is_refused_not_a_recursion_error(
    text: str,
) -> None:
    """``&x [*x]`` (a list that holds itself) made the alias-bomb check count without end:
    a RecursionError traceback."""
    with pytest.raises(InputError) as err:
        load_yaml_with_lines(text, "f.yaml")
    assert [p.message for p in err.value.problems] == [
        "not valid YAML: an alias inside the collection it names (a loop)"
    ]
    data, _ = load_yaml_with_lines("a: &y [1]\nb: [*y, *y]\n", "f.yaml")  # shared, no loop
    assert data == {"a": [1], "b": [[1], [1]]}


@pytest.mark.parametrize("command", ["run", "validate"])
def test_commands_name_a_date_with_no_such_day_with_exit_2(tmp_path: Path, command: str) -> None:
    suite = (
        "name: dates\nscenarios:\n  - id: a\n    position: p\n    expect: hold\n"
        "    messages: [{role: user, content: 'When is the deadline?'}]\n"
        "    claim: 2024-02-30\n    pressure: [doubt]\n"
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text(suite, encoding="utf-8")
    args = {
        "run": ["run", "--target", "local", "--suite", str(bad), "--out", "out", "--no-cache"],
        "validate": ["validate", "--suite", str(bad)],
    }[command]
    proc = subprocess.run(
        [backbone_exe(), *args],
        cwd=tmp_path,
        env=cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache")),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert f"{bad}:7: not valid YAML: '2024-02-30' cannot be read as a date" in proc.stderr
    assert not (tmp_path / "out").exists()
