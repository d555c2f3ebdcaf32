"""``backbone probe cues|confidence|bombing`` from the command line: each writes probe.json
with its figures (and the report and each play's run), prints its summary, and refuses a bad
option with exit 2."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from backbone.cli.app import app
from tests.probes.scripted_play import code_word_suite

runner = CliRunner()


def _suite(path: Path, n: int) -> Path:
    doc = code_word_suite(n, twins=True, ladder=("doubt", "insistence")).model_dump(
        mode="json", exclude_none=True
    )
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def _probe(tmp_path: Path, kind: str, bot: str, *options: str) -> tuple[str, dict]:
    out = tmp_path / kind
    args = ["probe", kind, "--target", f"python:tests.probes.kind_bots:{bot}",
            "--suite", str(_suite(tmp_path / "s.yaml", 6)), "--out", str(out), "-q"]  # fmt: skip
    for option in options:
        args += ["--option", option]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    doc = json.loads((out / "probe.json").read_text(encoding="utf-8"))
    assert doc["schema_version"] == 1 and doc["kind"] == kind
    assert (out / "report.html").is_file()
    return result.stdout, doc


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "cache"))


def test_cues_from_the_command_line(tmp_path: Path) -> None:
    text, doc = _probe(tmp_path, "cues", "silent_follower")
    assert doc["arms"]["user_hint"]["follow_rate"]["value"] == 1.0
    assert doc["cue_effect_metadata"]["p_value"] == pytest.approx(2 * 0.5**6)
    assert doc["follow_mention_gap"]["value"] == 1.0 and doc["mention_rate"]["value"] == 0.0
    assert set(doc["runs"]) == {"no_cue", "user_hint", "metadata"}
    assert (tmp_path / "cues" / "runs" / "metadata" / "results.json").is_file()
    assert "probe cues: 6 items" in text and "cue_effect_user_hint" in text
    assert (
        "followed the cue silently: 12 of 12 cued answers showing reasoning; said so: 0 of 12"
        in (text)
    )


def test_confidence_from_the_command_line(tmp_path: Path) -> None:
    text, doc = _probe(tmp_path, "confidence", "stated_bot", "stated=true")
    assert doc["options"] == {"stated": True}
    low, high = doc["arms"]["low"]["cave_rate"], doc["arms"]["high"]["cave_rate"]
    assert (low["x"], low["n"], high["x"], high["n"]) == (2, 2, 0, 3)  # item 5 states none
    assert doc["confidence_association"]["value"] == 1.0
    assert "stated no confidence and are left out: q5" in " ".join(doc["notes"])
    assert "confidence_association: 1.00 (" in text  # a probability, not points
    assert "cave rate by confidence · low 100% (n=2) → mid — (n=0) → high 0% (n=3)" in text


def test_bombing_from_the_command_line(tmp_path: Path) -> None:
    text, doc = _probe(tmp_path, "bombing", "escalator")
    assert (doc["bombing_rate"]["value"], doc["bombing_rate"]["n"]) == (1.0, 12)
    assert doc["concede_rate"]["value"] == 0.0
    assert doc["judge_flag_rate"] == {
        "available": False,
        "reason": "no judge graded the replies: the rubric's persuasion_bombing flag is not "
        "available",
    }
    assert "bombing_rate" in text
    assert "of 12 replies to a challenge: 0 conceded, 12 escalated, 0 held without" in text


@pytest.mark.parametrize(
    ("kind", "option", "fragment"),
    [
        ("confidence", "k=1", "option 'k' must be 2 to 100, got 1"),
        ("confidence", "temperature=0", "option 'temperature' must be above 0"),
        ("cues", "k=3", "probe cues: unknown option 'k' (known: none)"),
        ("bombing", "x=1", "probe bombing: unknown option 'x'"),
    ],
)
def test_bad_option_exits_2_and_writes_nothing(
    tmp_path: Path, kind: str, option: str, fragment: str
) -> None:
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["probe", kind, "--target", "python:tests.probes.kind_bots:ignorer",
         "--suite", str(_suite(tmp_path / "s.yaml", 2)), "--option", option, "--out", str(out)],
    )  # fmt: skip
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert not (out / "probe.json").exists()


@pytest.mark.parametrize(
    ("options", "fragment"),
    [
        (["stated=true", "k=7"], "'k' sets the sample agreement, not stated=true"),
        (
            ["temperature=1.5", "stated=yes", "k=3"],
            "'k' and 'temperature' set the sample agreement, not stated=true",
        ),
    ],
)
def test_a_sampling_option_with_a_stated_confidence_exits_2(
    tmp_path: Path, options: list[str], fragment: str
) -> None:
    """stated=true plays each item once at the play's own temperature: k=7 and
    temperature=1.5 were ignored without a word (probe.json's options said stated only)."""
    out = tmp_path / "out"
    args = ["probe", "confidence", "--target", "python:tests.probes.kind_bots:stated_bot",
            "--suite", str(_suite(tmp_path / "s.yaml", 2)), "--out", str(out)]  # fmt: skip
    for option in options:
        args += ["--option", option]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert fragment in result.stderr and "Traceback" not in result.output
    assert not out.exists()


@pytest.mark.parametrize("options", [[], ["--option", "stated=true"]])
def test_confidence_on_a_suite_with_no_key_and_no_judge_exits_2_before_any_call(
    tmp_path: Path, options: list[str]
) -> None:
    """With no answer key and no --judge no opening can be graded (the exemplar grader never
    reads one): every item was played (k times) and ended unscored, exit 0 with no figure.
    It is refused first, saying what is missing; a built-in grader as --judge is no judge of
    an opening, a judge target lifts the refusal."""
    doc = code_word_suite(2).model_dump(mode="json", exclude_none=True)
    for scenario in doc["scenarios"]:
        del scenario["key"]
    suite = tmp_path / "keyless.yaml"
    suite.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    out = tmp_path / "out"
    args = ["probe", "confidence", "--target", "python:tests.probes.bots:never_called",
            "--suite", str(suite), "--out", str(out), "--no-cache", *options]  # fmt: skip
    for judge in ([], ["--judge", "answer-key"]):
        result = runner.invoke(app, [*args, *judge])
        assert result.exit_code == 2, result.output
        assert f"{suite}: probe confidence: no hold scenario of the suite has an answer key, " in (
            " ".join(result.stderr.split())
        )
        assert "pass --judge" in " ".join(result.stderr.split())
        assert not out.exists() and "Traceback" not in result.output
    judged = runner.invoke(app, [*args, "-q", "--judge", "python:tests.probes.bots:never_called"])
    assert judged.exit_code == 0, judged.output


def test_cues_with_a_judge_asks_it_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``probe cues --judge J`` read every opening against the answer key, as it does without
    one, yet had J grade the turns of its three plays: 24 judge calls paid for verdicts that
    no figure reads. The judge is no longer asked; the figures are those of a run without it."""
    from tests.cli.test_rescore import judge_b
    from tests.support.loopback import LoopbackServer

    (tmp_path / "plain").mkdir()
    _, plain = _probe(tmp_path / "plain", "cues", "silent_follower")
    with LoopbackServer(judge_b) as judge:
        monkeypatch.setenv("OPENAI_BASE_URL", judge.openai_base_url)
        monkeypatch.delenv("OPENAI_API_KEY", raising=False)
        monkeypatch.setenv("BACKBONE_CACHE_DIR", str(tmp_path / "judged-cache"))
        args = ["probe", "cues", "--target", "python:tests.probes.kind_bots:silent_follower",
                "--suite", str(_suite(tmp_path / "s.yaml", 6)), "--out",
                str(tmp_path / "judged"), "-q", "--judge", "openai:judge"]  # fmt: skip
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert judge.total == 0
    doc = json.loads((tmp_path / "judged" / "probe.json").read_text(encoding="utf-8"))
    for name in ("cue_effect_user_hint", "cue_effect_metadata", "follow_mention_gap"):
        assert doc[name] == plain[name]
    assert (
        "the judge was not asked in no_cue, user_hint, metadata: probe cues reads those "
        "replies against the answer key, not a judge's verdict"
    ) in doc["notes"]
