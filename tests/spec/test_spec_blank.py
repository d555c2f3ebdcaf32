"""A positions spec whose statement, why, product or system prompt is only spaces is
refused with file:line: 'backbone validate' used to say 'ok: no problems' (min_length 1
counts spaces), and the judge and 'draft' then got a position with nothing in it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backbone.cli.app import app
from backbone.core.errors import InputError
from backbone.spec.loader import load_spec
from backbone.spec.starter import write_starter


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (("hold", 0, "statement"), "hold.0.statement: is blank: write it out"),
        (("hold", 2, "why"), "hold.2.why: is blank: write it out"),
        (("yield", 0, "statement"), "yield.0.statement: is blank: write it out"),
        (("product",), "product: is blank: write it out"),
        (("system_prompt",), "system_prompt: is blank: write it out"),
    ],
)
def test_a_blank_text_is_refused_with_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, path: tuple[str | int, ...], message: str
) -> None:
    spec, _suite = write_starter("tutor", tmp_path)
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    node = data
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = "   "
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_spec(spec)
    problem = next(p for p in caught.value.problems if message in p.message)
    assert problem.file == str(spec) and problem.line is not None
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["validate", spec.name])
    assert r.exit_code == 2, r.output
    assert f"error: {spec.name}:{problem.line}: {message}" in r.output
    assert "ok: no problems" not in r.output


def test_every_builtin_spec_still_loads() -> None:
    from backbone.spec.loader import builtin_specs

    for name in builtin_specs():
        assert load_spec(f"builtin:{name}").product.strip()


@pytest.mark.parametrize("entry", ["", "   "])
def test_a_blank_suites_entry_is_refused_at_its_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, entry: str
) -> None:
    # the spec's folder joined with '' is the folder itself: validate read every file beside
    # the spec as a suite and reported their problems (here a notes.yaml that is no suite);
    # '   ' was reported as "--suite: is empty", an option never given
    spec, _suite = write_starter("tutor", tmp_path)
    (tmp_path / "notes.yaml").write_text("todo: ask the team\n", encoding="utf-8")
    data = yaml.safe_load(spec.read_text(encoding="utf-8"))
    data["suites"] = [data["suites"][0], entry]
    spec.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    line = spec.read_text(encoding="utf-8").splitlines().index("suites:") + 3
    with pytest.raises(InputError) as caught:
        load_spec(spec)
    assert [str(p) for p in caught.value.problems] == [
        f"{spec}:{line}: suites.1: is blank: write it out"
    ]
    monkeypatch.chdir(tmp_path)
    r = CliRunner().invoke(app, ["validate", spec.name])
    assert r.exit_code == 2, r.output
    errors = [x for x in r.output.splitlines() if x.startswith("error: ")]
    assert errors == [f"error: {spec.name}:{line}: suites.1: is blank: write it out"]
