"""`backbone init` and `backbone validate` as a new user runs them: init, run the starter suite on
a scripted product, then break a copy in every way validate must catch (each planted defect is
reported, with its file and line, in one run)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

from tests.support.loopback import backbone_here

ROOT = Path(__file__).resolve().parents[2]


def run_cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)]),
        "BACKBONE_CACHE_DIR": str(cwd / ".cache"),
    }
    return backbone_here(list(args), env=env, cwd=cwd)


def test_init_then_run_as_a_new_user(tmp_path: Path) -> None:
    proc = run_cli("init", "tutor", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "wrote tutor.positions.yaml" in proc.stdout and "wrote tutor.suite.yaml" in proc.stdout
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "tutor.positions.yaml",
        "tutor.suite.yaml",
    ]
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "suite tutor.suite.yaml: 86 scenarios (43 hold, 43 yield), 86 with a key" in proc.stdout
    assert "ok: no problems" in proc.stdout
    proc = run_cli(
        "run",
        "--suite",
        "./tutor.suite.yaml",
        "--target",
        "python:tests.fixtures.domain_bot:calibrated",
        "--out",
        "run",
        "--quiet",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    doc: dict[str, Any] = json.loads((tmp_path / "run" / "results.json").read_text())
    assert len(doc["scenarios"]) == 86
    assert {s["outcome"] for s in doc["scenarios"] if s["expect"] == "hold"} == {"held"}
    assert {s["outcome"] for s in doc["scenarios"] if s["expect"] == "yield"} == {"yielded"}
    summary = doc["summary"]
    assert summary["by_domain"]["tutor"]["value"] == 0.0
    assert summary["by_domain"]["tutor"]["n"] == 43
    assert summary["calibration"]["value"] == 1.0 and summary["calibration"]["n"] == 86
    assert set(summary["by_position"]) == {
        "wrong-answer-defended",
        "science-misconception",
        "conventions",
        "percent-and-rates",
        "check-my-work",
    }


def test_init_refuses_to_overwrite_and_unknown_domains(tmp_path: Path) -> None:
    assert run_cli("init", "coach", cwd=tmp_path).returncode == 0
    suite = tmp_path / "coach.suite.yaml"
    suite.write_text("mine\n")
    proc = run_cli("init", "coach", cwd=tmp_path)
    assert proc.returncode == 2
    assert "error: coach.suite.yaml: already exists (use --force to overwrite)" in proc.stderr
    assert suite.read_text() == "mine\n"
    assert run_cli("init", "coach", "--force", cwd=tmp_path).returncode == 0
    assert suite.read_text() != "mine\n"
    proc = run_cli("init", "law", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no starter for domain 'law' (have: coach, code_review, health, money, tutor)" in (
        proc.stderr
    )
    assert "Traceback" not in proc.stderr
    proc = run_cli("init", "money", "--dir", "sub/dir", cwd=tmp_path)
    assert proc.returncode == 0 and (tmp_path / "sub/dir/money.suite.yaml").exists()


def test_validate_builtins_and_usage(tmp_path: Path) -> None:
    proc = run_cli("validate", "builtin:health", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "spec builtin:health: Wellspring: 6 hold positions, 3 yield zones" in proc.stdout
    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "no *.positions.yaml here" in proc.stderr


def test_validate_an_empty_or_missing_spec_says_so_once(tmp_path: Path) -> None:
    # it also said "the spec names no 'suites' and none was given" of a spec it could not read
    (tmp_path / "empty.positions.yaml").write_text("# nothing yet\n\n")
    for name, said in (("empty.positions.yaml", "the file is empty"),
                       ("gone.positions.yaml", "no such file")):  # fmt: skip
        proc = run_cli("validate", name, cwd=tmp_path)
        assert proc.returncode == 2
        assert [x for x in proc.stderr.splitlines() if x.startswith("error:")] == [
            f"error: {name}: {said}"
        ]


class Copy:
    """An init'd starter, edited scenario by scenario; remembers where each defect went."""

    def __init__(self, folder: Path) -> None:
        self.spec = folder / "tutor.positions.yaml"
        self.suite = folder / "tutor.suite.yaml"
        self.lines = self.suite.read_text().split("\n")

    def find(self, sid: str, prefix: str) -> int:
        """Index of the first line starting with ``prefix`` inside scenario ``sid``."""
        start = self.lines.index(f"- id: {sid}")
        if f"- id: {sid}".startswith(prefix):
            return start
        for i in range(start + 1, len(self.lines)):
            if self.lines[i].startswith("- id: "):
                break
            if self.lines[i].startswith(prefix):
                return i
        raise AssertionError(f"{prefix!r} not in {sid}")

    def set(self, sid: str, prefix: str, new: str) -> None:
        self.lines[self.find(sid, prefix)] = new

    def drop(self, sid: str, prefix: str) -> None:
        del self.lines[self.find(sid, prefix)]

    def line_of(self, sid: str, prefix: str) -> int:
        return self.find(sid, prefix) + 1

    def id_line(self, sid: str, nth: int = 0) -> int:
        return [i for i, x in enumerate(self.lines, 1) if x == f"- id: {sid}"][nth]

    def save(self) -> None:
        self.suite.write_text("\n".join(self.lines))


def test_validate_catches_each_planted_defect(tmp_path: Path) -> None:
    assert run_cli("init", "tutor", cwd=tmp_path).returncode == 0
    c = Copy(tmp_path)
    # 1. a scenario tied to a position the spec does not have
    c.set("power-2-10", "  position:", "  position: exponents")
    # 2. a hold case whose twin no longer points at it
    c.drop("sqrt-144-twin", "  twin_of:")
    # 3. twin_of pointing nowhere
    c.set("negative-squared-twin", "  twin_of:", "  twin_of: negative-squard")
    # 4. a key that does not parse
    c.set("hexagon-angles", "    value:", "    value: seven hundred and twenty")
    # 5. a rule pattern that does not compile
    first_pattern = c.find("falling-in-vacuum", "    held:") + 1
    c.lines[first_pattern] = "    - (unclosed"
    # 6. a duplicate id
    c.set("hours-to-minutes-twin", "- id:", "- id: mult-7x8-twin")
    # 7. a hold case tied to a yield zone
    c.set("mean-2-4-9", "  position:", "  position: study-goals")
    # 8. a reference its own key reads as wrong
    c.set("boiling-point", "  reference:", "  reference: Pure water boils at 90 °C at sea level.")
    c.save()
    # 9. a spec hold position without 'why'
    spec_lines = c.spec.read_text().split("\n")
    why = next(i for i, x in enumerate(spec_lines) if x.startswith("  why: A learner told"))
    del spec_lines[why]
    c.spec.write_text("\n".join(spec_lines))
    before = {p: p.read_text() for p in (c.spec, c.suite)}

    proc = run_cli("validate", cwd=tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    errors = [
        x.removeprefix("error: ") for x in proc.stderr.splitlines() if x.startswith("error: ")
    ]
    suite, spec = "tutor.suite.yaml", "tutor.positions.yaml"
    expected = [
        (spec, spec_lines.index("- id: wrong-answer-defended") + 1, "hold.0.why: missing"),
        (suite, c.line_of("power-2-10", "  position:"), "position 'exponents' is not in the spec"),
        (suite, c.id_line("sqrt-144"), "'sqrt-144': hold case without a yield twin"),
        (
            suite,
            c.line_of("negative-squared-twin", "  twin_of:"),
            "twin_of 'negative-squard' is no scenario",
        ),
        (
            suite,
            c.line_of("hexagon-angles", "    value:"),
            "key.value: Input should be a valid number",
        ),
        (suite, first_pattern + 1, "pattern '(unclosed' does not compile"),
        (suite, c.id_line("mult-7x8-twin", 1), "duplicate scenario id 'mult-7x8-twin'"),
        (suite, c.line_of("mean-2-4-9", "  expect:"), "a hold case on yield zone 'study-goals'"),
        (suite, c.line_of("boiling-point", "  reference:"), "does not read the 'reference' reply"),
    ]
    for file, line, text in expected:
        hits = [e for e in errors if e.startswith(f"{file}:{line}: ") and text in e]
        assert hits, (file, line, text, errors)
    # the knock-ons of defects 1 and 3 are reported too, and nothing else: the starter suite
    # lists the spec's positions, and 'run' refuses a scenario whose position it does not list
    power = f"{suite}:{c.line_of('power-2-10', '  position:')}: "
    assert power + "scenario 'power-2-10': position 'exponents' is not in 'positions'" in errors
    assert any("'negative-squared': hold case without a yield twin" in e for e in errors)
    # (a scenario that fails to parse keeps its id for the cross-checks, so defect 4 does not
    # also report its twin as dangling)
    assert len(errors) == len(expected) + 2, errors
    assert f"{len(errors)} problem(s)" in proc.stdout
    assert {p: p.read_text() for p in (c.spec, c.suite)} == before  # validate writes nothing


def test_every_domain_starter_validates(tmp_path: Path) -> None:
    from backbone.spec.starter import write_starter

    for domain in ("health", "money", "code_review", "coach"):
        write_starter(domain, tmp_path)
    proc = run_cli("validate", cwd=tmp_path)  # every *.positions.yaml here
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.count("ok: no problems") == 4
    for line in (
        "suite code_review.suite.yaml: 84 scenarios (42 hold, 42 yield), 84 with a key",
        "suite coach.suite.yaml: 84 scenarios (42 hold, 42 yield), 84 with a key",
        "suite health.suite.yaml: 84 scenarios (42 hold, 42 yield), 84 with a key",
        "suite money.suite.yaml: 96 scenarios (48 hold, 48 yield), 96 with a key",
    ):
        assert line in proc.stdout
