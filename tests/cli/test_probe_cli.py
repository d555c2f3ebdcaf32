"""``backbone probe KIND``: the summary, the files, and exit 2 on bad input (an unknown kind,
a bad suite, a bad option) with the problem named and nothing written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from backbone.cli.app import app
from tests.probes import bots
from tests.support.disk_faults import full_disk_for

runner = CliRunner()


def probe_authority(suite: Path, out: Path) -> Result:
    """``backbone probe authority`` on the credentials-only bot, one pressure turn."""
    return runner.invoke(
        app,
        ["probe", "authority", "--target", "python:tests.probes.bots:credentials_only",
         "--suite", str(suite), "--out", str(out), "--option", "turns=1", "-q"],
    )  # fmt: skip


def test_probe_prints_each_arm_and_figure_and_writes_the_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 6, extra=("mumble-0",))
    out = tmp_path / "out"
    result = probe_authority(suite, out)
    assert result.exit_code == 0, result.output
    text = result.stdout
    assert "probe authority: 7 items (6 scored in every arm)" in text  # mumble-0 unscored
    assert "expert" in text and "100.0% (61.0%–100.0%, n=6)" in text  # Wilson 6/6
    assert "authority_gap: +100.0 pp" in text and "p=0.0312" in text  # 2 * 0.5**6
    assert "note: 1 yield cases" in text
    assert "unscored (never counted as held): expert 1, layperson 1, doubt 1" in text
    assert "(unscored in some arm): mumble-0" in text
    doc = json.loads((out / "probe.json").read_text())
    assert doc["arms"]["expert"]["cave_rate"]["value"] == 1.0 and doc["options"] == {"turns": 1}
    assert (out / "report.html").exists() and (out / "runs" / "doubt" / "results.json").exists()
    played = json.loads((out / "runs" / "doubt" / "results.json").read_text())
    assert played["options"]["concurrency"] == "auto"  # as run: paced for an HTTP target


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["probe", "flattery"], "unknown probe kind 'flattery'"),
        (["probe", "authority", "--suite", "missing.yaml"], "missing.yaml"),
        (["probe", "authority", "--option", "turns"], "--option 'turns': expected KEY=VALUE"),
        (["probe", "authority", "--option", "rungs=2"], "unknown option 'rungs'"),
        (["probe", "authority", "--option", "turns=9"], "option 'turns' must be 1 to 3, got 9"),
        (["probe", "persuasion", "--option", "turns=x"], "option 'turns' must be int"),
        (
            ["probe", "authority", "--option", "turns=1", "--option", "turns=2"],
            "--option 'turns=2': 'turns' is given twice",
        ),
    ],
)
def test_bad_input_exits_2_and_writes_nothing(
    args: list[str], fragment: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    out = tmp_path / "out"
    target = ["--target", "python:tests.probes.bots:never_called"]
    result = runner.invoke(app, [*args, *target, "--out", str(out)])
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr
    assert "Traceback" not in result.output
    assert not (out / "probe.json").exists() and not (out / "runs").exists()


def test_a_suite_with_no_hold_item_to_probe_exits_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 0, extra=("x",))
    # a yield case's user is right: its claim the key's answer (with Milan, validate refuses
    # the suite, and so does probe, before it looks for hold items)
    text = suite.read_text().replace("expect: hold", "expect: yield")
    suite.write_text(text.replace("claim: Milan", "claim: Rome"))
    result = runner.invoke(
        app,
        ["probe", "persuasion", "--suite", str(suite), "--out", str(tmp_path / "out"),
         "--target", "python:tests.probes.bots:never_called"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert f"{suite}: probe persuasion: the suite has no hold scenario with an answer key" in (
        " ".join(result.stderr.split())
    )
    assert not (tmp_path / "out").exists()


def test_a_kind_adds_its_own_lines_to_the_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 2)
    result = runner.invoke(
        app,
        ["probe", "persuasion", "--target", "python:tests.probes.bots:emotional_at_3",
         "--suite", str(suite), "--out", str(tmp_path / "out"), "--option", "turns=3"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "still holding after each turn · emotional: 100% → 100% → 0%" in result.stdout
    assert "still holding after each turn · control: 100% → 100% → 100%" in result.stdout
    # with 2 items the median's band is wide at both ends: 2 of 2 holding after turn 1 has a
    # Wilson band down to 34%, 0 of 2 after turn 3 one up to 66%
    assert "emotional.median: 3 turns (1 turn – beyond the ladder, n=2)" in result.stdout
    assert "persuasion · control: 2 scenarios" in result.stderr  # progress, on stderr


def test_a_full_disk_at_probe_json_writes_no_run_and_no_report(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The arms' runs, report.html and probe.json are one set: probe.json (staged last)
    failing leaves none of them, and no temporary file."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 3)
    out = tmp_path / "out"
    full_disk_for(monkeypatch, "probe.json")
    result = probe_authority(suite, out)
    assert result.exit_code == 2, result.output
    assert f"error: {out / 'probe.json'}: cannot write: No space left on device" in result.output
    left = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert left == [], left


def test_probe_prints_an_out_path_as_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An --out that reads as Rich markup ("[/]" closes nothing) is printed as written: the
    last line raised MarkupError (exit 1 and a traceback) after every file was written."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 2)
    out = tmp_path / "out[/]"
    result = probe_authority(suite, out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out / 'probe.json'}, {out / 'report.html'}, {out / 'runs'}/" in " ".join(
        result.stdout.split()
    )


def test_a_password_in_the_target_base_url_is_not_written_to_probe_json(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """probe.json recorded the target's identity with its --base-url whole, password
    included (http://user:pw@host/v1)."""
    from tests.support.loopback import LoopbackServer

    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 2)
    with LoopbackServer(lambda messages: bots.RIGHT) as server:
        url = server.openai_base_url.replace("http://", "http://alice:s3cret-pw@")
        result = runner.invoke(
            app,
            ["probe", "authority", "--target", "openai:bot", "--base-url", url,
             "--suite", str(suite), "--out", str(tmp_path / "out"), "--option", "turns=1", "-q"],
        )  # fmt: skip
    assert result.exit_code == 0, result.output
    text = (tmp_path / "out" / "probe.json").read_text()
    assert "s3cret-pw" not in text
    identity = json.loads(text)["target"]["identity"]
    assert identity["base_url"] == url.replace("s3cret-pw", "***")


@pytest.mark.parametrize("out", ["suites/probe1", "suites"])
def test_a_probe_written_into_its_suites_folder_is_not_read_as_a_suite(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, out: str
) -> None:
    # the next probe (or run, or validate) on the folder read probe.json as a suite file:
    # "suites/probe1/probe.json: 'scenarios' must be a non-empty list", exit 2
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    (tmp_path / "suites").mkdir()
    bots.items(tmp_path / "suites" / "s.yaml", 3)
    for _ in range(2):
        result = probe_authority(tmp_path / "suites", tmp_path / out)
        assert result.exit_code == 0, result.output
        assert json.loads((tmp_path / out / "probe.json").read_text())["n_items"] == 3
    checked = runner.invoke(app, ["validate", "--suite", str(tmp_path / "suites")])
    assert checked.exit_code == 0, checked.output
    assert "4 scenarios (3 hold, 1 yield)" in checked.output


def test_a_suite_of_rule_keys_is_refused_saying_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # builtin:health: every hold case has a key and a claim, but a rule key; the error said
    # only "the suite has no hold scenario with an answer key and a claim", which it has
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    result = runner.invoke(
        app,
        ["probe", "authority", "--suite", "builtin:health", "--out", str(tmp_path / "out"),
         "--target", "python:tests.probes.bots:never_called"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    said = " ".join(result.stderr.split())
    assert "builtin:health: probe authority: the suite has no hold scenario" in said
    assert "hold cases with a rule key (its patterns read a side, not which answer) left out:" in (
        said
    )
    assert "yield cases (the user is right there) left out:" in said
    assert not (tmp_path / "out").exists()


def test_probe_into_a_run_folder_exits_2_and_leaves_the_run_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``probe --out RUN`` (a run's folder: results.json beside report.html) replaced the
    run's report.html with the probe's page and exited 0: the run's results.json and
    transcripts then sat beside a page that was not theirs. It exits 2 naming the folder,
    before any play, and the run's files are as they were."""
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))
    suite = bots.items(tmp_path / "s.yaml", 2)
    run = tmp_path / "run"
    played = runner.invoke(
        app,
        ["run", "--target", "python:tests.probes.bots:credentials_only", "--suite", str(suite),
         "--out", str(run), "-q"],
    )  # fmt: skip
    assert played.exit_code == 0, played.output
    before = {p.name: p.read_bytes() for p in run.iterdir()}
    assert sorted(before) == ["report.html", "results.json", "transcripts.jsonl"]
    result = runner.invoke(
        app,
        ["probe", "authority", "--target", "python:tests.probes.bots:never_called",
         "--suite", str(suite), "--out", str(run), "--option", "turns=1", "-q"],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    message = " ".join(result.stderr.split())
    assert f"error: {run}: holds a run (results.json beside its report.html)" in message
    assert "choose another output directory" in message
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in run.iterdir()} == before  # no probe.json, no runs/
