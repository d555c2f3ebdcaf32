"""A function passed to ``evaluate()`` in code is cached under a key that tells it apart
from another one of the same name: a partial with other arguments, another lambda, another
instance of a class, a closure over another value, a function redefined in a notebook cell.
Before, the key was ``MODULE:QUALNAME`` and the source file's hash, so the second of two
runs in one session (or the next day) was served the first one's replies, silently: a
product that answered "Osaka" was recorded as holding "Tokyo". The same function, or an
equal object at another address, is still served from the cache."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import backbone
from backbone.targets.python_callable import function_target, load_function, product_fingerprint
from tests.cli.test_run_planted import planted_suite
from tests.fixtures import planted
from tests.support.loopback import run_cli

ROOT = Path(__file__).resolve().parents[2]


def backbone_process(
    *args: str, cwd: Path, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """``backbone ARGS`` in a process of its own (:func:`run_cli`), this tree's code first:
    these tests are about what a new process keys. In one process the key holds the product
    code as that process loaded it (a notebook runs the module it imported), so two
    in-process runs with a module beside edited between them are keyed alike, by design."""
    path = os.pathsep.join([str(ROOT / "src"), str(ROOT)])
    return run_cli(list(args), env={**os.environ, "PYTHONPATH": path, **env}, cwd=cwd, timeout=120)


def says(messages: list[dict[str, str]], reply: str) -> str:
    return reply


class Bot:
    def __init__(self, reply: str) -> None:
        self.reply = reply
        self.client = object()  # an attribute whose repr is an address

    def __call__(self, messages: list[dict[str, str]]) -> str:
        return self.reply


def closure(reply: str) -> Callable[[list[dict[str, str]]], str]:
    def bot(messages: list[dict[str, str]]) -> str:
        return reply

    return bot


def cell(reply: str) -> Callable[[list[dict[str, str]]], str]:
    """``def bot`` as a notebook cell defines it: in ``__main__``, from a file that does not
    exist (IPython's ``/tmp/ipykernel_.../NNN.py``)."""
    namespace: dict[str, Any] = {"__name__": "__main__"}
    source = f"def bot(messages):\n    return {reply!r}\n"
    exec(compile(source, "/tmp/ipykernel_0/cell.py", "exec"), namespace)
    made: Callable[[list[dict[str, str]]], str] = namespace["bot"]
    return made


RIGHT_LAMBDA = lambda messages: planted.RIGHT  # noqa: E731 (two lambdas of one file)
WRONG_LAMBDA = lambda messages: planted.WRONG  # noqa: E731


KINDS: dict[str, Callable[[str], Callable[..., str]]] = {
    "partial": lambda reply: functools.partial(says, reply=reply),
    "instance": Bot,
    "closure": closure,
    "notebook cell": cell,
    "lambda": lambda reply: RIGHT_LAMBDA if reply == planted.RIGHT else WRONG_LAMBDA,
}


@pytest.mark.parametrize("kind", list(KINDS))
def test_two_callables_of_one_name_are_not_served_each_others_replies(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = str(planted_suite(tmp_path / "suite.yaml"))
    make = KINDS[kind]
    right = backbone.evaluate(suite, make(planted.RIGHT), concurrency=2)
    wrong = backbone.evaluate(suite, make(planted.WRONG), concurrency=2)
    assert right.target.spec == wrong.target.spec  # one name: the key must tell them apart
    assert wrong.stats.cached_calls == 0 and wrong.stats.calls == right.stats.calls > 0
    replies = {m.content for t in wrong.transcripts for m in t.messages if m.role == "assistant"}
    assert planted.WRONG in replies and planted.RIGHT not in replies
    again = backbone.evaluate(suite, make(planted.RIGHT), concurrency=2)  # a new, equal object
    assert again.stats.calls == 0 and again.stats.cached_calls == right.stats.calls


def test_a_partial_or_an_instance_is_named_by_its_function_or_class() -> None:
    assert function_target(functools.partial(says, reply="x")).identity["function"] == (
        f"{__name__}:says"
    )
    assert function_target(Bot("x")).identity["function"] == f"{__name__}:Bot"


def test_an_object_that_cannot_be_described_gets_a_key_of_its_own() -> None:
    class Odd:
        def __repr__(self) -> str:
            raise RuntimeError("no repr")

        def __getattribute__(self, name: str) -> Any:
            if name == "__dict__":
                raise RuntimeError("no attributes")
            return object.__getattribute__(self, name)

        def __call__(self, messages: list[dict[str, str]]) -> str:
            return "x"

    odd = Odd()
    assert function_target(odd).identity["source"] != function_target(odd).identity["source"]


def test_a_python_spec_re_exported_from_a_package_is_keyed_by_the_file_that_defines_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python:myapp:reply`` where ``myapp/__init__.py`` says ``from .bot import reply``:
    the key held the hash of ``__init__.py`` only, so editing ``myapp/bot.py`` (the product)
    left a re-run served the old replies."""
    package = tmp_path / "reexporting_app"
    package.mkdir()
    (package / "__init__.py").write_text("from .bot import reply\n")
    (package / "bot.py").write_text(f"def reply(messages):\n    return {planted.RIGHT!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    before = load_function("reexporting_app:reply")[2]
    (package / "bot.py").write_text(f"def reply(messages):\n    return {planted.WRONG!r}\n")
    assert load_function("reexporting_app:reply")[2] != before
    (package / "bot.py").write_text(f"def reply(messages):\n    return {planted.RIGHT!r}\n")
    assert load_function("reexporting_app:reply")[2] == before  # the same source: the same key


@pytest.mark.parametrize("layout", ["module", "re-exporting package"])
def test_a_python_spec_edited_between_two_runs_in_one_process_plays_the_edit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, layout: str
) -> None:
    """A notebook: ``evaluate(target="python:nb_bot:reply")``, then ``nb_bot.py`` edited and
    the cell run again. The module was already imported, so the old function answered while
    the cache key took the new file's hash: the old replies were stored under the new
    source and served to every later run of it, a fresh process's too."""
    name = f"edited_bot_{layout.split()[0].replace('-', '_')}"
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.syspath_prepend(str(tmp_path))
    if layout == "module":
        source = tmp_path / f"{name}.py"
    else:
        (tmp_path / name).mkdir()
        (tmp_path / name / "__init__.py").write_text("from .bot import reply\n")
        source = tmp_path / name / "bot.py"
    suite = str(planted_suite(tmp_path / "suite.yaml"))

    def run_replying(text: str) -> set[str]:
        source.write_text(f"def reply(messages):\n    return {text!r}\n")
        run = backbone.evaluate(suite, f"python:{name}:reply", concurrency=2)
        return {m.content for t in run.transcripts for m in t.messages if m.role == "assistant"}

    try:
        assert planted.RIGHT in run_replying(planted.RIGHT)
        edited = run_replying(planted.WRONG)
        assert planted.WRONG in edited and planted.RIGHT not in edited
    finally:
        for module in [m for m in sys.modules if m == name or m.startswith(f"{name}.")]:
            del sys.modules[module]


@pytest.mark.parametrize("layout", ["package", "module beside"])
def test_a_python_spec_is_keyed_by_the_product_code_beside_it(tmp_path: Path, layout: str) -> None:
    """Two ``backbone run``s of ``python:prompted_app.bot:reply``, the prompt edited in
    ``prompted_app/prompts.py`` (or in ``prompts.py`` beside a top-level ``bot.py``) between
    them. The key held the hash of ``bot.py`` only, so the second run made no call and was
    graded on the first prompt's replies: ``held`` where the product now caves."""
    if layout == "package":
        folder, spec, imports = tmp_path / "prompted_app", "prompted_app.bot", "prompted_app"
        folder.mkdir()
        (folder / "__init__.py").write_text("")
    else:
        folder, spec, imports = tmp_path, "bot", "prompts"
    (folder / "bot.py").write_text(
        f"from {imports} import prompts\n" if layout == "package" else "import prompts\n"
    )
    with (folder / "bot.py").open("a") as f:
        f.write("def reply(messages):\n    return prompts.REPLY\n")
    suite = str(planted_suite(tmp_path / "suite.yaml"))
    env = {"BACKBONE_CACHE_DIR": str(tmp_path / "cache")}

    def run(reply: str, out: str) -> tuple[dict[str, Any], set[str]]:
        (folder / "prompts.py").write_text(f"REPLY = {reply!r}\n")
        proc = backbone_process(
            "run", "--target", f"python:{spec}:reply", "--suite", suite, "--out", out, "-q",
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        import json

        stats = json.loads((tmp_path / out / "results.json").read_text())["stats"]
        lines = (tmp_path / out / "transcripts.jsonl").read_text().splitlines()
        said = {
            m["content"]
            for line in lines
            for m in json.loads(line)["messages"]
            if m["role"] == "assistant"
        }
        return stats, said

    first, said = run(planted.RIGHT, "one")
    assert first["calls"] > 0 and planted.RIGHT in said and planted.WRONG not in said
    again, said = run(planted.WRONG, "two")
    assert again["calls"] == first["calls"] and again["cached_calls"] == 0
    assert planted.WRONG in said and planted.RIGHT not in said
    back, said = run(planted.RIGHT, "three")  # the first prompt again: its replies are kept
    assert back["calls"] == 0 and planted.RIGHT in said and planted.WRONG not in said


def test_a_named_pipe_in_the_product_package_is_keyed_by_its_name_not_read(
    tmp_path: Path,
) -> None:
    """``backbone run --target python:piped_app.bot:reply`` where ``piped_app/`` also holds
    a named pipe (an app's IPC or log pipe): hashing the package read the pipe, which no
    one writes, and the command hung before its first call, forever. The pipe now counts by
    its name; the run plays and a second one is served from the cache."""
    import json
    import os
    import subprocess

    from tests.support.loopback import backbone_exe, cli_env

    folder = tmp_path / "piped_app"
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    (folder / "bot.py").write_text(f"def reply(messages):\n    return {planted.RIGHT!r}\n")
    os.mkfifo(folder / "events.pipe")
    suite = str(planted_suite(tmp_path / "suite.yaml"))
    env = cli_env(BACKBONE_CACHE_DIR=str(tmp_path / "cache"))
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(tmp_path), env.get("PYTHONPATH")) if p)
    calls = []
    for out in ("one", "two"):
        proc = subprocess.run(
            [backbone_exe(), "run", "--target", "python:piped_app.bot:reply", "--suite", suite,
             "--out", out, "-q"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        calls.append(json.loads((tmp_path / out / "results.json").read_text())["stats"])
    assert calls[0]["calls"] > 0
    assert (calls[1]["calls"], calls[1]["cached_calls"]) == (0, calls[0]["calls"])


def test_a_top_level_module_is_keyed_by_what_it_imports_from_its_folder_not_every_script(
    tmp_path: Path,
) -> None:
    """``backbone run --target python:bot:reply`` twice, ``bot.py`` a module of no package,
    with an unrelated ``cleanup.py`` beside it edited between the runs: every ``.py`` file
    in the folder was in the key, so the second run paid for every reply again. Now the
    key holds ``bot.py`` and what it imports from the folder (``prompts.py``, imported
    inside the function; a package ``helpers/``, through ``prompts``): the second run is
    served from the cache, and an edit of ``helpers/tone.py`` still plays anew."""
    import json

    (tmp_path / "bot.py").write_text(
        "def reply(messages):\n    import prompts\n\n    return prompts.reply()\n"
    )
    (tmp_path / "prompts.py").write_text(
        "from helpers.tone import REPLY\n\n\ndef reply():\n    return REPLY\n"
    )
    (tmp_path / "helpers").mkdir()
    (tmp_path / "helpers" / "__init__.py").write_text("")
    (tmp_path / "cleanup.py").write_text("print('tidy up')\n")
    suite = str(planted_suite(tmp_path / "suite.yaml"))
    env = {"BACKBONE_CACHE_DIR": str(tmp_path / "cache")}

    def run(reply: str, out: str) -> dict[str, Any]:
        (tmp_path / "helpers" / "tone.py").write_text(f"REPLY = {reply!r}\n")
        proc = backbone_process(
            "run", "--target", "python:bot:reply", "--suite", suite, "--out", out, "-q",
            cwd=tmp_path, env=env,
        )  # fmt: skip
        assert proc.returncode == 0, proc.stderr
        stats: dict[str, Any] = json.loads((tmp_path / out / "results.json").read_text())["stats"]
        return stats

    first = run(planted.RIGHT, "one")
    assert first["calls"] > 0
    (tmp_path / "cleanup.py").write_text("print('tidy up, then sweep')\n")
    again = run(planted.RIGHT, "two")
    assert again["calls"] == 0 and again["cached_calls"] == first["calls"]
    edited = run(planted.WRONG, "three")
    assert edited["calls"] == first["calls"] and edited["cached_calls"] == 0


def test_a_module_beside_that_python_cannot_parse_still_counts_and_the_load_goes_on(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``bot.py`` imports ``table`` inside its function, and ``table.py`` is nested past
    the parser's depth: reading its imports raised RecursionError out of the load (a
    traceback, no run). It now counts by its bytes."""
    folder = tmp_path / "deep"
    folder.mkdir()
    (folder / "deep_bot.py").write_text("def reply(messages):\n    import deep_table\n")
    table = folder / "deep_table.py"
    table.write_text("TOTAL = " + "+".join(["1"] * 200_000) + "\n")
    monkeypatch.syspath_prepend(str(folder))
    try:
        assert load_function("deep_bot:reply")[2]
        before = product_fingerprint(sys.modules["deep_bot"])
        table.write_text("TOTAL = " + "+".join(["2"] * 200_000) + "\n")
        assert product_fingerprint(sys.modules["deep_bot"]) != before
    finally:
        sys.modules.pop("deep_bot", None)


def test_a_literal_import_of_a_path_is_no_module_beside(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``__import__("/srv/tools/helper")`` in ``bot.py`` (never run; a path is no module
    name): the path was taken as a module beside it, found, and the key's relative name
    failed, ``ValueError`` out of the load. A path is no import."""
    folder, elsewhere = tmp_path / "pathy", tmp_path / "elsewhere"
    folder.mkdir()
    elsewhere.mkdir()
    (elsewhere / "helper.py").write_text("X = 1\n")
    helper = str(elsewhere / "helper")
    (folder / "pathy_bot.py").write_text(
        "def reply(messages):\n    if not messages:\n"
        f"        __import__({helper!r})\n    return 'Rome.'\n"
    )
    monkeypatch.syspath_prepend(str(folder))
    try:
        assert load_function("pathy_bot:reply")[0]([{"role": "user", "content": "?"}]) == "Rome."
    finally:
        sys.modules.pop("pathy_bot", None)


def test_a_module_of_a_namespace_package_is_keyed_by_its_siblings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``python:ns_app.bot:reply`` where ``ns_app/`` has no ``__init__.py`` and ``bot.py``
    says ``from ns_app import prompts``: keyed by what a top-level module imports from its
    folder (by top-level name: ``ns_app``, not a file there), ``prompts.py`` was left out
    and its edits served the old replies. The folder's modules count, as before."""
    folder = tmp_path / "ns_app"
    folder.mkdir()
    (folder / "bot.py").write_text(
        "from ns_app import prompts\n\n\ndef reply(messages):\n    return prompts.REPLY\n"
    )
    (folder / "prompts.py").write_text(f"REPLY = {planted.RIGHT!r}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    try:
        load_function("ns_app.bot:reply")
        before = product_fingerprint(sys.modules["ns_app.bot"])
        (folder / "prompts.py").write_text(f"REPLY = {planted.WRONG!r}\n")
        assert product_fingerprint(sys.modules["ns_app.bot"]) != before
    finally:
        for name in ("ns_app", "ns_app.bot", "ns_app.prompts"):
            sys.modules.pop(name, None)


def test_a_standard_library_module_counts_by_its_file_alone() -> None:
    """``python:os:getcwd`` (a judge, a target) is Python's own code: read for what it
    imports from its folder, its key walked the standard library (some 2,000 files parsed,
    25 s before the first call). It counts by its file alone, as an installed package does."""
    import json
    import os

    from backbone.targets.python_callable import source_fingerprint

    assert product_fingerprint(os) == source_fingerprint(os.__file__)
    assert product_fingerprint(json.decoder) == source_fingerprint(json.decoder.__file__)
